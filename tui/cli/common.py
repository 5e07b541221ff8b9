"""What the store commands (``hamish export``, ``hamish import``) share: messages on stderr,
the store and corpus options, loading the corpus, running the work without a traceback, and a
progress bar (Rich) on stderr, shown only when stderr is a terminal and the work has already
taken a while.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any, TextIO, TypeVar

from hamish.store import (
    Corpus,
    CorpusError,
    StoreError,
    StoreLockedError,
    default_store_path,
    load_corpus,
)
from hamish.tui.display import for_stderr

__all__ = ["Progress", "add_store_options", "err", "guarded", "load_corpus_or_say_why"]

T = TypeVar("T")

PROGRESS_DELAY = 0.5  # seconds of work before a progress bar appears


class Progress:
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


def err(prog: str, message: str) -> None:
    """A message on stderr, cleaned: names, labels and paths in it cannot drive the terminal."""
    print(for_stderr(f"{prog}: {message}"), file=sys.stderr)


def add_store_options(parser: argparse.ArgumentParser) -> None:
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


def load_corpus_or_say_why(prog: str, paths: list[str] | None) -> Corpus | None:
    try:
        corpus = load_corpus(paths or None)
    except CorpusError as e:
        err(prog, str(e))
        return None
    for warning in corpus.warnings:
        err(prog, f"warning: {warning}")
    if not len(corpus):
        err(prog, "the corpus has no articles")
        return None
    return corpus


def guarded(
    prog: str, progress: Progress, work: Callable[[], T | None]
) -> tuple[T | None, int | None]:
    """Run ``work()``: (its result, None); or, when it fails, (None, exit status) after saying
    why on stderr — never a traceback. The progress bar is closed either way."""
    try:
        return work(), None
    except StoreLockedError as e:
        err(prog, f"{e} Nothing was done: close that Hamish, then run {prog} again.")
        return None, 1
    except (StoreError, OSError) as e:
        err(prog, _error_text(e))
        return None, 1
    except KeyboardInterrupt:
        err(prog, "interrupted")
        return None, 130
    finally:
        progress.close()


def _error_text(e: BaseException) -> str:
    if isinstance(e, OSError) and not isinstance(e, StoreError):
        where = f"{e.filename}: " if getattr(e, "filename", None) else ""
        return f"{where}{e.strerror or e}"
    return str(e)
