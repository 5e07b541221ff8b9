"""The text input on the engine (Pilot): typed Arabic shaped and in visual order as it is
typed, the cursor on the right cell, Left/Right the way the screen shows, Home/End,
Backspace/Delete, word moves, paste, mixed Arabic and Latin.

The expected rows are written out by hand (visual order, presentation forms as a terminal
without bidi must get them), not taken from the engine."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from hamish.tui.widgets.text_input import TextInput


class One(App):
    def __init__(self, value: str = "") -> None:
        super().__init__()
        self.value = value
        self.changes: list[str] = []
        self.submitted: list[str] = []

    def compose(self) -> ComposeResult:
        yield TextInput(self.value, id="box")

    def on_mount(self) -> None:
        self.query_one(TextInput).focus()

    def on_text_input_changed(self, event: TextInput.Changed) -> None:
        self.changes.append(event.value)

    def on_text_input_submitted(self, event: TextInput.Submitted) -> None:
        self.submitted.append(event.value)


def row(app) -> str:
    """What the input shows, without its padding and the cursor's cell past the text."""
    box = app.query_one(TextInput)
    return box.render().plain


def cursor_cell(app) -> int:
    """The cell drawn as the cursor (reverse), counted from the input's text start."""
    box = app.query_one(TextInput)
    shown = box.render()
    for span in shown.spans:
        style = span.style
        if getattr(style, "reverse", False):
            return span.start  # one cell per character in these texts
    raise AssertionError("no cursor drawn")


async def test_typed_arabic_shows_shaped_right_to_left_as_it_is_typed():
    app = One()
    async with app.run_test(size=(40, 3)) as pilot:
        await pilot.press("ب")
        assert row(app).strip() == "\ufe8f"  # BEH isolated
        await pilot.press("ي")
        assert row(app).strip() == "\ufef2\ufe91"  # YEH final, BEH initial: visual order
        await pilot.press("ت")
        assert row(app).strip() == "\ufe96\ufef4\ufe91"  # بيت: TEH final, YEH medial, BEH initial
        assert app.query_one(TextInput).value == "بيت"
        # the cursor is past the reading end: left of the word
        assert cursor_cell(app) == 0 and row(app)[1:] == "\ufe96\ufef4\ufe91"
        assert app.changes == ["ب", "بي", "بيت"]


async def test_left_goes_forward_in_arabic_and_right_back_the_way_the_screen_shows():
    app = One("بيت")
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(TextInput)
        await pilot.press("home")  # the start of the text: its right end
        assert box.cursor == 0 and cursor_cell(app) == 3
        await pilot.press("left")
        assert box.cursor == 1 and cursor_cell(app) == 2
        await pilot.press("left", "left")
        assert box.cursor == 3 and cursor_cell(app) == 0  # past the end, at the left
        await pilot.press("left")
        assert box.cursor == 3  # no further
        await pilot.press("right")
        assert box.cursor == 2 and cursor_cell(app) == 1
        await pilot.press("end")
        assert box.cursor == 3


async def test_latin_moves_as_usual_and_editing_keys_work():
    app = One()
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(TextInput)
        await pilot.press(*"abc def")
        assert row(app).rstrip() == "abc def" and box.cursor == 7
        await pilot.press("ctrl+left")
        assert box.cursor == 4  # the start of "def"
        await pilot.press("ctrl+left")
        assert box.cursor == 0
        await pilot.press("ctrl+right")
        assert box.cursor == 4
        await pilot.press("backspace")
        assert box.value == "abcdef" and box.cursor == 3
        await pilot.press("delete")
        assert box.value == "abcef" and box.cursor == 3
        await pilot.press("ctrl+w")
        assert box.value == "ef" and box.cursor == 0
        await pilot.press("end", "enter")
        assert app.submitted == ["ef"]


async def test_mixed_arabic_and_latin_keep_each_run_in_its_order_and_the_cursor_on_its_cell():
    app = One()
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(TextInput)
        await pilot.press(*"abc ", "ب", "ي", "ت", *" x")
        # LTR paragraph (first strong: a): abc, then بيت right to left, then x
        assert row(app).rstrip() == "abc \ufe96\ufef4\ufe91 x"
        await pilot.press("home", "right", "right", "right", "right")
        # the fifth cell from the left shows the Arabic word's last letter (logical 6)
        assert cursor_cell(app) == 4 and box.cursor == 6
        await pilot.press("right")
        assert cursor_cell(app) == 5 and box.cursor == 5
        await pilot.press("backspace")  # deletes logical 4, ب: the word is now يت
        assert box.value == "abc يت x"
        assert row(app).rstrip() == "abc \ufe96\ufef3 x"


async def test_backspace_takes_a_haraka_first_and_delete_a_letter_with_its_marks():
    app = One("بَت")  # BEH FATHA TEH
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(TextInput)
        await pilot.press("home", "delete")
        assert box.value == "ت"  # the letter and its mark
        box.value, box.cursor = "بَت", 2
        await pilot.press("backspace")
        assert box.value == "بت"


async def test_a_paste_goes_in_at_the_cursor_without_controls():
    app = One("ab")
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(TextInput)
        await pilot.press("home", "right")
        box.post_message(events.Paste("X\x1b]0;T\x07\nY\u202e"))
        await pilot.pause()
        assert box.value == "aX]0;T Y\u202eb" and box.cursor == 9
        assert "\x1b" not in row(app) and "\u202e" not in row(app)


async def test_a_long_value_scrolls_to_keep_the_cursor_in_view():
    app = One()
    async with app.run_test(size=(12, 3)) as pilot:
        box = app.query_one(TextInput)
        await pilot.press(*"abcdefghijklmnop")
        shown = row(app)
        assert len(shown) <= box.content_region.width and shown.rstrip().endswith("p")
        await pilot.press("home")
        assert row(app).startswith("abc")


async def test_reader_keys_typed_into_the_search_box_are_text(tmp_path):
    """Letters the reader binds (d, m, n, q, s, 1, ...) and the arrows go to the box while it
    has the focus, not to the reader."""
    from pathlib import Path

    from hamish.tui.app import create_app
    from hamish.tui.screens.reader import ReaderScreen

    seed = Path(__file__).resolve().parents[2] / "seeds" / "000_1724ff0518829684.txt"
    app = create_app([str(seed)], db_path=str(tmp_path / "db.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("slash", *"dmnqs1 ab", "left", "left", "x", "?")
        box = app.screen.query_one("#search", TextInput)
        assert box.value == "dmnqs1 x?ab" and box.has_focus
        assert isinstance(app.screen, ReaderScreen)  # no dialog, no help, no quit
        assert app.screen.annotations == []  # 1 did not tag
