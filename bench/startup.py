"""Startup and peak memory: whole processes in a pseudo-terminal, Hamish against a minimal
Textual app (``bench/minimal_app.py``: a DataTable of five rows) started the same way.

Both are ``python -c "import sys; from MODULE import main; sys.exit(main())" ARGS`` (for Hamish
that is exactly the body of the ``hamish`` console script, so whatever ``tui.cli:main`` does on
startup is measured), with the same interpreter, environment and terminal size. Runs alternate
between the two programs, after one unmeasured warm-up run of each (which also fills the
bytecode cache: see ``child_env``).

* startup: spawn -> the fifth article's id on the screen (the library's rows, or the DataTable's).
* startup_1000_articles_100k_store: the same for ``hamish CORPUS --db STORE`` with the 1,000
  generated articles and the 100,000-annotation store (reported, no target).
* memory: peak RSS (VmHWM) of ``hamish big_1mb.txt --db STORE`` (the reader on the 1 MB
  article, with the 100,000-annotation store) once painted and settled, against the minimal app.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

from bench.common import paired, summary
from bench.inputs import Inputs, seed_texts
from bench.terminal import first_paint, python_argv

SIZE = (120, 40)
HAMISH = "import sys; from hamish.tui.cli import main; sys.exit(main())"
MINIMAL = "import sys; from bench.minimal_app import main; sys.exit(main())"
STARTUP_TARGET = 1.3


def child_env(inputs: Inputs) -> dict[str, str]:
    """The environment of both programs: this one, with bytecode caching on (as after an
    install; a ``PYTHONDONTWRITEBYTECODE`` here would have every start recompile Hamish's own
    modules, but not Textual's, which pip compiled) into a cache of this run's own."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(inputs.directory / "pycache")
    return env


def _fifth_seed_id() -> str:
    from bench.minimal_app import rows

    return rows()[4][1]


def _alternate(runs: dict[str, Callable[[], float]], repeats: int) -> dict[str, list[float]]:
    for fn in runs.values():  # warm-up: page cache, .pyc files, the store's first creation
        fn()
    out: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeats):
        for name, fn in runs.items():
            out[name].append(fn())
    return out


