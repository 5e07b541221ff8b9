"""End to end: the installed `hamish` in tmux at 100x40, read and driven as a person would."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from installed import hamish
from reference import fribidi_line_references
from rich.cells import cell_len
from tmux import Tmux

from hamish.tui.bidi import TextLayout

pytestmark = pytest.mark.e2e

SEED = Path(__file__).resolve().parent.parent.parent / "seeds" / "000_1724ff0518829684.txt"
GUTTER = 3  # label marks left of the text
WIDTH = 96 - GUTTER  # the text area: 100 columns less padding, the gutter and the scrollbar
STATUS = re.compile(r"^\s*(\d+)–(\d+): ")


def status(screen: list[str]) -> tuple[int, int] | None:
    for row in reversed(screen):
        m = STATUS.match(row)
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def article_rows(screen: list[str]) -> list[str]:
    """The text area: below the header row, above the status line; the padding, the gutter
    and the scrollbar column cut away."""
    end = next(i for i in range(len(screen) - 1, -1, -1) if STATUS.match(screen[i]))
    return [_cells(row, 1 + GUTTER, 1 + GUTTER + WIDTH) for row in screen[1:end]]


def _cells(row: str, start: int, end: int) -> str:
    """Columns start..end of a captured row (combining marks stay with their letter)."""
    out, col = [], 0
    for ch in row:
        w = cell_len(ch)
        if start <= col < end or (w == 0 and start < col <= end and out):
            out.append(ch)
        col += w
    return "".join(out)


def wait_status_change(term: Tmux, before) -> tuple[int, int]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        now = status(term.capture())
        if now is not None and now != before:
            return now
        time.sleep(0.05)
    raise AssertionError("the cursor did not move:\n" + "\n".join(term.capture()))


def test_reader_shows_the_article_in_visual_order_and_the_cursor_moves(tmp_path):
    text = SEED.read_bytes().decode("utf-8")
    with Tmux([hamish(), "--db", str(tmp_path / "db.json"), str(SEED)], width=100, height=40) as term:
        layout = TextLayout(text, WIDTH)
        first = layout.lines[0].text.strip()
        # The reader is up (a status line), its first row is the article's first line at the
        # text area's width (not a paint from before the last layout), and the screen is still.
        screen = term.wait_for(
            lambda s: status(s) is not None and article_rows(s)[0].strip() == first, settle=0.3
        )
        rows = article_rows(screen)
        # What the screen shows equals what FriBidi shows for each line's words.
        lines = layout.lines[: len(rows)]
        compared = 0
        for row, line, (want, context_differs) in zip(rows, lines, fribidi_line_references(text, layout, lines)):
            if row.strip() == want.strip():
                compared += 1
            else:
                assert context_differs, (row, want)
            if line.rtl and want.strip():
                assert cell_len(row.rstrip()) == WIDTH, row  # right-aligned
        assert compared >= 30

        # The cursor starts on the first word; Left goes forward in this RTL text.
        word_spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
        assert status(screen) == word_spans[0]
        term.send_keys("Left")
        assert wait_status_change(term, word_spans[0]) == word_spans[1]
        term.send_keys("Left")
        assert wait_status_change(term, word_spans[1]) == word_spans[2]
        term.send_keys("Right")
        assert wait_status_change(term, word_spans[2]) == word_spans[1]
        # Down lands on the next line with words: the first paragraph's title, then text.
        term.send_keys("Down")
        after = wait_status_change(term, word_spans[1])
        assert after[0] > word_spans[1][0]
        term.send_keys("End")
        assert wait_status_change(term, after) == word_spans[-1]
        term.send_keys("C-q")  # quits: the process ends
        term.wait_for(lambda s: term.pane_dead())
