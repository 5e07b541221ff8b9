"""The ``hamish`` command: one command tree. With no command, the reader app; otherwise one of
``COMMANDS``, each a module of this package with a ``main(argv) -> exit status``.

Exit statuses: 0 done, 1 an error (a message on stderr, never a traceback), 2 bad usage. A command
module and its dependencies are imported only when that command runs, so ``hamish cat`` and
``hamish --help`` start quickly (the app and Textual load only for the app).

To add a command: a module here with ``main(argv)``, and one ``Command`` entry below (its usage
and summary lines are what ``hamish --help`` lists).
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import NamedTuple


class Command(NamedTuple):
    module: str  # under hamish.tui.cli; its main(argv) returns the exit status
    usage: str  # after "hamish NAME", for the command list in `hamish --help`
    summary: str


COMMANDS: dict[str, Command] = {
    "cat": Command(
        "cat",
        "FILE [--width N] [--base auto|ltr|rtl] [--terminal MODE]",
        "print FILE laid out by the engine, as this terminal needs it",
    ),
    "terminal": Command(
        "terminal",
        "[--terminal MODE]",
        "which terminal and mode Hamish found, how to change it, a sample to check",
    ),
    "export": Command(
        "export",
        "[--db PATH] [-o FILE] [--format hamish|prodigy|doccano|brat] ...",
        "write the annotations as JSONL (or brat standoff files)",
    ),
    "import": Command(
        "import_",
        "FILE [--db PATH] [--format hamish|prodigy|doccano]",
        "read annotations back into the store (all or nothing)",
    ),
    "suggest": Command(
        "suggest",
        "[--corpus PATH] [--patterns FILE] [-o FILE]",
        "suggest quotations and pattern matches as JSONL (hamish export shape, with origins)",
    ),
}


def commands_help() -> str:
    """The command list for the app's ``--help`` epilog."""
    lines = ["commands:"]
    for name, command in COMMANDS.items():
        lines.append(f"  hamish {name} {command.usage}")
        lines.append(f"                  {command.summary}")
    lines.append("  run 'hamish COMMAND --help' for a command's options")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in COMMANDS:
        module = importlib.import_module(f"{__name__}.{COMMANDS[argv[0]].module}")
        return int(module.main(argv[1:]))
    from . import app

    return app.main(argv)


if __name__ == "__main__":
    sys.exit(main())
