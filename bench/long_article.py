"""A 5 MB article on one line (no newline at all) against a 3 KB article: what it costs to show.

Inputs (generated, fixed random seed): ``arabic``: 5,000,000 bytes of Arabic news words with
some Latin and digits, spaces between words, one paragraph; ``emoji``: the same size, half of
its words emoji and other characters outside the BMP (flags, skin tones, ZWJ families,
mathematical letters); ``one word``: 2,500,000 Arabic letters without a space. The reference is
the first ~3 KB of seed 000 (what a normal article costs).

Measured in process on fresh objects, after one unmeasured pass, ``perf_counter`` around:

* ``first screen``: ``DocumentLayout(TextLayout(text, 100))`` and its lines 0..39 — what the
  reader does when it opens the article;
* ``resize``: ``at_width(80)`` of that document and its first 40 lines;
* ``toggle marks``: ``with_format_shown(True)`` and its first 40 lines;
* ``jump to end``: ``locate(len(text) - 1)`` and the line there (End key);
* ``title``: ``title_of`` + ``fit_line(title, 60)`` (a library row).

Target: the first screen of each 5 MB article within 500 ms (p95) on the 2-core machines.

The huge article (``--huge``, and ``python -m bench --only huge``): 67,000,000 bytes on one
line, the bundled seeds' text repeated with its newlines made spaces, Latin words and numbers
mixed in (``huge_article``; written to a temp dir, never kept). Each figure in a child process
of its own, so that its peak RSS (``ru_maxrss`` from ``wait4``) is its alone:

* ``huge_app_home`` / ``_end`` / ``_pagedown``: the app opened on the file (a new, empty store)
  headless at 100x40 through Textual's Pilot; after the first painted screen, Home, End and
  PageDown pressed in turn (``pilot.press`` + ``pilot.pause``: the key's whole round trip and
  the repaint), ``repeats`` each. p50, p95 and p100 (the worst); target p100 <= 1 s.
* ``huge_app_open``: to the first painted screen; ``huge_app_peak_rss``: the child's peak,
  target < 1 GiB.
* ``huge_cat``: ``hamish cat --width 100 FILE > /dev/null``, wall time and peak RSS; the same
  on the first tenth of the file (``huge_cat_tenth_peak_rss``): streaming means the two peaks
  are about equal (target: the whole file's peak <= 1.5 x the tenth's).

    python -m bench.long_article [--quick] [--huge] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import figure, summary, table

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
WIDTH, ROWS = 100, 40
FIRST_SCREEN_P95_MS = 500.0
SIZE = 5_000_000

ARABIC_WORDS = (
    "قال وزير الخارجية اللبناني في بيروت اليوم إن الحكومة ستجتمع غداً لبحث the budget 2026".split()
)
EMOJI_WORDS = (
    ARABIC_WORDS + ["😀", "🇱🇧", "👍🏽", "👨\u200d👩\u200d👧", "❤\ufe0f", "𝐀𝐁𝐂", "🕌", "𞸀𞸁"] * 2
)


def _words(words: list[str], size: int, seed: int) -> str:
    rng = random.Random(seed)
    parts, n = [], 0
    while n < size:
        w = rng.choice(words)
        parts.append(w)
        n += len(w.encode()) + 1
    return " ".join(parts)


def inputs(size: int = SIZE) -> dict[str, str]:
    small = (SEEDS / sorted(p.name for p in SEEDS.glob("*.txt"))[0]).read_text("utf-8")
    small = small[: small.rfind("\n", 0, 3000)]
    return {
        "3kb": small,
        "arabic": _words(ARABIC_WORDS, size, 1),
        "emoji": _words(EMOJI_WORDS, size, 2),
        "one word": "ب" * (size // 2),
    }


def _steps(text: str) -> dict[str, float]:
    from hamish.store.corpus import title_of
    from hamish.tui.bidi import DocumentLayout, TextLayout, fit_line

    out = {}
    t = time.perf_counter()
    doc = DocumentLayout(TextLayout(text, WIDTH))
    for y in range(ROWS):
        doc.line(y)
    out["first screen"] = time.perf_counter() - t
    t = time.perf_counter()
    narrow = doc.at_width(80)
    for y in range(ROWS):
        narrow.line(y)
    out["resize"] = time.perf_counter() - t
    t = time.perf_counter()
    marks = doc.with_format_shown(True)
    for y in range(ROWS):
        marks.line(y)
    out["toggle marks"] = time.perf_counter() - t
    t = time.perf_counter()
    y, _ = doc.locate(len(text) - 1)
    doc.line(y)
    out["jump to end"] = time.perf_counter() - t
    t = time.perf_counter()
    fit_line(title_of(text), 60)
    out["title"] = time.perf_counter() - t
    return out


def measure(
    repeats: int, size: int = SIZE, log: Callable[[str], None] = lambda s: None
) -> dict[str, Any]:
    texts = inputs(size)
    samples: dict[str, dict[str, list[float]]] = {}
    for name, text in texts.items():
        log(f"long_article: {name} ({len(text.encode()):,} bytes) x{repeats}")
        _steps(text)  # warm-up: imports, ICU, caches
        runs = [_steps(text) for _ in range(repeats)]
        samples[name] = {step: [r[step] for r in runs] for step in runs[0]}
    figures: dict[str, Any] = {}
    ref = samples["3kb"]
    for name in ("arabic", "emoji", "one word"):
        for step, values in samples[name].items():
            mine = summary(values, 1000)
            peer = summary(ref[step], 1000)
            is_target = step == "first screen"
            figures[f"long_{name.replace(' ', '_')}_{step.replace(' ', '_')}"] = figure(
                mine["p50"],
                "ms",
                peer["p50"],
                target=f"p95 <= {FIRST_SCREEN_P95_MS:.0f} ms" if is_target else None,
                met=(mine["p95"] <= FIRST_SCREEN_P95_MS) if is_target else None,
                p95=mine["p95"],
                reference_p95=peer["p95"],
                n=mine["n"],
                measures=f"{step} of a {size:,}-byte one-line article ({name}); reference: 3 KB seed",
            )
    return figures


HUGE_SIZE = 67_000_000
HUGE_KEYS = ("home", "end", "pagedown")
HUGE_KEY_P100_S = 1.0
HUGE_APP_RSS_MIB = 1024.0
HUGE_CAT_RSS_RATIO = 1.5
LATIN = "the budget Reuters AFP (Beirut) said: United Nations 2026 3.5% 1,200 COVID-19".split()


def huge_article(path: Path, size: int = HUGE_SIZE, seed: int = 7) -> Path:
    """Write ``size`` bytes (about) of one line to ``path``: the bundled seeds' words in order,
    over and over, one word in ten replaced by a Latin word or a number."""
    words = [w for p in sorted(SEEDS.glob("*.txt")) for w in p.read_text("utf-8").split()]
    rng = random.Random(seed)
    parts: list[str] = []
    n = 0
    i = 0
    while n < size:
        w = words[i % len(words)]
        i += 1
        r = rng.random()
        if r < 0.07:
            w = rng.choice(LATIN)
        elif r < 0.10:
            w = str(rng.randint(0, 99_999))
        parts.append(w)
        n += len(w.encode()) + 1
    path.write_text(" ".join(parts), "utf-8")
    return path


_APP_CHILD = """
import asyncio, json, sys, time
sys.path.insert(0, sys.argv[1])
from bench.reader import _run_reader, bench_db

