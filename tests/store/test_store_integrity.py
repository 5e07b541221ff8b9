"""Issue 16, items 2-5 and 7: one writer per real file, a database file that proves its own
integrity, a backup that only ever receives a verified state, journal damage that is named,
closing on a disk that refuses writes, and folds that no add waits for.

Each test here fails on the store as it was before (noted per test)."""

from __future__ import annotations

import errno
import gc
import json
import os
import threading
import time
from pathlib import Path

import pytest

from hamish.store import AnnotationStore, StoreCorruptError, StoreError, StoreLockedError
from hamish.store.annotations import dbfile

from annstore_helpers import add_span, files_state


def _three(store_path: Path) -> list:
    with AnnotationStore(store_path) as db:
        return [add_span(db, "d", 0, 3), add_span(db, "d", 4, 8, "LOC"), add_span(db, "e", 1, 2)]


def _quiet(directory: Path) -> dict:
    state = files_state(directory)
    for name in list(state):
        if name.endswith((".lock", ".lock.info")):
            state.pop(name)
    return state


# ---- item 3: one writer per real file --------------------------------------------------------


def test_a_symlinked_store_is_the_same_store_and_has_one_writer(tmp_path):
    # Before: the lock was taken beside the name, so both opened as writers.
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with AnnotationStore(real / "annotations.json") as db:
        add_span(db, "d", 0, 3)
        with pytest.raises(StoreLockedError):
            AnnotationStore(tmp_path / "link" / "annotations.json")
    file_link = tmp_path / "file-link.json"
    file_link.symlink_to(real / "annotations.json")
    with AnnotationStore(real / "annotations.json"):
        with pytest.raises(StoreLockedError):
            AnnotationStore(file_link)


def test_a_fold_writes_through_a_symlink_and_keeps_it(tmp_path):
    # Before: the first fold replaced the symlink by a regular file.
    real = tmp_path / "real"
    real.mkdir()
    _three(real / "annotations.json")
    link = tmp_path / "annotations.json"
    link.symlink_to(real / "annotations.json")
    with AnnotationStore(link) as db:
        add_span(db, "f", 0, 1)
        db.fold()
        assert link.is_symlink()
    assert link.is_symlink() and os.readlink(link) == str(real / "annotations.json")
    with AnnotationStore(real / "annotations.json", readonly=True) as ro:
        assert len(ro) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotations.json", "real"]


# ---- item 4: the database file proves its integrity ------------------------------------------


def _merge_two_records(path: Path) -> None:
    """Cut the bytes between two records so that the second's fields continue the first's:
    still valid JSON, with duplicate keys (the last wins), two records where there were three."""
    data = path.read_bytes()
    i = data.index(b'},"2":{')
    path.write_bytes(data[:i] + b"," + data[i + len(b'},"2":{') :])
    json.loads(path.read_bytes())  # it still parses


def test_a_cut_that_merges_two_records_is_refused_with_recovery_advice(store_path):
    # Before: the store opened with 2 of 3 annotations and no message.
    _three(store_path)
    backup = store_path.with_name(store_path.name + ".bak")
    _merge_two_records(store_path)
    before = _quiet(store_path.parent)
    for readonly in (False, True):
        with pytest.raises(StoreCorruptError) as err:
            AnnotationStore(store_path, readonly=readonly)
        message = str(err.value)
        assert f"Annotation store {store_path} is corrupt" in message
        assert "checksum does not match" in message or "twice in one object" in message
        assert "A backup of the last good state (3 annotations" in message
        assert f"cp '{backup}' '{store_path}'" in message
    assert _quiet(store_path.parent) == before  # nothing written, the backup untouched


def test_the_backup_never_receives_a_state_that_was_not_verified(store_path):
    # Before: after the merge above and one change, .bak held 2 annotations too.
    _three(store_path)
    backup = store_path.with_name(store_path.name + ".bak")
    good = backup.read_bytes()
    _merge_two_records(store_path)
    with pytest.raises(StoreCorruptError):
        with AnnotationStore(store_path) as db:
            add_span(db, "x", 0, 1)
    assert backup.read_bytes() == good
    assert len(json.loads(good)["annotations"]) == 3


