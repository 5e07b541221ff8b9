"""Damaged store files and journals: StoreCorruptError, nothing overwritten, a usable backup."""

from __future__ import annotations

import json
import re
import shutil
import zlib
from pathlib import Path

import pytest

from hamish.store import AnnotationStore, StoreCorruptError, StoreError

from annstore_helpers import add_span, files_state, run_worker


def _edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text("utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def _first_record(data: dict) -> dict:
    return next(iter(data["annotations"].values()))


CASES = {
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "truncated"),
    "not-json": (lambda p: p.write_bytes(b"Hamish was here\n"), "not valid JSON"),
    "not-utf8": (lambda p: p.write_bytes(b'{"annotations": "\xff\xfe"}'), "not UTF-8"),
    "empty": (lambda p: p.write_bytes(b""), "it is empty"),
    "json-list": (lambda p: p.write_bytes(b"[1, 2]"), "holds a JSON list"),
    "plain-tinydb": (lambda p: p.write_bytes(b'{"_default": {}}'), "no 'meta' table"),
    "unknown-schema": (
        lambda p: _edit_json(p, lambda d: d["meta"]["1"].update(schema=99)),
        "schema version 99, but this version of Hamish only understands schema 1",
    ),
    "start-is-a-string": (
        lambda p: _edit_json(p, lambda d: _first_record(d).update(start="0")),
        "record 1 of table 'annotations' is invalid: field 'start' must be an integer, not str",
    ),
    "label-is-null": (
        lambda p: _edit_json(p, lambda d: _first_record(d).update(label=None)),
        "field 'label' must be a string, not null",
    ),
    "missing-field": (
        lambda p: _edit_json(p, lambda d: _first_record(d).pop("sha256")),
        "missing field.s. sha256",
    ),
    "text-does-not-fit-span": (
        lambda p: _edit_json(p, lambda d: _first_record(d).update(text="x")),
        "text has 1 characters",
    ),
    "table-is-a-list": (
        lambda p: _edit_json(p, lambda d: d.update(annotations=[])),
        "table 'annotations' is a list",
    ),
    "article-state-wrong-type": (
        lambda p: _edit_json(p, lambda d: d["articles"]["1"].update(done="yes")),
        "done must be True or False",
    ),
    "record-is-a-list": (
        lambda p: _edit_json(p, lambda d: d["annotations"].update({"1": [0, 3, "PER"]})),
        "record 1 of table 'annotations' is invalid: expected an object, got list",
    ),
    "schema-is-a-string": (
        lambda p: _edit_json(p, lambda d: d["meta"]["1"].update(schema="1")),
        "its schema version is '1', not an integer",
    ),
    "truncated-mid-record": (
        lambda p: p.write_bytes(p.read_bytes()[:-40]),
        "truncated: the JSON stops after",
    ),
    "folded-seq-wrong-type": (
        lambda p: _edit_json(p, lambda d: d["meta"]["1"].update(folded_seq="3")),
        "folded_seq '3'",
    ),
}


@pytest.fixture
def good_store(store_path):
    """A store whose file (and backup) holds 3 annotations, plus 2 more only in the journal
    (written by a process that exited without closing, so they were never folded)."""
    with AnnotationStore(store_path) as db:
        folded = [add_span(db, "d", 0, 3), add_span(db, "d", 4, 8, "LOC"), add_span(db, "e", 1, 2)]
        db.set_article_state("d", cursor=5)
    out = run_worker("adds", str(store_path), "2")
    assert out.returncode == 0, out.stderr
    with AnnotationStore(store_path, readonly=True) as ro:
        everything = ro.all()
    assert len(everything) == 5
    return store_path, folded, everything


@pytest.mark.parametrize("case", sorted(CASES))
def test_corrupt_store_file(good_store, case):
    path, folded, everything = good_store
    backup = path.with_name(path.name + ".bak")
    damage, problem = CASES[case]
    damage(path)
    before = files_state(path.parent)

    for readonly in (False, True):
        with pytest.raises(StoreCorruptError) as err:
            AnnotationStore(path, readonly=readonly)
        message = str(err.value)
        assert isinstance(err.value, StoreError)
        assert message.startswith(f"Annotation store {path} is corrupt: ")
        assert err.value.path == path
        assert re.search(problem, message), message
        assert "has not changed it" in message
        assert f"A backup of the last good state (3 annotations, saved 20" in message
        assert f"cp '{backup}' '{path}'" in message
        assert err.value.backup_path == backup

    after = files_state(path.parent)
    lock_files = {path.name + ".lock", path.name + ".lock.info"}  # the writer's lock, not data
    assert {k: v for k, v in after.items() if k not in lock_files} == {
        k: v for k, v in before.items() if k not in lock_files
    }

    # the backup holds the last good (folded) state ...
    probe = path.parent / "probe" / "annotations.json"
    probe.parent.mkdir()
    shutil.copy(backup, probe)
    with AnnotationStore(probe, readonly=True) as ro:
        assert ro.all() == folded
        assert ro.article_state("d") == {"cursor": 5, "done": False}

    # ... and following the message's advice brings everything back, journal included.
    shutil.copy(backup, path)
    with AnnotationStore(path) as db:
        assert db.all() == everything


