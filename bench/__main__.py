"""Hamish against its peers on the same work: ``python -m bench``.

    python -m bench                      # the full run (under ten minutes on the 2-core machines)
    python -m bench --quick              # CI smoke run (under a minute): fewer repeats, small store
    python -m bench --json out.json      # also write every figure as JSON
    python -m bench --only startup open  # some of the measurements

Prints a Markdown table: Hamish's median and p95, the reference's median and p95, the ratio of
the medians, the target and whether it was met. The JSON maps each figure's name to
``{"value", "unit", "reference", "ratio", "target", "met", ...}`` (``met`` is null for figures
that are only reported; extra keys: ``p95``, ``reference_p95``, ``ratio_p95``, ``n``,
``measures`` — what exactly was timed). The modules' docstrings say how each is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import missing, table
from bench.inputs import Inputs

FULL = {
    "startup_repeats": 15,
    "open_repeats": 15,
    "moves": 200,
    "roundtrips": 60,
    "layout_repeats": 5,
    "fribidi_repeats": 20,
    "store_samples": 2_000,
    "stall_adds": 30_000,
    "stall_fold_bytes": 8 * 1024 * 1024,
    "tinydb_samples": 5,
    "memory_repeats": 3,
}
QUICK = {  # a smoke run (the suite's tests/test_bench.py): every figure, few samples
    "startup_repeats": 3,
    "open_repeats": 5,
    "moves": 20,
    "roundtrips": 8,
    "layout_repeats": 2,
    "fribidi_repeats": 5,
    "store_samples": 300,
    "stall_adds": 3_000,
    "stall_fold_bytes": 256 * 1024,
    "tinydb_samples": 2,
    "memory_repeats": 1,
}
# in the order they run; export last (it is the other engineers' module and may be missing)
NAMES = ("startup", "open", "keystroke", "layout", "store", "memory", "export", "annot", "huge")
TARGETS = {
    "startup": ("startup", "ratio <= 1.3"),
    "open": ("open", "ratio <= 2"),
    "keystroke": ("keystroke", "ratio <= 1 and p95 <= 16.7 ms"),
    "layout": ("layout", "ratio <= 3"),
    "store": ("store_add", "p95 <= 5 ms"),
    "memory": ("memory", None),
    "export": ("export", "ratio <= 2"),
    "annot": ("keys_quote_suggested", "value <= 1.5"),
    "huge": ("huge_app_home", "p100 <= 1000 ms"),
}


def _startup(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import startup

    return startup.figures(startup.measure_startup(inputs, c["startup_repeats"], log), None, inputs)


def _open(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import reader

    log(f"open 3kb / 1mb x{c['open_repeats']} (alternating)")
    return reader.figures(
        reader.measure_open_pair(inputs.articles["3kb"], inputs.articles["1mb"], c["open_repeats"])
    )


def _keystroke(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import keystroke

    return keystroke.figures(
        keystroke.measure(inputs.articles["1mb"], c["moves"], c["roundtrips"], log)
    )


def _layout(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import layout

    return layout.figures(
        layout.measure(inputs.articles["1mb"], c["layout_repeats"], c["fribidi_repeats"], log)
    )


def _store(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import store_add

    return store_add.figures(
        store_add.measure(
            inputs,
            c["store_samples"],
            c["tinydb_samples"],
            log=log,
            stall_adds=c["stall_adds"],
            stall_fold_bytes=c["stall_fold_bytes"],
        )
    )


def _memory(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import startup

    return startup.figures(None, startup.measure_memory(inputs, c["memory_repeats"], log), inputs)


def _export(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    import importlib

    try:
        export = importlib.import_module("bench.export")
    except ModuleNotFoundError as e:
        if e.name != "bench.export":
            raise
        return {"export": missing("bench/export.py is not there yet", TARGETS["export"][1])}
    log("export (bench/export.py)")
    return export.run(quick=c is QUICK)


def _huge(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import long_article

    if c is QUICK:  # a smoke run: an eighth of the size (the figures say which)
        return long_article.measure_huge(3, long_article.HUGE_SIZE // 8, log=log)
    return long_article.measure_huge(10, log=log)


def _annot(inputs: Inputs, c: dict[str, Any], log: Callable[[str], None]) -> dict[str, Any]:
    from bench import annot_keys

    return annot_keys.figures(annot_keys.measure(log))


RUNNERS: dict[str, Callable[[Inputs, dict[str, Any], Callable[[str], None]], dict[str, Any]]] = {
    "startup": _startup,
    "open": _open,
    "keystroke": _keystroke,
    "layout": _layout,
    "store": _store,
    "memory": _memory,
    "export": _export,
    "annot": _annot,
    "huge": _huge,
}


def run(names: list[str], quick: bool, log: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    """Every figure of ``names`` (a measurement that fails is reported as missing, not raised)."""
    config = QUICK if quick else FULL
    figures: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="hamish-bench-") as tmp:
        inputs = Inputs(tmp, quick=quick)
        for name in names:
            t0 = time.perf_counter()
            try:
                figures |= RUNNERS[name](inputs, config, log)
            except Exception as e:  # report the others all the same
                log(traceback.format_exc())
                key, target = TARGETS[name]
                figures[key] = missing(f"{type(e).__name__}: {e}", target)
            log(f"  {name}: {time.perf_counter() - t0:.1f} s")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="CI smoke run: fewer repeats, a 10,000-annotation store",
    )
    parser.add_argument("--json", metavar="PATH", help="write every figure as JSON")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=NAMES,
        metavar="NAME",
        help=f"run only these measurements ({', '.join(NAMES)})",
    )
    args = parser.parse_args(argv)
    names = [n for n in NAMES if not args.only or n in args.only]

    def log(s: str) -> None:
        print(s, file=sys.stderr, flush=True)

    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    figures = run(names, args.quick, log)
    elapsed = time.perf_counter() - t0
    load1 = os.getloadavg()[0]
    print(table(figures))
    print()
    print(
        f"`python -m bench{' --quick' if args.quick else ''}`: {elapsed:.0f} s, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, load average {load0:.2f} at the start, {load1:.2f} at the end"
    )
    missed = [n for n, f in figures.items() if f["met"] is False]
    print("targets missed: " + (", ".join(missed) if missed else "none"))
    if args.json:
        Path(args.json).write_text(
            json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
