"""Recognising the terminal: environment, tmux's and screen's outer terminal, XTVERSION, overrides.

The variables are the ones each terminal sets (read in their sources: VTE's vte.cc sets
VTE_VERSION, Konsole's Session.cpp KONSOLE_VERSION, kitty KITTY_WINDOW_ID, mlterm MLTERM,
Alacritty ALACRITTY_SOCKET/ALACRITTY_WINDOW_ID, xterm XTERM_VERSION, Windows Terminal WT_SESSION).
"""

from __future__ import annotations

import pytest

from hamish.tui.terminal import (
    BDSM_EXPLICIT,
    BDSM_IMPLICIT,
    KONSOLE_BIDI_OFF,
    MLTERM_CTL_OFF,
    Mode,
    detect,
    parse_xtversion,
)


def no_tmux(env):
    raise AssertionError("tmux asked outside tmux")


@pytest.mark.parametrize(
    "env, name, mode, enter",
    [
        ({"TERM": "xterm-256color", "XTERM_VERSION": "XTerm(379)"}, "xterm", Mode.VISUAL, ""),
        ({"TERM": "xterm-256color", "VTE_VERSION": "7006"}, "VTE", Mode.VISUAL, BDSM_EXPLICIT),
        ({"TERM": "xterm-256color", "KONSOLE_VERSION": "221203"}, "Konsole", Mode.VISUAL, KONSOLE_BIDI_OFF),
        ({"TERM": "xterm-kitty", "KITTY_WINDOW_ID": "1"}, "kitty", Mode.SHAPING, ""),
        ({"TERM": "xterm-kitty"}, "kitty", Mode.SHAPING, ""),  # over ssh: only TERM survives
        ({"TERM": "mlterm", "MLTERM": "3.9.0"}, "mlterm", Mode.VISUAL, MLTERM_CTL_OFF),
        ({"TERM": "alacritty", "ALACRITTY_SOCKET": "/tmp/a"}, "Alacritty", Mode.VISUAL, ""),
        ({"TERM": "rxvt-unicode-256color"}, "urxvt", Mode.VISUAL, ""),
        ({"TERM": "st-256color"}, "st", Mode.VISUAL, ""),
        ({"TERM": "xterm-256color", "WT_SESSION": "x"}, "Windows Terminal", Mode.VISUAL, ""),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "Apple_Terminal"}, "Apple Terminal", Mode.BIDI, ""),
    ],
)
def test_environment_names_the_terminal(env, name, mode, enter):
    t = detect(env, tmux=no_tmux)
    assert (t.name, t.mode, t.enter) == (name, mode, enter)
    assert not t.hint


def test_versions_are_readable():
    assert detect({"VTE_VERSION": "7006"}).version == "0.70.6"
    assert detect({"KONSOLE_VERSION": "221203"}).version == "22.12.3"
    assert detect({"XTERM_VERSION": "XTerm(379)"}).version == "379"


def test_vte_sends_bdsm_and_undoes_it():
    t = detect({"VTE_VERSION": "7006"})
    assert (t.enter, t.leave) == (BDSM_EXPLICIT, BDSM_IMPLICIT)


def test_unknown_terminal_gets_visual_and_a_hint():
    t = detect({"TERM": "xterm-256color"}, query=lambda: "")
    assert t.mode is Mode.VISUAL and "hamish terminal" in t.hint


@pytest.mark.parametrize(
    "reply, name, version",
    [
        ("\x1bP>|XTerm(379)\x1b\\\x1b[?64;1;2c", "xterm", "379"),
        ("\x1bP>|kitty(0.26.5)\x1b\\", "kitty", "0.26.5"),
        ("\x1bP>|Konsole 22.12.3\x1b\\", "Konsole", "22.12.3"),
        ("\x1bP>|mlterm(3.9.0)\x1b\\", "mlterm", "3.9.0"),
        ("\x1bP>|tmux 3.3a\x1b\\", "tmux", "3.3a"),
    ],
)
def test_xtversion_replies(reply, name, version):
    assert parse_xtversion(reply) == (name, version)


def test_xtversion_used_when_the_environment_says_nothing():
    t = detect({"TERM": "xterm-256color"}, query=lambda: "\x1bP>|kitty(0.26.5)\x1b\\")
    assert (t.name, t.mode, t.source) == ("kitty", Mode.SHAPING, "XTVERSION")
    t = detect({"TERM": "xterm-256color"}, query=lambda: "\x1b[?62;c")  # DA only: no XTVERSION
    assert t.mode is Mode.VISUAL and t.hint