def test_error_message_without_a_backup(store_path):
    with AnnotationStore(store_path) as db:
        add_span(db, "d", 0, 3)
    store_path.with_name("annotations.json.bak").unlink()
    store_path.write_bytes(b"garbage")
    with pytest.raises(StoreCorruptError, match="There is no backup .*mv '.*annotations.json' '.*annotations.json.damaged'"):
        AnnotationStore(store_path)
    assert store_path.read_bytes() == b"garbage"


def test_error_message_when_the_backup_is_damaged_too(store_path):
    with AnnotationStore(store_path) as db:
        add_span(db, "d", 0, 3)
    store_path.with_name("annotations.json.bak").write_bytes(b"{")
    store_path.write_bytes(b"garbage")
    with pytest.raises(StoreCorruptError, match="is damaged too"):
        AnnotationStore(store_path)


def test_missing_store_file_with_a_backup_is_not_silently_a_new_store(store_path):
    with AnnotationStore(store_path) as db:
        add_span(db, "d", 0, 3)
    store_path.unlink()
    bak = store_path.with_name("annotations.json.bak").read_bytes()
    with pytest.raises(StoreCorruptError, match="is missing, but its backup"):
        AnnotationStore(store_path)
    assert not store_path.exists()
    assert store_path.with_name("annotations.json.bak").read_bytes() == bak


# ---- the journal --------------------------------------------------------------------------


def _journal(path: Path) -> Path:
    return path.with_name(path.name + ".journal")


def test_torn_last_journal_line_is_ignored_then_cut_by_the_next_writer(good_store):
    path, _, everything = good_store
    journal = _journal(path)
    intact = journal.read_bytes()
    torn = b'%08x {"seq":6,"op":"remove","id":"' % 0
    journal.write_bytes(intact + torn)

    with AnnotationStore(path, readonly=True) as ro:
        assert ro.all() == everything
    assert journal.read_bytes() == intact + torn  # readers never write

    with AnnotationStore(path) as db:
        assert db.all() == everything
        assert journal.read_bytes() == intact  # the writer cut the torn tail on open
        ann = add_span(db, "d", 9, 12)
    with AnnotationStore(path, readonly=True) as ro:
        assert ro.all() == sorted(everything + [ann], key=lambda a: (a.doc_id, a.start, a.end, a.id))


def test_complete_last_line_with_a_bad_checksum_is_refused_and_named(good_store):
    """One flipped byte in the last journal line, its newline intact: not a torn write (a crash
    cannot leave a whole line behind with a wrong checksum) but damage. The store refuses to
    open (for writing and for reading) and names the line; nothing is changed on disk."""
    path, _, everything = good_store
    journal = _journal(path)
    lines = journal.read_bytes().splitlines(keepends=True)
    last = bytearray(lines[-1])
    last[20] ^= 0x01
    journal.write_bytes(b"".join(lines[:-1]) + bytes(last))
    before = files_state(path.parent)
    for readonly in (False, True):
        with pytest.raises(StoreCorruptError) as err:
            AnnotationStore(path, readonly=readonly)
        message = str(err.value)
        n = len(lines)
        assert f"line {n} (byte offset {len(b''.join(lines[:-1]))}) is damaged" in message
        assert "its checksum does not match" in message
        assert f"head -n {n - 1} '{journal}' > '{journal}.good'" in message
    after = files_state(path.parent)
    for lock_file in (path.name + ".lock", path.name + ".lock.info"):
        after.pop(lock_file, None)
        before.pop(lock_file, None)
    assert after == before


def test_torn_unterminated_last_line_is_the_change_in_flight(good_store):
    path, _, everything = good_store
    journal = _journal(path)
    data = journal.read_bytes()
    journal.write_bytes(data[:-1])  # the last line lost its newline: the write did not complete
    with AnnotationStore(path, readonly=True) as ro:
        assert len(ro.all()) == len(everything) - 1
    with AnnotationStore(path) as db:
        assert len(db.all()) == len(everything) - 1


def test_damaged_line_in_the_middle_of_the_journal_is_corruption(good_store):
    path, _, _ = good_store
    journal = _journal(path)
    lines = journal.read_bytes().splitlines(keepends=True)
    assert len(lines) == 2
    first = bytearray(lines[0])
    first[30] ^= 0x01
    journal.write_bytes(bytes(first) + lines[1])
    before = files_state(path.parent)
    for readonly in (True, False):
        with pytest.raises(StoreCorruptError) as err:
            AnnotationStore(path, readonly=readonly)
        message = str(err.value)
        assert str(journal) in message and "is corrupt: line 1 (byte offset 0) is damaged" in message
        assert "its checksum does not match" in message
        assert f"mv '{journal}' '{journal}.damaged'" in message
        assert err.value.path == journal
    after = files_state(path.parent)
    for lock_file in (path.name + ".lock", path.name + ".lock.info"):
        after.pop(lock_file, None)
        before.pop(lock_file, None)
    assert after == before


