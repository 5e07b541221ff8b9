"""End to end: an article full of terminal escape sequences, shown by the installed `hamish`
(``cat`` and the app) in tmux, never drives the terminal.

Each check has a positive control: the same sequences printed raw DO change tmux's pane title,
DO create a paste buffer (OSC 52) and DO clear the screen, so the checks can fail.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from installed import hamish
from tmux import Tmux

pytestmark = pytest.mark.e2e

ESC, BEL, ST = "\x1b", "\x07", "\x1b\\"
LINES = [
    "Hostile text test",
    f"title: {ESC}]0;PWNED-TITLE{BEL} end",
    f"title2: {ESC}]2;PWNED-TITLE2{ST} end",
    f"clear: {ESC}[2J{ESC}[H end",
    f"clip: {ESC}]52;c;ZXZpbA=={BEL} end",
    f"link: {ESC}]8;;https://evil.example/{ST}click{ESC}]8;;{ST} end",
    f"sgr: {ESC}[31mRED{ESC}[0m end",
    "c1: \x9b2J \x9d0;PWNED-C1\x9c end",
    f"bel del nul: {BEL}\x7f\x00 end",
    f"قال الوزير {ESC}[2J إن {ESC}]0;PWNED-AR{BEL} الحكومة",
    "last line",
]
TEXT = "\n".join(LINES) + "\n"
END = "__HAMISH_DONE__"


def picture(ch: str) -> str:
    """The placeholders the README promises (written out here, not taken from the engine)."""
    o = ord(ch)
    if o < 0x20:
        return chr(0x2400 + o)
    if o == 0x7F:
        return "\u2421"
    if 0x80 <= o < 0xA0:
        return "\ufffd"
    return ch


def arabic(line: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in line)


def pane_title(term: Tmux) -> str:
    return term._tmux("display-message", "-p", "-t", term.name, "#{pane_title}").strip()


def buffers(term: Tmux) -> str:
    return term._tmux("list-buffers").strip()


def started(command: str, flag: Path, width: int = 100, height: int = 30) -> Tmux:
    """A tmux pane that runs ``command`` once ``flag`` exists, with OSC 52 accepted by tmux
    (set-clipboard on) and a known pane title set before anything runs."""
    term = Tmux(f"while [ ! -e {flag} ]; do sleep 0.05; done; {command}", width=width, height=height)
    term._tmux("set-option", "-g", "set-clipboard", "on")
    term._tmux("select-pane", "-t", term.name, "-T", "before")
    assert pane_title(term) == "before" and buffers(term) == ""
    flag.touch()
    return term


def test_the_checks_can_fail_when_the_text_is_printed_raw(tmp_path):
    """Positive control: cat(1) of the same file changes the title, fills a paste buffer and
    clears the screen (the first line is gone)."""
    path = tmp_path / "hostile.txt"
    path.write_bytes(TEXT.encode())
    with started(f"cat {path}; echo {END}", tmp_path / "go") as term:
        screen = term.wait_for(lambda s: any(END in row for row in s))
        assert "PWNED" in pane_title(term)
        assert "evil" in buffers(term)
        assert not any(row.startswith("title: ") for row in screen)  # cleared by ESC [2J


def test_hamish_cat_shows_placeholders_and_leaves_the_terminal_alone(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_bytes(TEXT.encode())
    with started(f"{hamish()} cat {path} --width 90; echo {END}", tmp_path / "go") as term:
        screen = term.wait_for(lambda s: any(END in row for row in s), history=True)
        rows = screen[: next(i for i, row in enumerate(screen) if END in row)]
        visible = term.capture()
        assert pane_title(term) == "before"
        assert buffers(term) == ""
    # Not cleared: the lines before the one holding ESC [2J are still on the screen.
    assert visible.index(rows[1]) < visible.index(rows[3]) < visible.index(rows[-1])
    assert len(rows) == len(LINES) + 1  # the final newline ends an empty last paragraph
    for row, line in zip(rows, LINES):
        if not arabic(line):  # LTR: visual order is logical order, so the row is predictable
            assert row.rstrip() == "".join(picture(c) for c in line), (row, line)
    arabic_row = rows[next(i for i, line in enumerate(LINES) if arabic(line))]
    assert "PWNED-AR" in arabic_row and arabic_row.count("\u241b") == 2 and "2J" in arabic_row
    assert rows[0] == "Hostile text test" and rows[len(LINES) - 1] == "last line"


def test_the_app_shows_placeholders_and_leaves_the_terminal_alone(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_bytes(TEXT.encode())
    command = f"{hamish()} --db {tmp_path / 'db.json'} {path}"
    with started(command, tmp_path / "go", width=100, height=30) as term:
        screen = term.wait_for(lambda s: any("last line" in row for row in s))
        time.sleep(0.5)  # let the app paint everything it has to paint
        screen = term.capture()
        assert "PWNED" not in pane_title(term)
        assert buffers(term) == ""
        shown = "\n".join(screen)
        for line in LINES:
            if not arabic(line):
                assert "".join(picture(c) for c in line) in shown, line
        # Nothing was cleared: the header, every line of the article in order, and the app's
        # rows below it are all there.
        assert screen[0].startswith("Hostile text test")  # the header: the article's title
        shown_lines = ["".join(picture(c) for c in line) for line in LINES if not arabic(line)]
        rows = [next(i for i, row in enumerate(screen) if i > 0 and row.strip() == line)
                for line in shown_lines]
        assert rows == sorted(rows) and rows[0] == 1 and len(set(rows)) == len(rows)
        assert any(row.strip() for row in screen[rows[-1] + 1 :])  # status and key rows
        term.send_keys("C-q")
        term.wait_for(lambda s: term.pane_dead())
        assert "PWNED" not in pane_title(term) and buffers(term) == ""
