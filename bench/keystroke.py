"""Keystroke: one cursor move plus the repaint of the text on a 200x50 screen, on the 1 MB
article, Hamish's reader against Textual's own ``TextArea`` holding the same text.

Both apps run headless (``App.run_test(size=(200, 50))``); the TextArea is given the height
of the reader's text widget (the rest of the screen: a header, a status line, the Footer), so
both repaint the same number of rows. ``TextArea`` is ``read_only`` with ``soft_wrap`` (it wraps like the reader) and no
border or padding. Both start with the cursor at the middle of the text.

The same random key sequence is played on both (seeded; left/right/up/down/PageDown weighted
3/3/2/1/1). Each step, timed with ``perf_counter``:

    the key's bound action (Hamish: move/line/page; TextArea: cursor_word_left/right, cursor_up/
    down, cursor_page_down — word moves, since Hamish's cursor is a word)
    + ``render_line(y)`` for every row of the widget (what the compositor asks a Line-API widget
    for when it repaints it; each widget's own line cache applies)

then an untimed ``pilot.pause()`` lets messages and Textual's real refresh run. ``keystroke``
is the cursor keys (left/right/up/down); ``keystroke_pagedown`` is PageDown alone.

``keystroke_roundtrip`` is the whole Textual path for the cursor keys: process CPU time of
``pilot.press(key)`` + ``pilot.pause()`` (event, binding, action, refresh, compositor, headless
driver); its wall time is mostly pilot's idle waits, so CPU time is what is compared.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import paired, summary
from bench.reader import (
    KEYS,
    _key_sequence,
    _laid_out,
    _run_reader,
    _settle_at,
    _wait_for,
    bench_db,
)

SIZE = (200, 50)
FRAME_MS = 1000 / 60
KEY_RATIO_TARGET = 1.0

# Hamish key -> (TextArea action, the key that TextArea binds to it)
TEXTAREA_KEYS: dict[str, tuple[str, str]] = {
    "left": ("action_cursor_word_left", "ctrl+left"),
    "right": ("action_cursor_word_right", "ctrl+right"),
    "up": ("action_cursor_up", "up"),
    "down": ("action_cursor_down", "down"),
    "pagedown": ("action_cursor_page_down", "pagedown"),
}


def _textarea_app(text: str, rows: int | None = None):  # type: ignore[no-untyped-def]
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Static, TextArea

    class TextAreaApp(App):
        CSS = """
        #header, #status { height: 1; }
        TextArea { height: 1fr; border: none; padding: 0; }
        TextArea:focus { border: none; }
        """ + (
            f"TextArea {{ height: {rows}; }} #pad {{ height: 1fr; }}"
            if rows
            else "#pad { display: none; }"
        )

        def compose(self) -> ComposeResult:
            yield Static("TextArea", id="header")
            yield TextArea(text, read_only=True, soft_wrap=True, show_line_numbers=False, id="text")
            yield Static("", id="pad")
            yield Static("", id="status")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one(TextArea).focus()

    return TextAreaApp()


async def _timed_steps(
    pilot, keys: list[str], step: Callable[[str], None], widget
) -> dict[str, list[float]]:  # type: ignore[no-untyped-def]
    per_key: dict[str, list[float]] = {k: [] for k in KEYS}
    for key in keys:
        height = widget.size.height
        t = time.perf_counter()
        step(key)
        for y in range(height):
            widget.render_line(y)
        per_key[key].append(time.perf_counter() - t)
        await pilot.pause()  # untimed: let messages and the real refresh run
    return per_key


async def _roundtrips(pilot, keys: list[str], press: Callable[[str], str]) -> list[float]:  # type: ignore[no-untyped-def]
    cpu = []
    for key in keys:
        c = time.process_time()
        await pilot.press(press(key))
        await pilot.pause()
        cpu.append(time.process_time() - c)
    return cpu


def _result(
    per_key: dict[str, list[float]], roundtrip: list[float], widget, extra: dict[str, Any]
) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    cursor = [t for k, v in per_key.items() if k != "pagedown" for t in v]
    return {
        "cursor": summary(cursor, 1000),
        "pagedown": summary(per_key["pagedown"], 1000),
        "per_key": {k: summary(v, 1000) for k, v in per_key.items() if v},
        "roundtrip": summary(roundtrip, 1000) if roundtrip else None,
        "widget_size": [widget.size.width, widget.size.height],
        **extra,
    }


def measure_hamish(path: Path, moves: int, roundtrips: int, seed: int = 1) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        from hamish.tui.app import create_app

        app = create_app([str(path)], db_path=bench_db())
        async with _run_reader(app, SIZE) as (pilot, _painted):
            view = app.screen.view
            await _settle_at(view, pilot, len(view.text) // 2)

            def step(key: str) -> None:
                name, arg = KEYS[key]
                getattr(view, name)(arg)

            per_key = await _timed_steps(pilot, _key_sequence(moves, seed), step, view)
            cursor_keys = [k for k in _key_sequence(roundtrips * 2, seed + 1) if k != "pagedown"][
                :roundtrips
            ]
            rt = await _roundtrips(pilot, cursor_keys, lambda k: k)
            return _result(per_key, rt, view, _laid_out(view))

    return asyncio.run(go())


def measure_textarea(
    path: Path, moves: int, roundtrips: int, seed: int = 1, rows: int | None = None
) -> dict[str, Any]:
    """``rows``: the TextArea's height (by default, what the chrome leaves)."""
    text = path.read_text(encoding="utf-8")

    async def go() -> dict[str, Any]:
        from textual.widgets import TextArea

        app = _textarea_app(text, rows)
        async with app.run_test(size=SIZE) as pilot:
            area = app.query_one(TextArea)
            await _wait_for(
                pilot, lambda: area.size.height > 0 and area.wrapped_document.height > 0
            )
            area.move_cursor(area.document.get_location_from_index(len(text) // 2), center=True)
            await pilot.pause()
            for y in range(area.size.height):
                area.render_line(y)
            await pilot.pause()

            def step(key: str) -> None:
                getattr(area, TEXTAREA_KEYS[key][0])()

            per_key = await _timed_steps(pilot, _key_sequence(moves, seed), step, area)
            cursor_keys = [k for k in _key_sequence(roundtrips * 2, seed + 1) if k != "pagedown"][
                :roundtrips
            ]
            rt = await _roundtrips(pilot, cursor_keys, lambda k: TEXTAREA_KEYS[k][1])
            return _result(per_key, rt, area, {})

    return asyncio.run(go())


def measure(
    path: Path, moves: int, roundtrips: int, log: Callable[[str], None] = lambda s: None
) -> dict[str, Any]:
    log(f"keystroke: Hamish reader, {moves} moves + {roundtrips} round trips")
    hamish = measure_hamish(path, moves, roundtrips)
    log(f"keystroke: Textual TextArea, {moves} moves + {roundtrips} round trips")
    textarea = measure_textarea(path, moves, roundtrips, rows=hamish["widget_size"][1])
    return {"hamish": hamish, "textarea": textarea}


def figures(r: dict[str, Any]) -> dict[str, dict[str, Any]]:
    h, t = r["hamish"], r["textarea"]
    size = f"{SIZE[0]}x{SIZE[1]}"
    out = {
        "keystroke": paired(
            h["cursor"],
            t["cursor"],
            "ms",
            target=f"ratio <= {KEY_RATIO_TARGET:g} and p95 <= {FRAME_MS:.1f} ms",
            max_ratio=KEY_RATIO_TARGET,
            max_p95=FRAME_MS,
            measures=f"cursor key (left/right/up/down) action + render_line of every row, {size} screen, "
            "1 MB article from its middle; reference: Textual TextArea (word moves) on the same text",
            widget_size=h["widget_size"],
            reference_widget_size=t["widget_size"],
        ),
        "keystroke_pagedown": paired(
            h["pagedown"],
            t["pagedown"],
            "ms",
            target=f"p95 <= {FRAME_MS:.1f} ms",
            max_p95=FRAME_MS,
            measures="as keystroke, PageDown (a new screen laid out); reference: TextArea cursor_page_down",
        ),
    }
    if h["roundtrip"] and t["roundtrip"]:
        out["keystroke_roundtrip"] = paired(
            h["roundtrip"],
            t["roundtrip"],
            "ms CPU",
            target=None,
            measures="process CPU time of pilot.press + pilot.pause for a cursor key (the whole Textual "
            "path); reference: TextArea",
        )
    return out
