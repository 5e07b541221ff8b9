"""``hamish suggest``: the suggesters' spans for every article, as JSONL in the hamish export
shape, each span saying where it came from (``origin``) and why (``why``)."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

from hamish.store import AnnotationStore, Article, StoreError
from hamish.store.durable import atomic_file
from hamish.store.export import write_jsonl
from hamish.tui.suggest import Patterns, PatternsError, Suggesters, unanswered

from .common import err, load_corpus_or_say_why

PROG = "hamish suggest"


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "Suggest spans for every article: quotations found from their quotation marks "
            "(names and terms in quotation marks left out), and the matches of a patterns file "
            "(Prodigy / spaCy EntityRuler JSONL). Writes JSONL in the shape of `hamish export` "
            "(id, text, meta, spans with start, end, label, text), each span with its origin. "
            "Nothing is written to the annotation store: the reader shows the same suggestions "
            "to accept or reject."
        ),
    )
    result.add_argument(
        "--corpus",
        metavar="PATH",
        nargs="+",
        action="extend",
        default=None,
        help="directories of .txt files, .txt files, .jsonl corpora (default: the bundled "
        "articles); may be repeated",
    )
    result.add_argument(
        "--patterns",
        metavar="FILE",
        action="append",
        default=[],
        help='a JSONL patterns file, one {"label": ..., "pattern": ...} a line (may be repeated)',
    )
    result.add_argument(
        "--no-quotes", action="store_true", help="no quotation suggestions (patterns only)"
    )
    result.add_argument(
        "--quote-label",
        metavar="LABEL",
        default="quote",
        help="the label of quotation suggestions (default: quote)",
    )
    result.add_argument("-o", "--output", metavar="FILE", help="where to write (default: stdout)")
    result.add_argument("--all", action="store_true", help="also the articles with no suggestion")
    result.add_argument(
        "--db",
        metavar="PATH",
        help="an annotation store: leave out what was rejected there, and what its annotations "
        "already answer (what the reader would still show)",
    )
    return result


def records(
    articles: Iterable[Article],
    suggesters: Suggesters,
    include_all: bool = False,
    store: AnnotationStore | None = None,
) -> Iterator[dict[str, Any]]:
    for article in articles:
        if store is None:
            found = suggesters.suggest(article.text)
        else:
            found = unanswered(
                suggesters.suggest(article.text, store.rejected(article.id)),
                store.annotations(article.id),
            )
        spans = [s.to_span() for s in found]
        if spans or include_all:
            yield {
                "id": article.id,
                "text": article.text,
                "meta": {
                    "title": article.title,
                    "source": article.source,
                    "sha256": article.sha256,
                },
                "spans": spans,
            }


def _write_file(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    """Atomically: a reader never sees half a file, a failure leaves an old one as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_file(path) as raw:
        f = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        write_jsonl(rows, f)
        f.flush()
        f.detach()


def _write_stdout(rows: Iterable[dict[str, Any]]) -> None:
    out: TextIO = sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        import io

        out = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n", write_through=True)
    try:
        write_jsonl(rows, out)
        out.flush()
    finally:
        if out is not sys.stdout and hasattr(out, "detach"):
            out.detach()


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(list(argv))
    try:
        patterns = [Patterns.load(p) for p in args.patterns]
    except PatternsError as e:
        err(PROG, str(e))
        return 1
    corpus = load_corpus_or_say_why(PROG, args.corpus)
    if corpus is None:
        return 1
    suggesters = Suggesters(
        quotes=not args.no_quotes, quote_label=args.quote_label, patterns=patterns
    )
    store = None
    if args.db:
        from hamish.store.export import open_store_readonly

        try:
            store, _ = open_store_readonly(args.db)
        except StoreError as e:
            err(PROG, str(e))
            return 1
    try:
        rows = list(records(corpus, suggesters, args.all, store))
    finally:
        if store is not None:
            store.close()
    count = sum(len(r["spans"]) for r in rows)
    try:
        if args.output:
            _write_file(Path(args.output).expanduser(), rows)
        else:
            _write_stdout(rows)
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
    except OSError as e:
        err(PROG, f"cannot write {args.output}: {e.strerror or e}")
        return 1
    except KeyboardInterrupt:
        err(PROG, "interrupted")
        return 130
    where = f" to {args.output}" if args.output else ""
    err(PROG, f"{count} suggestion(s) in {len(rows)} article(s) of {len(corpus)}{where}")
    return 0
