"""The one way to put text on screen (and on stderr): ``Display``.

Every string Hamish shows outside the article body — table cells and headers, title bars,
status, legend, panel, dialogs, toasts, help, the key bar, inputs — is a ``Display`` made here.
Whatever the text holds, a ``Display``:

* has no control character: C0 and DEL show as their Control Pictures (``␛``), C1 as U+FFFD,
  bidi formatting characters take part in the layout but are never sent (the engine's rules,
  as in the article body);
* never interprets markup: it is a Rich ``Text`` built from plain strings, so ``[/]`` in an
  id, a label, a file name or a store path is shown as typed, never parsed;
* is laid out by the engine: each *field* (a piece of data: a title, a query, a count) is
  laid out on its own, with the direction of its own text, and placed as an isolated run in
  a line of the UI's direction (left to right): numbers, offsets and punctuation stay beside
  the words they belong to, and a field that must be cut gets its ellipsis at its reading end.

Widgets take a ``Display`` (``DisplayLabel``, ``DisplayBlock``, the key bar, table cells);
``tests/tui/test_display_only.py`` checks that none is given anything else. On stderr,
``for_stderr`` cleans a message the same way.

An isolated run in a left-to-right line is the run laid out on its own, placed where it comes
in logical order (UAX #9, X5a–X6a: an isolate is a neutral for the text around it, and the
UI's own words around it are left-to-right). That is what ``line`` does, field by field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style, StyleType
from rich.text import Text

from hamish.tui.bidi import ParagraphLayout, layout_text

ELLIPSIS = "\u2026"
FIT_HEAD = 4096  # code points of a field looked at, at least (a 5 MB one-line title)
_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


class Display(Text):
    """Text that is safe to show: made only by this module (``line``, ``block``, ``field``).

    A Rich ``Text``, so any widget can draw it; what makes it a ``Display`` is how it was
    made. Never build one from a string yourself."""


# Every field is laid out in visual order, shaped, like every other cell on screen; what a
# terminal that reorders or shapes by itself needs is made from whole rows on the way out
# (hamish.tui.screen_output, the terminal's mode), so nothing here depends on the terminal.


# --- cleaning -------------------------------------------------------------------------------


def _picture(ch: str) -> str:
    o = ord(ch)
    if o < 0x20:
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    return "\ufffd"


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
FORMAT = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")  # bidi formatting
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left character (Hebrew, Arabic, Syriac, Thaana, NKo,
    their presentation forms, and the RTL blocks of the supplementary planes)."""
    return _RTL.search(text) is not None


def clean(text: str) -> str:
    """``text`` with no control character: C0/DEL as Control Pictures, C1 as U+FFFD, a tab
    as a space. Bidi formatting characters are kept (the engine lays them out and never
    sends them); ``for_stderr`` drops them."""
    text = text.replace("\t", " ")
    return _CONTROL.sub(lambda m: _picture(m.group()), text)


def for_stderr(message: object) -> str:
    """A command-line message safe to print: every control character but the line breaks a
    message is made of shown as its placeholder, bidi formatting characters dropped (a
    terminal's own bidi, if any, still applies to the text)."""
    lines = _BREAKS.split(str(message))
    return "\n".join(FORMAT.sub("", clean(line)) for line in lines)


# --- laying out -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """A piece of data in a line: laid out on its own with its own direction (``base``
    "auto": that of its first strong character). ``flex``: may be cut to fit (ellipsis at
    its reading end), the first flex field of a line first."""

    text: str
    style: StyleType = ""
    base: str = "auto"
    flex: bool = False


Part = Field | Display | str  # a str is the UI's own words: laid out left to right


def _one_line(text: str) -> str:
    if len(text) > FIT_HEAD:
        text = text[:FIT_HEAD]
    return _BREAKS.sub(" ", text)


def _para(text: str, base: str) -> ParagraphLayout:
    return ParagraphLayout(_one_line(clean(text)), base if text else "ltr", learn=False)


def _natural(text: str, base: str) -> str:
    """``text`` on one line, as wide as it is: visual order, shaped."""
    para = _para(text, base)
    n = len(para.text)
    if not n:
        return ""
    width = para.cell_width
    return para.line(0, n, max(1, width)).text


def _cut(text: str, base: str, width: int) -> str:
    """``text`` in at most ``width`` cells, cut at its reading end with an ellipsis."""
    if width <= 0:
        return ""
    para = _para(text, base)
    n = len(para.text)
    if para.cell_width <= width and len(text) <= FIT_HEAD:
        return para.line(0, n, max(1, para.cell_width)).text if n else ""
    if width == 1:
        return ELLIPSIS
    start, end = para.wrap(width - 1)[0]
    line = para.line(start, end, width - 1)
    body = line.text.strip(" ")
    if cell_len(body) > width - 1:
        body = ""
    if line.rtl:
        return ELLIPSIS + body
    return body + ELLIPSIS


def field(
    text: str, style: StyleType = "", *, width: int | None = None, base: str = "auto"
) -> Display:
    """One piece of data on one line, laid out; cut to ``width`` cells if given."""
    shown = _natural(text, base) if width is None else _cut(text, base, width)
    return Display(shown, style=style, end="")


def _laid(part: Part) -> tuple[Display, Field | None]:
    if isinstance(part, Display):
        return part, None
    if isinstance(part, str):
        part = Field(part, base="ltr")
    return field(part.text, part.style, base=part.base), part


def line(*parts: Part, width: int | None = None, style: StyleType = "") -> Display:
    """Fields and UI words as one left-to-right line (each field an isolated run). With
    ``width``, flex fields are cut (widest first) until the line fits; if it still does not, the
    line is cut at its right end with an ellipsis."""
    laid = [_laid(p) for p in parts]
    if width is not None:
        over = sum(d.cell_len for d, _ in laid) - width
        # flex fields are cut widest first (a quoted text before a note beside it)
        order = sorted(range(len(laid)), key=lambda k: -laid[k][0].cell_len)
        for k in order:
            shown, spec = laid[k]
            if over <= 0:
                break
            if spec is not None and spec.flex and shown.cell_len > 1:
                room = max(1, shown.cell_len - over)
                cut = field(spec.text, spec.style, width=room, base=spec.base)
                over -= shown.cell_len - cut.cell_len
                laid[k] = (cut, spec)
    out = Display(end="", style=style)
    for shown, _ in laid:
        out.append_text(shown)
    if width is not None and out.cell_len > width:
        out.truncate(max(0, width - 1))
        out.append(ELLIPSIS)
    return out


def join(lines: Iterable[Text]) -> Display:
    """Lines (each made by this module) one under the other."""
    out = Display(end="")
    for n, shown in enumerate(lines):
        if n:
            out.append("\n")
        out.append_text(shown)
    return out


def as_display(text: Text) -> Display:
    """A Text made by this module's functions and then styled (Text.assemble of Displays)."""
    out = Display(end="")
    out.append_text(text)
    return out


