"""``hamish export``: write the annotations as JSONL (or brat standoff files)."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

from hamish.store import Corpus
from hamish.store.export import FORMATS, OFFSETS, ExportSummary, export, export_to_path

from .common import Progress, add_store_options, err, guarded, load_corpus_or_say_why


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="hamish export",
        description=(
            "Write the annotations as JSONL, one line per article that has any, in id order "
            "(or as brat standoff files). Offsets are Unicode code point indices into the "
            "article's text, end exclusive, as Python and spaCy count them."
        ),
    )
    add_store_options(result)
    result.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write (default: stdout); for --format brat, a directory",
    )
    result.add_argument("--format", choices=FORMATS, default="hamish", help="default: hamish")
    result.add_argument(
        "--offsets",
        choices=OFFSETS,
        default="codepoint",
        help="codepoint (Python, spaCy; default) or utf16 (JavaScript tools)",
    )
    result.add_argument(
        "--annotator",
        metavar="NAME",
        action="append",
        help="only spans by this annotator (may be repeated)",
    )
    result.add_argument(
        "--label", metavar="L", action="append", help="only spans with this label (may be repeated)"
    )
    result.add_argument("--done", action="store_true", help="only articles marked done")
    result.add_argument(
        "--all",
        action="store_true",
        dest="include_all",
        help="also the articles that have no annotations",
    )
    return result


def main(argv: Sequence[str]) -> int:
    prog = "hamish export"
    args = parser().parse_args(list(argv))
    if args.format == "brat" and not args.output:
        err(prog, "format brat writes a directory of files: give it with -o DIR")
        return 2
    corpus = load_corpus_or_say_why(prog, args.corpus)
    if corpus is None:
        return 1
    progress = Progress("exporting")
    options = dict(
        fmt=args.format,
        offsets=args.offsets,
        annotator=args.annotator,
        labels=args.label,
        done_only=args.done,
        include_all=args.include_all,
        progress=progress,
    )

    def work() -> ExportSummary | None:
        if args.output and args.format == "brat":
            return export(corpus, args.db, args.output, **options)
        if args.output:
            return export_to_path(corpus, args.db, args.output, **options)
        return _export_to_stdout(corpus, args.db, options)

    summary, status = guarded(prog, progress, work)
    if summary is None:
        return status or 1  # (None and no status: the reader of our stdout went away, `| head`)
    for warning in summary.warnings:
        err(prog, f"warning: {warning}")
    err(prog, summary.describe())
    return 0


def _export_to_stdout(
    corpus: Corpus, db: str | None, options: dict[str, Any]
) -> ExportSummary | None:
    stdout = sys.stdout
    buffer = getattr(stdout, "buffer", None)
    out = io.TextIOWrapper(buffer, encoding="utf-8", newline="\n") if buffer is not None else stdout
    try:
        stdout.flush()
        summary = export(corpus, db, out, **options)
        out.flush()
        return summary
    except BrokenPipeError:
        # Point stdout at /dev/null so that Python's own flush at exit does not complain.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stdout.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):
            pass
        return None
    finally:
        if out is not stdout and isinstance(out, io.TextIOWrapper):
            try:
                out.detach()
            except (ValueError, OSError):
                pass
