"""Paragraphs to terminal lines: wrap in logical order, reorder per line, shape, map both ways.

Pure functions and plain data; no Textual. Every index here is a logical index (a Python ``str``
index into the text exactly as given); every column is a terminal cell.

A *cell cluster* is what one glyph on screen shows: a base character (or a lam-alef ligature)
with the combining marks and invisible format characters that follow it in logical order.

Hostile text. Nothing in an article reaches the terminal raw: C0 controls (ESC included) and
DEL show as their Control Pictures (U+2400-U+2421, e.g. ␛), C1 controls (U+0080-U+009F, e.g.
the one-byte CSI U+009B) as U+FFFD, a tab as a space; each takes exactly one cell and maps to
its own offset, so an escape sequence in a text is drawn as harmless characters ("␛[2J").

Bidi formatting characters take part in the bidi algorithm exactly as UAX #9 says. They are
invisible (zero cells) unless ``show_format=True``, which draws each as one cell holding a
mark, at the place the algorithm gives the character (levels are still those of the original
text, so a spoofed order stays visible too); ``Line.formats`` tells which cells are marks:

    ======  ======  ====  =======================================
    char    name    mark  mark's name
    ======  ======  ====  =======================================
    U+202A  LRE     ⇢     RIGHTWARDS DASHED ARROW
    U+202B  RLE     ⇠     LEFTWARDS DASHED ARROW
    U+202D  LRO     ⇛     RIGHTWARDS TRIPLE ARROW
    U+202E  RLO     ⇚     LEFTWARDS TRIPLE ARROW
    U+202C  PDF     ⇞     UPWARDS ARROW WITH DOUBLE STROKE
    U+2066  LRI     ⇥     RIGHTWARDS ARROW TO BAR
    U+2067  RLI     ⇤     LEFTWARDS ARROW TO BAR
    U+2068  FSI     ⇹     LEFT RIGHT ARROW WITH VERTICAL STROKE
    U+2069  PDI     ↥     UPWARDS ARROW FROM BAR
    U+200E  LRM     ⇀     RIGHTWARDS HARPOON WITH BARB UPWARDS
    U+200F  RLM     ↼     LEFTWARDS HARPOON WITH BARB UPWARDS
    U+061C  ALM     ↽     LEFTWARDS HARPOON WITH BARB DOWNWARDS
    ======  ======  ====  =======================================

All marks are East Asian Width "N" (one cell everywhere) and bidi class ON, never mirrored.

Very long paragraphs. A paragraph longer than ``MAX_BLOCK`` code points is laid out in blocks
(see ``split_paragraphs``): cut after the last whitespace before each ``MAX_BLOCK`` boundary,
each block starting a new screen line. Bidi levels and the paragraph direction are still
computed over the whole paragraph (UAX #9 runs once over it); only line breaking sees the
cuts. This bounds the work of showing any screen of a multi-megabyte one-line article. Where
nothing UAX #9 resolves can cross a cut, the levels are computed over runs of blocks instead
(``Paragraphs.levels``), with the same result; ``stream_layout`` lays a text out as it is
read, in memory bounded by the reading, not by the text.
"""

from .cells import DOTTED_CIRCLE, FORMAT_MARKS, VS16, is_space
from .fit import ELLIPSIS, FIT_HEAD, fit_line
from .lines import Line
from .paragraph import ParagraphLayout
from .paragraphs import (
    MAX_BLOCK,
    PARAGRAPH_SEPARATOR,
    Paragraph,
    Paragraphs,
    block_cuts,
    split_paragraphs,
)
from .stream import stream_layout
from .text import TextLayout, layout_text

__all__ = [
    "DOTTED_CIRCLE",
    "ELLIPSIS",
    "FIT_HEAD",
    "FORMAT_MARKS",
    "MAX_BLOCK",
    "PARAGRAPH_SEPARATOR",
    "VS16",
    "Line",
    "Paragraph",
    "ParagraphLayout",
    "Paragraphs",
    "TextLayout",
    "block_cuts",
    "fit_line",
    "is_space",
    "layout_text",
    "split_paragraphs",
    "stream_layout",
]
