"""One line of exactly a width, for titles and labels (``fit_line``)."""

from __future__ import annotations

from rich.cells import cell_len

from .paragraph import ParagraphLayout
from .paragraphs import PARAGRAPH_SEPARATOR

ELLIPSIS = "\u2026"
FIT_HEAD = 4096  # code points of a text fit_line looks at, at least


def fit_line(text: str, width: int, base: str = "auto", *, reorder: bool = True) -> str:
    """``text`` as one line of exactly ``width`` cells, for titles and labels.

    Laid out like a paragraph (visual order, shaped, right-aligned if RTL); when it does not
    fit, cut in logical order and marked with an ellipsis at its reading end.
    """
    if width <= 0:
        return ""
    # Only a head of a very long text can show: lay out that much (a 5 MB one-line article
    # has a 5 MB title). Its direction is then that of the head's first strong character.
    head = max(FIT_HEAD, 8 * width)
    cut = len(text) > head
    if cut:
        text = text[:head]
    para = ParagraphLayout(PARAGRAPH_SEPARATOR.sub(" ", text), base, reorder=reorder, learn=False)
    n = len(para.text)
    if not cut and para.cell_width <= width:
        return para.line(0, n, width).padded(width)
    if width == 1:
        return ELLIPSIS
    start, end = para.wrap(width - 1)[0]
    line = para.line(start, end, width - 1)
    body = line.text.strip(" ")
    if cell_len(body) > width - 1:  # one double-width cell wider than the room left
        body = ""
    pad = " " * max(0, width - 1 - cell_len(body))
    if line.rtl and reorder:
        return pad + ELLIPSIS + body
    return body + ELLIPSIS + pad