def test_duplicate_keys_are_refused_in_a_file_without_a_checksum(store_path):
    # A file from before checksums is read strictly: JSON's duplicate keys are damage.
    _three(store_path)
    data = json.loads(store_path.read_bytes())
    del data["meta"]["1"]["checksum"], data["meta"]["1"]["count"]
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    legacy = text.replace('"label":"LOC"', '"label":"LOC","label":"PER"')
    store_path.write_text(legacy, encoding="utf-8")
    with pytest.raises(StoreCorruptError, match='the key "label" twice in one object'):
        AnnotationStore(store_path, readonly=True)
    store_path.write_text(text, encoding="utf-8")  # without the repeat: a good legacy file
    with AnnotationStore(store_path) as db:
        assert len(db) == 3
        add_span(db, "x", 0, 1)
    meta = json.loads(store_path.read_bytes())["meta"]["1"]
    assert meta["count"] == {"annotations": 4, "articles": 0} and meta["checksum"].startswith("crc32:")


def test_a_record_count_that_does_not_match_is_refused(store_path):
    """A file whose checksum is right but whose counts are not (a writer that lost a record
    between counting and writing): refused too."""
    import zlib

    _three(store_path)
    data = store_path.read_bytes().replace(b'"count":{"annotations":3', b'"count":{"annotations":4')
    i = data.rindex(dbfile.CHECKSUM_KEY)
    data = data[:i] + dbfile.CHECKSUM_KEY + b"crc32:%08x" % zlib.crc32(data[:i]) + b'"}}}'
    store_path.write_bytes(data)
    with pytest.raises(StoreCorruptError, match="holds 3 records, but the file says 4"):
        AnnotationStore(store_path, readonly=True)


def test_every_byte_of_the_file_is_covered(store_path):
    """Flip each byte of a small store file in turn: the store either refuses it (a corrupt-file
    message) or, where the flip leaves the same JSON value (whitespace, nothing else can), opens
    with exactly the same annotations. Never different data, never another exception."""
    made = _three(store_path)
    data = store_path.read_bytes()
    expected = sorted(a.to_dict().items() for a in made)
    refused = 0
    for i in range(len(data)):
        damaged = bytearray(data)
        damaged[i] ^= 0x20 if damaged[i] != 0x22 else 0x01
        store_path.write_bytes(bytes(damaged))
        try:
            with AnnotationStore(store_path, readonly=True) as ro:
                got = sorted(a.to_dict().items() for a in ro.all())
        except StoreCorruptError:
            refused += 1
            continue
        assert got == expected, (i, bytes(damaged[i - 20 : i + 20]))
    assert refused == len(data)  # every flip is caught by the checksum


# ---- item 5: a complete journal line that fails its checksum ---------------------------------
# (tests/store/test_store_corrupt.py: refused and named, and the torn unterminated line.)


def test_a_journal_line_with_a_good_checksum_and_hostile_json_is_refused(store_path):
    # Before: RecursionError from json.loads of the line.
    import zlib

    _three(store_path)
    body = b'{"seq":4,"op":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    journal = store_path.with_name(store_path.name + ".journal")
    journal.write_bytes(b"%08x " % zlib.crc32(body) + body + b"\n")
    with pytest.raises(StoreCorruptError, match="line 1 .* is damaged: its checksum matches but"):
        AnnotationStore(store_path)


# ---- item 2: closing on a disk that refuses writes ----------------------------------------------


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EPERM])
def test_close_on_a_disk_that_refuses_the_fold_loses_nothing_and_leaves_nothing(
    store_path, monkeypatch, error
):
    # Before: StoreError from close() left a zero-byte annotations.json.tmp behind.
    made = _three(store_path)
    db = AnnotationStore(store_path)
    extra = [add_span(db, "x", 0, 1), add_span(db, "x", 2, 3), add_span(db, "x", 4, 5)]
    before = _quiet(store_path.parent)
    if error == errno.ENOSPC:  # the temporary file is made, and the disk fills up writing it
        real_fsync = os.fsync

        def refuse(fd):
            if os.readlink(f"/proc/self/fd/{fd}").endswith(".tmp"):
                raise OSError(error, os.strerror(error))
            return real_fsync(fd)

        monkeypatch.setattr(os, "fsync", refuse)
    else:  # a read-only or immutable directory: no file can be made in it
        real_open = os.open

        def refuse(path, *args, **kw):
            if str(path).endswith(".tmp"):
                raise OSError(error, os.strerror(error), str(path))
            return real_open(path, *args, **kw)

        monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(StoreError) as err:
        db.close()
    monkeypatch.undo()
    message = str(err.value)
    assert "no change is lost" in message and str(db.journal_path) in message
    assert db.closed
    assert _quiet(store_path.parent) == before  # no .tmp, nothing else changed
    with AnnotationStore(store_path) as again:  # the lock was released; the journal replays
        assert {a.id for a in again.all()} == {a.id for a in made + extra}


