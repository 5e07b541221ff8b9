"""The help screen (? or F1): every key, from tui/keys.py."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from hamish.tui.bidi import layout_text
from hamish.tui.keys import SECTIONS


def keys_table(title: str, keys: list[tuple[str, str]], key_width: int, what_width: int) -> Table:
    """A section of keys. Descriptions go through the layout engine like everything on screen
    (they hold Arabic: the letters search folds, the clitic و), wrapped in logical order and
    each line drawn in visual order."""
    table = Table(title=title, title_justify="left", show_header=False, box=None, padding=(0, 1))
    table.add_column(style="bold", no_wrap=True, width=key_width)
    table.add_column(no_wrap=True, width=what_width)
    for key, what in keys:
        lines = layout_text(what, what_width, "ltr")
        table.add_row(key, "\n".join(line.text.rstrip() for line in lines))
    return table


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static("Hamish — keys (Esc closes)", classes="title-bar")
            key_width = max(len(key) for _, keys in SECTIONS for key, _ in keys)
            # the box is 90% of the screen, less its border, padding, scrollbar and the table's padding
            what_width = max(20, int(self.app.size.width * 0.9) - 2 - 2 - 2 - 4 - key_width)
            for title, keys in SECTIONS:
                yield Static(keys_table(title, keys, key_width, what_width))
