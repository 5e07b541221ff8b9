"""``hamish cat FILE``: print a file laid out by the engine, as the terminal needs it (its mode)."""

from __future__ import annotations

import argparse
import codecs
import shutil
import sys
from collections.abc import Iterator, Sequence

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


READ_SIZE = 1 << 20  # bytes read at a time: what cat holds of the file, with a few blocks


def _reads(path: str) -> Iterator[str]:
    """The file's text, a read at a time (strict UTF-8, a character split between reads kept
    for the next); raises UnicodeDecodeError with ``start`` counted from the file's start."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    with open(path, "rb") as f:
        while True:
            data = f.read(READ_SIZE)
            try:
                text = decoder.decode(data, final=not data)
            except UnicodeDecodeError as e:
                at = done - len(decoder.getstate()[0]) + e.start
                raise UnicodeDecodeError(e.encoding, e.object, at, at + 1, e.reason) from None
            done += len(data)
            if text:
                yield text
            if not data:
                return


# No terminal is wider; a larger width would pad every line with that many spaces.
MAX_WIDTH = 10_000


def main(argv: Sequence[str]) -> int:
    args = parser().parse_args(argv)
    from hamish.tui.bidi import stream_layout

    width = args.width if args.width is not None else shutil.get_terminal_size().columns
    if not 1 <= width <= MAX_WIDTH:
        print(f"hamish cat: --width must be from 1 to {MAX_WIDTH:,} cells", file=sys.stderr)
        return 2
    # Read through once to check it (nothing is printed of a file that is not UTF-8), then
    # lay it out as it is read again: memory is a read and a few blocks, not the file.
    try:
        for _ in _reads(args.file):
            pass
    except OSError as e:
        print(for_stderr(f"hamish cat: {args.file}: {e.strerror or e}"), file=sys.stderr)
        return 1
    except UnicodeDecodeError as e:
        print(
            for_stderr(f"hamish cat: {args.file}: not UTF-8 (byte {e.start}: {e.reason})"),
            file=sys.stderr,
        )
        return 1
    out = sys.stdout
    terminal = terminal_for(args.terminal, out).for_output_that_stays()
    try:
        out.write(terminal.enter)
        pieces = stream_layout(_reads(args.file), width, args.base, show_format=args.show_format)
        for _offset, piece, lines in pieces:
            out.write("".join(f"{line}\n" for line in cat_lines(lines, width, terminal, piece)))
        out.write(terminal.leave)
        out.flush()
        if terminal.hint:
            print(for_stderr(f"hamish cat: {terminal.hint}"), file=sys.stderr)
    except BrokenPipeError:  # `hamish cat FILE | head`
        sys.stderr.close()
    except (OSError, UnicodeDecodeError) as e:  # changed or gone since it was checked
        out.write(terminal.leave)
        out.flush()
        print(for_stderr(f"hamish cat: {args.file}: changed while read ({e})"), file=sys.stderr)
        return 1
    return 0