def measure_startup(
    inputs: Inputs, repeats: int, log: Callable[[str], None] = lambda s: None
) -> dict[str, Any]:
    seed_texts()  # fail early without seeds
    marker = _fifth_seed_id()
    db = inputs.directory / "startup" / "annotations.json"
    db.parent.mkdir(parents=True, exist_ok=True)
    big_db = inputs.store_copy("startup-big")
    corpus = inputs.corpus_dir
    big_marker = inputs.corpus[4].id
    env = child_env(inputs)

    def hamish() -> float:
        return first_paint(
            python_argv(HAMISH, "--db", str(db)), marker, size=SIZE, env=env
        ).first_paint_s

    def minimal() -> float:
        return first_paint(python_argv(MINIMAL), marker, size=SIZE, env=env).first_paint_s

    def hamish_big() -> float:
        return first_paint(
            python_argv(HAMISH, str(corpus), "--db", str(big_db)), big_marker, size=SIZE, env=env
        ).first_paint_s

    log(f"startup x{repeats} (hamish / minimal Textual app, alternating)")
    samples = _alternate({"hamish": hamish, "minimal": minimal}, repeats)
    big_repeats = max(2, repeats // 2)
    log(
        f"startup with {len(inputs.corpus)} articles and {inputs.n_annotations:,} annotations x{big_repeats}"
    )
    samples |= _alternate({"hamish_big": hamish_big}, big_repeats)
    shutil.rmtree(big_db.parent, ignore_errors=True)
    return {name: summary(v, 1000) for name, v in samples.items()}


def measure_memory(
    inputs: Inputs, repeats: int = 1, log: Callable[[str], None] = lambda s: None
) -> dict[str, Any]:
    article = inputs.articles["1mb"]
    db = inputs.store_copy("memory")
    marker = _fifth_seed_id()
    env = child_env(inputs)
    log(f"memory x{repeats} (reader on the 1 MB article with {inputs.n_annotations:,} annotations)")

    def hamish() -> float:
        run = first_paint(
            python_argv(HAMISH, str(article), "--db", str(db)),
            "1 of 1",
            size=SIZE,
            env=env,
            peak_rss=True,
        )
        return run.peak_rss_kb / 1024

    def minimal() -> float:
        return (
            first_paint(python_argv(MINIMAL), marker, size=SIZE, env=env, peak_rss=True).peak_rss_kb
            / 1024
        )

    samples: dict[str, list[float]] = {"hamish": [], "minimal": []}
    hamish(), minimal()  # warm-up: the bytecode cache
    for _ in range(repeats):
        samples["hamish"].append(hamish())
        samples["minimal"].append(minimal())
    shutil.rmtree(db.parent, ignore_errors=True)
    return {name: summary(v) for name, v in samples.items()}


def figures(
    startup: dict[str, Any] | None, memory: dict[str, Any] | None, inputs: Inputs
) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    if startup:
        out["startup"] = paired(
            startup["hamish"],
            startup["minimal"],
            "ms",
            target=f"ratio <= {STARTUP_TARGET:g}",
            max_ratio=STARTUP_TARGET,
            measures="process start to the library's first paint (bundled articles, empty store) in a "
            f"{SIZE[0]}x{SIZE[1]} pty; reference: a minimal Textual app with a 5-row DataTable",
        )
        out["startup_1000_articles_store"] = paired(
            startup["hamish_big"],
            startup["minimal"],
            "ms",
            target=None,
            measures=f"as startup, with {len(inputs.corpus):,} articles and a {inputs.n_annotations:,}-annotation "
            "store (--db); reference: the minimal app",
        )
    if memory:
        out["memory"] = paired(
            memory["hamish"],
            memory["minimal"],
            "MiB",
            target=None,
            measures=f"peak RSS (VmHWM) of the reader on the 1 MB article with a {inputs.n_annotations:,}-annotation "
            "store, once painted and settled; reference: the minimal Textual app",
        )
    return out


# --- profiles of the first paint (python -m bench.startup --profile) ---------------------------

_PROFILE_PRELUDE = """
from pyinstrument import Profiler
_p = Profiler(interval=0.0002)
_p.start()
import textual.app as _ta
_display0 = _ta.App._display
def _display(self, *a, **k):
    r = _display0(self, *a, **k)
    if _p.is_running:
        from textual.widgets import DataTable
        try:
            ok = self.screen.query_one(DataTable).row_count >= 5
        except Exception:
            ok = False
        if ok:  # the frame with the library's rows (or the DataTable's) has just been written
            _p.stop()
            with open(OUT, "w", encoding="utf-8") as f:
                f.write(_p.output_text(unicode=True, color=False, show_all=SHOW_ALL))
    return r
_ta.App._display = _display
"""


def profile_first_paint(directory: str, show_all: bool = False) -> dict[str, str]:
    """pyinstrument profiles, from the first line of Python to the frame holding the rows, of
    Hamish and of the minimal app, each started as ``measure_startup`` starts it (the second
    of two runs, so the bytecode cache is warm)."""
    from pathlib import Path

    inputs = Inputs(directory)
    env = child_env(inputs)
    marker = _fifth_seed_id()
    db = inputs.directory / "profile" / "annotations.json"
    db.parent.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, code, args in (("hamish", HAMISH, ["--db", str(db)]), ("minimal", MINIMAL, [])):
        path = inputs.directory / f"profile-{name}.txt"
        program = (
            f"OUT = {str(path)!r}\nSHOW_ALL = {show_all}\n"
            + _PROFILE_PRELUDE
            + code.replace("; ", "\n")
        )
        for _ in range(2):
            path.unlink(missing_ok=True)
            # kept alive a moment after the paint, so that it can write its profile
            first_paint(
                python_argv(program, *args), marker, size=SIZE, env=env, peak_rss=True, settle_s=0.3
            )
        out[name] = Path(path).read_text(encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    import tempfile

    parser = argparse.ArgumentParser(
        prog="python -m bench.startup", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--profile", action="store_true", help="print pyinstrument profiles of both first paints"
    )
    parser.add_argument(
        "--show-all", action="store_true", help="with --profile: library frames too"
    )
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hamish-bench-") as tmp:
        if args.profile:
            for name, text in profile_first_paint(tmp, args.show_all).items():
                print(f"===== {name}\n{text}")
            return 0
        from bench.common import table

        inputs = Inputs(tmp)
        print(
            table(
                figures(
                    measure_startup(inputs, args.repeats, lambda s: print(s, file=sys.stderr)),
                    None,
                    inputs,
                )
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
