"""The last step before the terminal: each screen row Textual composed (visual order, shaped,
as every widget draws it through the engine) turned into what the terminal's mode needs
(:func:`hamish.tui.terminal.row_cells`). Only rows holding right-to-left text change.

In the ``shaping`` and ``bidi`` modes a row is sent whole whenever any of it changes: what the
terminal does to a cell depends on the rest of its row.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.console import Console
from rich.control import Control
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip

from hamish.tui.terminal import Terminal, has_rtl, row_cells


def strip_cells(strip: Strip) -> tuple[list[str], list[Style | None]]:
    """A row's cells (a glyph and its zero-width followers) and the style of each."""
    cells: list[str] = []
    styles: list[Style | None] = []
    for segment in strip:
        if segment.control:
            continue
        for ch in segment.text:
            if cells and get_character_cell_size(ch) == 0:
                cells[-1] += ch
                continue
            cells.append(ch)
            styles.append(segment.style)
    return cells, styles


def transform_strip(strip: Strip, terminal: Terminal) -> Strip:
    """``strip`` (one screen row in visual order) as it is sent in ``terminal``'s mode."""
    if not terminal.transforms_rows or not has_rtl(strip.text):
        return strip
    cells, styles = strip_cells(upright_arabic(strip))
    fonts = [(s.bold, s.italic) if s is not None else (None, None) for s in styles]
    segments: list[Segment] = []
    run: list[str] = []
    run_style: Style | None = None
    first = True
    sent = row_cells(cells, terminal.mode, terminal.rules, fonts, terminal.marks_left)
    for style_from, _cell_from, text in sent:
        style = styles[style_from]
        if first or style != run_style:
            if run:
                segments.append(Segment("".join(run), run_style))
            run, run_style, first = [], style, False
        run.append(text)
    if run:
        segments.append(Segment("".join(run), run_style))
    return Strip(segments, strip.cell_length)


_NOT_ITALIC = Style(italic=False)


def upright_arabic(strip: Strip) -> Strip:
    """``strip`` with italic taken off every segment that holds right-to-left text. Arabic has
    no italic, and the italic faces of terminal fonts have no Arabic letters (DejaVu Sans Mono
    Oblique has none: urxvt, mlterm and Konsole then draw boxes)."""
    changed = False
    segments = []
    for segment in strip:
        style = segment.style
        if style is not None and style.italic and not segment.control and has_rtl(segment.text):
            segment = Segment(segment.text, style + _NOT_ITALIC, segment.control)
            changed = True
        segments.append(segment)
    return Strip(segments, strip.cell_length) if changed else strip


def upright_update(update: object) -> object:
    """A compositor update with :func:`upright_arabic` applied to what it writes."""
    if isinstance(update, LayoutUpdate):
        update.strips = [[upright_arabic(s) for s in line] for line in update.strips]
    elif isinstance(update, ChopsUpdate):
        update.chops = [
            {x: (upright_arabic(s) if s is not None else None) for x, s in chop.items()}
            for chop in update.chops
        ]
    elif isinstance(update, RowsUpdate):
        update.rows = [(y, upright_arabic(s)) for y, s in update.rows]
    return update


class RowsUpdate(CompositorUpdate):
    """Whole rows, each written from its first column."""

    def __init__(self, rows: list[tuple[int, Strip]]) -> None:
        self.rows = rows

    def render_segments(self, console: Console) -> str:
        move_to = Control.move_to
        return "".join(move_to(0, y).segment.text + strip.render(console) for y, strip in self.rows)


def transform_update(screen, update: object, terminal: Terminal) -> object:
    """A compositor update for ``terminal``: rows with right-to-left text in the modes that need
    it re-sent whole and transformed; anything else unchanged."""
    if not terminal.transforms_rows:
        return upright_update(update)
    if isinstance(update, LayoutUpdate):
        strips = [[transform_strip(Strip.join(list(line)), terminal)] for line in update.strips]
        return LayoutUpdate(strips, update.region)  # type: ignore[arg-type]
    if isinstance(update, ChopsUpdate):
        compositor = screen._compositor
        ys = sorted({y for y, _, _ in update.spans})
        wanted = set(ys)
        chops = compositor._render_chops(compositor.size.region, wanted.__contains__)
        rows = []
        for y in ys:
            parts = [s for s in chops[y].values() if s is not None]
            rows.append((y, transform_strip(Strip.join(parts), terminal)))
        return RowsUpdate(rows)
    return update
