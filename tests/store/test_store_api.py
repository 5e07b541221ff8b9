"""Behaviour of AnnotationStore: the API, persistence, readonly views."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
from pathlib import Path

import pytest
import tinydb
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import hamish.store as store
from hamish.store import (
    Annotation,
    AnnotationError,
    AnnotationStore,
    NotFoundError,
    StoreError,
    default_store_path,
)
from hamish.store.annotations import SCHEMA_VERSION
from hamish.store.annotations.journal import scan_journal

from annstore_helpers import ARTICLE, SHA, add_span, files_state, run_worker


def test_public_names_are_exported_next_to_the_corpus_ones():
    for name in ["AnnotationStore", "Annotation", "StoreError", "StoreLockedError",
                 "StoreCorruptError", "default_store_path", "Article", "load_corpus"]:
        assert name in store.__all__ and hasattr(store, name)


def test_add_returns_a_complete_annotation(store_path):
    with AnnotationStore(store_path) as db:
        ann = db.add("doc1", 4, 8, "PER", "salma", "check", text=ARTICLE[4:8], sha256=SHA)
    assert isinstance(ann, Annotation)
    assert len(ann.id) == 32 and int(ann.id, 16) >= 0
    assert (ann.doc_id, ann.start, ann.end, ann.label) == ("doc1", 4, 8, "PER")
    assert (ann.text, ann.sha256, ann.annotator, ann.note) == (ARTICLE[4:8], SHA, "salma", "check")
    assert ann.created == ann.updated and ann.created.endswith("+00:00")
    assert len(ann.created.split(".")[1].split("+")[0]) == 6  # microseconds
    with pytest.raises(dataclasses.FrozenInstanceError):
        ann.label = "LOC"  # type: ignore[misc]


def test_annotator_defaults_to_login_name_or_unknown(store_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "layla")
    with AnnotationStore(store_path) as db:
        assert add_span(db, "d", 0, 3).annotator == "layla"

        def fail():
            raise OSError("no login name")

        monkeypatch.setattr("getpass.getuser", fail)
        assert add_span(db, "d", 0, 3).annotator == "unknown"


def test_annotations_sorted_by_start_end_id_and_per_article(store_path):
    with AnnotationStore(store_path) as db:
        spans = [(10, 14), (0, 3), (10, 12), (0, 3), (4, 8), (0, 9)]
        made = [add_span(db, "d1", s, e) for s, e in spans]
        other = add_span(db, "d2", 0, 1)
        got = db.annotations("d1")
        assert got == sorted(made, key=lambda a: (a.start, a.end, a.id))
        assert db.annotations("d2") == [other]
        assert db.annotations("nope") == []
        assert db.all() == sorted(made + [other], key=lambda a: (a.doc_id, a.start, a.end, a.id))
        assert db.get(made[0].id) == made[0]
        assert db.get("missing") is None
        assert len(db) == 7


def test_update_changes_label_and_note_and_bumps_updated(store_path):
    with AnnotationStore(store_path) as db:
        ann = add_span(db, "d", 0, 3, note="first")
        new = db.update(ann.id, label="LOC")
        assert (new.label, new.note) == ("LOC", "first")
        assert new.updated > ann.updated and new.created == ann.created
        newer = db.update(ann.id, note=None)
        assert (newer.label, newer.note) == ("LOC", None)
        assert db.get(ann.id) == newer
        assert db.update(ann.id, label="LOC") == newer  # no change, no new timestamp
        assert db.counts() == {"d": {"LOC": 1}}


def test_move_puts_the_annotation_on_new_offsets_in_one_durable_operation(store_path):
    new_sha = "b" * 64
    with AnnotationStore(store_path) as db:
        other = add_span(db, "d", 0, 3)
        ann = add_span(db, "d", 4, 8, "LOC", note="n")
        lines = len(db.journal_path.read_bytes().splitlines())
        moved = db.move(ann.id, 10, 14, text="XXXX", sha256=new_sha)
        assert (moved.id, moved.doc_id, moved.label, moved.note) == (ann.id, "d", "LOC", "n")
        assert (moved.annotator, moved.created) == (ann.annotator, ann.created)
        assert (moved.start, moved.end, moved.text, moved.sha256) == (10, 14, "XXXX", new_sha)
        assert moved.updated > ann.updated
        assert db.get(ann.id) == moved
        assert db.annotations("d") == [other, moved]  # re-sorted by the new offsets
        assert db.counts() == {"d": {"PER": 1, "LOC": 1}}
        assert len(db.journal_path.read_bytes().splitlines()) == lines + 1  # one op, not two
    out = run_worker("adds", str(store_path), "0")  # reopen through another process
    assert out.returncode == 0, out.stderr
    with AnnotationStore(store_path, readonly=True) as ro:
        assert ro.get(ann.id) == moved and ro.get(other.id) == other


def test_move_that_survives_only_in_the_journal(store_path):
    """A writer that dies right after move() returned: the move is replayed on open."""
    with AnnotationStore(store_path) as db:
        ann = add_span(db, "d", 4, 8)
    out = run_worker("move", str(store_path), ann.id, "0", "4", ARTICLE[0:4], "c" * 64)
    assert out.returncode == 0, out.stderr
    moved = Annotation.from_dict(json.loads(out.stdout))
    assert (moved.id, moved.start, moved.end, moved.sha256) == (ann.id, 0, 4, "c" * 64)
    assert b'"op":"update"' in store_path.with_name("annotations.json.journal").read_bytes()
    with AnnotationStore(store_path, readonly=True) as ro:
        assert ro.all() == [moved]


def test_move_with_the_same_offsets_records_a_new_hash(store_path):
    with AnnotationStore(store_path) as db:
        ann = add_span(db, "d", 4, 8)
        assert db.move(ann.id, 4, 8, text=ann.text, sha256=SHA) == ann  # nothing changes
        rehashed = db.move(ann.id, 4, 8, text=ann.text, sha256="d" * 64)
        assert rehashed.sha256 == "d" * 64 and (rehashed.start, rehashed.end) == (4, 8)
        assert rehashed.updated > ann.updated


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (("zzz", 0, 3), {"text": "abc", "sha256": SHA}, NotFoundError, "no annotation with id 'zzz'"),
        ((None, 3, 3), {"text": "", "sha256": SHA}, AnnotationError, "start .3. must be less than end"),
        ((None, -1, 2), {"text": "abc", "sha256": SHA}, AnnotationError, "'start' must be >= 0"),
        ((None, 0, 3), {"text": "ab", "sha256": SHA}, AnnotationError, "text has 2 characters"),
        ((None, True, 3), {"text": "ab", "sha256": SHA}, AnnotationError, "'start' must be an integer"),
        ((None, 0, 3), {"text": "abc", "sha256": ""}, AnnotationError, "'sha256' must not be empty"),
        ((None, 0, 3), {"text": "abc", "sha256": None}, AnnotationError, "'sha256' must be a string"),
        ((None, 0, 3), {"text": b"abc", "sha256": SHA}, AnnotationError, "'text' must be a string"),
    ],
)
def test_move_validation(store_path, args, kwargs, error, message):
    with AnnotationStore(store_path) as db:
        ann = add_span(db, "d", 4, 8)
        size = db.journal_path.stat().st_size
        with pytest.raises(error, match=message):
            db.move(args[0] or ann.id, *args[1:], **kwargs)
        assert db.all() == [ann] and db.journal_path.stat().st_size == size  # nothing written


def test_move_refused_by_a_readonly_store(store_path):
    with AnnotationStore(store_path) as db:
        ann = add_span(db, "d", 4, 8)
    with AnnotationStore(store_path, readonly=True) as ro:
        with pytest.raises(StoreError, match="read-only"):
            ro.move(ann.id, 0, 4, text="abcd", sha256=SHA)


def test_remove_and_restore_put_back_exactly_the_same(store_path):
    with AnnotationStore(store_path) as db:
        keep = add_span(db, "d", 0, 3)
        ann = db.update(add_span(db, "d", 4, 8, note="n").id, label="ORG")
        removed = db.remove(ann.id)
        assert removed == ann
        assert db.get(ann.id) is None and db.annotations("d") == [keep]
        assert db.counts() == {"d": {"PER": 1}}
        assert db.restore(removed) == ann
        assert db.get(ann.id) == ann
        assert db.annotations("d") == [keep, ann]
    with AnnotationStore(store_path, readonly=True) as ro:
        assert ro.get(ann.id) == ann  # same id, created and updated after reopening


def test_restore_refuses_an_annotation_that_is_present(store_path):
    with AnnotationStore(store_path) as db:
        ann = add_span(db, "d", 0, 3)
        with pytest.raises(AnnotationError, match="already in the store"):
            db.restore(ann)


def test_unknown_ids(store_path):
    with AnnotationStore(store_path) as db:
        with pytest.raises(NotFoundError, match="no annotation with id 'zzz'"):
            db.update("zzz", label="X")
        with pytest.raises(NotFoundError):
            db.remove("zzz")
        assert isinstance(NotFoundError("x"), StoreError)


def test_counts(store_path):
    with AnnotationStore(store_path) as db:
        a = add_span(db, "d1", 0, 3, "PER")
        add_span(db, "d1", 4, 8, "PER")
        add_span(db, "d1", 4, 9, "LOC")
        add_span(db, "d2", 0, 2, "ORG")
        assert db.counts() == {"d1": {"PER": 2, "LOC": 1}, "d2": {"ORG": 1}}
        db.update(a.id, label="LOC")
        db.remove(db.annotations("d2")[0].id)
        assert db.counts() == {"d1": {"PER": 1, "LOC": 2}}


def test_article_state(store_path):
    with AnnotationStore(store_path) as db:
        assert db.article_state("d") == {"cursor": None, "done": False}
        assert db.set_article_state("d", cursor=12) == {"cursor": 12, "done": False}
        assert db.set_article_state("d", done=True) == {"cursor": 12, "done": True}
        db.set_article_state("e", cursor=0)
        state = db.article_state("d")
        state["cursor"] = 99  # a copy: does not change the store
        assert db.article_state("d") == {"cursor": 12, "done": True}
        with pytest.raises(AnnotationError):
            db.set_article_state("d", cursor=-1)
        with pytest.raises(AnnotationError):
            db.set_article_state("d", done="yes")  # type: ignore[arg-type]
        with pytest.raises(AnnotationError):
            db.set_article_state("", cursor=1)
    with AnnotationStore(store_path) as db:
        assert db.article_state("d") == {"cursor": 12, "done": True}
        assert db.article_states() == {"d": {"cursor": 12, "done": True}, "e": {"cursor": 0, "done": False}}


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        (("d", 3, 3, "PER"), {"text": ""}, "start .3. must be less than end"),
        (("d", 5, 3, "PER"), {"text": "ab"}, "less than end"),
        (("d", -1, 3, "PER"), {"text": "abcd"}, "'start' must be >= 0"),
        (("d", 0.0, 3, "PER"), {"text": "abc"}, "'start' must be an integer"),
        (("d", True, 3, "PER"), {"text": "ab"}, "'start' must be an integer"),
        (("d", 0, "3", "PER"), {"text": "abc"}, "'end' must be an integer"),
        (("d", 0, 3, "PER"), {"text": "ab"}, "text has 2 characters but the span 0..3 covers 3"),
        (("d", 0, 3, ""), {"text": "abc"}, "label must be a non-empty string"),
        (("d", 0, 3, None), {"text": "abc"}, "label must be a non-empty string"),
        (("", 0, 3, "PER"), {"text": "abc"}, "'doc_id' must not be empty"),
        (("d", 0, 3, "PER", None, 5), {"text": "abc"}, "note must be a string or None"),
        (("d", 0, 3, "PER", ""), {"text": "abc"}, "'annotator' must not be empty"),
        (("d", 0, 3, "PER"), {"text": "abc", "sha256": 7}, "'sha256' must be a string"),
        (("d", 0, 3, "PER"), {"text": b"abc"}, "'text' must be a string"),
    ],
)
def test_add_validation(store_path, args, kwargs, message):
    with AnnotationStore(store_path) as db:
        size = db.journal_path.stat().st_size
        with pytest.raises(AnnotationError, match=message) as err:
            db.add(*args, **({"sha256": SHA} | kwargs))
        assert isinstance(err.value, StoreError) and isinstance(err.value, ValueError)
        assert db.all() == [] and db.journal_path.stat().st_size == size  # nothing written


def test_update_validation(store_path):
    with AnnotationStore(store_path) as db:
        ann = add_span(db, "d", 0, 3)
        with pytest.raises(AnnotationError):
            db.update(ann.id, label="  ")
        with pytest.raises(AnnotationError):
            db.update(ann.id, note=3)  # type: ignore[arg-type]
        assert db.get(ann.id) == ann


def test_dict_round_trip_and_from_dict_validation():
    ann = Annotation("i1", "d", 0, 3, "PER", "abc", SHA, "me", None,
                     "2025-01-01T00:00:00.000001+00:00", "2025-01-01T00:00:00.000001+00:00")
    d = ann.to_dict()
    assert list(d) == ["id", "doc_id", "start", "end", "label", "text", "sha256", "annotator",
                       "note", "created", "updated", "origin"]
    assert Annotation.from_dict(json.loads(json.dumps(d))) == ann
    with pytest.raises(AnnotationError, match="missing field.*label"):
        Annotation.from_dict({k: v for k, v in d.items() if k != "label"})
    with pytest.raises(AnnotationError, match="unknown field.*colour"):
        Annotation.from_dict(d | {"colour": "red"})
    with pytest.raises(AnnotationError, match="'created' must be an ISO-8601"):
        Annotation.from_dict(d | {"created": "yesterday"})
    with pytest.raises(AnnotationError, match="expected an object"):
        Annotation.from_dict([1, 2])  # type: ignore[arg-type]


def test_reopen_persists_everything(store_path):
    with AnnotationStore(store_path) as db:
        a = add_span(db, "d1", 0, 3, note="ملاحظة")
        b = add_span(db, "d1", 4, 8)
        c = add_span(db, "d2", 9, 17, "LOC")
        b = db.update(b.id, label="ORG", note="x")
        db.remove(c.id)
        db.set_article_state("d1", cursor=7, done=True)
        expected = db.all()
    with AnnotationStore(store_path) as db:
        assert db.all() == expected == [a, b]
        assert db.article_state("d1") == {"cursor": 7, "done": True}
        assert db.counts() == {"d1": {"PER": 1, "ORG": 1}}


def test_store_file_is_a_tinydb_database_with_meta(store_path):
    with AnnotationStore(store_path) as db:
        a = add_span(db, "d1", 0, 3)
        db.set_article_state("d1", cursor=3)
    plain = tinydb.TinyDB(store_path, access_mode="r", encoding="utf-8")
    try:
        assert plain.table("annotations").all() == [a.to_dict()]
        assert plain.table("articles").all() == [{"doc_id": "d1", "cursor": 3, "done": False}]
        (meta,) = plain.table("meta").all()
        assert meta["schema"] == SCHEMA_VERSION and meta["folded_seq"] == 2
    finally:
        plain.close()
    # closing folded the journal into the file; the backup is the same good state
    assert store_path.with_name("annotations.json.journal").stat().st_size == 0
    assert store_path.with_name("annotations.json.bak").read_bytes() == store_path.read_bytes()


def test_changes_are_in_the_journal_before_the_call_returns(store_path):
    db = AnnotationStore(store_path)
    try:
        folded = store_path.read_bytes()
        a = add_span(db, "d", 0, 3)
        b = db.update(add_span(db, "d", 4, 8).id, note="n")
        db.set_article_state("d", done=True)
        assert store_path.read_bytes() == folded  # nothing folded yet
        ops = scan_journal(db.journal_path.read_bytes()).ops
        assert [op["op"] for op in ops] == ["add", "add", "update", "state"]
        assert [op["seq"] for op in ops] == [1, 2, 3, 4]
        assert ops[0]["ann"] == a.to_dict() and ops[2]["ann"] == b.to_dict()
    finally:
        db.close()


def test_a_writer_that_dies_without_close_loses_nothing(store_path):
    with AnnotationStore(store_path) as db:
        first = add_span(db, "d", 0, 3)
    out = run_worker("adds", str(store_path), "5")
    assert out.returncode == 0, out.stderr
    ids = out.stdout.split()
    with AnnotationStore(store_path) as db:
        assert {a.id for a in db.all()} == {first.id, *ids}


def test_journal_is_folded_when_it_grows(store_path):
    with AnnotationStore(store_path, fold_bytes=2000) as db:
        for i in range(40):
            add_span(db, "d", i, i + 1)
            db.wait_for_fold()  # folds run in the background: let each finish
            assert db.journal_path.stat().st_size < 2000 + 1000
        folded = json.loads(store_path.read_text("utf-8"))
        assert 10 < len(folded["annotations"]) < 40  # some folds happened, the rest is journalled
        assert folded["meta"]["1"]["folded_seq"] == len(folded["annotations"])
        assert store_path.with_name("annotations.json.bak").read_bytes() == store_path.read_bytes()
    with AnnotationStore(store_path, readonly=True) as ro:
        assert len(ro.all()) == 40


def test_readonly_sees_unfolded_writes_and_reload(store_path):
    with AnnotationStore(store_path) as db:
        a = add_span(db, "d", 0, 3)
        db.set_article_state("d", cursor=2)
        ro = AnnotationStore(store_path, readonly=True)  # while the writer holds the lock
        assert ro.all() == [a] and ro.article_state("d") == {"cursor": 2, "done": False}
        b = db.update(a.id, label="LOC")
        c = add_span(db, "d", 4, 8)
        assert ro.get(a.id) == a  # a snapshot until reload()
        ro.reload()
        assert ro.all() == [b, c]
        db.fold()
        d = add_span(db, "e", 1, 2)
        ro.reload()
        assert ro.all() == [b, c, d]
        ro.close()


def test_readonly_cannot_write(store_path):
    with AnnotationStore(store_path) as db:
        a = add_span(db, "d", 0, 3)
    with AnnotationStore(store_path, readonly=True) as ro:
        for call in (lambda: add_span(ro, "d", 0, 3), lambda: ro.update(a.id, label="X"),
                     lambda: ro.remove(a.id), lambda: ro.restore(a), lambda: ro.fold(),
                     lambda: ro.set_article_state("d", done=True)):
            with pytest.raises(StoreError, match="read-only"):
                call()


def test_readonly_never_writes(store_path):
    with AnnotationStore(store_path) as db:
        a = add_span(db, "d", 0, 3)
    out = run_worker("adds", str(store_path), "3")  # leaves an unfolded journal
    assert out.returncode == 0
    with store_path.with_name("annotations.json.journal").open("ab") as f:
        f.write(b"0badc0de {\"seq\": 9")  # and a torn last line, which a writer would cut off
    directory = store_path.parent
    before = files_state(directory)
    with AnnotationStore(store_path, readonly=True) as ro:
        assert len(ro.all()) == 4 and ro.get(a.id) == a
        ro.reload()
    assert files_state(directory) == before


def test_readonly_of_a_missing_store_is_empty_and_creates_nothing(tmp_path):
    path = tmp_path / "nowhere" / "annotations.json"
    with AnnotationStore(path, readonly=True) as ro:
        assert ro.all() == [] and ro.counts() == {}
    assert not path.parent.exists()


def test_default_store_path_is_in_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = default_store_path()
    assert path.name == "annotations.json" and path.parent.name == "hamish"
    if os.name == "posix" and "darwin" not in os.sys.platform:
        assert path == tmp_path / "xdg" / "hamish" / "annotations.json"
        with AnnotationStore() as db:  # creates the parent directories
            assert db.path == path
        assert path.exists()


def test_closed_store_refuses_writes_and_close_is_idempotent(store_path):
    db = AnnotationStore(store_path)
    db.close()
    db.close()
    assert db.closed
    with pytest.raises(StoreError, match="closed"):
        add_span(db, "d", 0, 3)


def test_restore_many_is_durable_and_all_or_nothing(store_path, tmp_path):
    with AnnotationStore(store_path) as src:
        anns = [add_span(src, "d", i, i + 2) for i in range(5)]
    other = tmp_path / "other.json"
    with AnnotationStore(other) as db:
        assert db.restore_many(anns[:3]) == 3
        with pytest.raises(AnnotationError):
            db.restore_many([anns[4], anns[0]])  # anns[0] is already there
        assert db.all() == anns[:3]
    shutil.copy(other, tmp_path / "copy.json")  # the file alone (no journal) holds them
    with AnnotationStore(tmp_path / "copy.json", readonly=True) as ro:
        assert ro.all() == anns[:3]


# ---- a model-based check: random operations, reopen at random points ------------------------


class StoreMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.dir = Path(tempfile.mkdtemp(prefix="hamish-store-model-"))
        self.path = self.dir / "annotations.json"
        self.db = AnnotationStore(self.path, fold_bytes=1500)
        self.model: dict[str, Annotation] = {}
        self.states: dict[str, dict] = {}
        self.removed: list[Annotation] = []

    def teardown(self) -> None:
        self.db.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule(doc=st.sampled_from(["a", "b"]), start=st.integers(0, 30), length=st.integers(1, 6),
          label=st.sampled_from(["PER", "LOC", "شخص"]), note=st.none() | st.text(max_size=5))
    def add(self, doc, start, length, label, note):
        ann = add_span(self.db, doc, start, start + length, label, note=note)
        self.model[ann.id] = ann

    @precondition(lambda self: self.model)
    @rule(data=st.data(), label=st.sampled_from(["PER", "ORG"]))
    def update(self, data, label):
        ann_id = data.draw(st.sampled_from(sorted(self.model)))
        self.model[ann_id] = self.db.update(ann_id, label=label)

    @precondition(lambda self: self.model)
    @rule(data=st.data(), start=st.integers(0, 30), length=st.integers(1, 6), rehash=st.booleans())
    def move(self, data, start, length, rehash):
        ann_id = data.draw(st.sampled_from(sorted(self.model)))
        end = start + length
        sha = ("e" * 64) if rehash else self.model[ann_id].sha256
        self.model[ann_id] = self.db.move(ann_id, start, end, text=ARTICLE[start:end], sha256=sha)

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def remove(self, data):
        ann_id = data.draw(st.sampled_from(sorted(self.model)))
        self.removed.append(self.db.remove(ann_id))
        del self.model[ann_id]

    @precondition(lambda self: self.removed)
    @rule()
    def restore(self):
        ann = self.removed.pop()
        self.model[ann.id] = self.db.restore(ann)

    @rule(doc=st.sampled_from(["a", "b"]), cursor=st.none() | st.integers(0, 50), done=st.booleans())
    def state(self, doc, cursor, done):
        self.states[doc] = self.db.set_article_state(doc, cursor=cursor, done=done)

    @rule(readonly_first=st.booleans())
    def reopen(self, readonly_first):
        if readonly_first:
            with AnnotationStore(self.path, readonly=True) as ro:
                self.check(ro)
        self.db.close()
        self.db = AnnotationStore(self.path, fold_bytes=1500)

    def check(self, db):
        expected = sorted(self.model.values(), key=lambda a: (a.doc_id, a.start, a.end, a.id))
        assert db.all() == expected
        for doc in ("a", "b"):
            assert db.annotations(doc) == [a for a in expected if a.doc_id == doc]
            assert db.article_state(doc) == self.states.get(doc, {"cursor": None, "done": False})
        counts: dict = {}
        for a in expected:
            counts.setdefault(a.doc_id, {}).setdefault(a.label, 0)
            counts[a.doc_id][a.label] += 1
        assert db.counts() == counts

    @invariant()
    def matches_model(self):
        self.check(self.db)


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(
    max_examples=30, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def test_readers_see_a_consistent_state_while_the_writer_folds(store_path, tmp_path):
    """A writer adds n0, n1, n2, ... and folds every few adds; every read-only open must see
    exactly n0..n(k-1) for some k that never goes down (no gap, no loss, no duplicate)."""
    import signal
    import time

    from annstore_helpers import start_worker

    ackfile = tmp_path / "ready.log"
    proc = start_worker("sequence", str(store_path), str(ackfile), "2500")
    try:
        deadline = time.monotonic() + 20
        while not (ackfile.exists() and ackfile.read_text().startswith("ready")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.01)
        seen, folded_seqs, reads = 0, set(), 0
        end = time.monotonic() + 2.0
        while time.monotonic() < end or reads < 30:
            with AnnotationStore(store_path, readonly=True) as ro:
                labels = [a.label for a in ro.annotations("seq")]
            folded_seqs.add(json.loads(store_path.read_bytes() or b"{}").get("meta", {}).get("1", {}).get("folded_seq"))
            assert labels == [f"n{i}" for i in range(len(labels))]
            assert len(labels) >= seen
            seen = len(labels)
            reads += 1
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
    assert seen > 50 and len(folded_seqs) > 5  # it did run against a moving, folding store


def test_search_takes_tinydbs_query(store_path):
    from tinydb import Query

    A = Query()
    with AnnotationStore(store_path) as db:
        a = add_span(db, "d", 0, 3, "claim", note="x")
        b = add_span(db, "d", 4, 8, "quote")
        c = add_span(db, "e", 1, 2, "quote", note="y")
        assert db.search(A.label == "quote") == [b, c]
        assert db.search((A.label == "quote") & (A.note != None)) == [c]  # noqa: E711
        assert db.search(A.doc_id.one_of(["d"]) & A.start.test(lambda s: s < 4)) == [a]
