"""``hamish import``: read annotations into the store, all or nothing."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from hamish.store.export import OFFSETS
from hamish.store.importer import IMPORT_FORMATS, ImportRejected, ImportSummary, import_annotations
from hamish.tui.display import for_stderr

from .common import Progress, add_store_options, err, guarded, load_corpus_or_say_why


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="hamish import",
        description=(
            "Read annotations from hamish, Prodigy or doccano JSONL, or a Label Studio JSON "
            "export, into the store. Every record is checked against its article first; a file "
            "with any bad record is rejected whole (each problem reported as FILE:LINE) and the "
            "store is left untouched. An annotation with an id (format hamish) is the same "
            "annotation when imported again: skipped if unchanged, updated if the file's is newer; "
            "other spans already in the store are skipped, so importing twice adds nothing."
        ),
    )
    result.add_argument("file", metavar="FILE", help="the JSONL or JSON file ('-': standard input)")
    add_store_options(result)
    result.add_argument(
        "--format", choices=IMPORT_FORMATS, default=None, help="default: told from the first record"
    )
    result.add_argument(
        "--offsets",
        choices=OFFSETS,
        default=None,
        help="the file's offsets (default: what the file says; without that, codepoint, but "
        "utf16 for doccano, as doccano counts)",
    )
    result.add_argument(
        "--annotator",
        metavar="NAME",
        default=None,
        help="annotator of spans that do not name one (default: your login name)",
    )
    return result


def main(argv: Sequence[str]) -> int:
    prog = "hamish import"
    args = parser().parse_args(list(argv))
    corpus = load_corpus_or_say_why(prog, args.corpus)
    if corpus is None:
        return 1
    if args.file == "-":
        source: Any = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        source, name = args.file, args.file
        if not os.path.isfile(source):
            err(
                prog,
                f"{source}: no such file"
                if not os.path.exists(source)
                else f"{source}: not a file",
            )
            return 1
    progress = Progress("checking")

    def work() -> ImportSummary | None:
        try:
            return import_annotations(
                source,
                corpus,
                args.db,
                fmt=args.format,
                offsets=args.offsets,
                annotator=args.annotator,
                progress=progress,
                name=name,
            )
        except ImportRejected as e:
            progress.close()
            for problem in e.problems:
                print(for_stderr(problem), file=sys.stderr)
            count = len(e.problems)
            err(
                prog,
                f"{name} rejected: {count} problem{'s' if count != 1 else ''}; "
                "nothing was imported, the store is unchanged",
            )
            return None

    summary, status = guarded(prog, progress, work)
    if summary is None:
        return status or 1
    err(prog, summary.describe())
    return 0
