"""``hamish export``: write the annotations as JSONL, brat standoff files, Label Studio tasks,
UIMA CAS XMI (INCEpTION) or a spaCy DocBin."""

from __future__ import annotations

import argparse
import io
import os
import sys
from collections.abc import Sequence
from typing import Any

from hamish.store import Corpus
from hamish.store.export import (
    DIRECTORY_FORMATS,
    FORMATS,
    OFFSETS,
    SPACY_ALIGNMENTS,
    ExportSummary,
    export,
    export_to_path,
)

from .common import Progress, add_store_options, err, guarded, load_corpus_or_say_why


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="hamish export",
        description=(
            "Write the annotations as JSONL, one line per article that has any, in id order; "
            "or as brat standoff files, Label Studio tasks or UIMA CAS XMI (a directory each), "
            "or a spaCy DocBin. Offsets are what each format's tool counts: Unicode code point "
            "indices into the article's text, end exclusive, as Python counts them, except "
            "doccano's (UTF-16 code units, as its editor counts them)."
        ),
    )
    add_store_options(result)
    result.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write (default: stdout); for brat, labelstudio and xmi a directory, "
        "for spacy a .spacy file",
    )
    result.add_argument("--format", choices=FORMATS, default="hamish", help="default: hamish")
    result.add_argument(
        "--offsets",
        choices=OFFSETS,
        default=None,
        help="codepoint (Python, brat, Label Studio) or utf16 (JavaScript tools); default: what "
        "the format's tool counts (doccano: utf16, the others: codepoint)",
    )
    result.add_argument(
        "--labels",
        metavar="FILE",
        dest="labels_file",
        help="the labels TOML file the app uses (hamish --labels): brat's and Label Studio's "
        "configurations list every label in it, with its colour (default: claim, agreement, "
        "quote), and every label in use",
    )
    result.add_argument(
        "--align",
        choices=SPACY_ALIGNMENTS,
        default="expand",
        help="spacy: a span that does not fall on token boundaries grows to the tokens it "
        "touches (expand, default), shrinks to the tokens inside it (contract; one inside no "
        "whole token is left out, counted), or stops the export (strict); each is reported",
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
    if args.format in DIRECTORY_FORMATS and not args.output:
        err(prog, f"format {args.format} writes a directory of files: give it with -o DIR")
        return 2
    if args.format == "spacy" and not args.output:
        err(prog, "format spacy writes a binary DocBin: give the file with -o FILE.spacy")
        return 2
    label_set = _label_set(prog, args.labels_file)
    if label_set is None:
        return 1
    corpus = load_corpus_or_say_why(prog, args.corpus)
    if corpus is None:
        return 1
    progress = Progress("exporting")
    options = dict(
        label_set=label_set,
        align=args.align,
        fmt=args.format,
        offsets=args.offsets,
        annotator=args.annotator,
        labels=args.label,
        done_only=args.done,
        include_all=args.include_all,
        progress=progress,
    )

    def work() -> ExportSummary | None:
        if args.output and (args.format in DIRECTORY_FORMATS or args.format == "spacy"):
            return export(corpus, args.db, args.output, **options)
        if args.output:
            return export_to_path(corpus, args.db, args.output, **options)
        return _export_to_stdout(corpus, args.db, options)

    summary, status = guarded(prog, progress, work)
    if summary is None:
        return status or 1  # (None and no status: the reader of our stdout went away, `| head`)
    for warning in summary.warnings:
        err(prog, f"warning: {warning}")
        if warning.endswith("for example:"):
            for example in summary.examples:
                err(prog, f"  {example}")
    err(prog, summary.describe())
    return 0


def _label_set(prog: str, path: str | None) -> list[tuple[str, str | None]] | None:
    """The configured labels as (name, colour): the file's, or the app's defaults. None (after
    saying why) if the file cannot be used."""
    from hamish.tui.labels import DEFAULT_LABELS, LabelsError, load_labels

    if path is None:
        return [(label.name, label.color) for label in DEFAULT_LABELS]
    try:
        labels = load_labels(path)
    except LabelsError as e:
        err(prog, str(e))
        return None
    return [(label.name, label.color) for label in labels]


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
