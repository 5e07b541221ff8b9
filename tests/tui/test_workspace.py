"""The application layer without Textual: label rules, the edits a change returns (what a
reader repaints), drift moves written once when an article opens, undo and redo across
articles, read-only stores and a failed fold said once."""

from __future__ import annotations

import errno
import hashlib

import pytest

from hamish.store import AnnotationStore, Article, Corpus
from hamish.tui.workspace import NoChange, ReadOnlyError, Workspace

TEXT = "قال الوزير إن الاتفاق تاريخي ثم غادر القاعة"
OTHER = "نص آخر لا علاقة له بالأول"


def article(doc: str, text: str) -> Article:
    return Article(doc, doc, text, hashlib.sha256(text.encode("utf-8")).hexdigest())


def span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


@pytest.fixture
def ws(tmp_path):
    corpus = Corpus([article("a", TEXT), article("b", OTHER)])
    workspace = Workspace.open(corpus, tmp_path / "db.json", annotator="tester")
    yield workspace
    if not workspace.closed:
        workspace.close()


def test_a_label_key_adds_then_relabels_the_exact_span_then_says_it_is_tagged(ws):
    a = ws.corpus.get("a")
    s, e = span(TEXT, "الوزير")
    edit = ws.tag(a, s, e, "claim")
    assert not isinstance(edit, NoChange)
    assert edit.change.kind == "add" and edit.removed == ()
    assert [(p.span, p.annotation.label) for p in edit.added] == [((s, e), "claim")]
    edit = ws.tag(a, s, e, "quote")
    assert not isinstance(edit, NoChange) and edit.change.kind == "relabel"
    assert [p.annotation.label for p in edit.removed] == ["claim"]
    assert [p.annotation.label for p in edit.added] == ["quote"]
    assert edit.touched == [(s, e), (s, e)]  # the reader repaints this span's lines only
    assert ws.tag(a, s, e, "quote") == NoChange("Already tagged ", "quote")
    assert ws.tag(a, 3, 3, "claim") == NoChange("Nothing to tag here: this article has no words")
    assert [(x.start, x.end, x.label) for x in ws.store.annotations("a")] == [(s, e, "quote")]


def test_two_spans_on_one_place_are_left_alone_and_a_new_one_is_added(ws):
    a = ws.corpus.get("a")
    s, e = span(TEXT, "الاتفاق")
    ws.tag(a, s, e, "claim")
    ws.change(lambda session: session.add(a, s, e, "agreement"))  # two on the span now
    edit = ws.tag(a, s, e, "quote")
    assert not isinstance(edit, NoChange) and edit.change.kind == "add"
    assert sorted(p.annotation.label for p in ws.article(a)) == ["agreement", "claim", "quote"]


def test_remove_and_note_return_what_changed(ws):
    a = ws.corpus.get("a")
    s, e = span(TEXT, "تاريخي")
    added = ws.tag(a, s, e, "claim")
    assert not isinstance(added, NoChange)
    ann = added.added[0].annotation
    edit = ws.set_note(ann, "a note")
    assert edit.added[0].annotation.note == "a note" and edit.removed[0].annotation.note is None
    edit = ws.remove(edit.added[0].annotation)
    assert edit.added == () and [p.id for p in edit.removed] == [ann.id]
    assert len(ws.article(a)) == 0


def test_undo_and_redo_reach_into_another_article_and_keep_placements(ws):
    a, b = ws.corpus.get("a"), ws.corpus.get("b")
    ws.tag(a, *span(TEXT, "قال"), "claim")
    ws.tag(b, *span(OTHER, "آخر"), "quote")
    edit = ws.undo()
    assert edit is not None and edit.doc_id == "b" and edit.added == ()
    assert ws.store.annotations("b") == []
    edit = ws.undo()
    assert edit is not None and edit.doc_id == "a"
    assert len(ws.article(a)) == 0
    edit = ws.redo()
    assert edit is not None and [p.span for p in edit.added] == [span(TEXT, "قال")]
    assert [p.span for p in ws.article(a)] == [span(TEXT, "قال")]
    assert ws.undo() is not None and ws.undo() is None


