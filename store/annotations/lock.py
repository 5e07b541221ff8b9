"""The writer's lock: ``P.lock`` is ``flock``-ed by the single writer (released by the OS if the
process dies); ``P.lock.info`` says who holds it (pid, user, host, since), for the message."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path
from typing import Any

from ..durable import atomic_write
from ..login import login_name
from .errors import StoreError, StoreLockedError
from .records import timestamp

try:  # POSIX: flock, released by the kernel when the process dies.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class WriterLock:
    """The exclusive lock of the store at ``store_path``; ``acquire()`` raises StoreLockedError
    naming the holder if another process has it."""

    def __init__(self, store_path: Path) -> None:
        self.path = store_path
        self.lock_path = store_path.with_name(store_path.name + ".lock")
        self.lock_info_path = store_path.with_name(store_path.name + ".lock.info")
        self._lock_fd: int | None = None
        self._lock_obj: Any = None

    def acquire(self) -> None:
        try:
            if fcntl is not None:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    self._raise_locked()
                except BaseException:
                    os.close(fd)
                    raise
                self._lock_fd = fd
            else:  # pragma: no cover - Windows
                import filelock

                lock = filelock.FileLock(str(self.lock_path), timeout=0)
                try:
                    lock.acquire()
                except filelock.Timeout:
                    self._raise_locked()
                self._lock_obj = lock
        except OSError as e:
            raise StoreError(f"cannot lock {self.lock_path}: {e.strerror or e}") from e
        info = {
            "pid": os.getpid(),
            "user": login_name(),
            "host": socket.gethostname(),
            "since": timestamp(),
        }
        try:
            atomic_write(self.lock_info_path, json.dumps(info).encode(), sync_dir=False)
        except OSError:
            pass  # only used for the message of StoreLockedError

    def _raise_locked(self) -> None:
        holder = None
        for _ in range(25):  # the holder may have just taken the lock and not yet said who it is
            try:
                holder = json.loads(self.lock_info_path.read_bytes())
                if isinstance(holder, dict):
                    break
                holder = None
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        if holder:
            who = (
                f"process {holder.get('pid', '?')} of user {holder.get('user', '?')} on host "
                f"{holder.get('host', '?')}, since {holder.get('since', '?')}"
            )
        else:
            who = f"another process (no holder information in {self.lock_info_path})"
        raise StoreLockedError(
            # What to do about it is the caller's to say (the app offers read-only; an import
            # can only wait for that Hamish to close).
            f"Annotation store {self.path} is already open for writing by {who}.",
            self.path,
            holder,
        )

    def release(self) -> None:
        if self._lock_fd is None and self._lock_obj is None:
            return
        try:
            self.lock_info_path.unlink(missing_ok=True)
        except OSError:
            pass
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        if self._lock_obj is not None:  # pragma: no cover - Windows
            self._lock_obj.release()
            self._lock_obj = None
