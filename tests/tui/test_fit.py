"""Every screen fits 40×15 and uses 200×50 (Pilot): what the snapshots show, asserted."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import DataTable

from hamish.store import StoreLockedError
from hamish.tui.app import create_app
from hamish.tui.labels import DEFAULT_LABELS
from hamish.tui.screens.dialogs import ChoiceDialog, ChooseAnnotation, EditNote
from hamish.tui.screens.help import HelpScreen, KeysView
from hamish.tui.screens.library import library_columns

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
SEED = SEEDS / "000_1724ff0518829684.txt"
SIZES = [(40, 15), (60, 20), (80, 24), (120, 40), (200, 50)]
LOCKED = StoreLockedError(
    "Annotation store /home/reader/notes [draft]/hamish/annotations.db.json is already open "
    "for writing by process 4242 of user reader on host desk, since 2026-12-01T23:00:00+00:00.",
    Path("/home/reader/notes [draft]/hamish/annotations.db.json"),
    None,
)


def rows(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def inside(app, widget) -> bool:
    region = widget.region
    w, h = app.size
    return region.x >= 0 and region.y >= 0 and region.right <= w and region.bottom <= h


@pytest.mark.parametrize("size", SIZES)
async def test_the_library_uses_the_width_and_keeps_help_in_the_key_bar(tmp_path, size):
    app = create_app([str(SEEDS)], db_path=str(tmp_path / "db.json"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        widths = [c.get_render_width(table) for c in table.columns.values()]
        assert sum(widths) <= size[0]  # nothing off screen
        assert sum(widths) >= size[0] - 4  # and nothing left empty: the title takes it
        keys = [c.key.value for c in table.columns.values()]
        assert "title" in keys and "status" in keys  # the two that always stay
        assert rows(app)[-1].startswith(" ?  Help")


def test_narrow_windows_drop_columns_in_order():
    def keys(width):
        return [c.key for c in library_columns(width, DEFAULT_LABELS, 20)]

    labels = [f"label:{label.name}" for label in DEFAULT_LABELS]
    assert keys(200) == ["title", "id", "words", *labels, "status"]
    assert keys(60) == ["title", "id", *labels, "status"]  # the word count goes first
    assert keys(40) == ["title", *labels, "status"]  # then the id
    assert keys(24) == ["title", "status"]  # then the counts; the status is a mark
    wide = library_columns(200, DEFAULT_LABELS, 20)
    assert wide[0].width > 100  # the title takes what is free


@pytest.mark.parametrize("size", SIZES)
async def test_dialogs_and_help_fit_the_screen(tmp_path, size):
    app = create_app([str(SEED)], db_path=str(tmp_path / "db.json"), annotator="fit")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("1", "m")
        await pilot.pause()
        assert isinstance(app.screen, EditNote)
        assert inside(app, app.screen.query_one(".dialog-box"))
        await pilot.press(*"ملاحظة طويلة جدا عن هذا الاقتباس", "enter")
        await pilot.press("shift+left", "2", "right", "d")
        await pilot.pause()
        assert isinstance(app.screen, ChooseAnnotation)
        assert inside(app, app.screen.query_one(".dialog-box"))
        assert all(cell_len(r) <= size[0] for r in rows(app))
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = app.screen.query_one(KeysView)
        assert inside(app, app.screen.query_one("#help"))
        shown = keys.render().plain.split("\n")
        assert max(cell_len(r) for r in shown) <= keys.content_region.width  # wrapped, not cut
        assert "neither, back to the library" in " ".join(r.strip() for r in shown)


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_the_lock_dialog_keeps_its_choices_in_view(tmp_path, size):
    app = create_app([str(SEEDS)], db_path=str(tmp_path / "db.json"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app._offer_read_only(LOCKED)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        box = app.screen.query_one(".dialog-box")
        assert inside(app, box)
        assert any("r go on read-only   q quit" in r for r in rows(app))