def test_drift_moves_are_written_once_when_the_article_opens(tmp_path, monkeypatch):
    old = article("a", TEXT)
    with AnnotationStore(tmp_path / "db.json") as db:
        s, e = span(TEXT, "الاتفاق")
        db.add("a", s, e, "claim", "x", text=TEXT[s:e], sha256=old.sha256)
        s, e = span(TEXT, "غادر")
        db.add("a", s, e, "quote", "x", text=TEXT[s:e], sha256=old.sha256)
    changed = "مقدمة جديدة. " + TEXT.replace("غادر", "رحل")  # one moves, one drifts
    new = article("a", changed)
    ws = Workspace.open(Corpus([new]), tmp_path / "db.json")
    moves = []
    real_move = ws.store.move
    monkeypatch.setattr(ws.store, "move", lambda *a, **k: moves.append(a) or real_move(*a, **k))
    placed = ws.article(new)
    assert placed.moved == 1 and placed.drifted == 1 and len(moves) == 1
    claim = next(p for p in placed if p.annotation.label == "claim")
    assert claim.span == span(changed, "الاتفاق") and not claim.drifted
    assert ws.store.get(claim.id).start == claim.start  # written
    ws.article(new)
    quote = next(p for p in placed if p.drifted)
    ws.tag(new, *span(changed, "القاعة"), "claim")
    edit = ws.tag(new, quote.start, quote.end, "agreement")  # relabel the drifted one
    assert not isinstance(edit, NoChange)
    assert edit.added[0].drifted and edit.added[0].span == quote.span  # still drifted, in place
    assert len(moves) == 1  # nothing placed again, nothing moved again
    edit = ws.remove(edit.added[0].annotation)
    edit = ws.undo()  # the drifted annotation comes back drifted, where it was
    assert edit is not None and edit.added[0].drifted and edit.added[0].span == quote.span
    ws.close()


def test_a_read_only_store_refuses_changes_and_writes_no_moves(tmp_path):
    holder = Workspace.open(Corpus([article("a", TEXT)]), tmp_path / "db.json")
    a = holder.corpus.get("a")
    holder.tag(a, *span(TEXT, "قال"), "claim")
    try:
        ws = Workspace.open(holder.corpus, tmp_path / "db.json")
        assert ws.readonly and ws.locked_by is not None
        assert len(ws.article(a)) == 1
        with pytest.raises(ReadOnlyError):
            ws.tag(a, *span(TEXT, "الوزير"), "claim")
        with pytest.raises(ReadOnlyError):
            ws.toggle_done("a")
        ws.close()
    finally:
        holder.close()


def test_done_counts_status_and_the_next_article_without_annotations(ws):
    a = ws.corpus.get("a")
    assert ws.next_unannotated(None) == "a"
    ws.tag(a, *span(TEXT, "قال"), "claim")
    assert ws.next_unannotated(None) == "b" and ws.next_unannotated("b") is None
    assert ws.toggle_done("b") is True and ws.is_done("b")
    counts = ws.counts()
    assert counts == {"a": {"claim": 1}}
    assert ws.status(counts) == {"a": "started", "b": "done"}
    ws.remember_cursor("a", 7)
    assert ws.cursor_of("a") == 7 and ws.store.article_state("a")["cursor"] == 7


def test_a_failed_fold_is_reported_once_per_problem(ws, monkeypatch):
    a = ws.corpus.get("a")
    ws.store.fold_bytes = 1
    monkeypatch.setattr(ws.store, "_next_fold_at", 0)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(ws.store, "_write_state", full)  # (folds run in the background)
    ws.tag(a, *span(TEXT, "قال"), "claim")
    ws.store.wait_for_fold()
    error = ws.new_fold_error()
    assert error is not None and "No space left on device" in error
    monkeypatch.setattr(ws.store, "_next_fold_at", 0)
    ws.tag(a, *span(TEXT, "الوزير"), "claim")
    ws.store.wait_for_fold()
    assert ws.store.last_fold_error == error
    assert ws.new_fold_error() is None  # the same problem: said already
    monkeypatch.undo()
