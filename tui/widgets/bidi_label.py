"""Text outside the article, through the layout engine like everything on screen: a one-line
label widget (titles, status lines), and helpers for table cells, legends and notifications."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from hamish.tui.bidi import fit_line, layout_text


def visual_text(text: str, width: int) -> str:
    """``text`` as terminal lines of at most ``width`` cells in visual order (base LTR), for
    notifications, when it holds right-to-left characters; otherwise unchanged (and left to
    wrap where the toast wraps it: a long path must not be cut by the engine)."""
    if _RTL.search(text) is None:
        return text
    return "\n".join(line.text.rstrip() for line in layout_text(text, width, "ltr"))


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufefc]")  # Hebrew to Arabic Extended, presentation forms


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

    def __init__(
        self, text: str = "", *, base: str = "auto", reorder: bool = True, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.base = base
        self.reorder = reorder
        self.text = text

    def render(self) -> Text:
        width = self.content_region.width or self.size.width
        return Text(fit_line(self.text, width, self.base, reorder=self.reorder))
