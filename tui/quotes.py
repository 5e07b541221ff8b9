"""Quotations found from their marks: “ ” « » " ‹ › „ and the ″ some sites close with.

Pure functions on the article's text (no Textual): ``quotations(text)`` lists every quotation
whose marks match, nested ones included; ``quotation_around(text, start, end)`` is what the
reader's quotation key selects: the innermost quotation holding ``[start, end)`` that is not
already exactly that range, so pressing the key again goes one level out.

A quotation is the text *between* its marks (the marks are not part of it, nor the ``،`` or
``.`` that often follows the closing one), trimmed of the spaces just inside the marks. Marks
are matched within a paragraph (a blank line, or a line break, ends every quotation): a mark
left open at a paragraph's end is not guessed to close anywhere, and a closing mark with no
opening one is ignored. Offsets are ``str`` indices into the text, end exclusive.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# opening mark -> the marks that close it
CLOSERS: dict[str, str] = {
    "\u201c": "\u201d\u2033",  # “ … ” (or ″)
    "\u00ab": "\u00bb",  # « … »
    "\u2039": "\u203a",  # ‹ … ›
    "\u201e": "\u201c\u201d",  # „ … “ (German) or „ … ” (Polish, Romanian)
    '"': '"\u2033',  # " … " (or ″)
    "\u2033": "\u2033",  # ″ … ″ (sites that use it for a straight quotation mark)
}
MARKS = frozenset("".join(CLOSERS) + "".join(CLOSERS.values()))
_BREAKS = "\n\r\u2029\u2028\x0b\x0c\x1c\x1d\x1e\x85"


@dataclass(frozen=True, slots=True)
class Quotation:
    """``text[start:end]`` is the quotation (without marks); ``open``/``close`` are the
    offsets of its marks; ``depth`` is 0 for one not inside another."""

    start: int
    end: int
    open: int
    close: int
    depth: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def quotations(text: str, lo: int = 0, hi: int | None = None) -> list[Quotation]:
    """Every quotation of ``text[lo:hi]`` with matching marks, sorted by start (outer before
    inner at the same start). Empty ones (``“ ”``) are left out."""
    return _scan(text, lo, len(text) if hi is None else hi)[0]


def unclosed(text: str, lo: int = 0, hi: int | None = None) -> list[int]:
    """The offsets of the opening marks of ``text[lo:hi]`` that nothing closes before their
    paragraph ends."""
    return _scan(text, lo, len(text) if hi is None else hi)[1]


def _scan(text: str, lo: int, hi: int) -> tuple[list[Quotation], list[int]]:
    found: list[Quotation] = []
    left_open: list[int] = []
    stack: list[tuple[str, int]] = []  # (opening mark, its offset)
    for i in range(lo, hi):
        ch = text[i]
        if ch in _BREAKS:
            left_open += [at for _, at in stack]  # a paragraph's end closes nothing
            stack.clear()
            continue
        if ch not in MARKS:
            continue
        # a closer of something open (innermost first; skipping unclosed marks above it)
        closes = next(
            (k for k in range(len(stack) - 1, -1, -1) if ch in CLOSERS[stack[k][0]]), None
        )
        if closes is not None and closes < len(stack) - 1 and ch in CLOSERS:
            closes = None  # (it opens a new one instead, see below)
        # A straight " or a “ can both open and close: it closes the innermost open mark it
        # matches when that is the top of the stack, and opens otherwise.
        if closes is not None:
            at = stack[closes][1]
            left_open += [a for _, a in stack[closes + 1 :]]
            del stack[closes:]
            start, end = _trim(text, at + 1, i)
            if start < end:
                found.append(Quotation(start, end, at, i, closes))
        elif ch in CLOSERS:
            stack.append((ch, i))
    left_open += [at for _, at in stack]
    found.sort(key=lambda q: (q.open, -q.close))
    return found, sorted(left_open)


def _paragraph(text: str, index: int) -> tuple[int, int]:
    start = index
    while start > 0 and text[start - 1] not in _BREAKS:
        start -= 1
    end = index
    while end < len(text) and text[end] not in _BREAKS:
        end += 1
    return start, end


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """``[start, end)`` without the quotation marks and punctuation at its ends (a word is
    often ``“إن`` or ``باغ”،``); a range of marks and punctuation only: its first mark."""
    s, e = start, end
    while s < e and (text[s] in MARKS or unicodedata.category(text[s])[0] == "P"):
        s += 1
    while e > s and (text[e - 1] in MARKS or unicodedata.category(text[e - 1])[0] == "P"):
        e -= 1
    if s < e:
        return s, e
    mark = next((i for i in range(start, end) if text[i] in MARKS), start)
    return mark, mark + 1


def quotation_around(
    text: str, start: int, end: int, *, selected: bool = False, open_ended: bool = False
) -> tuple[int, int] | None:
    """The range the quotation key selects for ``[start, end)``: the cursor's word, or (with
    ``selected``) the selection. That is the innermost quotation holding it (a mark on the
    cursor counts as inside the quotation it opens or closes); for a selection, one that is
    larger than the selection, so that pressing the key again goes one level out. None when
    there is none.

    ``open_ended``: when no quotation with matching marks holds it, a quotation whose opening
    mark nothing closes, from that mark to the end of its paragraph (the key selects it for a
    person to see and confirm; suggestions never guess so)."""
    if not text or start >= end:
        return None
    p0, p1 = _paragraph(text, min(start, len(text) - 1))
    c0, c1 = _core(text, start, end)
    best: Quotation | None = None
    for q in quotations(text, p0, p1):
        if not (q.open <= c0 and c1 <= q.close + 1):
            continue
        if selected and start <= q.start and q.end <= end:
            continue  # already selected (or inside the selection): look further out
        if best is None or q.end - q.start < best.end - best.start:
            best = q
    if best is not None:
        return (best.start, best.end)
    if open_ended:
        for mark in reversed(unclosed(text, p0, p1)):
            if mark <= c0:
                s, e = _trim(text, mark + 1, p1)
                if s < e and not (selected and start <= s and e <= end) and c1 <= e:
                    return (s, e)
                break
    return None
