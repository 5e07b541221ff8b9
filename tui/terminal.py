"""What the terminal does to Arabic, and what Hamish sends it so that the screen reads right.

Everything Hamish draws is laid out by the engine in *visual* order, shaped: each screen cell
holds the glyph that must appear there. Terminals then treat the cells they receive in one of
three ways, and each has a :class:`Mode`:

``visual``
    The terminal draws each cell as it is (xterm, urxvt, st, Alacritty, foot, tmux and screen
    themselves; VTE after ``CSI 8 l``; mlterm after ``OSC 5379 use_ctl=false``; Konsole after
    ``OSC 50 BidiRenderingEnabled=false``). Cells are sent unchanged.
``shaping``
    The terminal shapes each run of non-blank cells with HarfBuzz and, for a run in a
    right-to-left script, draws the run's glyphs right to left (kitty: runs end at blank cells
    and font changes; the direction is HarfBuzz's guess from the run's first character of a
    script). Each such run is sent reversed, brackets un-mirrored, so that the terminal turns
    it back; colours stay on their columns, where kitty paints them.
``bidi``
    The terminal runs the Unicode bidi algorithm over every screen row with a left-to-right
    base direction (VTE inside tmux, which does not pass ``CSI 8 l`` on; Konsole or mlterm where
    no escape sequence reaches them). Each row is sent in the logical order that the
    terminal's reordering turns into the visual row: every right-to-left run reversed (its
    numbers kept left to right), and an invisible LRM after it so that what follows stays
    where it is. Cells move with their colours, as the terminal moves them.

:func:`row_cells` is the one function that turns a row of visual cells into what is sent;
:func:`detect` recognises the terminal (environment, tmux's and screen's outer terminal, an
XTVERSION query) and says which mode, and which sequences to send around the output.
"""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

import icu

ENV_VAR = "HAMISH_TERMINAL"


class Mode(StrEnum):
    VISUAL = "visual"
    SHAPING = "shaping"
    BIDI = "bidi"


MODE_HELP = {
    Mode.VISUAL: "cells in visual order, shaped (xterm, VTE, Alacritty, urxvt, st, foot, mlterm, Konsole)",
    Mode.SHAPING: "each right-to-left run reversed for the terminal's own shaping (kitty)",
    Mode.BIDI: (
        "rows in logical order for a terminal that reorders by itself (VTE inside tmux; "
        "Konsole and mlterm for printed output)"
    ),
}
MODE_CHOICES = ("auto",) + tuple(m.value for m in Mode)

# ECMA-48 BDSM: VTE stops (explicit) or resumes (implicit) its own bidi.
BDSM_EXPLICIT = "\x1b[8l"
BDSM_IMPLICIT = "\x1b[8h"
# mlterm's configuration protocol: complex text layout (its bidi and shaping) off / on.
MLTERM_CTL_OFF = "\x1b]5379;use_ctl=false\x07"
MLTERM_CTL_ON = "\x1b]5379;use_ctl=true\x07"
# Konsole's profile-change command (OSC 50): its bidi rendering off / on for this session.
KONSOLE_BIDI_OFF = "\x1b]50;BidiRenderingEnabled=false\x07"
KONSOLE_BIDI_ON = "\x1b]50;BidiRenderingEnabled=true\x07"

LRM = "\u200e"
RLM = "\u200f"


@dataclass(frozen=True)
class BidiRules:
    """How a bidi terminal reorders a row: the characters it counts as strong left-to-right
    (Konsole: U+2500-U+25FF, box drawing and blocks), whether it mirrors brackets at odd
    levels (VTE, FriBidi's rule L4; Konsole does not), whether zero-width characters appended
    to a cell take part (both do)."""

    mirrors: bool = True
    ltr_ranges: tuple[tuple[int, int], ...] = ()
    lrm: bool = True
    # mlterm: each line's direction from its first strong character, right-to-left lines
    # right-aligned by the terminal, combining marks left out of its bidi: a line is best sent
    # in its logical order as it is (what `hamish cat` does there)
    logical_lines: bool = False


