"""Terminal handling: BDSM escape sequences around the app, and --terminal-bidi (logical order)."""

from __future__ import annotations

import io
from argparse import Namespace

import hamish.tui.app as app_module
from hamish.store import Corpus, load_file
from hamish.tui.app import HamishApp
from hamish.tui.screens.reader import ReaderScreen


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_with(monkeypatch, tmp_path, terminal_bidi: bool) -> str:
    (tmp_path / "a.txt").write_text("سلام", encoding="utf-8")
    out = FakeTty()
    seen = []
    monkeypatch.setattr(app_module.sys, "__stdout__", out)
    monkeypatch.setattr(HamishApp, "run", lambda self: seen.append(out.getvalue()))
    args = Namespace(paths=[str(tmp_path / "a.txt")], db=None, terminal_bidi=terminal_bidi)
    assert app_module.run_app(args) == 0
    return seen[0], out.getvalue()


def test_bdsm_explicit_while_running_implicit_after(monkeypatch, tmp_path):
    during, after = run_with(monkeypatch, tmp_path, terminal_bidi=False)
    assert during == "\x1b[8l"  # sent before the app starts drawing
    assert after == "\x1b[8l\x1b[8h"  # and undone on exit


def test_no_bdsm_with_terminal_bidi(monkeypatch, tmp_path):
    during, after = run_with(monkeypatch, tmp_path, terminal_bidi=True)
    assert during == "" and after == ""


async def test_terminal_bidi_sends_lines_in_logical_order_unshaped(tmp_path):
    text = "قال John اليوم"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    for terminal_bidi, expected in [(True, text), (False, "ﻡﻮﻴﻟﺍ John ﻝﺎﻗ")]:
        app = HamishApp(Corpus([load_file(tmp_path / "a.txt")]), terminal_bidi=terminal_bidi, open_first=True)
        async with app.run_test(size=(60, 10)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            strip = app.screen.view.render_line(0)
            assert strip.text.strip() == expected
