"""Around the app and `hamish cat`: the sequences each recognised terminal gets before and after
the output, --terminal / --terminal-bidi / HAMISH_TERMINAL, and `hamish terminal`."""

from __future__ import annotations

import io
import re
from argparse import Namespace

import pytest

import hamish.tui.app as app_module
import hamish.tui.cli as cli_module
from hamish.tui.app import HamishApp
from hamish.tui.terminal import (
    BDSM_EXPLICIT,
    BDSM_IMPLICIT,
    KONSOLE_BIDI_OFF,
    KONSOLE_BIDI_ON,
    KONSOLE_RULES,
    MLTERM_CTL_OFF,
    MLTERM_CTL_ON,
    Mode,
    simulate_bidi_terminal,
)

TERMINAL_VARS = (
    "TMUX STY VTE_VERSION KONSOLE_VERSION KONSOLE_DBUS_SESSION KITTY_WINDOW_ID KITTY_PID MLTERM "
    "ALACRITTY_SOCKET ALACRITTY_LOG ALACRITTY_WINDOW_ID WT_SESSION XTERM_VERSION TERM_PROGRAM "
    "HAMISH_TERMINAL"
).split()


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        return -1


@pytest.fixture
def clean_env(monkeypatch):
    for name in TERMINAL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr("hamish.tui.terminal.query_xtversion", lambda fd, timeout=0.3: "")
    return monkeypatch


def run_with(monkeypatch, tmp_path, **options):
    (tmp_path / "a.txt").write_text("سلام", encoding="utf-8")
    out = FakeTty()
    seen = []
    monkeypatch.setattr(app_module.sys, "__stdout__", out)
    monkeypatch.setattr(
        HamishApp, "run", lambda self: seen.append((out.getvalue(), self.terminal))
    )
    args = Namespace(paths=[str(tmp_path / "a.txt")], db=str(tmp_path / "db.json"), **options)
    assert app_module.run_app(args) == 0
    during, terminal = seen[0]
    return during, out.getvalue(), terminal


@pytest.mark.parametrize(
    "var, value, enter, leave",
    [
        ("VTE_VERSION", "7006", BDSM_EXPLICIT, BDSM_IMPLICIT),
        ("MLTERM", "3.9.0", MLTERM_CTL_OFF, MLTERM_CTL_ON),
        ("KONSOLE_VERSION", "221203", KONSOLE_BIDI_OFF, KONSOLE_BIDI_ON),
        ("XTERM_VERSION", "XTerm(379)", "", ""),
        ("KITTY_WINDOW_ID", "1", "", ""),
    ],
)
def test_sequences_around_the_app(clean_env, tmp_path, var, value, enter, leave):
    clean_env.setenv(var, value)
    during, after, _ = run_with(clean_env, tmp_path, terminal_bidi=False, terminal=None)
    assert during == enter  # sent before the app starts drawing
    assert after == enter + leave  # and undone on exit


def test_terminal_bidi_is_terminal_bidi_mode(clean_env, tmp_path):
    clean_env.setenv("VTE_VERSION", "7006")
    during, after, terminal = run_with(clean_env, tmp_path, terminal_bidi=True, terminal=None)
    assert during == "" and after == ""  # VTE left to reorder
    assert terminal.mode is Mode.BIDI


@pytest.mark.parametrize("mode", ["visual", "shaping", "bidi"])
def test_terminal_option_and_variable(clean_env, tmp_path, mode):
    clean_env.setenv("KITTY_WINDOW_ID", "1")
    _, _, terminal = run_with(clean_env, tmp_path, terminal_bidi=False, terminal=mode)
    assert terminal.mode is Mode(mode)
    clean_env.setenv("HAMISH_TERMINAL", mode)
    _, _, terminal = run_with(clean_env, tmp_path, terminal_bidi=False, terminal=None)
    assert terminal.mode is Mode(mode)


def test_help_names_the_modes(capsys):
    with pytest.raises(SystemExit):
        cli_module.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    for mode in ("visual", "shaping", "bidi", "HAMISH_TERMINAL", "hamish terminal"):
        assert mode in text


