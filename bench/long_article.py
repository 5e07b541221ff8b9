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

    python -m bench.long_article [--quick] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.long_article", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="2 repeats instead of 7")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    figures = measure(2 if args.quick else 7, log=lambda s: print(s, file=sys.stderr))
    print(table(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0 if all(f["met"] is not False for f in figures.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
