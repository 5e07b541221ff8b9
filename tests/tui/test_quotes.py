"""Quotation ranges from their marks (hamish.tui.quotes): pure functions, text + offset → range."""

from __future__ import annotations

import pytest

from hamish.tui.quotes import quotation_around, quotations, unclosed

T = "قال بيسكوف: “إن بوتين قال «لن نتراجع» عن قره باغ”، وأضاف."


def inner(text: str, r: tuple[int, int] | None) -> str | None:
    return None if r is None else text[r[0] : r[1]]


def test_nested_quotations_are_found_without_their_marks() -> None:
    found = [T[q.start : q.end] for q in quotations(T)]
    assert found == ["إن بوتين قال «لن نتراجع» عن قره باغ", "لن نتراجع"]
    assert [q.depth for q in quotations(T)] == [0, 1]


def test_inside_out_on_repeated_presses() -> None:
    i = T.index("نتراجع")
    first = quotation_around(T, i, i + len("نتراجع»"))
    assert inner(T, first) == "لن نتراجع"
    second = quotation_around(T, *first, selected=True)
    assert inner(T, second) == "إن بوتين قال «لن نتراجع» عن قره باغ"
    assert quotation_around(T, *second, selected=True) is None  # nothing further out


def test_a_word_carrying_the_closing_mark_and_a_comma() -> None:
    i = T.index("باغ”،")
    assert inner(T, quotation_around(T, i, i + len("باغ”،"))) == (
        "إن بوتين قال «لن نتراجع» عن قره باغ"
    )


def test_a_word_carrying_the_opening_mark() -> None:
    i = T.index("“إن")
    assert inner(T, quotation_around(T, i, i + 3)).startswith("إن بوتين")


def test_outside_any_quotation() -> None:
    i = T.index("وأضاف")
    assert quotation_around(T, i, i + 5) is None


def test_unclosed_is_not_guessed_and_stops_at_the_paragraph() -> None:
    text = "قال: «كلام بلا نهاية\nوفي فقرة أخرى» شيء"
    i = text.index("بلا")
    assert quotation_around(text, i, i + 3) is None
    assert quotations(text) == []


def test_open_ended_runs_to_the_paragraphs_end_only_when_asked() -> None:
    text = "قال: «كلام بلا نهاية  \nوفي فقرة أخرى» شيء"
    i = text.index("بلا")
    got = quotation_around(text, i, i + 3, open_ended=True)
    assert inner(text, got) == "كلام بلا نهاية"
    assert quotation_around(text, *got, selected=True, open_ended=True) is None
    assert unclosed(text) == [text.index("«")]
    # a closed quotation still wins; an unclosed mark inside a closed one is not taken
    text = "قال “هذا «كلام ناقص” وانتهى"
    i = text.index("ناقص")
    assert inner(text, quotation_around(text, i, i + 4, open_ended=True)) == "هذا «كلام ناقص"


@pytest.mark.parametrize(
    "open_, close",
    [
        ("“", "”"),
        ("«", "»"),
        ("‹", "›"),
        ("„", "“"),
        ("„", "”"),
        ('"', '"'),
        ("“", "″"),
        ("″", "″"),
    ],
)
def test_every_pair_of_marks(open_: str, close: str) -> None:
    text = f"قال {open_}نص مقتبس هنا{close}."
    i = text.index("مقتبس")
    assert inner(text, quotation_around(text, i, i + 5)) == "نص مقتبس هنا"


def test_straight_quotes_nest_inside_curly_ones() -> None:
    text = 'قال “هذا ما سماه "الخط الأحمر" بالأمس”'
    i = text.index("الأحمر")
    first = quotation_around(text, i, i + 6)
    assert inner(text, first) == "الخط الأحمر"
    assert inner(text, quotation_around(text, *first, selected=True)).startswith("هذا ما")


def test_across_lines_of_a_long_paragraph() -> None:
    long = " ".join(["كلمة"] * 200)
    text = f"قال «{long}» وانتهى"
    i = text.index("كلمة", 500)
    assert quotation_around(text, i, i + 4) == (5, 5 + len(long))


def test_spaces_inside_the_marks_are_trimmed() -> None:
    text = "قال « نص » ثم"
    assert inner(text, quotation_around(text, 5, 7)) == "نص"
