"""A whole text at one width (``TextLayout``): paragraphs laid out lazily, all together on the
fast path when every line is asked for."""

from __future__ import annotations

import gc

from .._icu import (
    ParagraphBidi,
    base_direction,
    check_base,
)
from . import fast as fast_path
from .fast import _CHARS, _FastText, _masked
from .lines import _NO_FORMATS, Line, _new_line
from .paragraph import ParagraphLayout
from .paragraphs import Paragraphs, split_paragraphs


class TextLayout:
    """A whole text at one width: paragraphs laid out lazily, lines addressed by number.

    ``lines`` lays out every paragraph; ``paragraph_lines`` only the one asked for, which is
    what a viewer showing a screenful of a long article wants. "Paragraph" here means an entry
    of ``paragraphs``: a block, for a paragraph longer than ``MAX_BLOCK``.
    """

    def __init__(
        self,
        text: str,
        width: int,
        base: str = "auto",
        *,
        reorder: bool = True,
        paragraphs: Paragraphs | None = None,
        show_format: bool = False,
    ) -> None:
        """``paragraphs``: the text's ``split_paragraphs``, when the caller already has it.
        ``show_format``: draw bidi formatting characters as marks (see the module docstring)."""
        check_base(base)
        self.text = text
        self.width = max(1, width)
        self.base = base
        self.reorder = reorder
        self.show_format = show_format
        self.paragraphs = split_paragraphs(text) if paragraphs is None else paragraphs
        # Width-independent work, shared by every layout derived with at_width() and
        # with_format_shown(): bidi levels per whole paragraph (keyed by its start), and the
        # paragraph layouts for each show_format setting.
        self._shared: dict = {"bidi": {}, False: {}, True: {}}
        self._layouts: dict[int, ParagraphLayout] = self._shared[show_format]
        self._lines: dict[int, list[Line]] = {}

    def _derive(self, width: int, show_format: bool) -> TextLayout:
        other = TextLayout(
            self.text,
            width,
            self.base,
            reorder=self.reorder,
            paragraphs=self.paragraphs,
            show_format=show_format,
        )
        other._shared = self._shared
        other._layouts = self._shared[show_format]
        return other

    def at_width(self, width: int) -> TextLayout:
        """The same text at another width. Paragraphs keep their shaping and bidi levels (they
        do not depend on the width), so a resize only re-wraps what is shown again."""
        return self._derive(width, self.show_format)

    def with_format_shown(self, show: bool) -> TextLayout:
        """The same text with bidi formatting characters shown as marks (or not). The bidi
        levels are shared; each setting's paragraph layouts are kept, so toggling back and
        forth lays nothing out twice."""
        return self._derive(self.width, show)

    def _bidi_of(self, index: int) -> tuple[ParagraphBidi | None, int]:
        """For a block, the levels of its run of blocks (``Paragraphs.levels``; at the level
        of its whole paragraph) and the block's offset in that run; else None."""
        paragraphs = self.paragraphs
        ws, we = paragraphs.whole(index)
        start = paragraphs.starts[index]
        if (ws, we) == (start, paragraphs.ends[index]):
            return None, 0
        ls, le = paragraphs.levels(index)
        bidis = self._shared["bidi"]
        bidi = bidis.get(ls)
        if bidi is None:
            base = self.base if (ls, le) == (ws, we) else self._base_of(ws, we)
            bidi = bidis[ls] = ParagraphBidi(self.text[ls:le], base)
        return bidi, start - ls

    def _base_of(self, start: int, end: int) -> str:
        """The level of the paragraph ``text[start:end]`` cut into runs of levels: rule P2
        over its first run (which has no isolates), else the strong character that starts
        the second."""
        if self.base != "auto":
            return self.base
        bases = self._shared.setdefault("base", {})
        found = bases.get(start)
        if found is None:
            _, first_end = self.paragraphs.levels(self.paragraphs.index_of(start))
            found = base_direction(self.text[start:first_end])
            if found is None:
                found = base_direction(self.text[first_end]) if first_end < end else "ltr"
            bases[start] = found
        return found or "ltr"

    def paragraph_layout(self, index: int) -> ParagraphLayout:
        layout = self._layouts.get(index)
        if layout is None:
            p = self.paragraphs[index]
            bidi, bidi_offset = self._bidi_of(index)
            layout = ParagraphLayout(
                self.text[p.start : p.end],
                self.base,
                offset=p.start,
                index=index,
                reorder=self.reorder,
                show_format=self.show_format,
                bidi=bidi,
                bidi_offset=bidi_offset,
            )
            self._layouts[index] = layout
        return layout

    def has_lines(self, index: int) -> bool:
        """Were the lines of paragraph ``index`` made at this width?"""
        return index in self._lines

    def paragraph_lines(self, index: int) -> list[Line]:
        lines = self._lines.get(index)
        if lines is None:
            lines = self.paragraph_layout(index).lines(self.width)
            self._lines[index] = lines
        return lines

    @property
    def lines(self) -> list[Line]:
        # Everything made here is acyclic (strings, tuples, lists, Lines): run meanwhile, the
        # cyclic garbage collector would traverse the growing heap again and again and find
        # nothing, for a fifth of the time. It is paused (if it runs at all); its next young
        # collection, after, examines the new objects once.
        collecting = gc.isenabled()
        if collecting:
            gc.disable()
        try:
            self._lay_out_rest()
            out: list[Line] = []
            lines = self._lines
            for i in range(len(self.paragraphs)):
                out += lines[i]
        finally:
            if collecting:
                gc.enable()
        return out

    def _lay_out_rest(self) -> None:
        """Lay out every paragraph not laid out yet, together: the fast path's work (shaping,
        marks, mirrored characters; see ``_FastText``) is done over the whole text in a few
        calls and shared by its fast paragraphs, and an empty paragraph gets its line without
        a ParagraphLayout (made when asked for). Paragraphs with characters the fast path
        leaves to the general one, the blocks of long paragraphs and the paragraphs laid out
        already (at another width) go their own way, each with its ParagraphLayout."""
        paragraphs = self.paragraphs
        count = len(paragraphs)
        done = self._lines
        if len(done) == count:
            return
        if not (fast_path._USE_FAST and self.reorder) or count - len(done) < 2:
            for i in range(count):
                self.paragraph_lines(i)
            return
        text = self.text
        starts, ends = paragraphs.starts, paragraphs.ends
        own: set[int] = set(paragraphs._whole)  # blocks
        chars = _CHARS
        if chars.other_text.search(text) is not None:
            chars.learn(text)
            m = chars.other_text.search(text)
            while m is not None:  # one search per paragraph that has any
                i = paragraphs.index_of(m.start())
                own.add(i)
                m = chars.other_text.search(text, ends[i])
        if chars.mark is not None:
            for m in chars.mark.finditer(text):
                t = m.start()
                if t == 0 or text[t - 1].isspace():  # a mark with no letter to sit on
                    own.add(paragraphs.index_of(t))
        fast = _FastText.of(_masked(text, [(starts[i], ends[i]) for i in sorted(own)]))
        if fast is None:
            for i in range(count):
                self.paragraph_lines(i)
            return
        base, width, show_format = self.base, self.width, self.show_format
        layouts = self._layouts
        for i in range(count):
            if i in done:
                continue
            if i in own or i in layouts:
                done[i] = self.paragraph_layout(i).lines(width)
                continue
            s = starts[i]
            e = ends[i]
            if s == e:
                rtl = base == "rtl"  # (the level of an empty paragraph)
                done[i] = [
                    _new_line(
                        i, s, s, rtl, width if rtl else 0, (), (), (), (), (), _NO_FORMATS, ()
                    )
                ]
                continue
            layout = layouts[i] = ParagraphLayout._sharing(text[s:e], base, s, i, show_format, fast)
            done[i] = layout.lines(width)

    def paragraph_of(self, index: int) -> int:
        """The paragraph holding logical ``index`` (a separator belongs to the one it ends)."""
        return self.paragraphs.index_of(index)

    def locate(self, index: int) -> tuple[int, int, int]:
        """Logical → visual: (paragraph, line within the paragraph, column) of ``index``."""
        p = self.paragraph_of(index)
        lines = self.paragraph_lines(p)
        for n, line in enumerate(lines):
            if index < line.end:
                return p, n, line.column_of(index)
        last = lines[-1]
        # The paragraph separator, or the end of the text: just past the reading end, kept
        # inside the layout when the last line is a full LTR one.
        column = last.past_end()
        if last.columns and not last.rtl:
            column = min(self.width - 1, column)
        return p, len(lines) - 1, column


def layout_text(
    text: str, width: int, base: str = "auto", *, show_format: bool = False
) -> list[Line]:
    """Every line of ``text`` laid out in ``width`` cells."""
    return TextLayout(text, width, base, show_format=show_format).lines
