"""End to end: annotate in the installed `hamish` in tmux with the keys a person would press,
quit, and find the annotations in the store file with the right offsets and text."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from installed import hamish
from tmux import Tmux

from hamish.store import AnnotationStore, load_file

pytestmark = pytest.mark.e2e

SEED = Path(__file__).resolve().parent.parent.parent / "seeds" / "000_1724ff0518829684.txt"
STATUS = re.compile(r"^\s*(?:selected (\d+)–(\d+) .*· cursor )?\s*(\d+)–(\d+): ")


def status(screen: list[str]) -> tuple | None:
    for row in reversed(screen):
        m = STATUS.match(row)
        if m:
            sel = (int(m.group(1)), int(m.group(2))) if m.group(1) else None
            return sel, (int(m.group(3)), int(m.group(4)))
    return None


def wait_until(term: Tmux, check, what: str):
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        screen = term.capture()
        found = check(screen)
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what}:\n" + "\n".join(term.capture()))


def test_select_tag_note_and_quit_saves_to_the_store(tmp_path):
    article = load_file(SEED)
    text = article.text
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    db = tmp_path / "db.json"
    with Tmux([hamish(), "--db", str(db), "--annotator", "e2e", str(SEED)], width=100, height=40) as term:
        wait_until(term, lambda s: status(s), "the reader did not show its status line")
        # Shift+Left twice in this RTL text: the selection grows forward by two words.
        term.send_keys("S-Left", "S-Left")
        wait_until(term, lambda s: (st := status(s)) and st[0] == (words[0][0], words[2][1]), "no 3-word selection")
        term.send_keys("1")  # claim
        wait_until(term, lambda s: any("claim" in row and "e2e" in row for row in s), "the panel shows no claim")
        # The next word, its first letter cut off with Alt+Shift, as a quote: يعلن → علن
        term.send_keys("Left")  # the cursor was left on the selection's last word
        wait_until(term, lambda s: (st := status(s)) and st[1] == words[3], "cursor not on the 4th word")
        term.send_keys("o", "M-S-Left")
        wait_until(term, lambda s: (st := status(s)) and st[0] == (words[3][0] + 1, words[3][1]), "no char selection")
        term.send_keys("3")
        wait_until(term, lambda s: any("quote" in row and "e2e" in row for row in s), "the panel shows no quote")
        term.send_keys("m")
        wait_until(term, lambda s: any("Note (Enter saves" in row for row in s), "no note box")
        term.send_keys("-l", "spokesman")
        term.send_keys("Enter")
        wait_until(term, lambda s: any("spokesman" in row for row in s), "the note is not shown")
        term.send_keys("C-q")
        wait_until(term, lambda s: term.pane_dead(), "hamish did not quit")

    with AnnotationStore(db, readonly=True) as store:
        got = [(a.start, a.end, a.label, a.text, a.annotator, a.note, a.sha256) for a in store.annotations(article.id)]
        cursor = store.article_state(article.id)["cursor"]
    claim = (words[0][0], words[2][1])
    quote = (words[3][0] + 1, words[3][1])
    assert got == [
        (*claim, "claim", text[slice(*claim)], "e2e", None, article.sha256),
        (*quote, "quote", text[slice(*quote)], "e2e", "spokesman", article.sha256),
    ]
    assert text[slice(*quote)] == text[words[3][0] : words[3][1]][1:]
    assert cursor == words[3][0]  # reopens where the reader was left
