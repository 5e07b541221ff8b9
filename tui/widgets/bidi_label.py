"""Widgets that show text outside the article, every string through ``hamish.tui.display``:
a one-line label (title bars, status, legend), a wrapped block (dialogs, help), the key bar.

They are laid out when drawn, at the width they have, so they fit any window."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from hamish.tui import display
from hamish.tui.display import Display, Field, Part


def visual_text(text: str | Display | Sequence[Part], width: int) -> str:
    """``text`` for a toast (a Toast shows a plain string): cleaned, wrapped in ``width``
    cells, each line in visual order. Parts (see ``display.message``) make each field an
    isolated run; a ``Display`` is already laid out."""
    if isinstance(text, Display):
        return text.plain
    if not isinstance(text, str):
        text = display.message(*text)
    if not display.has_rtl(text):  # the toast wraps it (cleaned): no order to get wrong
        return display.FORMAT.sub("", display.clean(text))
    return display.block(text, width).plain


def visual_line(text: str) -> str:
    """A short piece of data (a label name, an id) on one line, laid out (its plain string)."""
    return display.field(text).plain


class BidiLabel(Widget):
    """One line: ``parts`` (fields and UI words, see ``display.line``) fitted to the width.

    Setting ``text`` shows one field of data: in its own direction, right-aligned if it is
    right to left (``base`` "auto"), cut with an ellipsis at its reading end."""

    # Its CSS (height 1, width 1fr) is in hamish.tcss: one stylesheet parse less at startup.

    parts: reactive[tuple[Part, ...]] = reactive((), layout=False)

    def __init__(
        self,
        text: str = "",
        *,
        base: str = "auto",
        reorder: bool = True,  # kept for callers: rows are made for the terminal on the way out
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.base = base
        self._text = text
        self.set_reactive(BidiLabel.parts, (Field(text, base=base, flex=True),) if text else ())

    @property
    def text(self) -> str:
        return self._text

    @text.setter
    def text(self, value: str) -> None:
        self._text = value
        self.parts = (Field(value, base=self.base, flex=True),) if value else ()
        if self.styles.width is not None and self.styles.width.is_auto:
            self.refresh(layout=True)

    def show(self, *parts: Part) -> None:
        """Several fields on the line (a status: offsets, the word, a query, a count)."""
        self._text = "".join(
            p if isinstance(p, str) else p.plain if isinstance(p, Text) else p.text for p in parts
        )
        self.parts = tuple(parts)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return display.line(*self.parts).cell_len

    def render(self) -> Display:
        width = self.content_region.width or self.size.width
        shown = display.line(*self.parts, width=width)
        if (
            len(self.parts) == 1
            and isinstance(self.parts[0], Field)
            and display.is_rtl(self.parts[0].text, self.parts[0].base)
        ):
            shown.align("right", width)
        return shown


class DisplayBlock(Widget):
    """Wrapped text: a list of pieces, each a paragraph of data or UI words (``("text", s)``),
    a path or file name that breaks at its separators (``("path", s)``), or a line already
    laid out (a ``Display``). Height follows the width."""

    DEFAULT_CSS = "DisplayBlock { height: auto; }"

    pieces: reactive[tuple] = reactive((), layout=True)

    def __init__(self, *pieces: str | tuple[str, str] | Display, **kwargs) -> None:
        super().__init__(**kwargs)
        self.set_reactive(DisplayBlock.pieces, tuple(pieces))

    def _lay(self, width: int) -> Display:
        out: list[Display] = []
        for piece in self.pieces:
            if isinstance(piece, Display):
                out.append(piece)
            elif isinstance(piece, str):
                out.append(display.block(piece, width))
            elif piece[0] == "path":
                out.append(display.path_block(piece[1], width))
            else:
                out.append(display.block(piece[1], width))
        return display.join(out)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lay(max(1, width)).plain.split("\n"))

    def render(self) -> Display:
        return self._lay(max(1, self.content_region.width or self.size.width))


def key_bar(bindings: Sequence[tuple[str, str]], width: int, keep: tuple[str, str]) -> Display:
    """The key bar: `` key what `` for each binding that fits, ``keep`` (help) always shown
    first."""
    out: list[Display] = []
    used = 0
    for n, (key, what) in enumerate([keep, *[b for b in bindings if b != keep]]):
        shown = display.line(
            Field(f" {key} ", "bold reverse", base="ltr"), Field(f" {what} ", base="auto")
        )
        if used + shown.cell_len > width and n:
            break
        out.append(shown)
        used += shown.cell_len
    bar = display.Display(end="")
    for shown in out:
        bar.append_text(shown)
    if bar.cell_len > width:
        bar.truncate(width)
    return bar


class KeyBar(Widget):
    """The footer: the screen's shown key bindings on one line, through the display path;
    ``? Help`` is always first, so it is there at any width."""

    DEFAULT_CSS = "KeyBar { height: 1; dock: bottom; background: $panel; }"

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def render(self) -> Display:
        seen: dict[str, tuple[str, str]] = {}
        for binding in (b.binding for b in self.screen.active_bindings.values()):
            if binding.show and binding.description:
                key = binding.key_display or self.app.get_key_display(binding)
                seen.setdefault(binding.action, (key, binding.description))
        pairs = list(seen.values())
        keep = next((p for p in pairs if p[1] == "Help"), ("?", "Help"))
        return key_bar(pairs, self.size.width, keep)
