"""``hamish export`` and ``hamish import`` (dispatched here by tui/cli.py).

Each returns an exit status: 0 done, 1 an error (a message on stderr, never a traceback),
2 bad usage (argparse). A progress bar (Rich) goes to stderr, only when stderr is a terminal and
the work has already taken a while.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

from .annotations import StoreError, default_store_path
from .corpus import Corpus, CorpusError, load_corpus
from .export import FORMATS, OFFSETS, export, export_to_path
from .importer import IMPORT_FORMATS, ImportRejected, import_annotations

__all__ = ["export_main", "import_main", "export_parser", "import_parser"]

PROGRESS_DELAY = 0.5  # seconds of work before a progress bar appears


class _Progress:
    """A progress(done, total) callback that shows a Rich bar on stderr, but only when stderr is
    a terminal and only once the work has gone on for ``delay`` seconds (short work shows
    nothing). The bar is transient: it is gone when the work is."""

    def __init__(self, description: str, stream: TextIO | None = None, delay: float | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.description = description
        self.delay = PROGRESS_DELAY if delay is None else delay
        self.enabled = _isatty(self.stream)
        self.started = time.monotonic()
        self._bar: Any = None
        self._task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self.started < self.delay:
                return
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=Console(file=self.stream),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.description, total=total)
        self._bar.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _err(prog: str, message: str) -> None:
    print(f"{prog}: {message}", file=sys.stderr)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help=f"the annotation store (default: {default_store_path()})",
    )
    parser.add_argument(
        "--corpus",
        metavar="PATH",
        nargs="+",
        action="extend",
        default=None,
        help="the articles the annotations belong to: directories of .txt files, .txt files, "
        ".jsonl corpora (default: the bundled articles); may be repeated",
    )


def export_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish export",
        description=(
            "Write the annotations as JSONL, one line per article that has any, in id order "
            "(or as brat standoff files). Offsets are Unicode code point indices into the "
            "article's text, end exclusive, as Python and spaCy count them."
        ),
    )
    _add_common(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write (default: stdout); for --format brat, a directory",
    )
    parser.add_argument("--format", choices=FORMATS, default="hamish", help="default: hamish")
    parser.add_argument(
        "--offsets",
        choices=OFFSETS,
        default="codepoint",
        help="codepoint (Python, spaCy; default) or utf16 (JavaScript tools)",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        action="append",
        help="only spans by this annotator (may be repeated)",
    )
    parser.add_argument(
        "--label", metavar="L", action="append", help="only spans with this label (may be repeated)"
    )
    parser.add_argument("--done", action="store_true", help="only articles marked done")
    parser.add_argument(
        "--all",
        action="store_true",
        dest="include_all",
        help="also the articles that have no annotations",
    )
    return parser


def import_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish import",
        description=(
            "Read annotations from hamish, Prodigy or doccano JSONL into the store. Every line "
            "is checked against its article first; a file with any bad line is rejected whole "
            "(each problem reported as FILE:LINE) and the store is left untouched. Spans already "
            "in the store are skipped, so importing twice adds nothing."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the JSONL file ('-': standard input)")
    _add_common(parser)
    parser.add_argument(
        "--format", choices=IMPORT_FORMATS, default=None, help="default: told from the first record"
    )
    parser.add_argument(
        "--offsets",
        choices=OFFSETS,
        default=None,
        help="the file's offsets (default: codepoint, or what its meta says)",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        default=None,
        help="annotator of spans that do not name one (default: your login name)",
    )
    return parser


def _load_corpus(prog: str, paths: list[str] | None) -> Corpus | None:
    try:
        corpus = load_corpus(paths or None)
    except CorpusError as e:
        _err(prog, str(e))
        return None
    for warning in corpus.warnings:
        _err(prog, f"warning: {warning}")
    if not len(corpus):
        _err(prog, "the corpus has no articles")
        return None
    return corpus


def export_main(argv: Sequence[str]) -> int:
    prog = "hamish export"
    args = export_parser().parse_args(list(argv))
    if args.format == "brat" and not args.output:
        _err(prog, "format brat writes a directory of files: give it with -o DIR")
        return 2
    corpus = _load_corpus(prog, args.corpus)
    if corpus is None:
        return 1
    progress = _Progress("exporting")
    options = dict(
        fmt=args.format,
        offsets=args.offsets,
        annotator=args.annotator,
        labels=args.label,
        done_only=args.done,
        include_all=args.include_all,
        progress=progress,
    )

    def work():
        if args.output and args.format == "brat":
            return export(corpus, args.db, args.output, **options)
        if args.output:
            return export_to_path(corpus, args.db, args.output, **options)
        return _export_to_stdout(corpus, args.db, options)

    summary, status = _guarded(prog, progress, work)
    if summary is None:
        return status or 1  # (None and no status: the reader of our stdout went away, `| head`)
    for warning in summary.warnings:
        _err(prog, f"warning: {warning}")
    _err(prog, summary.describe())
    return 0


def _export_to_stdout(corpus: Corpus, db: str | None, options: dict[str, Any]):
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
        if out is not stdout:
            try:
                out.detach()
            except (ValueError, OSError):
                pass


def _guarded(prog: str, progress: _Progress, work) -> tuple[Any, int | None]:
    """Run ``work()``: (its result, None); or, when it fails, (None, exit status) after saying
    why on stderr — never a traceback. The progress bar is closed either way."""
    try:
        return work(), None
    except (StoreError, OSError) as e:
        _err(prog, _error_text(e))
        return None, 1
    except KeyboardInterrupt:
        _err(prog, "interrupted")
        return None, 130
    finally:
        progress.close()


def _error_text(e: BaseException) -> str:
    if isinstance(e, OSError) and not isinstance(e, StoreError):
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        return f"{where}{e.strerror or e}"
    return str(e)


def import_main(argv: Sequence[str]) -> int:
    prog = "hamish import"
    args = import_parser().parse_args(list(argv))
    corpus = _load_corpus(prog, args.corpus)
    if corpus is None:
        return 1
    if args.file == "-":
        source: Any = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        source, name = args.file, args.file
        if not os.path.isfile(source):
            _err(
                prog,
                f"{source}: no such file"
                if not os.path.exists(source)
                else f"{source}: not a file",
            )
            return 1
    progress = _Progress("checking")

    def work():
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
                print(problem, file=sys.stderr)
            count = len(e.problems)
            _err(
                prog,
                f"{name} rejected: {count} problem{'s' if count != 1 else ''}; "
                "nothing was imported, the store is unchanged",
            )
            return None

    summary, status = _guarded(prog, progress, work)
    if summary is None:
        return status or 1
    _err(prog, summary.describe())
    return 0
