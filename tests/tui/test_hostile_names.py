"""Hostile names through every screen (Pilot): file names, JSONL ids and titles, label names,
notes and a store path holding escape sequences, C1 controls, bidi overrides and Textual
markup. None may crash the app (MarkupError), style anything, or reach the screen raw; and no
widget is given text that did not come through hamish.tui.display.

The end-to-end test (tests/e2e/test_hostile_ui_terminal.py) records the bytes a real
terminal gets."""

from __future__ import annotations

import pytest

import json

from rich.text import Text
from textual.widgets import DataTable, OptionList, Static

from hamish.store import AnnotationStore
from hamish.tui.app import create_app
from hamish.tui.display import Display
from hamish.tui.screens import requests
from hamish.tui.screens.dialogs import ChoiceDialog, ChooseAnnotation, EditNote
from hamish.tui.screens.help import HelpScreen
from hamish.tui.screens.reader import ReaderScreen

ARABIC = "قال الوزير إن الحكومة ستعلن القرار غدا في مؤتمر صحفي"
OSC_TITLE = "t\x1b]0;TITLE\x07.txt"
FILES = [OSC_TITLE, "report [draft] v2.txt", "[blink reverse]x.txt"]
JSONL_ID = "2024/[/]minutes"
JSONL_TITLE = "\x1b]52;c;ZXZpbA==\x07 [/] \x9b2J \u202eevil"
LABEL = "[/]x"
BAD = {chr(c) for c in range(0x20)} | {chr(c) for c in range(0x7F, 0xA0)}
BAD |= set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


def corpus(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in FILES:
        (folder / name).write_text(f"{name}\n{ARABIC}\n", encoding="utf-8")
    news = tmp_path / "news.jsonl"
    record = {"id": JSONL_ID, "text": f"{ARABIC} \x1b]0;PWN\x07", "meta": {"title": JSONL_TITLE}}
    news.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    labels = tmp_path / "labels.toml"
    labels.write_text(
        f'[[label]]\nname = "{LABEL}"\nkey = "1"\n\n[[label]]\nname = "مصدر [b]"\nkey = "2"\n',
        encoding="utf-8",
    )
    store = tmp_path / "notes [/] [draft]" / "db.json"
    store.parent.mkdir(parents=True)  # "[/]" holds a separator: "notes [" then "] [draft]"
    return [str(folder), str(news)], str(labels), str(store)


def screen_rows(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def check_screen(app) -> str:
    """Nothing raw on screen, nothing styled by a name (no blink, no reverse outside the
    cursor's cells); the rows as text."""
    rows = screen_rows(app)
    shown = "\n".join(rows)
    assert not (set("".join(rows)) & BAD), sorted(set("".join(rows)) & BAD)
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            assert not (segment.style and segment.style.blink), segment
    check_widgets(app.screen)
    return shown


def check_widgets(screen) -> None:
    """Every widget with text shows a Display (or is one of Hamish's own widgets, which make
    them): no Static, table cell, column header or option got a str or a Text of its own."""
    for widget in screen.walk_children():
        name = type(widget).__name__
        assert name not in ("Input", "Footer", "Label", "Header"), f"Textual's {name} on screen"
        if isinstance(widget, Static) and name != "Toast":
            content = widget.content
            assert isinstance(content, Display) or content == "", (widget, content)
        if isinstance(widget, DataTable):
            for column in widget.columns.values():
                assert isinstance(column.label, Display), column.label
            for row_key in widget.rows:
                for cell in widget.get_row(row_key):
                    assert isinstance(cell, Display), (row_key, cell)
        if isinstance(widget, OptionList):
            for option in widget.options:
                assert isinstance(option.prompt, Display), option.prompt


def toasts(app) -> list[str]:
    return [n.message + n.title for n in app._notifications]


@pytest.mark.slow
async def test_hostile_names_are_shown_as_text_on_every_screen(tmp_path):
    paths, labels, store = corpus(tmp_path)
    app = create_app(paths, db_path=store, labels_path=labels, annotator="a\x1b[31m[/]")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        shown = check_screen(app)
        # the library: names as typed (the file's ESC and BEL as pictures), no markup eaten
        assert "report [draft] v2" in shown and "[blink reverse]x" in shown
        assert "t\u241b]0;TITLE\u2407" in shown
        assert JSONL_ID in shown
        assert "[/]" in shown  # the label's column header, the JSONL title
        # the filter: typing markup and an escape
        await pilot.press("slash", *"[/]", "enter")
        await pilot.pause()
        assert "[/]" in check_screen(app)
        await pilot.press("escape")
        for row in range(4):
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=row)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen), app.screen
            shown = check_screen(app)
            assert LABEL in shown  # the legend, the key bar
            await pilot.press("1")  # tag with the label [/]x
            await pilot.pause()
            check_screen(app)
            await pilot.press("1")  # "Already tagged [/]x"
            await pilot.pause()
            assert any(LABEL in t for t in toasts(app))
            await pilot.press("m")
            await pilot.pause()
            assert isinstance(app.screen, EditNote)
            await pilot.press(*"[b]x[/]")
            app.screen.query_one("#note").insert("\x1b]0;NOTE\x07 \u202eمن")
            await pilot.pause()
            assert "[b]x[/]" in check_screen(app)
            await pilot.press("enter")
            await pilot.pause()
            shown = check_screen(app)
            assert "[b]x[/]" in shown  # the note in the panel, as typed
            screen = app.screen
            start, end = screen.view.cursor
            # a second span over the word, as the reader asks for it
            screen.post_message(requests.Tag(screen.article.id, start, end + 2, "مصدر [b]"))
            await pilot.pause()
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, ChooseAnnotation)
            check_screen(app)
            await pilot.press("1")
            await pilot.pause()
            check_screen(app)
            await pilot.press("u")  # "Undone: … «…» in <id>"
            await pilot.pause()
            check_screen(app)
            await pilot.press("slash", *"[/]", "enter")  # No match for “[/]”
            await pilot.pause()
            check_screen(app)
            await pilot.press("backspace")
            await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        check_screen(app)
        for message in toasts(app):  # (lines broken by the engine for the toast's width)
            assert not (set(message) - {"\n"}) & BAD, message
    assert app.return_code in (None, 0)


