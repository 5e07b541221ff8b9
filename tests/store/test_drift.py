"""store.drift: an annotation follows its text when the place is unambiguous, else is flagged."""

from __future__ import annotations

import hashlib
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from hamish.store.annotations import Annotation, AnnotationStore
from hamish.store.drift import place, place_one

OLD = "قال الوزير إن الحكومة ستجتمع غدا"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def ann_over(text: str, word: str, occurrence: int = 0) -> Annotation:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(word, start + 1)
    return Annotation(
        id=f"a{start}", doc_id="d", start=start, end=start + len(word), label="claim",
        text=word, sha256=sha(text), annotator="t", note=None,
        created="2026-01-01T00:00:00+00:00", updated="2026-01-01T00:00:00+00:00",
    )


def test_unchanged_text_is_ok():
    a = ann_over(OLD, "الحكومة")
    p = place_one(OLD, sha(OLD), a)
    assert (p.status, p.start, p.end) == ("ok", a.start, a.end)


def test_text_inserted_before_moves_the_span_onto_the_same_words():
    a = ann_over(OLD, "الحكومة")
    new = "عاجل: " + OLD
    p = place_one(new, sha(new), a)
    assert p.status == "moved"
    assert new[p.start : p.end] == "الحكومة"
    assert p.start == a.start + len("عاجل: ")


def test_ambiguous_new_place_is_flagged_not_guessed():
    a = ann_over(OLD, "الحكومة")
    new = "الحكومة: " + OLD.replace("قال", "قالت")
    p = place_one(new, sha(new), a)
    assert p.status == "drifted" and p.drifted
    assert (p.start, p.end) == (a.start, a.end)


def test_deleted_text_is_flagged_even_when_offsets_still_fit():
    a = ann_over(OLD, "ستجتمع")
    new = OLD.replace("ستجتمع", "اجتمعت")
    p = place_one(new, sha(new), a)
    assert p.status == "drifted"


def test_offsets_past_the_end_of_a_shorter_text_are_flagged():
    a = ann_over(OLD, "غدا")
    new = "قصير"
    assert place_one(new, sha(new), a).status == "drifted"


def test_inconsistent_record_on_unchanged_text_is_flagged():
    a = ann_over(OLD, "الوزير")
    bad = Annotation(**{**a.to_dict(), "start": a.start + 1, "end": a.end + 1})
    assert place_one(OLD, sha(OLD), bad).status == "drifted"


def test_place_keeps_order():
    anns = [ann_over(OLD, "الحكومة"), ann_over(OLD, "قال")]
    assert [p.annotation for p in place(OLD, sha(OLD), anns)] == anns


def test_unique_place_inside_a_longer_word_is_flagged_not_moved():
    a = ann_over(OLD, "قال")
    new = "نشرت مقالة: " + OLD.replace("قال ", "أعلن ")  # 'قال' is left only inside 'مقالة'
    assert new.count("قال") == 1
    p = place_one(new, sha(new), a)
    assert p.status == "drifted" and (p.start, p.end) == (a.start, a.end)
    assert "part of a longer word" in p.reason


def test_a_letter_is_not_split_from_its_harakat():
    a = ann_over(OLD, "الوزير")
    new = "عاجل: " + OLD.replace("الوزير", "الوزيرُ")  # now followed by a damma
    p = place_one(new, sha(new), a)
    assert p.status == "drifted"


def test_reasons_say_why_an_annotation_is_flagged():
    a = ann_over(OLD, "الحكومة")
    gone = OLD.replace("الحكومة", "الوزارة")
    twice = "الحكومة، " + OLD + "!"
    assert "no longer in the article" in place_one(gone, sha(gone), a).reason
    assert "several places" in place_one(twice, sha(twice), a).reason
    moved = place_one("عاجل: " + OLD, sha("عاجل: " + OLD), a)
    assert moved.status == "moved" and moved.reason == f"moved from {a.start}..{a.end}"


def test_non_bmp_text_moves_by_code_points():
    old = "🇱🇧 قال الوزير 👍 إن الحكومة"
    a = ann_over(old, "الحكومة")
    new = "😀😀 " + old
    p = place_one(new, sha(new), a)
    assert p.status == "moved" and new[p.start : p.end] == "الحكومة" and p.start == a.start + 3


WORDS = ["قال", "الوزير", "إن", "الحكومة", "ستجتمع", "غدا", "في", "بيروت", "مقالة", "الوزيرُ"]


@given(
    old_words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    pick=st.integers(0, 100),
    edits=st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["insert", "delete", "replace"]),
                             st.sampled_from(WORDS + ["، ", "ب", "ُ"])), max_size=4),
)
@settings(max_examples=300, deadline=None)
def test_a_placement_never_puts_an_annotation_on_other_words(old_words, pick, edits):
    """Whatever the edit: 'ok' and 'moved' placements cover exactly the annotated text, at
    word boundaries when moved, at the one place it occurs; every other case is flagged."""
    old = " ".join(old_words)
    word = old_words[pick % len(old_words)]
    a = ann_over(old, word, occurrence=old_words[: pick % len(old_words)].count(word))
    new = old
    for at, kind, piece in edits:
        at = min(at, len(new))
        if kind == "insert":
            new = new[:at] + piece + new[at:]
        elif kind == "delete":
            new = new[:at] + new[at + len(piece):]
        else:
            new = new[:at] + piece + new[at + len(piece):]
    p = place_one(new, sha(new), a)
    if p.status == "ok":
        assert new[p.start : p.end] == word and (p.start, p.end) == (a.start, a.end)
    elif p.status == "moved":
        assert new[p.start : p.end] == word
        assert new.count(word) == 1
        before = new[p.start - 1] if p.start else " "
        after = new[p.end] if p.end < len(new) else " "
        assert not (before.isalpha() or unicodedata.category(before) == "Mn")
        assert not (after.isalpha() or unicodedata.category(after) == "Mn")
    else:
        assert p.status == "drifted" and (p.start, p.end) == (a.start, a.end) and p.reason
        # Flagged although the word is still at its offsets would be a needless flag.
        assert not (a.end <= len(new) and new[a.start : a.end] == word)


def test_a_move_written_to_the_store_reads_back_on_the_new_text(tmp_path):
    """The app's part of drift: place(), then AnnotationStore.move() for each 'moved' one."""
    old = OLD
    new = "عاجل: " + OLD.replace("ستجتمع", "اجتمعت")
    with AnnotationStore(tmp_path / "a.json") as db:
        kept = db.add("d", *_span(old, "الحكومة"), "ORG", text="الحكومة", sha256=sha(old))
        lost = db.add("d", *_span(old, "ستجتمع"), "EVT", text="ستجتمع", sha256=sha(old))
        for p in place(new, sha(new), db.annotations("d")):
            if p.status == "moved":
                db.move(p.annotation.id, p.start, p.end, text=p.annotation.text, sha256=sha(new))
    with AnnotationStore(tmp_path / "a.json", readonly=True) as ro:
        moved, flagged = ro.get(kept.id), ro.get(lost.id)
        assert new[moved.start : moved.end] == "الحكومة" and moved.sha256 == sha(new)
        assert flagged == lost  # untouched, still drifted
        statuses = {p.annotation.id: p.status for p in place(new, sha(new), ro.annotations("d"))}
        assert statuses == {kept.id: "ok", lost.id: "drifted"}


def _span(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)
