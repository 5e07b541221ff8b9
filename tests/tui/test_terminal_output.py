"""What is sent in each mode, judged by references nobody here wrote: GNU FriBidi's command (the
bidi VTE runs over each row) and ICU's bidi (which Konsole runs), over whole screens too."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest

from reference import require_fribidi
from hamish.store import load_corpus
from hamish.tui.app import HamishApp
from hamish.tui.bidi import layout_text
from hamish.tui.screen_output import strip_cells, transform_strip
from hamish.tui.terminal import (
    KONSOLE_RULES,
    LRM,
    VTE_RULES,
    Mode,
    Terminal,
    row_cells,
    shaping_cells,
    simulate_bidi_terminal,
)

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
TRICKY = [
    "قال John 12.5% و(١٢) [x] {ب} 3-4 a١b",
    "١٨ فبراير ٢٠٢١",
    "«لا» لـ ١٢٣ مقترحاً في 2024.",
    "The word سلام (peace), then 42 more: ١٢ and «نعم».",
    '(إدلب) ستحل، مضيفاً "لم ننجح بعد"',  # a bracket pair and quotes reaching out of a run
]


def rows_of(texts, width):
    rows = []
    for text in texts:
        for line in layout_text(text, width):
            rows.append([" "] * line.x + list(line.glyphs))
    return rows


def fribidi_ltr(lines: list[str]) -> list[str]:
    out = subprocess.run(
        [require_fribidi(), "--ltr", "--nopad", "--nobreak", "--reordernsm"],
        input=("\n".join(lines) + "\n").encode(),
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [o.replace(LRM, "") for o in out.split("\n")[: len(lines)]]


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def all_texts():
    return [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] + TRICKY


@pytest.mark.parametrize("width", [100, 41])
def test_bidi_rows_come_out_of_fribidi_as_laid_out(width):
    rows = rows_of(all_texts(), width)
    sent = ["".join(t for _, _, t in row_cells(r, Mode.BIDI, VTE_RULES)) for r in rows]
    assert any(s != "".join(r) for s, r in zip(sent, rows))  # something was reordered
    shown = fribidi_ltr(sent)
    for row, got in zip(rows, shown):
        assert got.rstrip() == "".join(row).rstrip()


@pytest.mark.parametrize("width", [100, 33])
def test_bidi_rows_for_konsole_rules_through_icu(width):
    rows = rows_of(all_texts(), width)
    for row in rows:
        sent = [t for _, _, t in row_cells(row, Mode.BIDI, KONSOLE_RULES)]
        assert simulate_bidi_terminal(sent, KONSOLE_RULES) == row


def test_bidi_cells_keep_their_styles():
    row = list("ab ") + list("ﻡﻮﻴﻟﺍ")
    sent = row_cells(row, Mode.BIDI, VTE_RULES)
    for style_from, cell_from, text in sent:
        assert style_from == cell_from  # the terminal moves a cell with its colours
        assert text.replace(LRM, "") in (row[cell_from],)


def test_visual_mode_sends_cells_unchanged():
    row = list(" ﻡﻮﻴﻟﺍ John ﻝﺎﻗ")
    assert [t for _, _, t in row_cells(row, Mode.VISUAL)] == row


def test_shaping_reverses_each_rtl_run_and_keeps_styles_in_place():
    row = list("ﻡﻮﻴﻟﺍ John (ﻝﺎﻗ) ١٢٣ 42")
    sent = row_cells(row, Mode.SHAPING)
    assert [s for s, _, _ in sent] == list(range(len(row)))  # colours stay on their columns
    text = "".join(t for _, _, t in sent)
    # kitty's HarfBuzz reverses a run that starts with Arabic and mirrors its brackets back
    assert text == "اليوم John (قال) ٣٢١ 42"  # as letters: kitty joins them itself


def test_shaping_runs_end_at_font_changes():
    row = list("ﻡﻮﻴﻟﺍ")
    fonts = [(False, False)] * 2 + [(True, False)] * 3
    assert shaping_cells(row, fonts) == list("ومالي")


def test_shaping_keeps_the_forms_of_a_run_with_a_lam_alef():
    # a lam-alef is one cell; as letters it would be two
    assert shaping_cells(list("ﻼﺒﻗ")) == list("ﻗﺒﻼ")


@pytest.mark.parametrize("screen_keys", [["", "enter", "question_mark"]])
async def test_every_screen_in_bidi_mode_reads_as_in_visual_mode(screen_keys, tmp_path, monkeypatch):
    """The library, the reader and help: every row sent in bidi mode, reordered by FriBidi as
    VTE does, is the row Hamish laid out."""
    from textual.strip import Strip

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    term = Terminal("test", Mode.BIDI)
    corpus = load_corpus([str(SEEDS)])
    app = HamishApp(corpus, terminal=term, db_path=str(tmp_path / "db.json"))
    moved = 0
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in screen_keys:
            if key:
                await pilot.press(key)
                await pilot.pause(0.3)
            update = app.screen._compositor.render_full_update()
            visual, sent = [], []
            for line in update.strips:
                strip = Strip.join(list(line))
                cells, _ = strip_cells(strip)
                visual.append("".join(cells))
                sent.append(transform_strip(strip, term).text)
            shown = fribidi_ltr(sent)
            for want, got in zip(visual, shown):
                # (FriBidi shapes a letter left unshaped, as VTE would: compare the letters)
                assert nfkc(got.rstrip()) == nfkc(want.rstrip())
            moved += sum(v != s for v, s in zip(visual, sent))
    assert moved >= 20  # titles, article lines: sent in another order than shown


def test_alacritty_gets_each_cells_marks_one_cell_left():
    # Alacritty 0.11 draws a cell's combining marks over the next cell to the right (seen on
    # its screenshots): sent with the left neighbour, they land where they belong
    row = [" ", "ﻝَ", "ﺎ", "ﻗ"]
    assert row_cells(row, Mode.VISUAL, marks_left=True) == [
        (0, 0, " َ"),
        (1, 1, "ﻝ"),
        (2, 2, "ﺎ"),
        (3, 3, "ﻗ"),
    ]
    assert [t for _, _, t in row_cells(["ﺏُ", "ﻝِّ"], Mode.VISUAL, marks_left=True)] == [
        "ﺏُِّ",
        "ﻝ",
    ]  # the first cell has no left neighbour: it keeps its own


def test_arabic_is_never_sent_italic():
    # DejaVu Sans Mono Oblique has no Arabic letters: urxvt, mlterm and Konsole drew boxes for
    # the italic suggestions (seen on their screenshots); Latin keeps its italic
    from rich.segment import Segment
    from rich.style import Style
    from textual.strip import Strip

    from hamish.tui.screen_output import upright_arabic

    italic = Style(italic=True, underline=True)
    strip = Strip([Segment("ﻡﻮﻴﻟﺍ", italic), Segment(" John", italic)])
    out = list(upright_arabic(strip))
    assert out[0].style is not None and not out[0].style.italic and out[0].style.underline
    assert out[1].style is not None and out[1].style.italic
