"""``hamish terminal``: which terminal Hamish recognised, the mode it sends Arabic in, and a
sample in every mode; and the ``--terminal`` option and output step the app and ``cat`` share."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from hamish.tui.terminal import Terminal

TERMINAL_HELP = (
    "how the terminal treats Arabic (default: auto, recognised; also $HAMISH_TERMINAL): "
    "visual = cells in visual order, shaped (xterm, VTE, Konsole, mlterm, Alacritty, urxvt, "
    "st); shaping = right-to-left runs reversed for a terminal that shapes them itself (kitty); "
    "bidi = rows in logical order for a terminal that reorders by itself (VTE inside tmux). "
    "'hamish terminal' shows what was found"
)


def add_terminal_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--terminal",
        metavar="MODE",
        choices=("auto", "visual", "shaping", "bidi"),
        default=None,
        help=TERMINAL_HELP,
    )


def terminal_for(override: str | None, out: TextIO) -> Terminal:
    """The terminal ``out`` goes to (recognised only when it is one; a pipe or a file gets
    visual order unless --terminal says otherwise)."""
    from hamish.tui import terminal as t

    if not (out.isatty() if hasattr(out, "isatty") else False):
        mode = t.Mode(override) if override not in (None, "auto") else t.Mode.VISUAL
        return t.Terminal("no terminal", mode, source="not a terminal")

    def query() -> str:
        try:
            return t.query_xtversion(sys.stdin.fileno())
        except (OSError, ValueError):
            return ""

    return t.detect(override=override, query=query)


def cat_lines(
    lines: Sequence[Any], width: int, terminal: Terminal, text: str | None = None
) -> list[str]:
    """The engine's lines as ``terminal`` must receive them (one string per line); ``text``:
    what they were laid out from (for a terminal that takes lines in logical order)."""
    from hamish.tui.terminal import Mode, has_rtl, row_cells

    out = []
    logical = terminal.mode is Mode.BIDI and terminal.rules.logical_lines and text is not None
    for line in lines:
        if logical and text is not None:
            out.append(_logical_line(line, text))
            continue
        # RTL lines are right-aligned; nothing is written after a line's last cell.
        text = (" " * line.x + line.text) if line.rtl else line.text.rstrip(" ")
        if terminal.transforms_rows and has_rtl(text):
            cells = [" "] * line.x + list(line.glyphs) if line.rtl else list(line.glyphs)
            sent = row_cells(cells, terminal.mode, terminal.rules, None, terminal.marks_left)
            text = "".join(t for _, _, t in sent)
            text = text if line.rtl else text.rstrip(" ")
        out.append(text)
    return out


def _logical_line(line: Any, text: str) -> str:
    """A line's cells in logical order (shaped, as the engine drew them; brackets as in the
    text, for the terminal mirrors them itself), for a terminal that reorders and aligns each
    line by itself (mlterm). Nothing raw reaches it: the cells are the engine's."""
    cells = sorted(zip(line.logical, line.glyphs, strict=True))
    parts = []
    for index, glyph in cells:
        original = text[index] if 0 <= index < len(text) else ""
        if glyph and original and glyph[0] != original and _mirror(original) == glyph[0]:
            glyph = original + glyph[1:]
        parts.append(glyph)
    return "".join(parts).rstrip(" ")


def _mirror(ch: str) -> str:
    import icu

    return str(icu.Char.charMirror(ch)) if icu.Char.isMirrored(ch) else ch


SAMPLE = "قالَ الرئيسُ (John Smith): «لا» لـ ١٢٣ مقترحاً في 2024."
SAMPLE_WIDTH = 60


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish terminal",
        description=(
            "Say which terminal Hamish recognised and which mode it sends Arabic in, and show a "
            "sample (harakat, lam-alef, digits, a Latin run, brackets) in every mode: the one "
            "that reads right is the one to use."
        ),
    )
    add_terminal_option(parser)
    return parser


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    from hamish.tui import terminal as t
    from hamish.tui.bidi import layout_text

    out = sys.stdout
    app = terminal_for(args.terminal, out)
    found = app.for_output_that_stays()
    lines = layout_text(SAMPLE, SAMPLE_WIDTH, "auto")
    say = out.write
    say(f"terminal: {found.describe()}\n")
    if app.mode is not found.mode:
        say(
            f"          (the app uses mode {app.mode}, switching {app.name}'s own bidi off while "
            "it runs; printed output, like this and hamish cat, stays, so it uses the mode "
            "below)\n"
        )
    if found.hint:
        say(f"note: {found.hint}\n")
    if found.advice:
        say(f"note: {found.advice}\n")
    say(f"mode:     {found.mode} = {t.MODE_HELP[found.mode]}\n")
    if found.enter:
        say(f"          (sent around the output: {found.enter!r} ... {found.leave!r})\n")
    say(
        "change:   hamish --terminal visual|shaping|bidi (also hamish cat), or "
        f"{t.ENV_VAR}=visual|shaping|bidi\n\n"
    )
    say(
        "Below, one sample per mode. The right one reads from the right: qala al-ra'isu "
        "(John Smith), joined letters, harakat on their letters, the digits 123 and 2024 left "
        "to right, the brackets facing their words.\n\n"
    )
    for mode in t.Mode:
        shown = found
        if mode is not found.mode:
            keep = mode is t.Mode.VISUAL and bool(found.enter)
            shown = t.Terminal(
                found.name,
                mode,
                enter=found.enter if keep else "",
                leave=found.leave if keep else "",
                rules=found.rules,
                marks_left=found.marks_left,
            )
        mark = "  <- in use" if mode is found.mode else ""
        say(f"--terminal {mode}:{mark}\n")
        say(shown.enter)
        for line in cat_lines(lines, SAMPLE_WIDTH, shown, SAMPLE):
            say("  |" + line + " " * max(0, SAMPLE_WIDTH - _width(line)) + "|\n")
        say(shown.leave)
        say("\n")
    out.flush()
    return 0


def _width(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)
