"""The errors the annotation store raises; every message is meant for a human."""

from __future__ import annotations

from pathlib import Path
from typing import Any


class StoreError(Exception):
    """Base class of every error the store raises; the message is meant for a human."""


class AnnotationError(StoreError, ValueError):
    """An annotation (or an argument to add/update/restore) is invalid."""


class NotFoundError(StoreError, LookupError):
    """No annotation with that id."""


class StoreLockedError(StoreError):
    """Another process has the store open for writing."""

    def __init__(self, message: str, path: Path, holder: dict[str, Any] | None):
        super().__init__(message)
        self.path = path
        self.holder = holder


class StoreCorruptError(StoreError):
    """The store file or its journal cannot be read; nothing was written to it."""

    def __init__(self, message: str, path: Path, problem: str, backup_path: Path | None = None):
        super().__init__(message)
        self.path = path
        self.problem = problem
        self.backup_path = backup_path


class Bad(Exception):
    """Internal: a problem found while parsing; turned into StoreCorruptError with context."""


class BadLine(Bad):
    """Internal: a damaged line of the journal (``line``: its number; ``intact``: the lines
    before it, all good)."""

    def __init__(self, problem: str, line: int, intact: int) -> None:
        super().__init__(problem)
        self.line = line
        self.intact = intact
