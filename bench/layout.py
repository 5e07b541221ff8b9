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

So FriBidi is given the wrapping for free; the engine's figure includes it. Also reported:
``layout_lines_kept``, the same pass for a caller that keeps the lines (the GC's young
collection of their ~45,000 new tuples and Lines, then freeing them: what ``hamish cat`` pays);
``layout_icu_calls_only``, the ICU calls alone that the engine makes for the same layout (what
an engine on PyICU cannot go below), against the same FriBidi runs.

    python -m bench.layout [--quick] [--profile]   # --profile: pyinstrument of one engine pass
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import paired, summary

WIDTH = 100
LAYOUT_TARGET = 3.0
FRIBIDI_ARGS = ["--nopad", "--nobreak", "--reordernsm"]


def _engine_pass(text: str, width: int = WIDTH) -> list:
    from hamish.tui.bidi import TextLayout

    return TextLayout(text, width).lines


def _kept_pass(text: str, width: int = WIDTH) -> float:
    """The engine pass as a program that keeps its lines pays for it: the layout, then the
    young collection of the cyclic GC that examines the new objects once (the engine pauses
    the collector while it works; ``layout`` drops the lines before any collection runs), then
    freeing them. Seconds."""
    import gc

    from hamish.tui.bidi import TextLayout

    t = time.perf_counter()
    lines = TextLayout(text, width).lines
    gc.collect(0)
    del lines
    return time.perf_counter() - t


def _icu_pass(text: str, lines: list) -> None:  # type: ignore[type-arg]
    """Only the ICU calls the engine makes for the same work: per paragraph, the bidi levels
    (``ParagraphBidi``) and the Arabic shaping (``shapeArabic``); per line, its visual map and
    levels (``ParagraphBidi.line``). What any engine on PyICU pays at least."""
    import icu

    from hamish.tui.bidi import split_paragraphs
    from hamish.tui.bidi._icu import _SHAPE_OPTIONS, ParagraphBidi

    paragraphs = split_paragraphs(text)
    spans: dict[int, list[tuple[int, int]]] = {}
    for ln in lines:
        start = paragraphs.starts[ln.paragraph]
        spans.setdefault(ln.paragraph, []).append((ln.start - start, ln.end - start))
    for i, (s, e) in enumerate(zip(paragraphs.starts, paragraphs.ends, strict=True)):
        t = text[s:e]
        bidi = ParagraphBidi(t)
        icu.Shape.shapeArabic(t, _SHAPE_OPTIONS)
        for a, b in spans.get(i, ()):
            bidi.line(a, b)


def _fribidi_pass(fribidi: str, files: dict[str, tuple[Path, int]]) -> float:
    t = time.perf_counter()
    outs = []
    for flag, (path, _) in files.items():
        outs.append(
            subprocess.run(
                [fribidi, *FRIBIDI_ARGS, flag, str(path)], capture_output=True, check=True
            ).stdout
        )
    dt = time.perf_counter() - t
    for out, (flag, (_, n)) in zip(outs, files.items(), strict=True):
        got = out.count(b"\n")
        if got != n:
            raise RuntimeError(f"fribidi {flag} wrote {got} lines for {n}")
    return dt


def measure(
    path: Path, repeats: int, fribidi_repeats: int, log: Callable[[str], None] = lambda s: None
) -> dict[str, Any]:
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
            chosen = [text[ln.start : ln.end] for ln in lines if ln.rtl == rtl]
            p = Path(tmp) / f"lines{flag}.txt"
            p.write_text("".join(s + "\n" for s in chosen), encoding="utf-8")
            files[flag] = (p, len(chosen))
        log(
            f"layout: fribidi x{fribidi_repeats} on the same {len(lines):,} lines, runs interleaved"
        )
        _fribidi_pass(fribidi, files)  # warm-up
        ref = []
        kept: list[float] = []
        icu_only: list[float] = []
        try:
            _icu_pass(text, lines)
        except (ImportError, AttributeError):  # the engine's ICU wrapper changed: skip the floor
            icu_only = None  # type: ignore[assignment]
        # interleaved, so that a busy machine weighs on all alike
        for k in range(max(repeats, fribidi_repeats)):
            if k < repeats:
                t = time.perf_counter()
                _engine_pass(text)
                engine.append(time.perf_counter() - t)
                kept.append(_kept_pass(text))
            if k < fribidi_repeats:
                ref.append(_fribidi_pass(fribidi, files))
                if icu_only is not None:
                    t = time.perf_counter()
                    _icu_pass(text, lines)
                    icu_only.append(time.perf_counter() - t)
    return {
        "engine": summary(engine, 1000),
        "fribidi": summary(ref, 1000),
        "icu_only": summary(icu_only, 1000) if icu_only else None,
        "kept": summary(kept, 1000),
        "lines": len(lines),
        "rtl_lines": files["--rtl"][1],
        "bytes": len(text.encode("utf-8")),
    }


def figures(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    out = {
        "layout": paired(
            r["engine"],
            r["fribidi"],
            "ms",
            target=f"ratio <= {LAYOUT_TARGET:g}",
            max_ratio=LAYOUT_TARGET,
            measures=f"wrap + reorder + shape all of the 1 MB article at width {WIDTH} ({r['lines']:,} lines); "
            "reference: fribidi --nopad --nobreak --reordernsm on the same wrapped lines "
            "(two processes, --rtl and --ltr)",
            lines=r["lines"],
        )
    }
    if r.get("kept"):
        out["layout_lines_kept"] = paired(
            r["kept"],
            r["fribidi"],
            "ms",
            target=None,
            measures="the same layout kept by the caller: plus the cyclic GC's young collection of the "
            "new objects (which layout's pass, dropping its lines at once, never meets) and "
            "freeing them; reference: fribidi as for layout",
        )
    if r.get("icu_only"):
        out["layout_icu_calls_only"] = paired(
            r["icu_only"],
            r["fribidi"],
            "ms",
            target=None,
            measures="only the ICU calls of the same layout (paragraph bidi + shaping, each line's visual "
            "map), the floor of an engine on PyICU; reference: fribidi as for layout",
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.layout", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--profile", action="store_true", help="print a pyinstrument profile of one engine pass"
    )
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
        r = measure(
            path,
            2 if args.quick else 5,
            5 if args.quick else 20,
            log=lambda s: print(s, file=sys.stderr),
        )
    from bench.common import table

    print(table(figures(r)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
