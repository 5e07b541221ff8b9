"""End to end: two `hamish` on one store. The second says who holds it and goes on read-only
(or quits), never writing; `hamish export` works while the first is open."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest
from installed import hamish
from tmux import Tmux

from hamish.store import AnnotationStore

pytestmark = pytest.mark.e2e

SEED = Path(__file__).resolve().parent.parent.parent / "seeds" / "000_1724ff0518829684.txt"


def wait_until(term: Tmux, check, what: str) -> list[str]:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        screen = term.capture()
        if check(screen):
            return screen
        time.sleep(0.05)
    raise AssertionError(f"{what}:\n" + "\n".join(term.capture()))


def text_of(screen: list[str]) -> str:
    return "\n".join(screen)


def dialog_text(screen: list[str]) -> str:
    """The text inside the dialog's box (between its side borders), row by row."""
    rows = [row for row in screen if row.count("│") >= 2]
    return "\n".join(row[row.index("│") + 1 : row.rindex("│")].strip() for row in rows)


def test_second_hamish_goes_read_only_and_export_works_meanwhile(tmp_path):
    db = tmp_path / "db.json"
    with Tmux([hamish(), "--db", str(db), "--annotator", "first", str(SEED)]) as first:
        wait_until(first, lambda s: "claim" in text_of(s), "the first hamish did not start")
        first.send_keys("1")
        wait_until(first, lambda s: "first" in text_of(s), "the first hamish did not tag")

        with Tmux([hamish(), "--db", str(db), "--annotator", "second", str(SEED)]) as second:
            screen = wait_until(second, lambda s: "in use" in text_of(s), "no message in the second hamish")
            # Which store, which process: the dialog's text, its lines joined (the store's path
            # is long and may be wrapped anywhere, even inside "db.json").
            squeezed = "".join(dialog_text(screen).split())
            assert str(db) in squeezed and "byprocess" in squeezed, dialog_text(screen)
            second.send_keys("r")  # go on read-only: the first hamish's annotation is there
            wait_until(second, lambda s: "read-only" in text_of(s) and "first" in text_of(s), "not read-only")
            second.send_keys("Left", "2")
            wait_until(second, lambda s: "Read-only" in text_of(s), "no read-only warning on a tag")
            second.send_keys("C-q")
            wait_until(second, lambda s: second.pane_dead(), "the second hamish did not quit")

        # The first is still open: export reads a consistent state without waiting for it.
        done = subprocess.run(
            [hamish(), "export", "--db", str(db)], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        (record,) = [json.loads(line) for line in done.stdout.splitlines()]
        assert [(s["label"], s["annotator"]) for s in record["spans"]] == [("claim", "first")]
        first.send_keys("C-q")
        wait_until(first, lambda s: first.pane_dead(), "the first hamish did not quit")

    with AnnotationStore(db, readonly=True) as store:
        assert [(a.label, a.annotator) for a in store.all()] == [("claim", "first")]


def test_second_hamish_can_quit_instead(tmp_path):
    db = tmp_path / "db.json"
    status = tmp_path / "status"
    holder = AnnotationStore(db)
    holder.add("000_1724ff0518829684", 0, 8, "claim", text="الكرملين", sha256="0" * 64)
    files = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("db.json")}
    try:
        command = f"{hamish()} --db {db} {SEED}; echo $? > {status}"
        with Tmux(["sh", "-c", command]) as second:
            wait_until(second, lambda s: "in use" in text_of(s), "no message")
            second.send_keys("q")
            wait_until(second, lambda s: second.pane_dead(), "did not quit")
        assert status.read_text().strip() == "1"  # quitting because the store is held is not success
        after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("db.json")}
        assert after == files  # the second hamish wrote nothing
    finally:
        holder.close()