def test_vte_in_tmux_without_passthrough_is_bidi():
    info = {"termname": "xterm-256color", "termtype": "", "version": "3.3a", "passthrough": "off"}
    t = detect({"TMUX": "/tmp/x,1,0", "TERM": "tmux-256color", "VTE_VERSION": "7006"}, tmux=lambda e: info)
    assert (t.name, t.via, t.mode, t.enter) == ("VTE", "tmux", Mode.BIDI, "")
    assert "allow-passthrough" in t.advice and not t.hint


def test_vte_in_tmux_with_passthrough_gets_bdsm_wrapped():
    info = {"termname": "xterm-256color", "termtype": "", "version": "3.3a", "passthrough": "on"}
    t = detect({"TMUX": "/tmp/x,1,0", "VTE_VERSION": "7006"}, tmux=lambda e: info)
    assert t.mode is Mode.VISUAL
    assert t.enter == "\x1bPtmux;\x1b\x1b[8l\x1b\\" and t.leave == "\x1bPtmux;\x1b\x1b[8h\x1b\\"


def test_tmux_client_termtype_wins_over_stale_variables():
    # tmux's environment may come from another terminal than the one attached now
    info = {"termname": "xterm-kitty", "termtype": "kitty(0.26.5)", "passthrough": "off"}
    t = detect({"TMUX": "x", "VTE_VERSION": "7006"}, tmux=lambda e: info)
    assert (t.name, t.mode, t.via) == ("kitty", Mode.SHAPING, "tmux")


def test_tmux_client_termname_when_nothing_else():
    info = {"termname": "st-256color", "termtype": "", "passthrough": ""}
    t = detect({"TMUX": "x", "TERM": "tmux-256color"}, tmux=lambda e: info)
    assert (t.name, t.mode) == ("st", Mode.VISUAL)


def test_xterm_in_tmux_stays_visual():
    info = {"termname": "xterm", "termtype": "XTerm(379)", "passthrough": ""}
    t = detect({"TMUX": "x", "XTERM_VERSION": "XTerm(379)"}, tmux=lambda e: info)
    assert (t.name, t.mode, t.enter) == ("xterm", Mode.VISUAL, "")


def test_screen_passes_bdsm_in_a_dcs_string():
    t = detect({"STY": "1.pts-0", "TERM": "screen", "VTE_VERSION": "7006"}, tmux=no_tmux)
    assert (t.mode, t.via, t.enter) == (Mode.VISUAL, "screen", "\x1bP\x1b[8l\x1b\\")


@pytest.mark.parametrize("how", ["override", "env"])
def test_override_and_environment_variable(how):
    env = {"VTE_VERSION": "7006"}
    if how == "env":
        env["HAMISH_TERMINAL"] = "bidi"
        t = detect(env)
    else:
        t = detect(env, override="bidi")
    assert t.mode is Mode.BIDI and t.enter == ""  # VTE left to do its own bidi
    assert t.source == ("--terminal" if how == "override" else "HAMISH_TERMINAL")


def test_bad_environment_value_is_ignored_with_a_hint():
    t = detect({"VTE_VERSION": "7006", "HAMISH_TERMINAL": "\x1b[31mred"})
    assert t.mode is Mode.VISUAL and "not a mode" in t.hint
    assert "\x1b" not in t.hint.replace("'\\x1b", "")  # shown escaped, never raw


def test_alacritty_moves_marks():
    assert detect({"ALACRITTY_WINDOW_ID": "1"}).marks_left
    assert not detect({"XTERM_VERSION": "XTerm(379)"}).marks_left


def test_xtversion_query_on_a_pty():
    """The query is sent to the terminal and its answer read back, up to DA's answer; a
    terminal that says nothing makes it give up after the timeout."""
    import os
    import pty
    import threading

    from hamish.tui.terminal import query_xtversion

    master, slave = pty.openpty()
    asked = []

    def terminal():
        asked.append(os.read(master, 64))
        os.write(master, b"\x1bP>|XTerm(379)\x1b\\\x1b[?64;1;2c")

    t = threading.Thread(target=terminal)
    t.start()
    reply = query_xtversion(slave, timeout=2)
    t.join()
    assert asked[0] == b"\x1b[>0q\x1b[c"
    assert parse_xtversion(reply) == ("xterm", "379")
    assert query_xtversion(slave, timeout=0.1) == ""  # nobody answers this time
    os.close(master)
    os.close(slave)
