"""Benchmark: the reader opens and moves in time proportional to the screen, not the article.

    python -m bench.reader                 # 15 opens per article, 200 moves per position
    python -m bench.reader --quick         # 5 opens, 60 moves
    python -m bench.reader --json out.json

Articles (written to a temp dir): a ~1 MB one (the seeds concatenated, repeated until
>= 1,000,000 bytes), a ~3 KB one (the first ~3,000 bytes of seed 000, cut at a newline) and a
one-line baseline (what the app costs with next to no text).

* open: from ``create_app([path], db_path=<a new, empty store>)`` to the end of the first ``ArticleView.render_lines`` that
  covers the whole view (the first painted screen), in ``app.run_test(size=(100, 40))``;
  a fresh app each time.
* keystroke: at 200x50, one action (left/right/up/down/pagedown, the bound ``action_*``) plus
  ``render_line`` for every visible line, timed synchronously; the 1 MB article both at its top
  and from its middle (where a whole-text scan would show). ``pilot`` figures are the process CPU
  time of ``pilot.press`` + ``pilot.pause``: the whole Textual round trip (its wall time is
  mostly pilot's idle waits, kept as ``pilot_wall``).
* laid out: ``view.doc.layout._layouts`` against ``len(view.doc.paragraphs)``.

``measure_open`` / ``measure_keystrokes`` / ``run`` are importable and return dicts.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

OPEN_SIZE = (100, 40)
KEY_SIZE = (200, 50)
RATIO_TARGET = 2.0
# key -> (action name, argument); weights of the mix
KEYS: dict[str, tuple[str, int]] = {
    "left": ("action_move", -1),
    "right": ("action_move", 1),
    "down": ("action_line", 1),
    "up": ("action_line", -1),
    "pagedown": ("action_page", 1),
}
WEIGHTS = {"left": 3, "right": 3, "down": 2, "up": 1, "pagedown": 1}


# --- articles: bench/inputs.py (kept importable from here) -------------------------------

from bench.inputs import make_articles  # noqa: E402,F401

# --- helpers ---

_DB_DIR: tempfile.TemporaryDirectory[str] | None = None
_DB_COUNT = 0


def bench_db() -> str:
    """A new, empty annotation store for each app benchmarked here: never the user's default
    store (which another Hamish may hold, and where the reader remembers where it was in each
    article), and no position left by an earlier run. Removed when the process exits."""
    global _DB_DIR, _DB_COUNT
    if _DB_DIR is None:
        _DB_DIR = tempfile.TemporaryDirectory(prefix="hamish-bench-db-")
    _DB_COUNT += 1
    return str(Path(_DB_DIR.name) / f"{_DB_COUNT}" / "annotations.json")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _summary(samples_s: list[float]) -> dict[str, float]:
    ms = [s * 1000 for s in samples_s]
    return {
        "median_ms": statistics.median(ms),
        "p95_ms": _percentile(ms, 0.95),
        "min_ms": min(ms),
        "max_ms": max(ms),
        "n": len(ms),
    }


@contextlib.contextmanager
def _paint_probe() -> Iterator[dict[int, tuple[float, float]]]:
    """Record, per ArticleView (by id), when its first whole-view ``render_lines`` returned:
    (``perf_counter``, ``process_time``)."""
    from hamish.tui.widgets.article_view import ArticleView

    painted: dict[int, tuple[float, float]] = {}
    original = ArticleView.render_lines

    def render_lines(self, crop):  # type: ignore[no-untyped-def]
        strips = original(self, crop)
        if (
            id(self) not in painted
            and self.size.height
            and crop.height >= self.size.height
            and self._strips
        ):
            painted[id(self)] = (time.perf_counter(), time.process_time())
        return strips

    ArticleView.render_lines = render_lines  # type: ignore[method-assign]
    try:
        yield painted
    finally:
        ArticleView.render_lines = original  # type: ignore[method-assign]


async def _wait_for(pilot, ready: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not ready():
        if time.perf_counter() > deadline:
            raise TimeoutError("the reader never painted")
        await pilot.pause()


@contextlib.asynccontextmanager
async def _run_reader(app, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    """Run ``app`` (made with one article: it opens in the reader) headless at ``size`` until
    the reader has painted its first whole screen; yields (pilot, painted) — ``painted`` as
    from _paint_probe."""
    from hamish.tui.screens.reader import ReaderScreen

    with _paint_probe() as painted:
        async with app.run_test(size=size) as pilot:
            await _wait_for(
                pilot,
                lambda: isinstance(app.screen, ReaderScreen) and id(app.screen.view) in painted,
            )
            yield pilot, painted


async def _settle_at(view, pilot, index: int) -> None:  # type: ignore[no-untyped-def]
    """Put the cursor at ``index`` and paint the whole view there, untimed."""
    view.move_to_index(index)
    await pilot.pause()
    for y in range(view.size.height):
        view.render_line(y)
    await pilot.pause()


def _laid_out(view) -> dict[str, int]:  # type: ignore[no-untyped-def]
    doc = view.doc
    return {"laid_out": len(doc.layout._layouts), "paragraphs": len(doc.paragraphs)}


# --- open -------------------------------------------------------------------------------------


async def _open_once(path: Path, size: tuple[int, int]) -> dict[str, Any]:
    from hamish.tui.app import create_app

    t0, c0 = time.perf_counter(), time.process_time()
    app = create_app([str(path)], db_path=bench_db())
    t_created = time.perf_counter()
    async with _run_reader(app, size) as (_pilot, painted):
        t_paint, c_paint = painted[id(app.screen.view)]
        cpu = c_paint - c0
        counts = _laid_out(app.screen.view)
    return {"open_s": t_paint - t0, "cpu_s": cpu, "create_s": t_created - t0, **counts}


def measure_open(
    path: str | Path, repeats: int = 15, size: tuple[int, int] = OPEN_SIZE
) -> dict[str, Any]:
    """Open ``path`` ``repeats`` times (fresh app each), time to the reader's first painted screen."""
    path = Path(path)

    async def go() -> list[dict[str, Any]]:
        return [await _open_once(path, size) for _ in range(repeats)]

    runs = asyncio.run(go())
    result = _summary([r["open_s"] for r in runs])
    result["cpu"] = _summary([r["cpu_s"] for r in runs])
    result["create_median_ms"] = statistics.median(r["create_s"] for r in runs) * 1000
    result["laid_out"] = runs[-1]["laid_out"]
    result["paragraphs"] = runs[-1]["paragraphs"]
    result["bytes"] = path.stat().st_size
    return result