VTE_RULES = BidiRules(mirrors=True)
KONSOLE_RULES = BidiRules(mirrors=False, ltr_ranges=((0x2500, 0x25FF),))
MLTERM_RULES = BidiRules(mirrors=True, ltr_ranges=((0x2500, 0x259F),), logical_lines=True)


@dataclass(frozen=True)
class Terminal:
    """The terminal Hamish writes to and how: ``mode``, the sequences to send before (``enter``)
    and after (``leave``) the output, and for the user: its ``name`` and ``version``, how it was
    recognised (``source``), what it is inside (``via``: tmux, screen) and a ``hint`` when the
    guess may be wrong."""

    name: str
    mode: Mode
    version: str = ""
    enter: str = ""
    leave: str = ""
    source: str = ""
    via: str = ""
    hint: str = ""
    rules: BidiRules = field(default_factory=BidiRules)
    # the switch (enter/leave) marks text as it is written (VTE's BDSM), rather than changing
    # how the whole screen is drawn (Konsole, mlterm: undone, it redraws everything reordered)
    switch_marks_text: bool = True
    advice: str = ""  # how to get a better mode, for `hamish terminal`
    marks_left: bool = False  # combining marks sent one cell left (see row_cells)

    @property
    def transforms_rows(self) -> bool:
        """Whether rows with right-to-left text are sent otherwise than as laid out."""
        return self.mode is not Mode.VISUAL or self.marks_left

    def for_output_that_stays(self) -> Terminal:
        """The terminal for output that stays on screen after Hamish exits (`hamish cat`):
        where the switch applies to the whole screen at drawing time, it cannot be undone
        afterwards, so the terminal's own bidi is used instead."""
        if self.enter and not self.switch_marks_text:
            return replace(self, mode=Mode.BIDI, enter="", leave="")
        return self

    def describe(self) -> str:
        name = f"{self.name} {self.version}".strip()
        inside = f" inside {self.via}" if self.via else ""
        return f"{name}{inside} ({self.source}): mode {self.mode}"


# --- the cells sent for a mode ----------------------------------------------------------------

