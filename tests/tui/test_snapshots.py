"""How the screens look, at 100x40: one snapshot per screen (pytest-textual-snapshot).

Regenerate after an intended change with `python -m pytest tests/tui/test_snapshots.py
--snapshot-update`, and look at the SVGs before committing them.

Note when looking: an SVG viewer (a browser, librsvg) runs the bidi algorithm again over the
text, which Hamish has already put in visual order, so Arabic looks mirrored there. A terminal
does not; the tmux end-to-end tests check what a terminal shows.
"""

from __future__ import annotations

from pathlib import Path

from hamish.tui.app import create_app

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
SIZE = (100, 40)


def test_library(snap_compare, tmp_path):
    app = create_app([str(SEEDS)], db_path=str(tmp_path / "db.json"))
    assert snap_compare(app, terminal_size=SIZE)


def test_reader(snap_compare, tmp_path):
    app = create_app([str(SEEDS / "000_1724ff0518829684.txt")], db_path=str(tmp_path / "db.json"))
    assert snap_compare(app, terminal_size=SIZE, press=["left", "left", "down"])


def test_reader_search(snap_compare, tmp_path):
    app = create_app([str(SEEDS / "000_1724ff0518829684.txt")], db_path=str(tmp_path / "db.json"))
    assert snap_compare(app, terminal_size=SIZE, press=["slash", *"اردوغان", "enter", "n"])


def test_help(snap_compare, tmp_path):
    app = create_app([str(SEEDS)], db_path=str(tmp_path / "db.json"))
    assert snap_compare(app, terminal_size=SIZE, press=["question_mark"])


def test_reader_overlapping_spans(snap_compare, tmp_path):
    """A quote holding a claim, an agreement that crosses the quote's end, and a note: every
    label visible (background, underline where spans overlap, gutter marks, legend, panel)."""
    from hamish.store import AnnotationStore, load_file

    article = load_file(SEEDS / "000_1724ff0518829684.txt")
    text = article.text
    para = text.index("أكد الكرملين أن")
    quote_start = text.index("أن الرئيس", para)
    quote_end = text.index("الالتزام", para) + len("الالتزام")
    claim_start = text.index("رجب طيب أردوغان", para)
    claim_end = claim_start + len("رجب طيب أردوغان")
    agree_start = text.index("على الالتزام", para)
    agree_end = text.index("\n", para)
    with AnnotationStore(tmp_path / "db.json") as db:
        for start, end, label, note in [
            (quote_start, quote_end, "quote", "الكرملين"),
            (claim_start, claim_end, "claim", None),
            (agree_start, agree_end, "agreement", None),
        ]:
            db.add(article.id, start, end, label, "snap", note, text=text[start:end], sha256=article.sha256)
    app = create_app([str(SEEDS / "000_1724ff0518829684.txt")], db_path=str(tmp_path / "db.json"))
    # Tab twice: the cursor on the claim, inside the quote: the panel lists both.
    assert snap_compare(app, terminal_size=SIZE, press=["tab", "tab"])