def block(text: str, width: int, style: StyleType = "", *, base: str = "auto") -> Display:
    """``text`` wrapped in ``width`` cells, each paragraph with its own direction (an RTL
    paragraph right-aligned), each line in visual order."""
    width = max(1, width)
    out: list[Display] = []
    for para in _BREAKS.split(text):
        para = clean(para)
        if not para:
            out.append(Display("", end=""))
            continue
        for ln in layout_text(para, width, base):
            shown = ln.padded(width).rstrip() if ln.rtl else ln.text
            out.append(Display(shown, style=style, end=""))
    return join(out)


_PATH_BREAK = re.compile(r"(?<=[/\\_\-]| )")


def path_block(text: str, width: int, style: StyleType = "") -> Display:
    """A path or file name wrapped in ``width`` cells at its separators (``/``, ``\\``,
    ``_``, ``-``, ``.``, spaces); a piece longer than a line is cut where it must."""
    width = max(1, width)
    pieces = [p for p in _PATH_BREAK.split(_one_line(text)) if p]
    rows: list[str] = []
    current = ""
    for piece in pieces:
        while cell_len(_natural(piece, "ltr")) > width:
            room = width - cell_len(_natural(current, "ltr"))
            k = 1
            while k < len(piece) and cell_len(_natural(piece[: k + 1], "ltr")) <= room:
                k += 1
            if room <= 0 or cell_len(_natural(piece[:k], "ltr")) > room:
                rows.append(current)
                current = ""
                continue
            rows.append(current + piece[:k])
            current, piece = "", piece[k:]
        if cell_len(_natural(current + piece, "ltr")) > width and current:
            rows.append(current)
            current = ""
        current += piece
    if current or not rows:
        rows.append(current)
    return join(field(r, style, base="ltr") for r in rows)


def lines_of(display: Display) -> list[str]:
    return display.plain.split("\n")


def styled(text: str, style: str | Style) -> Field:
    return Field(text, style)


__all__: Sequence[str] = (
    "Display",
    "Field",
    "as_display",
    "block",
    "clean",
    "field",
    "for_stderr",
    "isolate",
    "join",
    "line",
    "message",
    "path_block",
)


def is_rtl(text: str, base: str = "auto") -> bool:
    """Whether ``text`` laid out alone (``base`` "auto": first strong character) reads right
    to left."""
    return bool(text) and _para(text, base).rtl


FSI, PDI = "\u2068", "\u2069"


def isolate(text: str) -> str:
    """``text`` as an isolated run (FSI … PDI) for a paragraph the engine lays out whole (a
    toast, a wrapped message): it takes the direction of its own first strong character and
    cannot change the order of what is around it. A PDI of its own with nothing to close is
    dropped; isolates it leaves open are closed (UAX #9 BD9: the closing PDI also ends any
    embedding or override inside)."""
    depth = 0
    kept: list[str] = []
    for ch in text:
        if ch in "\u2066\u2067\u2068":
            depth += 1
        elif ch == PDI:
            if not depth:
                continue
            depth -= 1
        kept.append(ch)
    return FSI + "".join(kept) + PDI * depth + PDI


def message(*parts: Part) -> str:
    """Parts as one logical string, each field an isolated run: for text the engine lays out
    and wraps as a whole (``block``)."""
    out = []
    for part in parts:
        if isinstance(part, Field):
            out.append(isolate(part.text))
        elif isinstance(part, Display):
            out.append(part.plain)
        else:
            out.append(part)
    return "".join(out)