_D = icu.UCharDirection
_RTL_CLASSES = frozenset({_D.RIGHT_TO_LEFT, _D.RIGHT_TO_LEFT_ARABIC})
_NUMBERS = frozenset({_D.EUROPEAN_NUMBER, _D.ARABIC_NUMBER})
# Arabic-Indic digits (AN) get an odd-or-higher level wherever they are: a run may start or end
# with them, as with a right-to-left letter.
_RUN_ENDS = _RTL_CLASSES | {_D.ARABIC_NUMBER}
_NUMBER_JOINERS = frozenset({_D.COMMON_NUMBER_SEPARATOR, _D.EUROPEAN_NUMBER_SEPARATOR})
_RTL_TEXT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a character of a right-to-left script (a quick test per row)."""
    return _RTL_TEXT.search(text) is not None


@lru_cache(maxsize=8192)
def _direction(ch: str) -> int:
    return int(icu.Char.charDirection(ch))


@lru_cache(maxsize=8192)
def _script_rtl(ch: str) -> bool | None:
    """True/False for a character of a right-to-left / left-to-right script; None for Common
    and Inherited (digits, punctuation, marks), which HarfBuzz skips when it guesses."""
    script = icu.Script.getScript(ch)
    if script.getShortName() in ("Zyyy", "Zinh", "Zzzz"):
        return None
    return bool(script.isRightToLeft())


@lru_cache(maxsize=4096)
def _mirror(ch: str) -> str:
    return icu.Char.charMirror(ch) if icu.Char.isMirrored(ch) else ch


def _remirror(cell: str) -> str:
    base = cell[:1]
    mirrored = _mirror(base) if base else base
    return cell if mirrored == base else mirrored + cell[1:]


def _is_blank(cell: str) -> bool:
    return cell in ("", " ", "\u2002")


def _kitty_box(cell: str) -> bool:
    """Cells kitty draws with its own box-drawing font: they end a run."""
    c = ord(cell[0]) if cell else 0
    return 0x2500 <= c <= 0x259F or 0x2800 <= c <= 0x28FF or 0xE0B0 <= c <= 0xE0BF


def shaping_cells(cells: Sequence[str], fonts: Sequence[object] | None = None) -> list[str]:
    """The texts to send, column by column, to a terminal that shapes runs (kitty), so that it
    shows ``cells`` (visual order). Styles stay on their columns. ``fonts``: per cell, what
    selects its font (bold, italic): a change ends a run, as in kitty."""
    out = list(cells)
    n = len(cells)
    i = 0
    while i < n:
        if _is_blank(cells[i]) or _kitty_box(cells[i]):
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and not _is_blank(cells[j])
            and not _kitty_box(cells[j])
            and (fonts is None or fonts[j] == fonts[i])
        ):
            j += 1
        run = cells[i:j]
        if any(has_rtl(c) for c in run):
            sent = [_remirror(c) for c in reversed(run)]
            if _first_script_rtl("".join(sent)):
                if not any(_LAM_ALEF_FIRST <= ord(c[0]) <= _LAM_ALEF_LAST for c in run):
                    # letters, not presentation forms: HarfBuzz joins them and places their
                    # harakat with the font's own rules (a lam-alef must stay one cell: a
                    # run holding one keeps the engine's forms, which join among themselves)
                    sent = [_letter(c) for c in sent]
                out[i:j] = sent
        i = j
    return out


_LAM_ALEF_FIRST, _LAM_ALEF_LAST = 0xFEF5, 0xFEFC


@lru_cache(maxsize=4096)
def _letter_of(form: str) -> str:
    c = ord(form)
    if 0xFB50 <= c <= 0xFDFF or 0xFE70 <= c <= 0xFEFC:
        letter = unicodedata.normalize("NFKC", form)
        if len(letter) == 1:
            return letter
    return form


def _letter(cell: str) -> str:
    return _letter_of(cell[0]) + cell[1:] if cell else cell


def _first_script_rtl(text: str) -> bool:
    for ch in text:
        rtl = _script_rtl(ch)
        if rtl is not None:
            return rtl
    return False


def _cell_class(cell: str, rules: BidiRules) -> int:
    if not cell:
        return int(_D.WHITE_SPACE_NEUTRAL)
    c = ord(cell[0])
    for lo, hi in rules.ltr_ranges:
        if lo <= c <= hi:
            return int(_D.LEFT_TO_RIGHT)
    return _direction(cell[0])


def bidi_order(cells: Sequence[str], rules: BidiRules = VTE_RULES) -> list[tuple[int, str]]:
    """For a terminal that reorders each row (left-to-right base): per position of the row as
    sent, the visual cell that goes there and the text to send for it, so that the terminal's
    reordering shows ``cells`` as they are.

    Each right-to-left run is reversed and an LRM follows it; the row is then checked with
    UAX #9 (ICU's, which Konsole runs; VTE's FriBidi agrees on every line of the tests), and
    where a bracket pair reaching past a run makes it come out otherwise, the LRM is put
    after the next cell instead, or left out: the first that shows the row as laid out."""
    first = _bidi_order(cells, rules, "last")
    if not rules.lrm or not any(LRM in t for _, t in first):
        return first
    if simulate_bidi_terminal([t for _, t in first], rules) == list(cells):
        return first
    for where in ("wrap", "next", "none"):
        other = _bidi_order(cells, rules, where)
        if simulate_bidi_terminal([t for _, t in other], rules) == list(cells):
            return other
    return first


def _bidi_order(cells: Sequence[str], rules: BidiRules, lrm_at: str) -> list[tuple[int, str]]:
    n = len(cells)
    classes = [_cell_class(c, rules) for c in cells]
    order = list(range(n))
    texts = list(cells)
    i = 0
    while i < n:
        if classes[i] not in _RUN_ENDS:
            i += 1
            continue
        # a right-to-left run: from this cell to the last right-to-left cell before a
        # left-to-right one (numbers and neutrals inside it belong to it)
        last = i
        j = i + 1
        while j < n and classes[j] != _D.LEFT_TO_RIGHT:
            if classes[j] in _RUN_ENDS:
                last = j
            j += 1
        start = i
        if lrm_at == "wrap":
            # brackets and quotes just outside the run join it, held there by an RLM before
            # it: a bracket pair reaching out of the run then stays whole inside it
            while start > 0 and classes[start - 1] == _D.OTHER_NEUTRAL:
                start -= 1
            while last + 1 < n and classes[last + 1] == _D.OTHER_NEUTRAL:
                last += 1
            if start > 0:
                texts[start - 1] = texts[start - 1] + RLM
        run = list(range(last, start - 1, -1))  # reversed
        # numbers inside keep their left-to-right order (they get level 2 there)
        k = 0
        fixed: list[int] = []
        while k < len(run):
            if classes[run[k]] in _NUMBERS:
                m = k + 1
                while m < len(run) and (
                    classes[run[m]] in _NUMBERS
                    or (
                        classes[run[m]] in _NUMBER_JOINERS
                        and m + 1 < len(run)
                        and classes[run[m + 1]] in _NUMBERS
                    )
                ):
                    m += 1
                fixed.extend(reversed(run[k:m]))
                k = m
            else:
                fixed.append(run[k])
                k += 1
        order[start : last + 1] = fixed
        for v in fixed:
            if rules.mirrors and classes[v] not in _NUMBERS:
                texts[v] = _remirror(cells[v])
        if lrm_at == "wrap":
            texts[fixed[-1]] = texts[fixed[-1]] + RLM  # the run's last neutral stays in it
        if rules.lrm and last + 1 < n and lrm_at != "none":
            # whatever follows the run (a space, a number) must not join it: an LRM, which
            # the terminal keeps in the run's last cell as it keeps a combining mark
            if lrm_at in ("last", "wrap"):
                texts[fixed[-1]] = texts[fixed[-1]] + LRM
            else:
                texts[last + 1] = texts[last + 1] + LRM
        i = last + 1
    return [(v, texts[v]) for v in order]


def row_cells(
    cells: Sequence[str],
    mode: Mode,
    rules: BidiRules = VTE_RULES,
    fonts: Sequence[object] | None = None,
    marks_left: bool = False,
) -> list[tuple[int, int, str]]:
    """THE output step: a screen row's cells in visual order (each a glyph with its combining
    marks, as the engine lays them out) → per column sent, ``(style_from, cell_from, text)``:
    the cell whose style goes there, the cell whose glyph it shows, and the text to send.
    ``marks_left``: for a terminal that draws a cell's combining marks over the next cell to
    the right (Alacritty), each cell's marks are sent with the cell left of it."""
    n = len(cells)
    if mode is Mode.SHAPING:
        return [(k, k, t) for k, t in enumerate(shaping_cells(cells, fonts))]
    if mode is Mode.BIDI:
        return [(v, v, t) for v, t in bidi_order(cells, rules)]
    if marks_left:
        return [(k, k, t) for k, t in enumerate(marks_one_cell_left(cells))]
    return [(k, k, cells[k]) for k in range(n)]


