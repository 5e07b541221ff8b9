"""A one-line label whose text goes through the layout engine (titles, status lines)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from rich.cells import cell_len

from tui.bidi import fit_line


def visual_line(text: str) -> str:
    """A short one-line text (a label name, an article id) in visual order, shaped: for the
    places that show text without a BidiLabel (table cells, legends)."""
    if text.isascii():
        return text
    return fit_line(text, cell_len(text), "ltr").rstrip()


class BidiLabel(Widget):
    """Shows ``text`` on one line: visual order, shaped, RTL right-aligned, cut with an ellipsis."""

    # Its CSS (height 1, width 1fr) is in hamish.tcss: one stylesheet parse less at startup.

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, text: str = "", *, base: str = "auto", reorder: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.base = base
        self.reorder = reorder
        self.text = text

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        return Text(fit_line(self.text, width, self.base, reorder=self.reorder))
