"""End to end: the installed `hamish cat` in tmux (a terminal with no bidi) reads as FriBidi shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from installed import hamish
from reference import fribidi_line_references
from rich.cells import cell_len
from tmux import Tmux

from hamish.tui.bidi import TextLayout

pytestmark = pytest.mark.e2e

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
END = "__HAMISH_CAT_DONE__"


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
    matched = 0
    for row, line, (want, context_differs) in zip(rows, lines, fribidi_line_references(text, layout, lines)):
        shown = row.rstrip()
        if shown.strip() == want.strip():
            matched += 1
        else:
            assert context_differs, (row, want)
        if line.rtl and shown.strip():
            assert cell_len(shown) == width, f"RTL line not right-aligned: {row!r}"
    assert matched >= len(lines) - 2
    if name.startswith("004"):
        assert matched == len(lines)  # the done-when case of the foundation issue: every line
