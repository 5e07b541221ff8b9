"""The one display path (tui/display.py): controls cleaned, markup never parsed, every field an
isolated run in a left-to-right line. Bidi expectations come from GNU FriBidi (a reference
nobody here wrote), run on the same logical text with each field wrapped in FSI … PDI."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from hamish.tui import display
from hamish.tui.display import Display, Field

FSI, PDI = "\u2068", "\u2069"
FRIBIDI = shutil.which("fribidi")


def fribidi(text: str) -> str:
    """FriBidi's visual line for ``text`` in a left-to-right paragraph, shaped, without the
    isolate characters it keeps in its output."""
    if FRIBIDI is None:
        pytest.fail("fribidi is missing: apt-get install libfribidi-bin")
    out = subprocess.run(
        [FRIBIDI, "--nopad", "--nobreak", "--ltr"],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return out.rstrip("\n").replace(FSI, "").replace(PDI, "")


def test_the_search_status_keeps_the_count_outside_the_quotes():
    """The bug: `376–379: “2 :”ﻦﻴﺗﻮﺑ ﻥﺇ“   ﻥﺇ matches` (the count inside the quotation marks)."""
    shown = display.line(
        " 376–379: ", Field("“إن"), "   “", Field("إن بوتين"), "”: 2 matches"
    ).plain
    assert shown == fribidi(f" 376–379: {FSI}“إن{PDI}   “{FSI}إن بوتين{PDI}”: 2 matches")
    assert shown.endswith("”: 2 matches") and shown.startswith(" 376–379: ")
    # the cursor's word reads as the article shows it: the quote mark at its right
    assert " 376–379: ﻥﺇ“ " in shown
    # and without isolates FriBidi gives the scrambled line the issue saw: the test can fail
    assert fribidi(" 376–379: “إن   “إن بوتين”: 2 matches") != shown


@pytest.mark.parametrize(
    "parts",
    [
        (" · «", Field("إن بوتين قال 2024 hello"), "» in ", Field("000_17")),
        ("Deleted ", Field("مصدر"), " (u undoes)"),
        ("“", Field("abc إن"), "”: 3 matches"),
    ],
)
def test_fields_are_isolated_runs_as_fribidi_lays_them_out(parts):
    logical = "".join(p if isinstance(p, str) else FSI + p.text + PDI for p in parts)
    assert display.line(*parts).plain == fribidi(logical)
    assert display.block(display.message(*parts), 200).plain == fribidi(logical)


def test_an_arabic_quote_in_guillemets_opens_and_closes_the_right_way():
    """The bug: «“ﺔﻳﺭﻮﺳ ... ﻦﻴﺗﻮﺑ ﻥﺇ… — the ellipsis beside the first word, quotes reversed."""
    text = "إن بوتين قال إن الأزمات على سورية"
    shown = display.line(" · «", Field(text, flex=True), "»", width=20).plain
    assert shown.startswith(" · «…") and shown.endswith("ﻥﺇ»")  # cut at its reading end: left
    assert len(shown) <= 20  # cut between words


def test_a_cut_latin_field_ends_with_its_ellipsis_on_the_right():
    shown = display.line("Title: ", Field("a very long title indeed", flex=True), width=16).plain
    assert shown == "Title: a very…"  # cut between words


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("t\x1b]0;TITLE\x07.txt", "t\u241b]0;TITLE\u2407.txt"),
        ("c1 \x9b2J \x9d0;X\x9c", "c1 \ufffd2J \ufffd0;X\ufffd"),
        ("del\x7f nul\x00", "del\u2421 nul\u2400"),
        ("rlo \u202eabc\u202c", "rlo cba"),  # takes part in the layout, never sent
        ("[/]x [b]bold[/b] [blink reverse]x.txt", "[/]x [b]bold[/b] [blink reverse]x.txt"),
    ],
)
def test_controls_become_placeholders_and_markup_is_text(raw, shown):
    out = display.field(raw)
    assert isinstance(out, Display) and out.plain == shown
    assert not out.spans and not out.style  # no markup was interpreted


def test_for_stderr_keeps_line_breaks_and_cleans_everything_else():
    msg = "x.jsonl:3: label \x1b]52;c;ZXZpbA==\x07 \u202eevil\n  second \x9b line"
    assert (
        display.for_stderr(msg)
        == "x.jsonl:3: label \u241b]52;c;ZXZpbA==\u2407 evil\n  second \ufffd line"
    )


def test_a_hostile_field_cannot_escape_its_isolate():
    """A PDI of its own would close the field's isolate and let its text reorder what follows;
    an LRI left open would swallow the rest of the line."""
    assert display.isolate("a\u2069b") == FSI + "ab" + PDI
    assert display.isolate("a\u2066b") == FSI + "a\u2066b" + PDI + PDI


def test_a_path_breaks_after_its_separators():
    path = "/home/user/notes [draft]/exports/hamish-export-20261201.jsonl"
    rows = display.path_block(path, 20).plain.split("\n")
    assert "".join(rows) == path and all(len(r) <= 20 for r in rows)
    assert all(r.endswith(("/", "-", " ")) for r in rows[:-1]), rows
