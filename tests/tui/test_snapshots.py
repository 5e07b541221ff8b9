"""How the screens look, at 100x40: one snapshot per screen (pytest-textual-snapshot).

Regenerate after an intended change with `python -m pytest tests/tui/test_snapshots.py
--snapshot-update`, and look at the SVGs before committing them.

Note when looking: an SVG viewer (a browser, librsvg) runs the bidi algorithm again over the
text, which Hamish has already put in visual order, so Arabic looks mirrored there. A terminal
does not; the tmux end-to-end tests check what a terminal shows.
"""

from __future__ import annotations

from pathlib import Path

from tui.app import create_app

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
