"""store.drift: an annotation follows its text when the place is unambiguous, else is flagged."""

from __future__ import annotations

import hashlib

from store.annotations import Annotation
from store.drift import place, place_one

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
    assert p.status == "flagged" and p.drifted
    assert (p.start, p.end) == (a.start, a.end)


def test_deleted_text_is_flagged_even_when_offsets_still_fit():
    a = ann_over(OLD, "ستجتمع")
    new = OLD.replace("ستجتمع", "اجتمعت")
    p = place_one(new, sha(new), a)
    assert p.status == "flagged"


def test_offsets_past_the_end_of_a_shorter_text_are_flagged():
    a = ann_over(OLD, "غدا")
    new = "قصير"
    assert place_one(new, sha(new), a).status == "flagged"


def test_inconsistent_record_on_unchanged_text_is_flagged():
    a = ann_over(OLD, "الوزير")
    bad = Annotation(**{**a.to_dict(), "start": a.start + 1, "end": a.end + 1})
    assert place_one(OLD, sha(OLD), bad).status == "flagged"


def test_place_keeps_order():
    anns = [ann_over(OLD, "الحكومة"), ann_over(OLD, "قال")]
    assert [p.annotation for p in place(OLD, sha(OLD), anns)] == anns