def cat_output(monkeypatch, tmp_path, text, *argv):
    path = tmp_path / "a.txt"
    path.write_text(text, encoding="utf-8")
    out = FakeTty()
    monkeypatch.setattr(cli_module.sys, "stdout", out)
    assert cli_module.main(["cat", str(path), "--width", "30", *argv]) == 0
    return out.getvalue()


def test_cat_sends_bdsm_around_its_output_in_vte(clean_env, tmp_path):
    clean_env.setenv("VTE_VERSION", "7006")
    out = cat_output(clean_env, tmp_path, "قال John اليوم")
    assert out.startswith(BDSM_EXPLICIT) and out.endswith(BDSM_IMPLICIT)
    assert "ﻡﻮﻴﻟﺍ John ﻝﺎﻗ" in out


def test_cat_modes(clean_env, tmp_path):
    visual = cat_output(clean_env, tmp_path, "قال John اليوم", "--terminal", "visual")
    assert visual.rstrip("\n").endswith("ﻡﻮﻴﻟﺍ John ﻝﺎﻗ")
    shaping = cat_output(clean_env, tmp_path, "قال John اليوم", "--terminal", "shaping")
    # each run back to front, as letters for the terminal to join
    assert shaping.rstrip("\n").endswith("اليوم John قال")
    bidi = cat_output(clean_env, tmp_path, "قال John اليوم", "--terminal", "bidi")
    # for the terminal's left-to-right rows: each right-to-left run in logical order, where
    # it is on screen, an LRM after it when something follows
    assert bidi.rstrip("\n").endswith("ﺍﻟﻴﻮﻡ\u200e John ﻗﺎﻝ")


@pytest.mark.parametrize("var, value", [("KONSOLE_VERSION", "221203"), ("MLTERM", "3.9.0")])
def test_cat_leaves_konsole_and_mlterm_bidi_on(clean_env, tmp_path, var, value):
    """Their switch acts on the whole screen as it is drawn: switched back after cat, the text
    would be reordered again. cat sends rows for their own bidi instead, and no switch."""
    clean_env.setenv(var, value)
    out = cat_output(clean_env, tmp_path, "قال John (اليوم)")
    assert "\x1b" not in out
    if var == "MLTERM":  # each line in logical order; mlterm aligns and orders it
        assert out.rstrip("\n") == "ﻗﺎﻝ John (ﺍﻟﻴﻮﻡ)"
    else:  # a row for Konsole's left-to-right bidi, which ICU (Konsole's) shows as laid out
        row = out.rstrip("\n")
        assert "\u200e" in row and row.strip() != "(ﻡﻮﻴﻟﺍ) John ﻝﺎﻗ"
        cells = [c for c in re.findall(".\u200e?", row)]
        shown = simulate_bidi_terminal(cells, KONSOLE_RULES)
        assert "".join(shown).strip() == "(ﻡﻮﻴﻟﺍ) John ﻝﺎﻗ"


def test_cat_into_a_pipe_is_visual_without_sequences(clean_env, tmp_path, capsys):
    clean_env.setenv("VTE_VERSION", "7006")
    path = tmp_path / "a.txt"
    path.write_text("قال John اليوم", encoding="utf-8")
    assert cli_module.main(["cat", str(path), "--width", "30"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "ﻡﻮﻴﻟﺍ John ﻝﺎﻗ" in out


def test_hamish_terminal_says_what_it_found(clean_env, monkeypatch):
    clean_env.setenv("KITTY_WINDOW_ID", "1")
    out = FakeTty()
    monkeypatch.setattr(cli_module.sys, "stdout", out)
    assert cli_module.main(["terminal"]) == 0
    text = out.getvalue()
    assert "kitty" in text and "mode:     shaping" in text
    assert "--terminal shaping:  <- in use" in text
    for mode in ("visual", "bidi"):
        assert f"--terminal {mode}:" in text
    assert "HAMISH_TERMINAL" in text
    assert "الرئيسُ" in text  # the sample, as kitty's mode sends it
