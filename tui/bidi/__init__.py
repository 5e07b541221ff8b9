"""The text layout engine: paragraphs -> wrapped, reordered, shaped terminal lines with maps.

Pure functions over plain data; never imports Textual. Bidi and shaping come from ICU (PyICU).
"""

from ._icu import ParagraphBidi, shape, visual_order
from .document import DocumentLayout
from .layout import (
    FORMAT_MARKS,
    MAX_BLOCK,
    Line,
    Paragraph,
    ParagraphLayout,
    TextLayout,
    fit_line,
    is_space,
    layout_text,
    split_paragraphs,
    stream_layout,
)

__all__ = [
    "FORMAT_MARKS",
    "MAX_BLOCK",
    "DocumentLayout",
    "Line",
    "Paragraph",
    "ParagraphBidi",
    "ParagraphLayout",
    "fit_line",
    "TextLayout",
    "is_space",
    "layout_text",
    "shape",
    "split_paragraphs",
    "stream_layout",
    "visual_order",
]
