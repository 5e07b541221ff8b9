"""Every screen at 40×15, 80×24 and 200×50 (pytest-textual-snapshot): dialogs inside the
screen with their text wrapped, the library's columns using the width, help readable, ``?``
in the key bar. Regenerate after an intended change with `--snapshot-update` and look at the
SVGs (an SVG viewer applies bidi again: Arabic looks mirrored there, not in a terminal).

The checks that do not need a picture (nothing cut off, ``?`` shown) are asserted in
tests/tui/test_fit.py at the same sizes."""

from __future__ import annotations

from pathlib import Path

import pytest

from hamish.store import StoreLockedError
from hamish.tui.app import create_app

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
SEED = SEEDS / "000_1724ff0518829684.txt"
SIZES = [(40, 15), (80, 24), (200, 50)]
LOCKED = StoreLockedError(
    "Annotation store /home/reader/notes [draft]/hamish/annotations.db.json is already open "
    "for writing by process 4242 of user reader on host desk, since 2026-12-01T23:00:00+00:00.",
    Path("/home/reader/notes [draft]/hamish/annotations.db.json"),
    None,
)


def library(tmp_path):
    return create_app([str(SEEDS)], db_path=str(tmp_path / "db.json"), annotator="snap")


def reader(tmp_path):
    return create_app([str(SEED)], db_path=str(tmp_path / "db.json"), annotator="snap")


SCREENS = {
    "library": (library, []),
    "library_filter": (library, ["slash", *"الق"]),
    "reader": (reader, ["left", "left", "down"]),
    "reader_search_typing": (reader, ["slash", *"إن بوتين", "left", "left"]),
    "reader_search": (reader, ["slash", *"إن بوتين", "enter"]),
    "reader_note": (reader, ["1", "m", *"الكرملين said"]),
    "reader_choose": (reader, ["1", "shift+left", "2", "right", "d"]),
    "help": (library, ["question_mark"]),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(SCREENS))
def test_screen(snap_compare, tmp_path, name, size):
    make, keys = SCREENS[name]
    assert snap_compare(make(tmp_path), terminal_size=size, press=keys)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lock_dialog(snap_compare, tmp_path, size):
    async def locked(pilot):
        pilot.app._offer_read_only(LOCKED)
        await pilot.pause()

    assert snap_compare(library(tmp_path), terminal_size=size, run_before=locked)