def _split_marks(cell: str) -> tuple[str, str]:
    """A cell's glyph and the combining marks after it."""
    k = len(cell)
    while k > 1 and unicodedata.combining(cell[k - 1]):
        k -= 1
    return cell[:k], cell[k:]


def marks_one_cell_left(cells: Sequence[str]) -> list[str]:
    """Each cell's combining marks moved to the cell on its left (the first cell keeps its
    own): Alacritty 0.11 draws a cell's zero-width characters one cell to the right, so they
    land on the cell they belong to."""
    bases: list[str] = []
    marks: list[str] = []
    for cell in cells:
        base, tail = _split_marks(cell)
        bases.append(base)
        marks.append(tail)
    out = []
    for k, base in enumerate(bases):
        own = marks[k] if k == 0 else ""
        out.append(base + own + (marks[k + 1] if k + 1 < len(bases) else ""))
    return out


def simulate_bidi_terminal(sent: Sequence[str], rules: BidiRules = VTE_RULES) -> list[str]:
    """What a bidi terminal shows for a row sent as ``sent`` (its cells): UAX #9 over the row
    with a left-to-right base, ICU's implementation; the reference of the tests (and FriBidi's
    command, in the tests, the second)."""
    from hamish.tui.bidi import ParagraphBidi

    subst = []
    for cell in sent:
        c = ord(cell[0]) if cell else 32
        if any(lo <= c <= hi for lo, hi in rules.ltr_ranges):
            cell = "a" + cell[1:]
        subst.append(cell or " ")
    text = "".join(subst)
    head = []  # code point index of each cell's first character
    pos = 0
    for cell in subst:
        head.append(pos)
        pos += len(cell)
    cell_of = {h: k for k, h in enumerate(head)}
    para = ParagraphBidi(text, "ltr")
    order, levels = para.line(0, len(text))
    shown = []
    for i in order:
        k = cell_of.get(i)
        if k is None:
            continue
        cell = sent[k].replace(LRM, "").replace(RLM, "")
        if rules.mirrors and levels[i] & 1:
            cell = _remirror(cell)
        shown.append(cell)
    return shown


