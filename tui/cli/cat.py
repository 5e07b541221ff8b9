"""``hamish cat FILE``: print a file laid out by the engine, as the terminal needs it (its mode)."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence

from hamish.tui.display import for_stderr

from .terminal import add_terminal_option, cat_lines, terminal_for


def parser() -> argparse.ArgumentParser:
    result = argparse.ArgumentParser(
        prog="hamish cat",
        description=(
            "Print FILE laid out by Hamish's engine: wrapped at word boundaries, each line in "
            "visual order with Arabic letters shaped, right-to-left lines right-aligned."
        ),
    )
    result.add_argument("file", metavar="FILE")
    result.add_argument(
        "--width", type=int, default=None, help="line width in cells (default: the terminal's)"
    )
    result.add_argument(
        "--base",
        choices=("auto", "ltr", "rtl"),
        default="auto",
        help="paragraph direction (default: auto)",
    )
    result.add_argument(
        "--show-format",
        action="store_true",
        help="show bidi formatting characters (LRE … PDI, LRM, RLM, ALM) as one-cell marks",
    )
    add_terminal_option(result)
    return result


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    from hamish.tui.bidi import layout_text

    width = args.width if args.width is not None else shutil.get_terminal_size().columns
    if width < 1:
        print("hamish cat: --width must be at least 1", file=sys.stderr)
        return 2
    try:
        with open(args.file, "rb") as f:
            data = f.read()
    except OSError as e:
        print(for_stderr(f"hamish cat: {args.file}: {e.strerror or e}"), file=sys.stderr)
        return 1
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(
            for_stderr(f"hamish cat: {args.file}: not UTF-8 (byte {e.start}: {e.reason})"),
            file=sys.stderr,
        )
        return 1
    out = sys.stdout
    terminal = terminal_for(args.terminal, out).for_output_that_stays()
    try:
        lines = layout_text(text, width, args.base, show_format=args.show_format)
        out.write(terminal.enter)
        for line in cat_lines(lines, width, terminal, text):
            out.write(line)
            out.write("\n")
        out.write(terminal.leave)
        out.flush()
        if terminal.hint:
            print(for_stderr(f"hamish cat: {terminal.hint}"), file=sys.stderr)
    except BrokenPipeError:  # `hamish cat FILE | head`
        sys.stderr.close()
    return 0
