"""``hamish [PATH ...]``: the reader app's options. Textual is imported only once they parse."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from .terminal import add_terminal_option


def _store_path_text() -> str:
    from hamish.store import default_store_path

    return str(default_store_path())


def parser(with_store_path: bool = True) -> argparse.ArgumentParser:
    """The app's options. ``with_store_path``: name the default store in the help text (that
    loads the store module, which the app does later anyway; skipped unless help is asked for)."""
    from . import commands_help

    store_path = _store_path_text() if with_store_path else "the user data directory"
    result = argparse.ArgumentParser(
        prog="hamish",
        description=(
            "Read and annotate Arabic news in the terminal. With no PATH, opens the bundled "
            "articles; with a directory, its .txt files; with one FILE, straight into the reader."
        ),
        epilog=f"{commands_help()}\n\nannotation store (default --db): {store_path}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    result.add_argument(
        "paths", nargs="*", metavar="PATH", help="a directory of .txt articles, or files"
    )
    result.add_argument("--db", metavar="PATH", help="the annotation store (a TinyDB JSON file)")
    add_terminal_option(result)
    result.add_argument(
        "--terminal-bidi",
        action="store_true",
        help="the same as --terminal bidi (kept for old scripts)",
    )
    result.add_argument(
        "--labels",
        metavar="PATH",
        help="a TOML file of up to nine labels (name, key, color); "
        "default: claim, agreement, quote on 1, 2, 3",
    )
    result.add_argument(
        "--annotator",
        metavar="NAME",
        help="the name stored on every annotation you make (default: your login name)",
    )
    result.add_argument(
        "--export-format",
        metavar="FORMAT",
        help="what e exports, without asking (hamish, prodigy, doccano, brat, labelstudio, xmi, "
        "spacy; default: HAMISH_EXPORT_FORMAT, else e asks)",
    )
    result.add_argument(
        "--patterns",
        metavar="FILE",
        action="append",
        help='suggest the matches of a patterns file (JSONL, {"label": ..., "pattern": ...} '
        "a line, as for Prodigy or spaCy's EntityRuler); may be repeated",
    )
    result.add_argument(
        "--no-suggest",
        action="store_true",
        help="no suggestions in the reader (by default, quotations are suggested)",
    )
    return result


def main(argv: Sequence[str]) -> int:
    argv = list(argv)
    args = parser(with_store_path="-h" in argv or "--help" in argv).parse_args(argv)
    from hamish.tui.app import run_app

    return run_app(args)
