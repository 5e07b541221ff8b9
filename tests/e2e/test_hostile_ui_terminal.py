"""End to end: hostile names (file names, a JSONL id and title, a label, a note, a store path)
shown by the installed `hamish` in tmux, with every byte it writes recorded (pipe-pane).

The file `t\\e]0;TITLE\\a.txt`, the JSONL id `2024/[/]minutes`, the label `[/]x`, the files
`report [draft] v2.txt` and `[blink reverse]x.txt` and a store under `notes [/] [draft]` go
through the library, the reader, a tag, the panel, a note, toasts, undo, search and help. No
OSC, no C1 control and no bidi override may reach the terminal, the pane title may not change,
nothing may blink, and the names show as typed. The positive control (the same names printed
raw by cat) shows the recording sees them."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from installed import hamish
from tmux import Tmux

pytestmark = pytest.mark.e2e

ARABIC = "قال الوزير إن الحكومة ستعلن القرار غدا في مؤتمر صحفي"
FILES = ["t\x1b]0;TITLE\x07.txt", "report [draft] v2.txt", "[blink reverse]x.txt"]
JSONL_ID = "2024/[/]minutes"
JSONL_TITLE = "\x1b]52;c;ZXZpbA==\x07 \x9b2J \u202eevil"
RLO = "\u202e".encode()




def corpus(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in FILES:
        (folder / name).write_text(f"{name}\n{ARABIC}\n", encoding="utf-8")
    news = tmp_path / "news.jsonl"
    record = {"id": JSONL_ID, "text": ARABIC, "meta": {"title": JSONL_TITLE}}
    news.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    labels = tmp_path / "labels.toml"
    labels.write_text('[[label]]\nname = "[/]x"\nkey = "1"\n', encoding="utf-8")
    store = tmp_path / "notes [/] [draft]" / "db.json"
    store.parent.mkdir(parents=True)
    return folder, news, labels, store


def pane_title(term: Tmux) -> str:
    return term._tmux("display-message", "-p", "-t", term.name, "#{pane_title}").strip()


def recording(term: Tmux, path: Path) -> None:
    term._tmux("pipe-pane", "-t", term.name, "-o", f"cat >> '{path}'")


# Textual's own OSC: 22 sets the mouse pointer's shape (``\e]22;default\a``). Any other OSC
# (0/2 window title, 52 clipboard, 8 hyperlink ...) can only come from data.
TEXTUAL_OSC = re.compile(rb"\x1b\]22;[a-z-]*(\x07|\x1b\\)")


def osc_and_c1(data: bytes) -> list[bytes]:
    """Every OSC but Textual's pointer shape, every C1 control (UTF-8 encoded U+0080-U+009F,
    the one-byte CSI and OSC among them) and every RLO in ``data``."""
    rest = TEXTUAL_OSC.sub(b"", data)
    found = [m.group()[:40] for m in re.finditer(rb"\x1b\][^\x07\x1b]{0,40}", rest)]
    found += [bytes([0xC2, b]) for b in range(0x80, 0xA0) if bytes([0xC2, b]) in rest]
    if RLO in rest:
        found.append(RLO)
    return found


def blinks(data: bytes) -> bool:
    """Whether an SGR sequence in ``data`` turns blink on (attribute 5, not a colour's 5)."""
    for m in re.finditer(rb"\x1b\[([0-9;:]*)m", data):
        params = [p for p in m.group(1).split(b";")]
        k = 0
        while k < len(params):
            p = params[k]
            if p in (b"38", b"48", b"58"):
                k += 5 if k + 1 < len(params) and params[k + 1] == b"2" else 3
                continue
            if p in (b"5", b"6"):
                return True
            k += 1
    return False


def screen(term: Tmux) -> str:
    return "\n".join(term.capture())


def wait_text(term: Tmux, text: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = screen(term)
        if text in shown:
            return shown
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never shown; screen was:\n{screen(term)}")


def test_the_recording_sees_raw_names(tmp_path):
    """Positive control: ls of the folder, with names printed raw, sends the OSC."""
    folder, *_ = corpus(tmp_path)
    log = tmp_path / "bytes"
    with Tmux(f"sleep 0.5; cat {folder}/t*.txt; sleep 5", width=80, height=10) as term:
        term._tmux("select-pane", "-t", term.name, "-T", "before")
        recording(term, log)
        time.sleep(1.5)
        assert b"\x1b]0;TITLE" in log.read_bytes()
        assert pane_title(term) != "before"


@pytest.mark.slow
@pytest.mark.parametrize("size", [(120, 40), (60, 20), (40, 15)])
def test_hostile_names_never_reach_the_terminal(tmp_path, size):
    folder, news, labels, store = corpus(tmp_path)
    log = tmp_path / "bytes"
    log.write_bytes(b"")
    go = tmp_path / "go"
    command = (
        f"while [ ! -e {go} ]; do sleep 0.05; done; "
        f"{hamish()} --db '{store}' --labels {labels} --annotator 'a[/]' {folder} {news}"
    )
    with Tmux(command, width=size[0], height=size[1]) as term:
        term._tmux("select-pane", "-t", term.name, "-T", "before")
        recording(term, log)
        go.touch()
        shown = wait_text(term, "Help")
        assert "2024/[/]minutes" in shown or size[0] < 60  # the id column goes when narrow
        assert "[blink reverse]x" in shown and "report [draft] v2" in shown
        for _row in range(4):  # every article: open, tag, note, undo, search, back
            term.send_keys("Enter")
            wait_text(term, " of 4")  # the reader's place
            wait_text(term, "tags the word")  # and its panel: the reader is ready
            term.send_keys("1")
            time.sleep(0.3)
            term.send_keys("m")
            wait_text(term, "Note (Enter")
            term.send_keys("[b]x[/] ", "م", "ن")
            time.sleep(0.3)
            term.send_keys("Enter")
            time.sleep(0.3)
            term.send_keys("u")
            time.sleep(0.3)
            term.send_keys("/", "[/]", "Enter")
            time.sleep(0.3)
            time.sleep(0.3)
            term.send_keys("Escape")
            time.sleep(0.3)
            term.send_keys("BSpace")
            wait_text(term, "library")
            term.send_keys("Down")
        term.send_keys("?")
        wait_text(term, "keys")
        term.send_keys("Escape", "C-q")
        deadline = time.monotonic() + 10
        while not term.pane_dead() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert term.pane_dead()
        title = pane_title(term)
    data = log.read_bytes()
    assert len(data) > 1000  # the recording holds the session
    assert osc_and_c1(data) == []
    assert osc_and_c1(b"x\x1b]0;TITLE\x07 \xc2\x9b" + RLO) != []  # the check can fail
    assert not blinks(data)
    assert "TITLE" not in title and title == "before"
    assert "\u241b]0;TITLE\u2407".encode() in data  # the file name, as pictures


def test_typed_arabic_shows_shaped_in_visual_order_in_the_terminal(tmp_path):
    """The input in a real terminal: the search box row, as tmux shows it, holds the typed
    words joined and right to left (written out here: presentation forms in visual order),
    and the cursor's reverse cell moves the way the arrows point."""
    seed = Path(__file__).resolve().parents[2] / "seeds" / "000_1724ff0518829684.txt"
    command = f"{hamish()} --db {tmp_path / 'db.json'} {seed}"
    with Tmux(command, width=80, height=24) as term:
        wait_text(term, " of 1")
        wait_text(term, "tags the word")
        term.send_keys("/")
        wait_text(term, "Enter finds")
        term.send_keys("إن", "Space", "بوتين")
        shown = wait_text(term, "/ \ufee6\ufef4\ufe97\ufeee\ufe91 \ufee5\ufe87")
        assert "إن بوتين" not in shown  # never the typing order
        row = next(r for r in term.capture() if r.startswith(" / "))
        assert row.rstrip() == " / \ufee6\ufef4\ufe97\ufeee\ufe91 \ufee5\ufe87"
        term.send_keys("Home")  # the start of an Arabic text: its right end
        time.sleep(0.5)
        styled = term._tmux("capture-pane", "-p", "-e", "-t", term.name)
        plain = term.capture()
        line = styled.split("\n")[next(i for i, r in enumerate(plain) if r.startswith(" / "))]
        # the reverse cell is the last letter on the right: ALEF WITH HAMZA BELOW (إ)
        assert re.search(r"\x1b\[[0-9;]*7[0-9;]*m\ufe87", line), repr(line)
        term.send_keys("C-q")