async def main(path, repeats):
    from hamish.tui.app import create_app
    t0 = time.perf_counter()
    app = create_app([path], db_path=bench_db())
    out = {k: [] for k in ("home", "end", "pagedown")}
    async with _run_reader(app, (100, 40)) as (pilot, painted):
        out["open"] = time.perf_counter() - t0
        view = app.screen.view
        for _ in range(repeats):
            for key in ("end", "home", "pagedown"):
                t = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                out[key].append(time.perf_counter() - t)
        out["cursor"] = list(view.cursor)
    print(json.dumps(out))

asyncio.run(main(sys.argv[2], int(sys.argv[3])))
"""


# Runs a command and says its peak RSS. A child's peak counts what its parent held when it
# forked it (the kernel keeps the high-water mark across exec): spawned from this benchmark's
# process, which holds the 67 MB article's making, each child would "peak" at that. The
# launcher is a small Python (about 10 MiB: the floor of every figure, the same for the
# reference).
_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:])
_, status, usage = os.wait4(child.pid, 0)
sys.stderr.write(f"\\nhamish-bench-peak-kib {usage.ru_maxrss}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _peak_of(args: list[str], stdout: Any = subprocess.PIPE) -> tuple[str, float, float]:
    """Run ``args``: its stdout (when piped), wall seconds and its own peak RSS in MiB."""
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args], stdout=stdout, stderr=subprocess.PIPE, text=True
    )
    wall = time.perf_counter() - t
    if proc.returncode:
        raise RuntimeError(f"{args[:3]} exited {proc.returncode}: {proc.stderr[-2000:]}")
    peak = int(proc.stderr.rsplit("hamish-bench-peak-kib ", 1)[1].split()[0])
    return proc.stdout or "", wall, peak / 1024


def measure_huge(
    repeats: int = 10, size: int = HUGE_SIZE, log: Callable[[str], None] = lambda s: None
) -> dict[str, Any]:
    """The huge-article figures (see the module docstring)."""
    root = str(Path(__file__).resolve().parent.parent)
    hamish = str(Path(sys.executable).with_name("hamish"))
    cat = [hamish] if Path(hamish).exists() else [sys.executable, "-m", "hamish.tui.cli"]
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hamish-huge-") as tmp:
        path = huge_article(Path(tmp) / "huge.txt", size)
        data = path.read_bytes()
        tenth = Path(tmp) / "tenth.txt"
        cut = len(data) // 10
        while (data[cut] & 0xC0) == 0x80:  # at a character's first byte
            cut -= 1
        tenth.write_bytes(data[:cut])
        del data
        small = Path(tmp) / "3kb.txt"
        small.write_text(inputs()["3kb"], "utf-8")
        log(
            f"huge: app on {path.stat().st_size:,} bytes and on 3 KB, {repeats} x Home, End, PageDown"
        )
        runs = {}
        for name, file in (("3kb", small), ("huge", path)):
            out, _, peak = _peak_of(
                [sys.executable, "-c", _APP_CHILD, root, str(file), str(repeats)]
            )
            runs[name] = json.loads(out) | {"peak": peak}
        app, ref = runs["huge"], runs["3kb"]
        for key in HUGE_KEYS:
            values = app[key]
            mine = summary(values, 1000)
            peer = summary(ref[key], 1000)
            worst = max(values)
            figures[f"huge_app_{key}"] = figure(
                mine["p50"],
                "ms",
                peer["p50"],
                target=f"p100 <= {HUGE_KEY_P100_S * 1000:.0f} ms",
                met=worst <= HUGE_KEY_P100_S,
                p95=mine["p95"],
                reference_p95=peer["p95"],
                p100=worst * 1000,
                n=mine["n"],
                measures=f"{key} in the reader on a {size:,}-byte one-line article "
                "(press + repaint); reference: on the 3 KB seed",
            )
        figures["huge_app_open"] = figure(
            app["open"] * 1000,
            "ms",
            ref["open"] * 1000,
            target=None,
            met=None,
            n=1,
            measures="create_app to the reader's first painted screen; reference: 3 KB",
        )
        app_peak = app["peak"]
        figures["huge_app_peak_rss"] = figure(
            app_peak,
            "MiB",
            ref["peak"],
            target=f"< {HUGE_APP_RSS_MIB:.0f} MiB",
            met=app_peak < HUGE_APP_RSS_MIB,
            n=1,
            measures="peak RSS of the app's process: open, then every key above; "
            "reference: the same on 3 KB",
        )
        log("huge: hamish cat, the file and its first tenth")
        with open(os.devnull, "w") as null:
            _, tenth_wall, tenth_peak = _peak_of([*cat, "cat", "--width", "100", str(tenth)], null)
            _, cat_wall, cat_peak = _peak_of([*cat, "cat", "--width", "100", str(path)], null)
        figures["huge_cat"] = figure(
            cat_wall,
            "s",
            tenth_wall,
            target=None,
            met=None,
            n=1,
            measures="hamish cat --width 100 of the whole file > /dev/null; reference: its tenth",
        )
        figures["huge_cat_peak_rss"] = figure(
            cat_peak,
            "MiB",
            tenth_peak,
            target=f"ratio <= {HUGE_CAT_RSS_RATIO}",
            met=cat_peak <= HUGE_CAT_RSS_RATIO * tenth_peak,
            n=1,
            measures="peak RSS of hamish cat on the whole file; reference: on its first tenth",
        )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.long_article", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="2 repeats instead of 7")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--huge", action="store_true", help="only the 67 MB article's figures")
    args = parser.parse_args(argv)
    log = lambda s: print(s, file=sys.stderr)  # noqa: E731
    if args.huge:
        figures = measure_huge(3 if args.quick else 10, log=log)
    else:
        figures = measure(2 if args.quick else 7, log=log)
    print(table(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if all(f["met"] is not False for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
