"""A text laid out as it is read (``stream_layout``): memory bounded by what is read at a time,
not by the text, for ``hamish cat`` on a 67 MB one-line article.

The pieces it yields give exactly the lines ``TextLayout(text, width).lines`` gives for the
whole text (tests/bidi/test_stream.py). Complete paragraphs are laid out as they are; a long
paragraph still being read is laid out up to its last separable cut (see
``Paragraphs.levels``): its blocks are cut where the whole text's would be (``block_cuts`` goes
forward and decides each cut from the ``max_block`` characters after the one before it), and
UAX #9 over the part gives the levels the whole paragraph gives, at the paragraph's level.

One case keeps a whole paragraph in memory: after an explicit embedding, override or isolate,
no cut of its paragraph is separable (what is open at a cut reaches past it), so the rest of
that paragraph is read to its end before it is laid out.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .._icu import base_direction, check_base
from .lines import Line
from .paragraphs import (
    MAX_BLOCK,
    PARAGRAPH_SEPARATOR,
    Paragraphs,
    block_cuts,
    separable_cuts,
    split_paragraphs,
)
from .text import TextLayout


def stream_layout(
    chunks: Iterable[str],
    width: int,
    base: str = "auto",
    *,
    reorder: bool = True,
    show_format: bool = False,
    max_block: int = MAX_BLOCK,
) -> Iterator[tuple[int, str, list[Line]]]:
    """The lines of the text ``"".join(chunks)`` at ``width``, a piece at a time:
    ``(offset, piece, lines)``, where ``piece`` is the text at ``offset`` the lines were laid
    out from and their offsets (``start``, ``end``, ``logical``) index ``piece``. In order, with
    no line twice. ``max_block``: as for ``split_paragraphs`` (the layout of the whole text is
    ``TextLayout(text, width, paragraphs=split_paragraphs(text, max_block))``)."""
    check_base(base)
    max_block = max(2, max_block)

    def lay_out(piece: str, paragraphs: Paragraphs, piece_base: str) -> list[Line]:
        return TextLayout(
            piece,
            width,
            piece_base,
            reorder=reorder,
            paragraphs=paragraphs,
            show_format=show_format,
        ).lines

    def part(piece: str, cuts: list[int]) -> Paragraphs:
        """One paragraph's part ``piece`` cut into blocks at ``cuts``, one run of levels."""
        edges = [0, *cuts, len(piece)]
        whole = {k: (0, len(piece)) for k in range(len(edges) - 1)} if cuts else None
        return Paragraphs(edges[:-1], edges[1:], whole)

    buf = ""  # read, not laid out yet: from logical offset ``at``
    at = 0
    level: str | None = None  # the level of the paragraph buf is the rest of (None: its start)
    limit = 4 * max_block  # length of an unfinished paragraph worth looking for a cut in
    source = iter(chunks)
    done = False
    while not done:
        chunk = next(source, None)
        if chunk is None:
            done = True
        else:
            buf += chunk
        # A "\r" that ends what was read may be the start of "\r\n": not a separator yet.
        end = len(buf) - 1 if not done and buf.endswith("\r") else len(buf)
        if level is not None:  # the rest of a paragraph whose start went out already
            m = PARAGRAPH_SEPARATOR.search(buf, 0, end)
            if m is None and not done:
                if len(buf) <= limit:
                    continue
                found = _last_separable(buf, max_block)
                if found is None:
                    limit = 2 * len(buf)  # (each look costs the buffer: look less often)
                    continue
                cut, cuts, _ = found
                yield at, buf[:cut], lay_out(buf[:cut], part(buf[:cut], cuts), level)
                buf, at, limit = buf[cut:], at + cut, 4 * max_block
                continue
            tail = buf if m is None else buf[: m.start()]
            yield (
                at,
                tail,
                lay_out(tail, part(tail, block_cuts(tail, 0, len(tail), max_block)), level),
            )
            if m is None:
                break
            buf, at, level = buf[m.end() :], at + m.end(), None
            end = len(buf) - 1 if not done and buf.endswith("\r") else len(buf)
        # Complete paragraphs: everything before the last separator.
        last = None
        for found_separator in PARAGRAPH_SEPARATOR.finditer(buf, 0, end):
            last = found_separator
        if done:
            yield at, buf, lay_out(buf, split_paragraphs(buf, max_block), base)
            break
        if last is not None:
            piece = buf[: last.start()]
            yield at, piece, lay_out(piece, split_paragraphs(piece, max_block), base)
            buf, at, limit = buf[last.end() :], at + last.end(), 4 * max_block
        # The start of a paragraph not read to its end: out to its last separable cut.
        if len(buf) > limit:
            found = _last_separable(buf, max_block)
            if found is None:
                limit = 2 * len(buf)
                continue
            cut, cuts, first = found
            level = base
            if base == "auto":  # rule P2: the first run has no isolates, the next starts strong
                level = base_direction(buf[:first]) or base_direction(buf[first]) or "ltr"
            yield at, buf[:cut], lay_out(buf[:cut], part(buf[:cut], cuts), level)
            buf, at, limit = buf[cut:], at + cut, 4 * max_block


def _last_separable(text: str, max_block: int) -> tuple[int, list[int], int] | None:
    """For an unfinished paragraph ``text`` (the start of one, or its rest from a separable
    cut): its last separable cut among those the text read so far decides, the cuts before
    it, and its first separable cut; None if there is none. (Every cut ``block_cuts`` gives here is one the whole
    paragraph has: each is decided by the ``max_block`` characters after the one before.)"""
    cuts = block_cuts(text, 0, len(text), max_block)
    apart = separable_cuts(text, 0, len(text), cuts, finished=False)
    found = [k for k, ok in enumerate(apart) if ok]
    if not found:
        return None
    return cuts[found[-1]], cuts[: found[-1]], cuts[found[0]]
