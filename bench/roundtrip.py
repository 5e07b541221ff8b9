"""Benchmark: a backup's round trip at 50,000 spans: export (format hamish) -> import into an
empty store -> export again, which must give the same bytes.

    python -m bench.roundtrip            # 500 articles x 100 spans = 50,000
    python -m bench.roundtrip --quick    # 100 articles x 50 spans = 5,000

The articles and spans are bench.export's (random word spans, some with notes); on top, every
tenth span gets a twin on the same span, label and annotator with another note (two annotations
that only an id tells apart), and every fourth article a done mark and a reading position.
Reported: the file's size, the time of each step, and whether the second export is identical
(and holds every annotation and state). No target but identity: the times are figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from hamish.store.annotations import AnnotationStore
from hamish.store.export import export_to_path
from hamish.store.importer import import_annotations

from .export import make_annotations, make_corpus


def run(quick: bool = False, directory: str | None = None) -> dict[str, Any]:
    n_articles, per_article = (100, 50) if quick else (500, 100)
    rng = random.Random(17)
    corpus = make_corpus(n_articles)
    anns = make_annotations(corpus, per_article - per_article // 10, rng)
    twins = [
        dataclasses.replace(a, id=f"{a.id[:-4]}twin", note=f"ملاحظة أخرى {n}")
        for n, a in enumerate(anns[::9][: len(corpus) * per_article - len(anns)])
    ]
    anns += twins
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        root = Path(tmp)
        db = root / "db" / "annotations.json"
        with AnnotationStore(db) as store:
            store.restore_many(
                anns,
                states={
                    a.id: {"cursor": 10 + i, "done": i % 2 == 0}
                    for i, a in enumerate(corpus)
                    if i % 4 == 0
                },
            )
        t = time.perf_counter()
        first = export_to_path(corpus, db, root / "first.jsonl")
        t_export = time.perf_counter() - t
        fresh = root / "fresh" / "annotations.json"
        t = time.perf_counter()
        summary = import_annotations(root / "first.jsonl", corpus, fresh)
        t_import = time.perf_counter() - t
        t = time.perf_counter()
        export_to_path(corpus, fresh, root / "second.jsonl")
        t_second = time.perf_counter() - t
        a, b = (root / "first.jsonl").read_bytes(), (root / "second.jsonl").read_bytes()
        with AnnotationStore(fresh, readonly=True) as store:
            restored, states = len(store), len(store.article_states())
    return {
        "articles": n_articles,
        "spans": len(anns),
        "twins": len(twins),
        "exported": first.spans,
        "imported": summary.added,
        "restored": restored,
        "states": states,
        "bytes": len(a),
        "sha256": hashlib.sha256(a).hexdigest(),
        "identical": a == b,
        "export_s": round(t_export, 3),
        "import_s": round(t_import, 3),
        "second_export_s": round(t_second, 3),
    }


def format_table(r: dict[str, Any]) -> str:
    rows = [
        ("spans (twins on one span)", f"{r['spans']:,} ({r['twins']:,})"),
        (
            "exported / imported / in the new store",
            f"{r['exported']:,} / {r['imported']:,} / {r['restored']:,}",
        ),
        ("article states restored", f"{r['states']:,}"),
        ("file", f"{r['bytes']:,} bytes"),
        ("export", f"{r['export_s']:.2f} s"),
        ("import into an empty store", f"{r['import_s']:.2f} s"),
        ("export again", f"{r['second_export_s']:.2f} s"),
        ("second export identical", "yes" if r["identical"] else "NO"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.roundtrip", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--quick", action="store_true", help="100 articles x 50 spans")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--dir", default=None)
    args = parser.parse_args(argv)
    r = run(quick=args.quick, directory=args.dir)
    print(format_table(r))
    if args.json:
        print(json.dumps(r, indent=2))
    return 0 if r["identical"] and r["restored"] == r["spans"] else 1


if __name__ == "__main__":
    sys.exit(main())
