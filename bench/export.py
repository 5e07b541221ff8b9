"""Benchmark: exporting 100,000 annotations over 1,000 articles, next to plain json.dumps.

    python -m bench.export            # 1,000 articles, 100,000 annotations, 9 repeats
    python -m bench.export --quick    # 200 articles, 10,000 annotations, 3 repeats

The articles are the five seeds, each copy made distinct (a numbered first line, paragraphs
rotated); the annotations are random word-aligned spans of one to three words (some with a
note), put in a temporary store with ``restore_many``. Then, side by side in one run and
alternating, repeat after repeat:

- **export**: ``store.export.export(corpus, store, file)`` in format hamish, from the store open
  read-only (what ``hamish export`` does once the store is read, and what the app's ``e`` does);
- **reference**: the very records that export writes, built beforehand, written with
  ``f.write(json.dumps(record, ensure_ascii=False) + "\\n")`` in a loop: pure serialisation and
  writing, no store, no placement, no building of dicts.

Target: median export time at most twice the reference's. Also reported, without a target:
the whole ``hamish export`` path (opening the store read-only, then exporting).

``run()`` is importable (``python -m bench`` calls it) and returns the figures as a dict.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hamish.store.annotations import Annotation, AnnotationStore
from hamish.store.corpus import Corpus, article_from_bytes, load_corpus
from hamish.store.export import export, export_records

LABELS = ["PER", "LOC", "ORG", "EVENT", "QUOTE", "DATE"]
ANNOTATORS = ["amal", "omar", "lina"]
NOTES = ["ملاحظة قصيرة", "يحتاج إلى مراجعة", "اسم مركب"]
TARGET_RATIO = 2.0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def make_corpus(n_articles: int) -> Corpus:
    """``n_articles`` distinct articles made from the seeds."""
    seeds = [a.text for a in load_corpus(None)]
    articles = []
    for i in range(n_articles):
        paragraphs = seeds[i % len(seeds)].split("\n")
        k = (i // len(seeds)) % len(paragraphs)
        text = f"مقال رقم {i + 1}\n" + "\n".join(paragraphs[k:] + paragraphs[:k])
        articles.append(article_from_bytes(f"article-{i:05d}", text.encode("utf-8"), f"bench/{i}"))
    return Corpus(articles)


def make_annotations(corpus: Corpus, per_article: int, rng: random.Random) -> list[Annotation]:
    start_time = datetime(2024, 1, 1, tzinfo=UTC)
    anns = []
    for article in corpus:
        words = [m.span() for m in re.finditer(r"\S+", article.text)]
        for _ in range(per_article):
            i = rng.randrange(len(words))
            j = min(len(words) - 1, i + rng.randint(0, 2))
            start, end = words[i][0], words[j][1]
            when = (start_time + timedelta(seconds=rng.randrange(10**7))).isoformat(
                timespec="microseconds"
            )
            anns.append(
                Annotation(
                    id=uuid.UUID(int=rng.getrandbits(128)).hex,
                    doc_id=article.id,
                    start=start,
                    end=end,
                    label=rng.choice(LABELS),
                    text=article.text[start:end],
                    sha256=article.sha256,
                    annotator=rng.choice(ANNOTATORS),
                    note=rng.choice(NOTES) if rng.random() < 0.2 else None,
                    created=when,
                    updated=when,
                )
            )
    return anns


def _time_export(corpus: Corpus, store: AnnotationStore, path: Path) -> float:
    gc.collect()
    t = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        export(corpus, store, f)
    return time.perf_counter() - t


def _time_reference(records: list[dict[str, Any]], path: Path) -> float:
    dumps = json.dumps
    gc.collect()
    t = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(dumps(record, ensure_ascii=False) + "\n")
    return time.perf_counter() - t


def _time_end_to_end(corpus: Corpus, db: Path, path: Path) -> float:
    gc.collect()
    t = time.perf_counter()
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        export(corpus, db, f)  # opens the store read-only, as `hamish export` does
    return time.perf_counter() - t


def run(
    quick: bool = False,
    *,
    n_articles: int | None = None,
    per_article: int | None = None,
    repeats: int | None = None,
    directory: str | os.PathLike[str] | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    """The export figure (and the end-to-end one), as ``python -m bench`` wants them."""
    n_articles = n_articles or (200 if quick else 1_000)
    per_article = per_article or (50 if quick else 100)
    repeats = repeats or (3 if quick else 9)
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="hamish-bench-export-", dir=directory) as tmp:
        tmp = Path(tmp)
        corpus = make_corpus(n_articles)
        db = tmp / "annotations.json"
        with AnnotationStore(db) as writer:
            writer.restore_many(make_annotations(corpus, per_article, rng))
        n_annotations = n_articles * per_article
        mine_path, ref_path = tmp / "export.jsonl", tmp / "reference.jsonl"
        with AnnotationStore(db, readonly=True) as store:
            records = list(export_records(corpus, store))
            _time_export(corpus, store, mine_path)  # warm up both
            _time_reference(records, ref_path)
            mine, ref = [], []
            for i in range(repeats):
                if i % 2:  # alternate which goes first
                    ref.append(_time_reference(records, ref_path))
                    mine.append(_time_export(corpus, store, mine_path))
                else:
                    mine.append(_time_export(corpus, store, mine_path))
                    ref.append(_time_reference(records, ref_path))
        # Same content: the reference writes what export writes (but for the escaping of U+2028
        # and friends, which these articles do not contain).
        assert mine_path.read_bytes() == ref_path.read_bytes(), "reference and export differ"
        file_mb = mine_path.stat().st_size / 1e6
        del records
        e2e = [_time_end_to_end(corpus, db, mine_path) for _ in range(max(1, repeats // 3))]

    value, reference = statistics.median(mine), statistics.median(ref)
    ratio = value / reference
    return {
        "export": {
            "value": value,
            "unit": "s",
            "reference": reference,
            "ratio": ratio,
            "target": f"ratio <= {TARGET_RATIO:g}",
            "met": ratio <= TARGET_RATIO,
            "p95": _percentile(mine, 0.95),
            "reference_p95": _percentile(ref, 0.95),
            "ratio_p95": _percentile(mine, 0.95) / _percentile(ref, 0.95),
            "n": repeats,
            "articles": n_articles,
            "annotations": n_annotations,
            "file_mb": round(file_mb, 1),
            "measures": (
                f"export of {n_annotations:,} annotations over {n_articles:,} articles (hamish "
                f"JSONL, {file_mb:.1f} MB) from the store open read-only, against json.dumps of "
                "the same records in a loop"
            ),
        },
        "export_end_to_end": {
            "value": statistics.median(e2e),
            "unit": "s",
            "reference": reference,
            "ratio": statistics.median(e2e) / reference,
            "target": None,
            "met": None,
            "n": len(e2e),
            "measures": "the same export, opening the store read-only first (hamish export)",
        },
    }


def format_table(r: dict[str, Any]) -> str:
    e, w = r["export"], r["export_end_to_end"]
    rows = [
        (
            "size",
            f"{e['annotations']:,} annotations over {e['articles']:,} articles, {e['file_mb']} MB of JSONL",
        ),
        (
            "export (store open)",
            f"median {e['value'] * 1e3:.0f} ms, p95 {e['p95'] * 1e3:.0f} ms  ({e['n']} repeats)",
        ),
        (
            "json.dumps loop",
            f"median {e['reference'] * 1e3:.0f} ms, p95 {e['reference_p95'] * 1e3:.0f} ms",
        ),
        (
            "ratio (medians)",
            f"{e['ratio']:.2f}  (target <= {TARGET_RATIO:g}: {'met' if e['met'] else 'NOT met'}); p95 ratio {e['ratio_p95']:.2f}",
        ),
        (
            "with opening the store",
            f"median {w['value'] * 1e3:.0f} ms  ({w['ratio']:.2f}x the json.dumps loop; no target)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.export", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="200 articles, 10,000 annotations, 3 repeats"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--dir", default=None, help="where to create the temporary store and files")
    args = parser.parse_args(argv)
    r = run(quick=args.quick, directory=args.dir)
    print(format_table(r))
    if args.json:
        print(json.dumps(r, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