# ---- item 7: nothing stalls an add --------------------------------------------------------------


def test_the_loaded_records_are_kept_from_the_collector(store_path):
    # Before: every full collection walked every record (30-65 ms at 100,000).
    _three(store_path)
    gc.unfreeze()
    with AnnotationStore(store_path, readonly=True) as ro:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        tracked = {id(o) for o in gc.get_objects()}
        assert not any(id(a) in tracked for a in ro.all())
    gc.unfreeze()


def test_an_add_that_starts_a_fold_does_not_wait_for_it(store_path, monkeypatch):
    # Before: the fold ran inside add() (1.4 s at 100,000 annotations).
    _three(store_path)
    release = threading.Event()
    real_write = dbfile.HamishStorage.write

    def slow_write(self, data):
        release.wait(10)
        real_write(self, data)

    monkeypatch.setattr(dbfile.HamishStorage, "write", slow_write)
    with AnnotationStore(store_path, fold_bytes=1500) as db:
        t = time.perf_counter()
        during = [add_span(db, "d", i, i + 1) for i in range(10)]  # passes 1500 bytes
        assert time.perf_counter() - t < 5  # the fold waits on `release`: add did not
        assert db._folder is not None
        later = [add_span(db, "e", i, i + 1) for i in range(3)]  # while the fold runs
        release.set()
        db.wait_for_fold()
        assert db.last_fold_error is None
        journal = db.journal_path.read_bytes().splitlines()
        assert 0 < len(journal) < len(during) + len(later)  # only what the fold did not hold
    with AnnotationStore(store_path, readonly=True) as ro:
        assert len(ro) == 3 + len(during) + len(later)


def _folded_records(store_path: Path) -> dict[str, tuple]:
    """What the database file alone holds (no journal): id -> (article, start, end, label)."""
    tables, problem = dbfile.decode_db(store_path.read_bytes())
    assert problem is None
    return {
        r["id"]: (r["doc_id"], r["start"], r["end"], r["label"])
        for r in tables[dbfile.ANNOTATIONS_TABLE].values()
    }


def _until_a_fold_starts(db) -> list:
    """Adds to article "d" until one starts a background fold; the annotations added."""
    added = []
    while db._folder is None:
        added.append(add_span(db, "d", len(added), len(added) + 1))
        assert len(added) < 100
    return added


def _slow_fold(monkeypatch) -> threading.Event:
    """Background folds wait on the returned event before they write."""
    release = threading.Event()
    real_write = dbfile.HamishStorage.write

    def slow_write(self, data):
        assert release.wait(10)
        real_write(self, data)

    monkeypatch.setattr(dbfile.HamishStorage, "write", slow_write)
    return release


def test_a_fold_writes_the_state_it_started_from(store_path, monkeypatch):
    # A fold holds the articles' key lists without copying them (they are copied on write):
    # changes made while it runs, in the same articles, must not leak into what it writes.
    made = _three(store_path)
    release = _slow_fold(monkeypatch)
    with AnnotationStore(store_path, fold_bytes=1500) as db:
        during = _until_a_fold_starts(db)
        expected = {a.id: (a.doc_id, a.start, a.end, a.label) for a in db.all()}
        # While the fold waits: add to, remove from and relabel in the articles it holds.
        add_span(db, "d", 20, 22)
        add_span(db, "e", 5, 6)
        db.remove(made[0].id)
        db.remove(during[3].id)
        db.update(made[2].id, label="ORG")
        release.set()
        db.wait_for_fold()
        assert db.last_fold_error is None
        assert _folded_records(store_path) == expected
        now = {a.id: (a.doc_id, a.start, a.end, a.label) for a in db.all()}
    with AnnotationStore(store_path, readonly=True) as ro:
        assert {a.id: (a.doc_id, a.start, a.end, a.label) for a in ro.all()} == now
    assert len(now) == len(expected) + 2 - 2


