"""End to end: the installed `hamish` in tmux, a person goes through the suggestions of a test
article with f and Enter, quits, and the store holds the quotations with their origin; then
`hamish export` carries that origin."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest
from installed import hamish
from tmux import Tmux

from hamish.store import AnnotationStore, load_file

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ROOT / "bench" / "annot" / "articles" / "a1_karabakh.txt"
GOLD = ROOT / "bench" / "annot" / "gold.jsonl"
SELECTED = re.compile(r"selected (\d+)–(\d+)")


def selected(screen: list[str]) -> tuple[int, int] | None:
    for row in reversed(screen):
        m = SELECTED.search(row)
        if m:
            return int(m.group(1)), int(m.group(2))
    return None


def wait_until(term: Tmux, check, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        found = check(term.capture())
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{what}:\n" + "\n".join(term.capture()))


def test_accept_every_suggested_quotation_with_f_and_enter(tmp_path) -> None:  # type: ignore[no-untyped-def]
    article = load_file(ARTICLE)
    text = article.text
    quotes = [
        json.loads(line)["text"]
        for line in GOLD.read_text(encoding="utf-8").splitlines()
        if json.loads(line)["doc"] == article.id and json.loads(line)["label"] == "quote"
    ]
    spans = [(text.index(q), text.index(q) + len(q)) for q in quotes]
    db = tmp_path / "db.json"
    with Tmux([hamish(), "--db", str(db), "--annotator", "e2e", str(ARTICLE)]) as term:
        wait_until(term, lambda s: any("–" in row for row in s[-8:]), "no status line")
        term.send_keys("f")
        wait_until(term, lambda s: selected(s) == spans[0], "f did not select the first quotation")
        assert any("suggestion 1 of 3" in row for row in term.capture())
        term.send_keys("Enter")
        wait_until(term, lambda s: selected(s) == spans[1], "Enter did not go on to the next")
        term.send_keys("Enter")
        wait_until(term, lambda s: selected(s) == spans[2], "no third suggestion")
        term.send_keys("Enter")
        wait_until(term, lambda s: any("No more suggestions" in row for row in s), "not the end")
        term.send_keys("C-q")
        wait_until(term, lambda s: term.pane_dead(), "hamish did not quit")
    with AnnotationStore(db, readonly=True) as store:
        got = [(a.start, a.end, a.label, a.origin) for a in store.annotations(article.id)]
    assert got == [(s, e, "quote", "suggested:quotes") for s, e in spans]
    out = subprocess.run(
        [hamish(), "export", "--db", str(db), "--corpus", str(ARTICLE.parent)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert out.returncode == 0, out.stderr
    (row,) = [json.loads(line) for line in out.stdout.splitlines()]
    assert [s["origin"] for s in row["spans"]] == ["suggested:quotes"] * 3
