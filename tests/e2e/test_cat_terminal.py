"""End to end: the installed `hamish cat` in tmux (a terminal with no bidi) reads as FriBidi shows it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.cells import cell_len

from reference import fribidi_levels, fribidi_visual
from tmux import Tmux
from tui.bidi import TextLayout

pytestmark = pytest.mark.e2e

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
END = "__HAMISH_CAT_DONE__"


def hamish() -> str:
    path = shutil.which("hamish")
    assert path, "the hamish command is not installed (python -m pip install -e '.[test]')"
    return path


@pytest.mark.parametrize("name, width", [("004_2171f8ed50ffc6de.txt", 60), ("000_1724ff0518829684.txt", 100)])
def test_cat_in_tmux_matches_fribidi(name, width):
    path = SEEDS / name
    text = path.read_bytes().decode("utf-8")
    with Tmux(f"{hamish()} cat {path} --width {width}; echo {END}", width=100, height=40) as term:
        screen = term.wait_for(lambda s: any(END in row for row in s), history=True)
    rows = screen[: next(i for i, row in enumerate(screen) if END in row)]

    layout = TextLayout(text, width)
    lines = layout.lines
    assert len(rows) == len(lines)
    words = [text[line.start : line.end] for line in lines]
    expected = fribidi_visual(words, [line.rtl for line in lines])
    # A line may differ from FriBidi-on-its-words only where FriBidi, given the whole
    # paragraph, resolves its words to other levels (paragraph context, UAX #9 section 3.4).
    alone = fribidi_levels(words, [line.rtl for line in lines])
    paras = layout.paragraphs
    in_para = fribidi_levels([text[p.start : p.end] for p in paras], [layout.paragraph_layout(p.index).rtl for p in paras])
    matched = 0
    for row, line, want, lv in zip(rows, lines, expected, alone):
        p = paras[line.paragraph]
        shown = row.rstrip()
        if shown.strip() == want.strip():
            matched += 1
        else:
            assert lv != in_para[line.paragraph][line.start - p.start : line.end - p.start], (row, want)
        if line.rtl and shown.strip():
            assert cell_len(shown) == width, f"RTL line not right-aligned: {row!r}"
    assert matched >= len(lines) - 2
    if name.startswith("004"):
        assert matched == len(lines)  # the done-when case of the foundation issue: every line