async def test_a_store_path_with_markup_is_offered_read_only_and_named_right(tmp_path):
    """The bug: a store path holding `[/]` crashed the second Hamish instead of offering
    read-only, and `notes [draft]` named the wrong file in the dialog."""
    paths, labels, store = corpus(tmp_path)
    holder = AnnotationStore(store)
    try:
        app = create_app(paths, db_path=store, labels_path=labels)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ChoiceDialog)
            shown = check_screen(app)
            flat = "".join(row.strip("│ ") for row in shown.split("\n"))
            assert store in flat  # the path, whole, [/] and [draft] included
            # what is true, before the question
            assert flat.index("opened it read-only") < flat.index("nothing you do is saved")
            assert flat.index("nothing you do is saved") < flat.index("Go on read-only, or quit?")
            assert "or open the store read-only" not in flat
            await pilot.press("r")
            await pilot.pause()
            assert app.readonly
    finally:
        holder.close()


async def test_exit_messages_are_not_markup(tmp_path):
    """A corrupt store in a folder named with markup: the app exits with the message, whole."""
    folder = tmp_path / "x [/] [b]"
    folder.mkdir(parents=True)
    db = folder / "db.json"
    db.write_text('{"_default": {"1": ', encoding="utf-8")
    app = create_app(None, db_path=str(db))
    said = []
    real_exit = app.exit

    def exit(*args, message=None, **kwargs):
        said.append(message)
        real_exit(*args, message=message, **kwargs)

    app.exit = exit  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert app.return_code == 2
    (message,) = said
    assert isinstance(message, Text) and str(db) in message.plain and not message.spans


def test_no_module_builds_a_textual_input_footer_or_markup_string():
    """The wrong way made hard: Textual's Input and Footer show raw text, Static(str) and
    markup=True parse markup. None of them is used by the screens."""
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "tui"
    for path in (
        list(root.glob("screens/*.py")) + list(root.glob("widgets/*.py")) + [root / "app.py"]
    ):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"\b(Input|Footer|Label|Static)\(", source), path
        assert "markup=True" not in source, path
        assert "from_markup" not in source, path
