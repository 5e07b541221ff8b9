"""The help screen (? or F1): every key, from tui/keys.py, laid out at the width it has."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget

from hamish.tui import display
from hamish.tui.display import Display
from hamish.tui.keys import SECTIONS
from hamish.tui.widgets.bidi_label import BidiLabel


def keys_block(title: str, keys: list[tuple[str, str]], width: int) -> Display:
    """A section of keys in ``width`` cells: the keys in a column (at most a third of the
    width, wrapped if longer), each description wrapped beside its key through the engine
    (they hold Arabic: the letters search folds, the clitic و)."""
    key_width = min(max(len(k) for k, _ in keys), max(6, width // 3))
    what_width = max(8, width - key_width - 2)
    rows: list[Display] = [display.field(title, "bold underline", base="ltr")]
    for key, what in keys:
        left = display.block(key, key_width, "bold", base="ltr").split("\n")
        right = display.block(what, what_width, base="ltr").split("\n")
        for n in range(max(len(left), len(right))):
            row = Display(end="")
            k: Text = left[n] if n < len(left) else Display("")
            row.append_text(k)
            row.append(" " * (key_width - k.cell_len + 2))
            if n < len(right):
                row.append_text(right[n])
            rows.append(row)
    rows.append(Display(""))
    return display.join(rows)


class KeysView(Widget):
    """Every section of keys, laid out for the width the help box has."""

    DEFAULT_CSS = "KeysView { height: auto; }"

    def _lay(self, width: int) -> Display:
        return display.join(keys_block(title, keys, width) for title, keys in SECTIONS)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lay(max(10, width)).plain.split("\n"))

    def render(self) -> Display:
        return self._lay(max(10, self.content_region.width or self.size.width))


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield BidiLabel("Hamish — keys (Esc closes)", classes="title-bar", base="ltr")
            yield KeysView()
