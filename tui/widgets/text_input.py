"""A one-line text input on the layout engine: what is typed is shown as the reader shows text.

Textual's ``Input`` draws the characters in the order they are typed, unjoined, which reads
backwards in a terminal without bidi. ``TextInput`` lays its value out with the engine on
every change (visual order, shaped, the paragraph direction that of its first strong
character), keeps the cursor as a logical index (a Python str index, always at a cluster
head or the end) and draws it on the cell the engine puts that character in:

* the block cursor sits on the character that follows it in logical order; at the end of the
  text, just past its reading end (left of an Arabic text, right of a Latin one);
* Left and Right go to the next cell on the screen in that direction (so in Arabic, Left goes
  forward in the text), Ctrl+Left / Ctrl+Right to the next word start on the screen;
* Home and End go to the start and the end of the text (the right edge of an Arabic text);
* Backspace deletes the character before the cursor (a haraka alone first), Delete the
  character under it with its marks; Ctrl+W and Ctrl+Backspace the word before it, Ctrl+U
  everything before it;
* a paste is inserted at the cursor, line breaks and tabs as spaces, other controls dropped.

Enter posts ``Submitted``; every change of the value posts ``Changed`` (both carry ``input``
and ``value``, like Textual's). Esc is left to the screen.
"""

from __future__ import annotations

import re

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from hamish.tui import display
from hamish.tui.bidi import Line, ParagraphLayout
from hamish.tui.display import Display

_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"\r\n|[\t\n\r\u2028\u2029]")


