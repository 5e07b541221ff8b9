"""Benchmark: durable AnnotationStore.add against a large store, next to a plain TinyDB insert.

    python -m bench.store_add            # 100,000 annotations, 2,000 in the open article
    python -m bench.store_add --quick    # small sizes, a few seconds

``run()`` is importable and returns the figures as a dict; ``python -m bench`` calls
``measure()`` on its own inputs (random word-aligned annotations of 1,000 generated articles)
and ``figures()``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from hamish.store.annotations import DEFAULT_FOLD_BYTES, Annotation, AnnotationStore

LABELS = ["PER", "LOC", "ORG", "EVENT", "QUOTE", "DATE"]
WORDS = [
    "الحكومة",
    "وزير",
    "الخارجية",
    "بيروت",
    "القاهرة",
    "الأمم",
    "المتحدة",
    "قال",
    "اليوم",
    "مجلس",
]
SHA = "0" * 64
ADD_P95_TARGET_MS = 5.0
WORST_ADD_TARGET_MS = 20.0  # no keypress waits on a fold or a full collection


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def _make_annotations(
    n_annotations: int, n_in_article: int, rng: random.Random
) -> list[Annotation]:
    now = datetime.now(UTC).isoformat(timespec="microseconds")
    anns = []
    for i in range(n_annotations):
        doc = f"article-{i // n_in_article:05d}"
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
        start = rng.randint(0, 20_000)
        anns.append(
            Annotation(
                id=uuid.UUID(int=rng.getrandbits(128)).hex,
                doc_id=doc,
                start=start,
                end=start + len(text),
                label=rng.choice(LABELS),
                text=text,
                sha256=SHA,
                annotator="bench",
                note=None if rng.random() < 0.8 else "ملاحظة قصيرة",
                created=now,
                updated=now,
            )
        )
    return anns


def _plain_tinydb(anns: list[Annotation], directory: Path, samples: int) -> dict[str, list[float]]:
    """A plain TinyDB file holding the same records: ``samples`` inserts (its JSONStorage
    rewrites, and fsyncs, the whole file on every insert) and ``samples`` opens (``TinyDB(path)``
    plus reading every record of the table)."""
    plain_path = directory / "plain.json"
    plain = TinyDB(plain_path, encoding="utf-8")
    table = plain.table("annotations")
    table.insert_multiple(a.to_dict() for a in anns)
    inserts = []
    for i in range(samples):
        rec = anns[i].to_dict() | {"id": uuid.uuid4().hex}
        t = time.perf_counter()
        table.insert(rec)
        inserts.append((time.perf_counter() - t) * 1e3)
    plain.close()
    del plain, table
    gc.collect()
    opens = []
    for _ in range(samples):
        t = time.perf_counter()
        db = TinyDB(plain_path, encoding="utf-8")
        n = len(db.table("annotations").all())
        opens.append((time.perf_counter() - t) * 1e3)
        db.close()
        del db
        gc.collect()
    assert n == len(anns) + samples
    plain_path.unlink()
    return {"insert_ms": inserts, "open_ms": opens}


def _measure_stall(
    path: Path,
    doc: str,
    spans: list[tuple[int, int, str]],
    sha256: str,
    adds: int,
    rng: random.Random,
    fold_bytes: int = DEFAULT_FOLD_BYTES,
) -> dict[str, Any]:
    """``adds`` consecutive durable adds to a freshly opened writer, enough that the journal
    passes ``fold_bytes`` and a fold starts during them: every add timed, the worst included
    (what a keypress waits for: the fold, the collector's full collections)."""
    gc.collect()
    db = AnnotationStore(path, fold_bytes=fold_bytes)
    times = []
    folds = 0
    journal = db._jsize
    for _ in range(adds):
        start, end, text = rng.choice(spans)
        t = time.perf_counter()
        db.add(doc, start, end, rng.choice(LABELS), text=text, sha256=sha256)
        times.append((time.perf_counter() - t) * 1e3)
        folds += db._jsize < journal  # the journal was emptied: a fold ended
        journal = db._jsize
    db.close()
    ordered = sorted(times)
    return {
        "stall_adds": adds,
        "stall_folds": folds,  # folds that ended during the adds
        "stall_ms": times,
        "stall_p50_ms": statistics.median(times),
        "stall_p99_ms": _percentile(ordered, 0.99),
        "stall_max_ms": ordered[-1],
        "stall_over_20ms": sum(t > WORST_ADD_TARGET_MS for t in times),
    }


def _measure_store(
    path: Path,
    doc: str,
    spans: list[tuple[int, int, str]],
    sha256: str,
    samples: int,
    rng: random.Random,
) -> dict[str, Any]:
    """Open ``path`` read-only and for writing, then time ``samples`` durable adds to ``doc``
    (each a random one of ``spans``: (start, end, text)), and the closing fold."""
    gc.collect()
    t0 = time.perf_counter()
    ro = AnnotationStore(path, readonly=True)
    open_readonly_s = time.perf_counter() - t0
    ro.close()
    del ro
    gc.collect()

    t0 = time.perf_counter()
    db = AnnotationStore(path)
    open_s = time.perf_counter() - t0
    in_article_before = len(db.annotations(doc))
    times = []
    for _ in range(samples):
        start, end, text = rng.choice(spans)
        label = rng.choice(LABELS)
        t = time.perf_counter()
        db.add(doc, start, end, label, text=text, sha256=sha256)
        times.append((time.perf_counter() - t) * 1e3)
    in_article = len(db.annotations(doc))
    journal_kb = db.journal_path.stat().st_size / 1e3
    t0 = time.perf_counter()
    db.close()
    close_fold_s = time.perf_counter() - t0
    return {
        "in_article_before": in_article_before,
        "in_article_after": in_article,
        "samples": samples,
        "open_s": open_s,
        "open_readonly_s": open_readonly_s,
        "add_ms": times,
        "add_p50_ms": statistics.median(times),
        "add_p95_ms": _percentile(times, 0.95),
        "add_max_ms": max(times),
        "journal_kb": round(journal_kb, 1),
        "close_fold_s": close_fold_s,
        "adds_per_fold": int(DEFAULT_FOLD_BYTES / (journal_kb * 1e3 / samples)),
    }


def run(
    n_annotations: int = 100_000,
    n_in_article: int = 2_000,
    samples: int = 2_000,
    tinydb_samples: int = 5,
    directory: str | os.PathLike[str] | None = None,
    seed: int = 1,
) -> dict[str, Any]:
    """Build a store of ``n_annotations`` (``n_in_article`` per article), then time ``samples``
    durable adds to one article, the open, the closing fold, and ``tinydb_samples`` inserts into
    a plain TinyDB file holding the same records. Times in ms unless the key says _s."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="hamish-bench-", dir=directory) as tmp:
        path = Path(tmp) / "annotations.json"
        anns = _make_annotations(n_annotations, n_in_article, rng)
        plain = _plain_tinydb(anns, Path(tmp), tinydb_samples)

        t0 = time.perf_counter()
        with AnnotationStore(path) as db:
            db.restore_many(anns)
        build_s = time.perf_counter() - t0
        file_mb = path.stat().st_size / 1e6
        doc = anns[0].doc_id
        del anns, db  # a freshly started Hamish holds none of this
        spans = []
        for _ in range(samples):
            text = rng.choice(WORDS)
            start = rng.randint(0, 20_000)
            spans.append((start, start + len(text), text))
        r = _measure_store(path, doc, spans, SHA, samples, rng)
    r.pop("add_ms")
    return {
        "n_annotations": n_annotations,
        "n_in_article": n_in_article,
        "file_mb": round(file_mb, 1),
        "build_s": build_s,
        **r,
        "tinydb_samples": tinydb_samples,
        "tinydb_insert_p50_ms": statistics.median(plain["insert_ms"]),
        "tinydb_insert_max_ms": max(plain["insert_ms"]),
        "tinydb_open_p50_ms": statistics.median(plain["open_ms"]),
    }


def measure(
    inputs: Any,
    samples: int = 2_000,
    tinydb_samples: int = 5,
    seed: int = 1,
    log: Any = lambda s: None,
    stall_adds: int = 30_000,
    stall_fold_bytes: int = DEFAULT_FOLD_BYTES,
) -> dict[str, Any]:
    """``run`` on ``python -m bench``'s inputs (``bench.inputs.Inputs``): its store of random
    word-aligned annotations (2,000 in ``bench_0000``), adds of random words of that article."""
    rng = random.Random(seed)
    article = inputs.corpus[0]
    anns = inputs.annotations
    log(f"store: plain TinyDB with {len(anns):,} records, {tinydb_samples} inserts and opens")
    plain = _plain_tinydb(anns, inputs.directory, tinydb_samples)
    path = inputs.store_copy("store-add")
    spans = [(s, e, article.text[s:e]) for s, e in article.words]
    log(f"store: open + {samples:,} durable adds")
    r = _measure_store(path, article.id, spans, article.sha256, samples, rng)
    log(f"store: {stall_adds:,} consecutive durable adds, through a fold")
    r |= _measure_stall(
        path, article.id, spans, article.sha256, stall_adds, rng, fold_bytes=stall_fold_bytes
    )
    r |= {
        "n_annotations": len(anns),
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "tinydb_insert_ms": plain["insert_ms"],
        "tinydb_open_ms": plain["open_ms"],
    }
    shutil.rmtree(path.parent, ignore_errors=True)
    return r


def figures(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    from bench.common import figure, summary

    add = summary(r["add_ms"])
    stall = summary(r["stall_ms"]) if "stall_ms" in r else None
    ins = summary(r["tinydb_insert_ms"])
    opens = summary(r["tinydb_open_ms"])
    size = f"{r['n_annotations']:,} annotations ({r['in_article_before']:,} in the article), {r['file_mb']} MB"
    return {
        "store_add": figure(
            add["p50"],
            "ms",
            ins["p50"],
            target=f"p95 <= {ADD_P95_TARGET_MS:g} ms",
            met=add["p95"] <= ADD_P95_TARGET_MS,
            p95=add["p95"],
            reference_p95=ins["p95"],
            p100=add["max"],
            n=add["n"],
            reference_n=ins["n"],
            measures=f"durable AnnotationStore.add (fsync'd journal) with {size}; "
            "reference: a plain TinyDB insert into a file of the same records",
        ),
        **(
            {
                "store_add_worst": figure(
                    stall["max"],
                    "ms",
                    ins["p50"],
                    target=f"p100 <= {WORST_ADD_TARGET_MS:g} ms",
                    met=stall["max"] <= WORST_ADD_TARGET_MS,
                    p99=r["stall_p99_ms"],
                    n=stall["n"],
                    folds=r["stall_folds"],
                    over_20ms=r["stall_over_20ms"],
                    p50=stall["p50"],
                    measures=f"the worst (p100) of {stall['n']:,} "
                    f"consecutive durable adds with {size}, {r['stall_folds']} fold(s) of the "
                    "journal ended during them; reference: a plain TinyDB insert",
                )
            }
            if stall is not None
            else {}
        ),
        "store_open": figure(
            r["open_s"] * 1e3,
            "ms",
            opens["p50"],
            target=None,
            met=None,
            n=1,
            reference_n=opens["n"],
            measures=f"AnnotationStore(path) for writing, {size}; reference: TinyDB(path) + reading "
            "every record of the same-size plain file",
        ),
    }


def format_table(r: dict[str, Any]) -> str:
    rows = [
        (
            "store size",
            f"{r['n_annotations']:,} annotations, {r['n_in_article']:,} in the article, {r['file_mb']} MB",
        ),
        ("durable add p50", f"{r['add_p50_ms']:.3f} ms  ({r['samples']} samples)"),
        ("durable add p95", f"{r['add_p95_ms']:.3f} ms  (target <= 5 ms)"),
        ("durable add max", f"{r['add_max_ms']:.3f} ms"),
        (
            "plain TinyDB insert p50",
            f"{r['tinydb_insert_p50_ms']:.1f} ms  ({r['tinydb_samples']} samples, max {r['tinydb_insert_max_ms']:.1f} ms)",
        ),
        ("open (writer)", f"{r['open_s'] * 1e3:.0f} ms"),
        ("open (readonly)", f"{r['open_readonly_s'] * 1e3:.0f} ms"),
        (
            "close (fold of the journal)",
            f"{r['close_fold_s'] * 1e3:.0f} ms  (journal {r['journal_kb']} kB)",
        ),
        (
            "automatic fold",
            f"every ~{r['adds_per_fold']:,} adds (journal > {DEFAULT_FOLD_BYTES // 2**20} MiB); that add takes about the close time",
        ),
        ("build (restore_many + fold)", f"{r['build_s']:.2f} s"),
    ]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.store_add", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (5,000 annotations)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--dir", default=None, help="where to create the temporary stores")
    args = parser.parse_args(argv)
    if args.quick:
        r = run(5_000, 500, samples=300, tinydb_samples=3, directory=args.dir)
    else:
        r = run(directory=args.dir)
    print(format_table(r))
    if args.json:
        print(json.dumps(r, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