def test_adds_go_on_while_a_fold_copies_the_journal(store_path, monkeypatch):
    # The end of a fold copies the newer journal lines into the journal that replaces this one
    # and makes it durable without the store's lock (it held it, and an add waited); only the
    # lines added meanwhile are copied under it. None of them is lost.
    _three(store_path)
    copied, go_on = threading.Event(), threading.Event()
    real_start = AnnotationStore._start_new_journal

    def start_then_wait(self, start, end):
        new = real_start(self, start, end)
        copied.set()
        assert go_on.wait(10)
        return new

    monkeypatch.setattr(AnnotationStore, "_start_new_journal", start_then_wait)
    release = _slow_fold(monkeypatch)
    with AnnotationStore(store_path, fold_bytes=1500) as db:
        folded = _until_a_fold_starts(db)
        before_copy = [add_span(db, "e", i, i + 1) for i in range(3)]
        release.set()
        assert copied.wait(10)
        # The fold has copied the journal and waits: these adds must not wait for it.
        after_copy = [add_span(db, "f", i, i + 1) for i in range(4)]
        assert db._folder is not None
        go_on.set()
        db.wait_for_fold()
        assert db.last_fold_error is None
        lines = [json.loads(line[9:]) for line in db.journal_path.read_bytes().splitlines()]
        assert [op["ann"]["id"] for op in lines] == [a.id for a in before_copy + after_copy]
        after_fold = add_span(db, "g", 0, 1)  # appended to the new journal
    assert not [p for p in store_path.parent.iterdir() if p.name.endswith(".tmp")]
    with AnnotationStore(store_path, readonly=True) as ro:
        assert {a.id for a in ro.all()} >= {
            a.id for a in folded + before_copy + after_copy + [after_fold]
        }
        assert len(ro) == 3 + len(folded) + len(before_copy) + len(after_copy) + 1


def test_a_fold_that_breaks_unexpectedly_does_not_hang_the_store(store_path, monkeypatch):
    # Before: only an OSError was caught; any other exception left the fold marked as running,
    # and wait_for_fold() and close() spun forever at 100% CPU.
    _three(store_path)

    def broken(self, data):
        raise RuntimeError("a bug in the writer")

    monkeypatch.setattr(dbfile.HamishStorage, "write", broken)
    db = AnnotationStore(store_path, fold_bytes=1500)
    added = _until_a_fold_starts(db)
    waiter = threading.Thread(target=db.wait_for_fold, daemon=True)
    waiter.start()
    waiter.join(10)
    assert not waiter.is_alive()
    assert db.last_fold_error is not None and "RuntimeError: a bug in the writer" in (
        db.last_fold_error
    )
    added.append(add_span(db, "d", 50, 51))  # the store takes changes still
    monkeypatch.undo()
    db.close()
    with AnnotationStore(store_path, readonly=True) as ro:
        assert len(ro) == 3 + len(added)


def test_a_background_fold_that_fails_keeps_every_change(store_path, monkeypatch):
    _three(store_path)

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(dbfile.HamishStorage, "write", full)
    with pytest.raises(StoreError):
        with AnnotationStore(store_path, fold_bytes=1500) as db:
            added = [add_span(db, "d", i, i + 1) for i in range(10)]
            db.wait_for_fold()
            assert db.last_fold_error and "No space left on device" in db.last_fold_error
    monkeypatch.undo()
    with AnnotationStore(store_path, readonly=True) as ro:
        assert len(ro) == 3 + len(added)
    assert not [p for p in store_path.parent.iterdir() if p.name.endswith(".tmp")]


def test_close_in_a_really_immutable_directory(tmp_path):
    """The same with the file system's own refusal (chattr +i on the directory, ext4)."""
    import shutil
    import subprocess

    directory = tmp_path / "data"
    directory.mkdir()
    store_path = directory / "annotations.json"
    made = _three(store_path)
    db = AnnotationStore(store_path)
    extra = [add_span(db, "x", 0, 1), add_span(db, "x", 2, 3), add_span(db, "x", 4, 5)]
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(directory)]).returncode != 0:
        db.close()
        pytest.skip("chattr +i is not available here (needs root and ext4)")
    try:
        before = _quiet(directory)
        with pytest.raises(StoreError, match="no change is lost"):
            db.close()
        assert _quiet(directory) == before
    finally:
        subprocess.run([chattr, "-i", str(directory)], check=True)
    with AnnotationStore(store_path) as again:
        assert {a.id for a in again.all()} == {a.id for a in made + extra}