class TextInput(Widget, can_focus=True):
    DEFAULT_CSS = """
    TextInput {
        height: 1;
        width: 1fr;
        background: $boost;
        padding: 0 1;
    }
    TextInput:focus { background: $panel-lighten-1; }
    TextInput > .text-input--cursor { text-style: reverse; }
    TextInput > .text-input--placeholder { color: $text-muted; }
    TextInput > .text-input--prompt { text-style: bold; color: $accent; }
    """

    COMPONENT_CLASSES = {"text-input--cursor", "text-input--placeholder", "text-input--prompt"}

    BINDINGS = [
        Binding("left", "move(-1)", show=False),
        Binding("right", "move(1)", show=False),
        Binding("ctrl+left,alt+left", "word(-1)", show=False),
        Binding("ctrl+right,alt+right", "word(1)", show=False),
        Binding("home,ctrl+a", "home", show=False),
        Binding("end,ctrl+e", "end", show=False),
        Binding("backspace,ctrl+h", "backspace", show=False),
        Binding("delete,ctrl+d", "delete", show=False),
        Binding("ctrl+w,ctrl+backspace", "delete_word", show=False),
        Binding("ctrl+u", "delete_start", show=False),
        Binding("enter", "submit", show=False),
    ]

    class Changed(Message):
        def __init__(self, input: TextInput, value: str) -> None:
            super().__init__()
            self.input = input
            self.value = value

        @property
        def control(self) -> TextInput:
            return self.input

    class Submitted(Message):
        def __init__(self, input: TextInput, value: str) -> None:
            super().__init__()
            self.input = input
            self.value = value

        @property
        def control(self) -> TextInput:
            return self.input

    value: reactive[str] = reactive("", layout=False, init=False)
    cursor: reactive[int] = reactive(0, layout=False, init=False)

    def __init__(
        self, value: str = "", *, placeholder: str = "", prompt: str = "", **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.placeholder = placeholder
        self.prompt = prompt
        self._scroll = 0
        self._laid: tuple[str, Line, int] | None = None
        self.set_reactive(TextInput.value, value)
        self.set_reactive(TextInput.cursor, len(value))

    # --- the value and the cursor ------------------------------------------------------------

    def watch_value(self, old: str, new: str) -> None:
        if self.cursor > len(new):
            self.cursor = len(new)
        self.refresh()
        self.post_message(self.Changed(self, new))

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.value)))

    def watch_cursor(self) -> None:
        self.refresh()

    def _set(self, value: str, cursor: int) -> None:
        """Change value and cursor together (the cursor first, so Changed sees both)."""
        self.set_reactive(TextInput.cursor, max(0, min(cursor, len(value))))
        if value != self.value:
            self.value = value
        else:
            self.refresh()

    def insert(self, text: str) -> None:
        text = _DROP.sub("", _SPACE.sub(" ", text))
        if text:
            i = self.cursor
            self._set(self.value[:i] + text + self.value[i:], i + len(text))

    # --- layout ------------------------------------------------------------------------------

    def laid_out(self) -> tuple[Line, int]:
        """The value as one engine line, wide enough for the cursor past its end, and the
        column of the cell past its reading end."""
        value = self.value
        if self._laid is not None and self._laid[0] == value:
            return self._laid[1], self._laid[2]
        para = ParagraphLayout(display.clean(value), "auto" if value else "ltr")
        n = len(para.text)
        width = para.cell_width + 1
        line = para.line(0, n, width)
        end = line.past_end() if line.columns else (width - 1 if line.rtl else 0)
        self._laid = (value, line, end)
        return line, end

    def stops(self) -> list[tuple[int, int]]:
        """Where the cursor can be, left to right on the screen: (column, logical index); the
        past-the-end cell has index ``len(value)``."""
        line, end = self.laid_out()
        stops = list(zip(line.columns, line.logical, strict=True))
        stops.append((end, len(self.value)))
        stops.sort()
        return stops

    def cursor_column(self) -> int:
        line, end = self.laid_out()
        i = self.cursor
        if i >= len(self.value):
            return end
        return line.column_of(i)

    def _stop_index(self, stops: list[tuple[int, int]]) -> int:
        column = self.cursor_column()
        return next((k for k, (c, _) in enumerate(stops) if c == column), 0)

    # --- keys --------------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        stops = self.stops()
        k = self._stop_index(stops) + step
        if 0 <= k < len(stops):
            self.cursor = stops[k][1]

    def _is_space_at(self, stop: tuple[int, int]) -> bool:
        i = stop[1]
        return i >= len(self.value) or self.value[i].isspace()

    def action_word(self, step: int) -> None:
        """To the next word start on the screen (the leftmost cell of a word, going right in
        Latin; going left in Arabic, the rightmost, where it starts)."""
        stops = self.stops()
        k = self._stop_index(stops)
        rtl = self.laid_out()[0].rtl

        def starts_word(j: int) -> bool:
            if self._is_space_at(stops[j]):
                return False
            before = j + 1 if rtl else j - 1
            return not (0 <= before < len(stops)) or self._is_space_at(stops[before])

        j = k + step
        while 0 <= j < len(stops):
            if starts_word(j) or j in (0, len(stops) - 1):
                self.cursor = stops[j][1]
                return
            j += step

    def action_home(self) -> None:
        self.cursor = 0

    def action_end(self) -> None:
        self.cursor = len(self.value)

    def action_backspace(self) -> None:
        i = self.cursor
        if i > 0:
            self._set(self.value[: i - 1] + self.value[i:], self._head(i - 1))

    def _head(self, i: int) -> int:
        """``i`` moved back to the head of its cluster (after an edit)."""
        self._laid = None
        line, _ = self.laid_out()
        if i >= len(self.value) or not line.heads:
            return min(i, len(self.value))
        return line.heads[i - line.start]

    def action_delete(self) -> None:
        i = self.cursor
        if i < len(self.value):
            line, _ = self.laid_out()
            j = i + 1
            while j < len(self.value) and line.heads[j - line.start] == i:
                j += 1
            self._set(self.value[:i] + self.value[j:], i)

    def action_delete_word(self) -> None:
        i = self.cursor
        j = i
        while j > 0 and self.value[j - 1].isspace():
            j -= 1
        while j > 0 and not self.value[j - 1].isspace():
            j -= 1
        self._set(self.value[:j] + self.value[i:], j)

    def action_delete_start(self) -> None:
        self._set(self.value[self.cursor :], 0)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.value))

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self.insert(event.character)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.insert(event.text)

    # --- drawing -----------------------------------------------------------------------------

    def render(self) -> Display:
        width = max(1, self.content_region.width or self.size.width)
        prompt = display.field(self.prompt, self.get_component_rich_style("text-input--prompt"))
        room = max(1, width - prompt.cell_len)
        cursor_style = self.get_component_rich_style("text-input--cursor")
        if not self.has_focus:
            cursor_style = Style()
        if not self.value:
            out = Display(end="")
            out.append_text(prompt)
            out.append_text(
                display.line(" ", display.Field(self.placeholder), width=room - 1)
                if self.placeholder
                else display.Display(" ")
            )
            out.stylize(
                self.get_component_rich_style("text-input--placeholder"), prompt.cell_len + 1
            )
            out.stylize(cursor_style, prompt.cell_len, prompt.cell_len + 1)
            return out
        line, end = self.laid_out()
        total = max(end + 1, line.cell_width + (0 if line.rtl else 1))
        column = self.cursor_column()
        if column < self._scroll:
            self._scroll = column
        elif column >= self._scroll + room:
            self._scroll = column - room + 1
        self._scroll = max(0, min(self._scroll, max(0, total - room)))
        left, right = self._scroll, self._scroll + room
        cells = list(zip(line.columns, line.glyphs, line.widths, strict=True))
        if end not in line.columns:
            cells.append((end, " ", 1))  # the cell past the reading end
        cells.sort()
        out = Display(end="")
        out.append_text(prompt)
        at = left
        for col, glyph, w in cells:
            if col < left or col + w > right:
                continue
            if col > at:
                out.append(" " * (col - at))
            out.append(glyph, cursor_style if col == column else None)
            at = col + w
        return out