# --- recognising the terminal -----------------------------------------------------------------


def _known(name: str, version: str = "", source: str = "") -> Terminal:
    """The mode and sequences for a terminal by name (as :func:`identify` names them)."""
    if name == "VTE":
        return Terminal(name, Mode.VISUAL, version, BDSM_EXPLICIT, BDSM_IMPLICIT, source)
    if name == "mlterm":
        return Terminal(
            name,
            Mode.VISUAL,
            version,
            MLTERM_CTL_OFF,
            MLTERM_CTL_ON,
            source,
            rules=MLTERM_RULES,
            switch_marks_text=False,
        )
    if name == "Konsole":
        return Terminal(
            name,
            Mode.VISUAL,
            version,
            KONSOLE_BIDI_OFF,
            KONSOLE_BIDI_ON,
            source,
            rules=KONSOLE_RULES,
            switch_marks_text=False,
        )
    if name == "kitty":
        return Terminal(name, Mode.SHAPING, version, source=source)
    if name == "Alacritty":
        return Terminal(name, Mode.VISUAL, version, source=source, marks_left=True)
    if name == "Apple Terminal":  # Terminal.app reorders by itself
        return Terminal(name, Mode.BIDI, version, source=source)
    return Terminal(name, Mode.VISUAL, version, source=source)


# TERM values that name the terminal: the part before the first "-" (xterm-kitty is kitty's)
_TERM_NAMES = {
    "alacritty": "Alacritty",
    "rxvt": "urxvt",
    "st": "st",
    "foot": "foot",
    "mlterm": "mlterm",
    "konsole": "Konsole",
    "wezterm": "WezTerm",
    "contour": "Contour",
}


def _numeric_version(v: str) -> str:
    """VTE_VERSION and KONSOLE_VERSION: major * 10000 + minor * 100 + micro."""
    if not v.isdigit():
        return v[:20]
    n = int(v)
    return f"{n // 10000}.{n // 100 % 100}.{n % 100}"


def identify(env: Mapping[str, str]) -> tuple[str, str, str] | None:
    """(name, version, the variable that said so) of the terminal named by ``env``, or None."""
    get = env.get
    if get("KITTY_WINDOW_ID") or get("KITTY_PID"):
        return "kitty", "", "KITTY_WINDOW_ID"
    if get("KONSOLE_VERSION"):
        return "Konsole", _numeric_version(get("KONSOLE_VERSION", "")), "KONSOLE_VERSION"
    if get("KONSOLE_DBUS_SESSION"):
        return "Konsole", "", "KONSOLE_DBUS_SESSION"
    if get("MLTERM"):
        return "mlterm", get("MLTERM", ""), "MLTERM"
    if any(k.startswith("ALACRITTY_") for k in env):
        return "Alacritty", "", "ALACRITTY_*"
    if get("VTE_VERSION"):
        return "VTE", _numeric_version(get("VTE_VERSION", "")), "VTE_VERSION"
    program = get("TERM_PROGRAM", "")
    if program == "WezTerm":
        return "WezTerm", get("TERM_PROGRAM_VERSION", ""), "TERM_PROGRAM"
    if program == "Apple_Terminal":
        return "Apple Terminal", get("TERM_PROGRAM_VERSION", ""), "TERM_PROGRAM"
    if program == "iTerm.app":
        return "iTerm2", get("TERM_PROGRAM_VERSION", ""), "TERM_PROGRAM"
    if program == "vscode":
        return "VS Code", get("TERM_PROGRAM_VERSION", ""), "TERM_PROGRAM"
    if get("WT_SESSION"):
        return "Windows Terminal", "", "WT_SESSION"
    if get("XTERM_VERSION"):
        v = get("XTERM_VERSION", "")
        m = re.search(r"\((\d+)\)", v)
        return "xterm", m.group(1) if m else v, "XTERM_VERSION"
    term = get("TERM", "")
    if term == "xterm-kitty":
        return "kitty", "", "TERM"
    name = _TERM_NAMES.get(term.split("-")[0])
    if name is not None:
        return name, "", "TERM"
    return None


