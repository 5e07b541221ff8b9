"""Durable files: writes that survive a crash or a power cut once they return.

The store (database file, backup, journal rewrite), the exports and the brat files all write
through :func:`atomic_file` (or :func:`atomic_write`, the same for bytes in hand): the bytes go to
a temporary file beside the target, which is fsync'd, renamed over the target, and then the
directory is fsync'd, so a reader sees the old file or the new one, whole, and after a crash the
new one is there if the call returned. A failure removes the temporary file (nothing stray is
left behind) and leaves the old file as it was.

A target that is a symbolic link is written *through*: the link stays, its target is replaced
(the temporary file is made beside the real file, so the rename stays on one filesystem).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

try:  # POSIX: F_FULLFSYNC on macOS
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

TMP_SUFFIX = ".tmp"


def datasync(fd: int) -> None:
    """Make the data of ``fd`` durable (fdatasync; F_FULLFSYNC on macOS)."""
    if hasattr(fcntl, "F_FULLFSYNC"):  # pragma: no cover - macOS: fsync does not flush the disk
        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError:
            pass
    if hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:  # pragma: no cover
        os.fsync(fd)


def flush_to_disk(f: BinaryIO) -> None:
    """Write what ``f`` buffers and make it durable (see :func:`datasync`)."""
    f.flush()
    datasync(f.fileno())


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in ``directory`` durable."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def write_all(fd: int, data: bytes) -> None:
    """os.write until every byte is written."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def real_path(path: Path) -> Path:
    """``path`` with its symbolic links followed (the file a write must replace)."""
    return Path(os.path.realpath(path))


def temp_name(path: Path) -> Path:
    """A fresh temporary name beside ``path``: ``.NAME.<random>.tmp`` (see leftover_temps)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}{TMP_SUFFIX}")


def leftover_temps(path: Path) -> list[Path]:
    """Temporary files of atomic writes to ``path`` that a crash left behind."""
    target = real_path(path)
    try:
        return sorted(target.parent.glob(f".{_glob_escape(target.name)}.*{TMP_SUFFIX}"))
    except OSError:
        return []


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


class PendingFile:
    """A new file for ``path``, written under a temporary name beside it (``fd``: open for
    appending) until :meth:`replace` renames it over ``path``, atomically; the descriptor stays
    open for more appends. The caller makes the data durable first (:func:`datasync`) and the
    rename after (:func:`fsync_dir`). :meth:`discard` removes the file if it was not renamed."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.target = real_path(Path(path))
        self.tmp: Path | None = temp_name(self.target)
        # (the umask applies)
        self.fd = os.open(self.tmp, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o666)

    def replace(self) -> None:
        assert self.tmp is not None
        os.replace(self.tmp, self.target)
        self.tmp = None

    def discard(self) -> None:
        """Close it; remove it unless it replaced its target (if that fails too, the next
        writer's open removes it: see leftover_temps)."""
        try:
            os.close(self.fd)
        finally:
            if self.tmp is not None:
                try:
                    self.tmp.unlink(missing_ok=True)
                except OSError:
                    pass
                self.tmp = None


@contextmanager
def atomic_file(path: str | os.PathLike[str], *, sync_dir: bool = True) -> Iterator[BinaryIO]:
    """``with atomic_file(p) as f: f.write(...)``: ``p`` is replaced, durably and atomically, by
    what was written when the block ends without an exception; otherwise ``p`` is untouched and
    the temporary file is gone. ``sync_dir=False``: the caller fsyncs the directory itself (one
    fsync for several files)."""
    pending = PendingFile(path)
    try:
        with os.fdopen(pending.fd, "wb", closefd=False) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        pending.replace()
    finally:
        pending.discard()
    if sync_dir:
        fsync_dir(pending.target.parent)


def atomic_write(path: str | os.PathLike[str], data: bytes, *, sync_dir: bool = True) -> None:
    """Replace ``path`` by ``data`` durably and atomically (see :func:`atomic_file`)."""
    with atomic_file(path, sync_dir=sync_dir) as f:
        f.write(data)


def read_bytes(path: Path) -> bytes | None:
    """The bytes of ``path``, or None if there is no such file."""
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None