def measure_open_pair(
    a: str | Path, b: str | Path, repeats: int = 15, size: tuple[int, int] = OPEN_SIZE
) -> dict[str, Any]:
    """``measure_open`` of two articles with their opens alternating (a, b, a, b, ...), after
    one unmeasured open of each, so that a busy machine weighs on both alike. Keyed "3kb"/"1mb"
    for ``figures`` when ``a`` is the small one."""
    paths = {"3kb": Path(a), "1mb": Path(b)}

    async def go() -> dict[str, list[dict[str, Any]]]:
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in paths}
        for p in paths.values():
            await _open_once(p, size)
        for _ in range(repeats):
            for k, p in paths.items():
                runs[k].append(await _open_once(p, size))
        return runs

    out = {}
    for k, runs in asyncio.run(go()).items():
        result = _summary([r["open_s"] for r in runs])
        result["cpu"] = _summary([r["cpu_s"] for r in runs])
        result["laid_out"] = runs[-1]["laid_out"]
        result["paragraphs"] = runs[-1]["paragraphs"]
        result["bytes"] = paths[k].stat().st_size
        out[k] = result
    return out


# --- keystrokes --------------------------------------------------------------------------------


def _key_sequence(moves: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    keys = list(WEIGHTS)
    return rng.choices(keys, weights=[WEIGHTS[k] for k in keys], k=moves)


def measure_keystrokes(
    path: str | Path,
    moves: int = 200,
    size: tuple[int, int] = KEY_SIZE,
    *,
    start_fraction: float = 0.0,
    pilot_moves: int = 0,
    seed: int = 1,
) -> dict[str, Any]:
    """One cursor move + a repaint of every visible line, ``moves`` times, starting at
    ``start_fraction`` of the text. With ``pilot_moves``, also time ``pilot.press``+``pause``."""
    path = Path(path)

    async def go() -> dict[str, Any]:
        from hamish.tui.app import create_app

        app = create_app([str(path)], db_path=bench_db())
        async with _run_reader(app, size) as (pilot, _painted):
            view = app.screen.view
            after_open = _laid_out(view)
            if start_fraction:
                await _settle_at(view, pilot, int(len(view.text) * start_fraction))
            before_moves = _laid_out(view)
            start_cursor = view.cursor
            samples: list[float] = []
            per_key: dict[str, list[float]] = {k: [] for k in KEYS}
            for key in _key_sequence(moves, seed):
                name, arg = KEYS[key]
                action = getattr(view, name)
                height = view.size.height
                t = time.perf_counter()
                action(arg)
                for y in range(height):
                    view.render_line(y)
                dt = time.perf_counter() - t
                samples.append(dt)
                per_key[key].append(dt)
                await pilot.pause()  # untimed: let messages and the real refresh run
            after_moves = _laid_out(view)
            end_cursor = view.cursor
            pilot_samples: list[float] = []
            pilot_cpu: list[float] = []
            pilot_cursor_cpu: list[float] = []
            for key in _key_sequence(pilot_moves, seed + 1):
                t, c = time.perf_counter(), time.process_time()
                await pilot.press(key)
                await pilot.pause()
                pilot_cpu.append(time.process_time() - c)
                if key != "pagedown":
                    pilot_cursor_cpu.append(pilot_cpu[-1])
                pilot_samples.append(time.perf_counter() - t)
        result = _summary(samples)
        # the cursor keys, without PageDown (which lays out a new screen, and is a no-op in an
        # article that fits on one screen, so it has no 3 KB counterpart)
        result["cursor"] = _summary(
            [t for key, v in per_key.items() if key != "pagedown" for t in v]
        )
        result["per_key_median_ms"] = {
            k: statistics.median(v) * 1000 for k, v in per_key.items() if v
        }
        result["per_key_max_ms"] = {k: max(v) * 1000 for k, v in per_key.items() if v}
        if pilot_samples:
            # wall time is mostly pilot's idle waits; CPU time is the work of the round trip
            result["pilot"] = _summary(pilot_cpu)
            result["pilot_wall"] = _summary(pilot_samples)
            if pilot_cursor_cpu:
                result["pilot_cursor"] = _summary(pilot_cursor_cpu)
        result.update(
            laid_out_after_open=after_open["laid_out"],
            laid_out_before_moves=before_moves["laid_out"],
            laid_out_after_moves=after_moves["laid_out"],
            paragraphs=after_moves["paragraphs"],
            start_cursor=start_cursor,
            end_cursor=end_cursor,
            text_length=len(view.text),
        )
        return result

    return asyncio.run(go())


# --- the whole benchmark -----------------------------------------------------------------------


def run(quick: bool = False, log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    repeats = 5 if quick else 15
    moves = 60 if quick else 200
    pilot_moves = 20 if quick else 60
    with tempfile.TemporaryDirectory(prefix="hamish-bench-") as tmp:
        paths = make_articles(tmp)
        open_ = {}
        for name in ("tiny", "3kb", "1mb"):
            log(f"open {name} x{repeats}")
            open_[name] = measure_open(paths[name], repeats)
        keys = {}
        for name, path, frac in (
            ("3kb", paths["3kb"], 0.0),
            ("1mb_top", paths["1mb"], 0.0),
            ("1mb_mid", paths["1mb"], 0.5),
        ):
            log(f"keys {name} x{moves}")
            keys[name] = measure_keystrokes(
                path, moves, start_fraction=frac, pilot_moves=pilot_moves
            )
    return {"quick": quick, "open": open_, "keys": keys}


def figures(o: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``python -m bench``'s open figure from ``measure_open`` results keyed "3kb" and "1mb"."""
    from bench.common import paired

    def s(x: dict[str, Any]) -> dict[str, float]:
        return {"p50": x["median_ms"], "p95": x["p95_ms"], "n": x["n"]}

    return {
        "open": paired(
            s(o["1mb"]),
            s(o["3kb"]),
            "ms",
            target=f"ratio <= {RATIO_TARGET:g}",
            max_ratio=RATIO_TARGET,
            measures=f"create_app([article]) to the reader's first painted screen ({OPEN_SIZE[0]}x{OPEN_SIZE[1]}, "
            "headless run_test), 1 MB article; reference: the 3 KB article",
            laid_out=o["1mb"]["laid_out"],
            paragraphs=o["1mb"]["paragraphs"],
        )
    }


def entries(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The figures in the ``{"name": {value, unit, reference, ratio, target, met}}`` convention."""
    out: dict[str, dict[str, Any]] = {}

    def entry(
        name: str,
        value: float,
        reference: float | None,
        target: str | None = None,
        limit: float | None = RATIO_TARGET,
        unit: str = "ms",
    ) -> None:
        ratio = value / reference if reference else None
        out[name] = {
            "value": round(value, 3),
            "unit": unit,
            "reference": None if reference is None else round(reference, 3),
            "ratio": None if ratio is None else round(ratio, 4),
            "target": target if target is not None else (f"ratio <= {limit:g}" if limit else None),
            "met": None if (limit is None or ratio is None) else ratio <= limit,
        }

    o, k = r["open"], r["keys"]
    for stat in ("median", "p95"):
        entry(
            f"reader_open_1mb_{stat}",
            o["1mb"][f"{stat}_ms"],
            o["3kb"][f"{stat}_ms"],
            f"ratio <= {RATIO_TARGET:g} (reference: the 3 KB article)",
        )
        entry(
            f"reader_open_1mb_cpu_{stat}",
            o["1mb"]["cpu"][f"{stat}_ms"],
            o["3kb"]["cpu"][f"{stat}_ms"],
            f"ratio <= {RATIO_TARGET:g} (process CPU time; reference: the 3 KB article)",
        )
        entry(
            f"reader_open_3kb_{stat}",
            o["3kb"][f"{stat}_ms"],
            o["tiny"][f"{stat}_ms"],
            "informative (reference: a one-line article, the app's own cost)",
            limit=None,
        )
        for where in ("1mb_top", "1mb_mid"):
            entry(
                f"reader_key_{where}_{stat}",
                k[where]["cursor"][f"{stat}_ms"],
                k["3kb"]["cursor"][f"{stat}_ms"],
                f"ratio <= {RATIO_TARGET:g} (left/right/up/down + repaint; reference: the 3 KB article)",
            )
        if "pilot_cursor" in k["1mb_mid"] and "pilot_cursor" in k["3kb"]:
            entry(
                f"reader_key_pilot_1mb_mid_{stat}",
                k["1mb_mid"]["pilot_cursor"][f"{stat}_ms"],
                k["3kb"]["pilot_cursor"][f"{stat}_ms"],
                f"ratio <= {RATIO_TARGET:g} (CPU of pilot.press+pause, cursor keys; reference: 3 KB)",
            )
    # PageDown lays out a whole new screen (a no-op in the one-screen 3 KB article): compare the
    # middle of the 1 MB article with its top, which is what "proportional to the screen" means.
    pd_top = k["1mb_top"]["per_key_median_ms"].get("pagedown")
    pd_mid = k["1mb_mid"]["per_key_median_ms"].get("pagedown")
    if pd_top and pd_mid:
        entry(
            "reader_key_pagedown_1mb_mid_median",
            pd_mid,
            pd_top,
            f"ratio <= {RATIO_TARGET:g} (reference: PageDown at the top of the article)",
        )
    opened = o["1mb"]
    screen = OPEN_SIZE[1]
    entry(
        "reader_1mb_paragraphs_laid_out_on_open",
        opened["laid_out"],
        opened["paragraphs"],
        f"value <= {2 * screen} (two screens of {OPEN_SIZE[0]}x{screen}; reference: all paragraphs)",
        limit=2 * screen / opened["paragraphs"],
        unit="paragraphs",
    )
    mid = k["1mb_mid"]
    entry(
        "reader_1mb_paragraphs_laid_out_after_moves",
        mid["laid_out_after_moves"],
        mid["paragraphs"],
        "informative: grows with the screens visited",
        limit=None,
        unit="paragraphs",
    )
    return out


def report(r: dict[str, Any]) -> str:
    o, k = r["open"], r["keys"]
    rows = [f"{'':30}{'median ms':>10}{'p95 ms':>10}{'ratio':>8}  laid out / paragraphs"]
    for name in ("tiny", "3kb", "1mb"):
        x = o[name]
        rows.append(
            f"{'open ' + name + ' (' + str(x['bytes']) + ' B)':30}{x['median_ms']:>10.1f}{x['p95_ms']:>10.1f}"
            f"{x['median_ms'] / o['3kb']['median_ms']:>8.2f}  {x['laid_out']} / {x['paragraphs']}"
        )
    for name in ("tiny", "3kb", "1mb"):
        x = o[name]["cpu"]
        rows.append(
            f"{'open ' + name + ' (cpu)':30}{x['median_ms']:>10.1f}{x['p95_ms']:>10.1f}"
            f"{x['median_ms'] / o['3kb']['cpu']['median_ms']:>8.2f}"
        )
    for label, field in (
        ("all keys", None),
        ("cursor", "cursor"),
        ("pilot cpu", "pilot"),
        ("pilot cpu cursor", "pilot_cursor"),
    ):
        for name in ("3kb", "1mb_top", "1mb_mid"):
            x = k[name] if field is None else k[name].get(field)
            ref = k["3kb"] if field is None else k["3kb"].get(field)
            if not x or not ref:
                continue
            extra = (
                f"  {k[name]['laid_out_before_moves']} -> {k[name]['laid_out_after_moves']} / {k[name]['paragraphs']}"
                if field is None
                else ""
            )
            rows.append(
                f"{'key ' + name + ' (' + label + ')':30}{x['median_ms']:>10.3f}{x['p95_ms']:>10.3f}"
                f"{x['median_ms'] / ref['median_ms']:>8.2f}{extra}"
            )
    for name in ("3kb", "1mb_top", "1mb_mid"):
        med, mx = k[name]["per_key_median_ms"], k[name]["per_key_max_ms"]
        rows.append(
            f"  per key median/max ms, {name}: "
            + ", ".join(f"{key} {med[key]:.1f}/{mx[key]:.1f}" for key in med)
        )
    verdict = entries(r)
    rows.append(
        "targets: "
        + ", ".join(
            f"{n.removeprefix('reader_')}={'ok' if e['met'] else 'MISSED'}"
            for n, e in verdict.items()
            if e["met"] is not None
        )
    )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.reader", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats and moves")
    parser.add_argument(
        "--json", metavar="PATH", help="write the figures as {name: {value, unit, ...}}"
    )
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    r = run(args.quick, log=lambda s: print(s, file=sys.stderr, flush=True))
    elapsed = time.perf_counter() - t0
    print(report(r))
    print(f"total {elapsed:.1f} s")
    if args.json:
        data = entries(r)
        data["_raw"] = {**r, "elapsed_s": elapsed}
        Path(args.json).write_text(
            json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
