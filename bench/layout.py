"""Layout throughput: the whole 1 MB article through Hamish's engine against GNU FriBidi.

* Hamish: ``TextLayout(text, 100).lines`` on a fresh ``TextLayout`` — splits the paragraphs,
  resolves each paragraph's bidi levels and shapes it (ICU), wraps it at width 100, reorders each
  line and builds its cell maps — every paragraph forced. In process, after one unmeasured
  warm-up pass, its runs interleaved with FriBidi's; times with ``perf_counter``.
* FriBidi: the same wrapped lines, in logical order (``text[line.start:line.end]``, one per
  line, empty paragraphs as empty lines) written beforehand to two files by paragraph
  direction, then ``fribidi --nopad --nobreak --reordernsm --rtl FILE`` and ``... --ltr FILE``
  (reorders and shapes each line, as the tests call it); the wall time of the two processes,
  start to exit, output read through a pipe and its line count checked.

So FriBidi is given the wrapping for free; the engine's figure includes it.

    python -m bench.layout [--quick] [--profile]   # --profile: pyinstrument of one engine pass
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from bench.common import paired, summary

WIDTH = 100
LAYOUT_TARGET = 3.0
FRIBIDI_ARGS = ["--nopad", "--nobreak", "--reordernsm"]


def _engine_pass(text: str, width: int = WIDTH) -> list:
    from tui.bidi import TextLayout

    return TextLayout(text, width).lines


def _fribidi_pass(fribidi: str, files: dict[str, tuple[Path, int]]) -> float:
    t = time.perf_counter()
    outs = []
    for flag, (path, _) in files.items():
        outs.append(subprocess.run([fribidi, *FRIBIDI_ARGS, flag, str(path)], capture_output=True, check=True).stdout)
    dt = time.perf_counter() - t
    for out, (flag, (_, n)) in zip(outs, files.items()):
        got = out.count(b"\n")
        if got != n:
            raise RuntimeError(f"fribidi {flag} wrote {got} lines for {n}")
    return dt


def measure(path: Path, repeats: int, fribidi_repeats: int, log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    fribidi = shutil.which("fribidi")
    if fribidi is None:
        raise RuntimeError("the fribidi command is missing: apt-get install libfribidi-bin")
    text = path.read_text(encoding="utf-8")
    log(f"layout: engine x{repeats} on {len(text.encode()):,} bytes at width {WIDTH}")
    lines = _engine_pass(text)  # warm-up, and the lines given to fribidi
    engine = []
    with tempfile.TemporaryDirectory(prefix="hamish-bench-fribidi-") as tmp:
        files: dict[str, tuple[Path, int]] = {}
        for flag, rtl in (("--rtl", True), ("--ltr", False)):
            chosen = [text[ln.start:ln.end] for ln in lines if ln.rtl == rtl]
            p = Path(tmp) / f"lines{flag}.txt"
            p.write_text("".join(s + "\n" for s in chosen), encoding="utf-8")
            files[flag] = (p, len(chosen))
        log(f"layout: fribidi x{fribidi_repeats} on the same {len(lines):,} lines, runs interleaved")
        _fribidi_pass(fribidi, files)  # warm-up
        ref = []
        # interleaved, so that a busy machine weighs on both alike
        for k in range(max(repeats, fribidi_repeats)):
            if k < repeats:
                t = time.perf_counter()
                _engine_pass(text)
                engine.append(time.perf_counter() - t)
            if k < fribidi_repeats:
                ref.append(_fribidi_pass(fribidi, files))
    return {
        "engine": summary(engine, 1000),
        "fribidi": summary(ref, 1000),
        "lines": len(lines),
        "rtl_lines": files["--rtl"][1],
        "bytes": len(text.encode("utf-8")),
    }


def figures(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "layout": paired(
            r["engine"], r["fribidi"], "ms",
            target=f"ratio <= {LAYOUT_TARGET:g}", max_ratio=LAYOUT_TARGET,
            measures=f"wrap + reorder + shape all of the 1 MB article at width {WIDTH} ({r['lines']:,} lines); "
                     "reference: fribidi --nopad --nobreak --reordernsm on the same wrapped lines "
                     "(two processes, --rtl and --ltr)",
            lines=r["lines"],
        )
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layout", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print a pyinstrument profile of one engine pass")
    args = parser.parse_args(argv)
    from bench.inputs import make_articles

    with tempfile.TemporaryDirectory(prefix="hamish-bench-") as tmp:
        path = make_articles(tmp)["1mb"]
        if args.profile:
            from pyinstrument import Profiler

            text = path.read_text(encoding="utf-8")
            _engine_pass(text)
            with Profiler(interval=0.0005) as prof:
                _engine_pass(text)
            print(prof.output_text(unicode=True, color=False, show_all=False))
            return 0
        r = measure(path, 2 if args.quick else 5, 5 if args.quick else 20, log=lambda s: print(s, file=sys.stderr))
    from bench.common import table

    print(table(figures(r)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