def test_journal_with_missing_operations_is_corruption(good_store):
    path, _, _ = good_store
    journal = _journal(path)
    body = json.dumps({"seq": 40, "op": "remove", "id": "x"}, separators=(",", ":")).encode()
    journal.write_bytes(journal.read_bytes() + b"%08x " % zlib.crc32(body) + body + b"\n")
    with pytest.raises(StoreCorruptError, match=r"operation 40 follows operation 6 \(expected 7\)"):
        AnnotationStore(path, readonly=True)


def test_journal_that_starts_after_the_store_file_is_corruption(good_store):
    path, _, _ = good_store
    lines = _journal(path).read_bytes().splitlines(keepends=True)
    _journal(path).write_bytes(lines[1])  # operation 5 is gone
    with pytest.raises(StoreCorruptError, match="continues at operation 6 but the store file ends at operation 4"):
        AnnotationStore(path)


def test_journal_operation_that_does_not_fit_is_corruption(good_store):
    path, folded, _ = good_store
    body = json.dumps({"seq": 7, "op": "remove", "id": "no-such-id"}, separators=(",", ":")).encode()
    with _journal(path).open("ab") as f:
        f.write(b"%08x " % zlib.crc32(body) + body + b"\n")
    with pytest.raises(StoreCorruptError, match="operation 7 removes annotation 'no-such-id', which is not there"):
        AnnotationStore(path)


def test_operations_already_folded_are_skipped(good_store):
    """A crash between replacing the store file and emptying the journal leaves operations in
    the journal that the file already contains: replaying them must not apply them twice."""
    path, _, everything = good_store
    journal_bytes = _journal(path).read_bytes()
    with AnnotationStore(path) as db:
        db.fold()
    _journal(path).write_bytes(journal_bytes)  # as if the truncation never happened
    with AnnotationStore(path) as db:
        assert db.all() == everything
        extra = add_span(db, "z", 0, 1)  # and numbering continues after them
    with AnnotationStore(path, readonly=True) as ro:
        assert ro.get(extra.id) == extra and len(ro.all()) == 6


def _op_line(op: dict) -> bytes:
    body = json.dumps(op, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
    return b"%08x " % zlib.crc32(body) + body + b"\n"


@pytest.mark.parametrize(
    "where, make, problem",
    [
        # An intact line (its checksum is right) whose record has a wrong type: not a torn
        # write, so it is corruption wherever it is, the last line included.
        ("middle", lambda ann: {"op": "update", "ann": ann | {"start": "4"}},
         r"operation 6 \(update\) has an invalid annotation: field 'start' must be an integer, not str"),
        ("last", lambda ann: {"op": "update", "ann": ann | {"note": 5}},
         r"operation 7 \(update\) has an invalid annotation: field 'note' must be a string or null"),
        ("last", lambda ann: {"op": "state", "doc_id": "d", "cursor": "top", "done": False},
         r"operation 7 \(state\) is invalid: cursor must be None or an integer"),
        ("last", lambda ann: {"op": "rename", "id": ann["id"]}, r"operation 7 has an unknown kind 'rename'"),
    ],
)
def test_journal_operation_with_a_wrong_type_is_corruption(good_store, where, make, problem):
    path, _, everything = good_store
    journal = _journal(path)
    lines = journal.read_bytes().splitlines(keepends=True)  # operations 5 and 6
    ann = everything[0].to_dict()
    if where == "middle":
        # Rewrite operation 6 (and keep a later, intact operation 7 after it).
        bad = _op_line({"seq": 6, **make(ann)})
        later = _op_line({"seq": 7, "op": "state", "doc_id": "z", "cursor": 1, "done": False})
        journal.write_bytes(lines[0] + bad + later)
    else:
        journal.write_bytes(b"".join(lines) + _op_line({"seq": 7, **make(ann)}))
    before = files_state(path.parent)
    for readonly in (True, False):
        with pytest.raises(StoreCorruptError) as err:
            AnnotationStore(path, readonly=readonly)
        assert err.value.path == journal
        assert re.search(problem, str(err.value)), str(err.value)
        assert f"mv '{journal}' '{journal}.damaged'" in str(err.value)
    after = files_state(path.parent)
    for lock_file in (path.name + ".lock", path.name + ".lock.info"):
        after.pop(lock_file, None)
        before.pop(lock_file, None)
    assert after == before  # neither the file, nor its backup, nor the journal was touched

    # Moving the journal aside, as the message says, opens the store as of its last fold.
    journal.rename(journal.with_name(journal.name + ".damaged"))
    with AnnotationStore(path, readonly=True) as ro:
        assert len(ro.all()) == 3
