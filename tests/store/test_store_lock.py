"""One writer at a time: a second writer gets StoreLockedError naming the holder."""

from __future__ import annotations

import getpass
import os
import signal
import socket
import time

import pytest

from hamish.store import AnnotationStore, StoreCorruptError, StoreError, StoreLockedError

from annstore_helpers import add_span, run_worker, start_worker


def _login() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def _wait_ready(proc, ackfile, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not (ackfile.exists() and ackfile.read_text().startswith("ready")):
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_second_writer_process_is_refused_with_the_holder_named(store_path):
    db = AnnotationStore(store_path)
    try:
        add_span(db, "d", 0, 3)
        out = run_worker("try", str(store_path))
        assert out.returncode == 3, out.stderr
        message = out.stdout.strip()
        assert message.startswith("StoreLockedError: ")
        assert str(store_path) in message
        assert f"process {os.getpid()}" in message
        assert f"user {_login()}" in message
        assert f"host {socket.gethostname()}" in message
        assert "since 20" in message  # an ISO timestamp
        # readers are never locked out
        with AnnotationStore(store_path, readonly=True) as ro:
            assert len(ro.all()) == 1
    finally:
        db.close()
    out = run_worker("try", str(store_path))
    assert (out.returncode, out.stdout.strip()) == (0, "opened"), out.stderr


def test_second_writer_in_the_same_process_is_refused_too(store_path):
    with AnnotationStore(store_path):
        with pytest.raises(StoreLockedError) as err:
            AnnotationStore(store_path)
        assert err.value.holder["pid"] == os.getpid()
        assert err.value.path == store_path
        assert isinstance(err.value, StoreError)
    with AnnotationStore(store_path):  # released on close
        pass


def test_lock_of_a_killed_writer_is_free(store_path, tmp_path):
    ackfile = tmp_path / "ready.log"
    proc = start_worker("hold", str(store_path), str(ackfile))
    try:
        _wait_ready(proc, ackfile)
        with pytest.raises(StoreLockedError) as err:
            AnnotationStore(store_path)
        assert f"process {proc.pid} " in str(err.value) and str(store_path) in str(err.value)
        assert err.value.holder["pid"] == proc.pid
        assert err.value.holder["host"] == socket.gethostname()
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    with AnnotationStore(store_path) as db:  # the kernel dropped the dead process's lock
        add_span(db, "d", 0, 3)
        with pytest.raises(StoreLockedError, match=f"process {os.getpid()} "):
            AnnotationStore(store_path)  # and the holder info is ours now, not the dead one's


def test_holder_info_is_removed_on_close(store_path):
    db = AnnotationStore(store_path)
    info = db.lock_info_path
    assert info.exists()
    db.close()
    assert not info.exists()


def test_a_failed_open_releases_the_lock(store_path):
    with AnnotationStore(store_path) as db:
        add_span(db, "d", 0, 3)
    good = store_path.read_bytes()
    store_path.write_bytes(b"not json")
    with pytest.raises(StoreCorruptError):
        AnnotationStore(store_path)
    store_path.write_bytes(good)
    with AnnotationStore(store_path) as db:
        assert len(db.all()) == 1