def parse_xtversion(reply: str) -> tuple[str, str] | None:
    """The name and version in an XTVERSION reply (``DCS > | text ST``), e.g. ``XTerm(379)``,
    ``kitty(0.26.5)``, ``Konsole 22.12.3``, ``tmux 3.3a``."""
    m = re.search(r"\x1bP>\|([^\x1b\x07]*)", reply)
    if not m:
        return None
    text = m.group(1).strip()
    m2 = re.match(r"([^(\s]+)[(\s]+([^)\s]*)", text)
    name, version = (m2.group(1), m2.group(2)) if m2 else (text, "")
    names = {
        "xterm": "xterm",
        "kitty": "kitty",
        "konsole": "Konsole",
        "mlterm": "mlterm",
        "vte": "VTE",
        "alacritty": "Alacritty",
        "wezterm": "WezTerm",
        "foot": "foot",
        "tmux": "tmux",
        "iterm2": "iTerm2",
        "contour": "Contour",
    }
    return names.get(name.lower(), name), version


def tmux_client(env: Mapping[str, str]) -> dict[str, str]:
    """What tmux knows about the terminal its client runs in, and whether it passes escape
    sequences through (``allow-passthrough``, tmux 3.3 and later)."""
    fmt = "#{client_termname}\t#{client_termtype}\t#{version}"
    try:
        out = subprocess.run(
            ["tmux", "display-message", "-p", fmt],
            capture_output=True,
            text=True,
            timeout=2,
            env=dict(env),
        ).stdout.strip()
        passthrough = subprocess.run(
            ["tmux", "show-options", "-pqv", "allow-passthrough"],
            capture_output=True,
            text=True,
            timeout=2,
            env=dict(env),
        ).stdout.strip()
        if not passthrough:
            passthrough = subprocess.run(
                ["tmux", "show-options", "-gqv", "allow-passthrough"],
                capture_output=True,
                text=True,
                timeout=2,
                env=dict(env),
            ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return {}
    parts = out.split("\t") + ["", "", ""]
    return {
        "termname": parts[0],
        "termtype": parts[1],
        "version": parts[2],
        "passthrough": passthrough,
    }


def _tmux_wrap(seq: str) -> str:
    return "\x1bPtmux;" + seq.replace("\x1b", "\x1b\x1b") + "\x1b\\" if seq else ""


def _screen_wrap(seq: str) -> str:
    return "\x1bP" + seq + "\x1b\\" if seq else ""


UNKNOWN_HINT = (
    "unknown terminal: Arabic is sent in visual order; if it looks wrong, run "
    "'hamish terminal' and pick --terminal visual, shaping or bidi"
)


def detect(
    env: Mapping[str, str] | None = None,
    *,
    override: str | None = None,
    tmux: Callable[[Mapping[str, str]], dict[str, str]] | None = tmux_client,
    query: Callable[[], str] | None = None,
) -> Terminal:
    """The terminal and its mode. ``override``: ``--terminal`` (else ``HAMISH_TERMINAL``);
    ``tmux``: asks tmux about its client (tests pass a stub); ``query``: sends XTVERSION and
    returns the reply, used when nothing else names the terminal."""
    env = os.environ if env is None else env
    found = _detect(env, tmux, query)
    chosen = override or env.get(ENV_VAR, "") or "auto"
    if chosen != "auto":
        try:
            mode = Mode(chosen)
        except ValueError:
            return replace(
                found,
                hint=f"{ENV_VAR}={chosen!r} is not a mode ({', '.join(MODE_CHOICES)}); ignored",
            )
        source = "--terminal" if override else ENV_VAR
        if mode is found.mode:
            return replace(found, source=f"{found.source}, {source}", hint="")
        # another mode than the terminal's: its own bidi stays as it is (no sequences),
        # except VTE and co., whose switch is what makes visual order readable there
        keep = mode is Mode.VISUAL and found.enter
        return replace(
            found,
            mode=mode,
            enter=found.enter if keep else "",
            leave=found.leave if keep else "",
            source=source,
            hint="",
        )
    return found


def _detect(env, tmux, query) -> Terminal:
    if env.get("TMUX"):
        info = tmux(env) if tmux else {}
        if tmux and not info.get("termname") and not info.get("termtype"):
            # no client attached (a detached session, a test): no terminal to adapt to yet
            return Terminal(
                "tmux", Mode.VISUAL, info.get("version", ""), source="no client", via=""
            )
        outer = None
        termtype = info.get("termtype", "")
        if termtype:
            outer = parse_xtversion("\x1bP>|" + termtype)
        name_env = identify(env)  # the variables of the terminal tmux was started in
        if outer is None or outer[0] in ("xterm",) and name_env and name_env[0] != "xterm":
            outer_name = (name_env[0], name_env[1]) if name_env else None
            source = f"tmux, {name_env[2]}" if name_env else "tmux"
        else:
            outer_name = outer
            source = "tmux client_termtype"
        termname = info.get("termname", "")
        if outer_name is None and termname:
            guessed = identify({"TERM": termname})
            if guessed:
                outer_name = (guessed[0], "")
                source = "tmux client_termname"
        if outer_name is None:
            t = Terminal("a terminal", Mode.VISUAL, via="tmux", source="tmux", hint=UNKNOWN_HINT)
            return t
        t = replace(_known(*outer_name, source=source), via="tmux")
        if t.enter:
            if info.get("passthrough") in ("on", "all"):
                return replace(t, enter=_tmux_wrap(t.enter), leave=_tmux_wrap(t.leave))
            # tmux drops the sequence: the terminal keeps reordering what tmux draws
            return replace(
                t,
                mode=Mode.BIDI,
                enter="",
                leave="",
                advice=(
                    "tmux does not pass escape sequences on, so rows are sent for the "
                    f"terminal's own bidi; 'set -g allow-passthrough on' in tmux gives {t.name} "
                    "exact visual order"
                ),
            )
        return t
    if env.get("STY"):  # GNU screen: passes DCS strings through to the terminal
        name_env = identify(env)
        if name_env is None:
            return Terminal(
                "a terminal", Mode.VISUAL, via="screen", source="screen", hint=UNKNOWN_HINT
            )
        t = replace(_known(name_env[0], name_env[1], source=f"screen, {name_env[2]}"), via="screen")
        return replace(t, enter=_screen_wrap(t.enter), leave=_screen_wrap(t.leave))
    named = identify(env)
    if named is not None:
        return _known(*named)
    if query is not None:
        reply = query()
        parsed = parse_xtversion(reply) if reply else None
        if parsed:
            return _known(parsed[0], parsed[1], source="XTVERSION")
    return Terminal("an unknown terminal", Mode.VISUAL, source="no clue", hint=UNKNOWN_HINT)


def query_xtversion(fd: int, timeout: float = 0.3) -> str:
    """Send XTVERSION (``CSI > 0 q``) and primary DA to the terminal on ``fd`` and return what
    comes back until DA's answer (every terminal answers DA; one without XTVERSION answers only
    that). "" when ``fd`` is not a terminal or nothing comes in time."""
    import select
    import termios
    import tty

    if not os.isatty(fd):
        return ""
    try:
        old = termios.tcgetattr(fd)
    except termios.error:
        return ""
    reply = b""
    try:
        tty.setcbreak(fd, termios.TCSANOW)
        os.write(fd, b"\x1b[>0q\x1b[c")
        while True:
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                break
            chunk = os.read(fd, 256)
            if not chunk:
                break
            reply += chunk
            if re.search(rb"\x1b\[\?[\d;]*c", reply):
                break
    except OSError:
        pass
    finally:
        termios.tcsetattr(fd, termios.TCSAFLUSH, old)
    return reply.decode("utf-8", "replace")
