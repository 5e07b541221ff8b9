"""The ``hamish`` command: the reader app, plus ``cat`` (and the commands later issues add).

The app and its dependencies are imported only when the app is started, so ``hamish cat`` and
``hamish --help`` start quickly.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence

# Sub-commands: name -> "module:function"; the function takes the remaining argv and returns
# the exit status. Imported only when used.
COMMANDS = {
    "cat": "hamish.tui.cli:cat",
    "export": "hamish.store.cli:export_main",
    "import": "hamish.store.cli:import_main",
}


def _store_path_text() -> str:
    try:
        from hamish.store import default_store_path
    except ImportError:  # the annotation store is not part of this build yet
        return "the user data directory"
    return str(default_store_path())


def app_parser(with_store_path: bool = True) -> argparse.ArgumentParser:
    """The app's options. ``with_store_path``: name the default store in the help text (that
    loads the store module, which the app does later anyway; skipped unless help is asked for)."""
    store_path = _store_path_text() if with_store_path else "the user data directory"
    parser = argparse.ArgumentParser(
        prog="hamish",
        description=(
            "Read and annotate Arabic news in the terminal. With no PATH, opens the bundled "
            "articles; with a directory, its .txt files; with one FILE, straight into the reader."
        ),
        epilog=(
            "commands:\n"
            "  hamish cat FILE [--width N] [--base auto|ltr|rtl]\n"
            "                  print FILE laid out for a terminal with no bidi support\n"
            "  hamish export [--db PATH] [-o FILE] [--format hamish|prodigy|doccano|brat] ...\n"
            "                  write the annotations as JSONL (or brat standoff files)\n"
            "  hamish import FILE [--db PATH] [--format hamish|prodigy|doccano]\n"
            "                  read annotations back into the store (all or nothing)\n"
            "  run 'hamish COMMAND --help' for a command's options\n\n"
            f"annotation store (default --db): {store_path}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="a directory of .txt articles, or files"
    )
    parser.add_argument("--db", metavar="PATH", help="the annotation store (a TinyDB JSON file)")
    parser.add_argument(
        "--terminal-bidi",
        action="store_true",
        help="the terminal reorders and shapes by itself (Konsole, mlterm): send lines in logical order",
    )
    parser.add_argument(
        "--labels",
        metavar="PATH",
        help="a TOML file of up to nine labels (name, key, color); default: claim, agreement, quote on 1, 2, 3",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        help="the name stored on every annotation you make (default: your login name)",
    )
    return parser


def cat_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hamish cat",
        description=(
            "Print FILE laid out by Hamish's engine: wrapped at word boundaries, each line in "
            "visual order with Arabic letters shaped, right-to-left lines right-aligned."
        ),
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument(
        "--width", type=int, default=None, help="line width in cells (default: the terminal's)"
    )
    parser.add_argument(
        "--base",
        choices=("auto", "ltr", "rtl"),
        default="auto",
        help="paragraph direction (default: auto)",
    )
    parser.add_argument(
        "--show-format",
        action="store_true",
        help="show bidi formatting characters (LRE … PDI, LRM, RLM, ALM) as one-cell marks",
    )
    return parser


def cat(argv: Sequence[str]) -> int:
    args = cat_parser().parse_args(argv)
    from hamish.tui.bidi import layout_text

    width = args.width if args.width is not None else shutil.get_terminal_size().columns
    if width < 1:
        print("hamish cat: --width must be at least 1", file=sys.stderr)
        return 2
    try:
        with open(args.file, "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"hamish cat: {args.file}: {e.strerror or e}", file=sys.stderr)
        return 1
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"hamish cat: {args.file}: not UTF-8 (byte {e.start}: {e.reason})", file=sys.stderr)
        return 1
    out = sys.stdout
    try:
        for line in layout_text(text, width, args.base, show_format=args.show_format):
            # RTL lines are right-aligned; nothing is written after a line's last cell.
            out.write((" " * line.x + line.text) if line.rtl else line.text.rstrip(" "))
            out.write("\n")
        out.flush()
    except BrokenPipeError:  # `hamish cat FILE | head`
        sys.stderr.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        import importlib

        module, _, func = COMMANDS[argv[0]].partition(":")
        return getattr(importlib.import_module(module), func)(argv[1:])
    args = app_parser(with_store_path="-h" in argv or "--help" in argv).parse_args(argv)
    from hamish.tui.app import run_app

    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
