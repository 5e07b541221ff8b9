"""Session: changes go to the store at once; undo/redo walk the history across articles."""

from __future__ import annotations

import hashlib

import pytest

from hamish.store import AnnotationStore, Article
from hamish.tui.sentences import ends_sentence, sentence_of
from hamish.tui.session import ReadOnlyError, Session


def article(doc: str, text: str) -> Article:
    return Article(doc, text.split("\n")[0], text, hashlib.sha256(text.encode()).hexdigest(), f"{doc}.txt")


def state(path, *docs):
    with AnnotationStore(path, readonly=True) as db:
        return {d: [(a.start, a.end, a.label, a.note) for a in db.annotations(d)] for d in docs}


def test_undo_redo_across_articles_in_order(tmp_path):
    a, b = article("a", "قال الوزير"), article("b", "the minister said")
    path = tmp_path / "db.json"
    with AnnotationStore(path) as db:
        s = Session(db, "t")
        x = s.add(a, 0, 3, "claim").annotation
        y = s.add(b, 4, 12, "quote").annotation
        s.relabel(x, "agreement")
        s.set_note(db.get(y.id), "who")
        assert state(path, "a", "b") == {"a": [(0, 3, "agreement", None)], "b": [(4, 12, "quote", "who")]}
        undone = [s.undo().kind for _ in range(4)]
        assert undone == ["note", "relabel", "add", "add"] and s.undo() is None
        assert state(path, "a", "b") == {"a": [], "b": []}
        redone = [s.redo().kind for _ in range(4)]
        assert redone == ["add", "add", "relabel", "note"] and s.redo() is None
        assert state(path, "a", "b") == {"a": [(0, 3, "agreement", None)], "b": [(4, 12, "quote", "who")]}
        assert db.get(x.id) is not None  # redo of add brings back the very same annotation


def test_a_new_change_clears_redo(tmp_path):
    a = article("a", "قال الوزير")
    with AnnotationStore(tmp_path / "db.json") as db:
        s = Session(db)
        s.add(a, 0, 3, "claim")
        s.undo()
        assert s.can_redo
        s.add(a, 4, 10, "quote")
        assert not s.can_redo


def test_remove_then_undo_restores_the_same_record(tmp_path):
    a = article("a", "قال الوزير")
    with AnnotationStore(tmp_path / "db.json") as db:
        s = Session(db, "t")
        ann = s.add(a, 0, 3, "claim", note="n").annotation
        s.remove(ann)
        assert db.get(ann.id) is None
        s.undo()
        assert db.get(ann.id) == ann


def test_read_only_store_refuses_changes(tmp_path):
    path = tmp_path / "db.json"
    AnnotationStore(path).close()
    with AnnotationStore(path, readonly=True) as db:
        with pytest.raises(ReadOnlyError):
            Session(db).add(article("a", "نص"), 0, 2, "claim")


@pytest.mark.parametrize(
    "word, ends",
    [("غدا.", True), ("غدا؟", True), ("«غدا؟»", True), ("غدا…", True), ("3.5", False), ("غدا،", False), ("”.", True)],
)
def test_sentence_ends(word, ends):
    assert ends_sentence(word) is ends


def test_sentence_of_runs_between_ends_and_to_the_paragraph_edges():
    text = "أ ب. ج د؟ هـ و"
    import re

    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    assert sentence_of(text, words, 0) == (0, 1)
    assert sentence_of(text, words, 1) == (0, 1)
    assert sentence_of(text, words, 2) == (2, 3)
    assert sentence_of(text, words, 5) == (4, 5)


def test_accept_reject_move_are_durable_and_undoable(tmp_path):
    from hamish.tui.suggest import suggest_quotations

    text = "قال الوزير: «لن نتراجع عن القرار» أمس، وأضاف: «الحوار مستمر معهم»."
    a = article("a", text)
    first, second = suggest_quotations(text)
    path = tmp_path / "db.json"
    with AnnotationStore(path) as db:
        s = Session(db, "t")
        accepted = s.accept(a, first).annotation
        assert (accepted.start, accepted.end, accepted.label, accepted.origin) == (
            first.start, first.end, "quote", "suggested:quotes")
        # another label and changed boundaries
        other = s.accept(a, second, label="claim", span=(second.start, second.end - 5)).annotation
        assert other.label == "claim" and other.text == second.text[:-5]
        assert other.origin == "suggested:quotes"
        s.undo()
        s.reject(a, second)
        assert db.rejected("a") == {second.key}
        moved = s.move(a, accepted, accepted.start + 3, accepted.end).annotation
        assert moved.id == accepted.id and moved.text == text[accepted.start + 3 : accepted.end]
        assert [c.kind for c in (s.undo(), s.undo())] == ["move", "reject"]
        assert db.rejected("a") == frozenset()
        assert (db.get(accepted.id).start, db.get(accepted.id).end) == (first.start, first.end)
        assert [c.kind for c in (s.redo(), s.redo())] == ["reject", "move"]
        assert db.rejected("a") == {second.key}
        assert db.get(accepted.id).start == first.start + 3
    with AnnotationStore(path, readonly=True) as db:  # all of it on disk
        assert db.rejected("a") == {second.key}
        (ann,) = db.annotations("a")
        assert (ann.start, ann.origin) == (first.start + 3, "suggested:quotes")
