"""References nobody on this project wrote: GNU FriBidi's command line, and Unicode data.

Helpers shared by the tests; they shell out to `fribidi` (Debian package libfribidi-bin).
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

FRIBIDI = shutil.which("fribidi")


def require_fribidi() -> str:
    if FRIBIDI is None:
        raise RuntimeError("the fribidi command is missing: apt-get install libfribidi-bin")
    return FRIBIDI


def _run(args: list[str], lines: list[str]) -> list[str]:
    """Run fribidi on several one-line paragraphs at once; one output line per input line."""
    if not lines:
        return []
    assert all("\n" not in line for line in lines)
    out = subprocess.run(
        [require_fribidi(), *args],
        input=("\n".join(lines) + "\n").encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    result = out.split("\n")
    assert result[-1] == ""
    result = result[:-1]
    assert len(result) == len(lines), (len(result), len(lines))
    return result


def _by_direction(args: list[str], lines: list[str], rtl: list[bool]) -> list[str]:
    """Run fribidi once per base direction (forced, as the engine resolved it) over the lines."""
    result = [""] * len(lines)
    for direction in (True, False):
        idx = [i for i, r in enumerate(rtl) if r == direction]
        outs = _run([*args, "--rtl" if direction else "--ltr"], [lines[i] for i in idx])
        for i, out in zip(idx, outs):
            result[i] = out
    return result


def fribidi_visual(lines: list[str], rtl: list[bool]) -> list[str]:
    """How FriBidi shows each line on its own: visual order, shaped, marks after their base.

    FriBidi fills the cell an alef leaves inside a lam-alef ligature with U+FEFF; that is
    dropped here, since a terminal cell holds the ligature alone.
    """
    outs = _by_direction(["--nopad", "--nobreak", "--reordernsm"], lines, rtl)
    return [out.replace("\ufeff", "") for out in outs]


def fribidi_levels(paragraphs: list[str], rtl: list[bool]) -> list[list[int]]:
    """FriBidi's resolved embedding level of every character of each paragraph."""
    outs = _by_direction(["--levels", "--novisual", "--nobreak"], paragraphs, rtl)
    return [[int(x) for x in out.split()] for out in outs]


def fribidi_line_references(text: str, layout, lines) -> list[tuple[str, bool]]:
    """For each laid-out line of ``text``: what FriBidi prints for the line's words, and whether
    a difference is allowed because FriBidi resolves those words to other levels alone than
    within their whole paragraph (UAX #9 section 3.4: lines take their paragraph's levels).

    ``layout`` is the engine's TextLayout the lines come from.
    """
    words = [text[line.start : line.end] for line in lines]
    rtl = [line.rtl for line in lines]
    shown = fribidi_visual(words, rtl)
    alone = fribidi_levels(words, rtl)
    paras = layout.paragraphs
    in_para = fribidi_levels(
        [text[p.start : p.end] for p in paras], [layout.paragraph_layout(p.index).rtl for p in paras]
    )
    refs = []
    for line, want, levels in zip(lines, shown, alone):
        p = paras[line.paragraph]
        context = in_para[line.paragraph][line.start - p.start : line.end - p.start]
        refs.append((want, levels != context))
    return refs


def reorder_line(levels: list[int], chars: str, para_level: int) -> list[int]:
    """UAX #9 rules L1 and L2 for one line, given the paragraph's resolved levels for it.

    Returns line-relative logical indices in visual order (left to right).
    """
    levels = list(levels)
    # L1: whitespace (bidi class WS, so not the no-break space, which is CS) and isolate
    # formatting characters at the end of the line, or before a segment separator, go to the
    # paragraph level; so do segment separators themselves.
    resettable = ("WS", "FSI", "LRI", "RLI", "PDI", "BN")
    classes = [unicodedata.bidirectional(ch) for ch in chars]
    i = len(chars)
    while i > 0 and classes[i - 1] in resettable:
        i -= 1
        levels[i] = para_level
    for k, cls in enumerate(classes):
        if cls == "S":
            levels[k] = para_level
            j = k
            while j > 0 and classes[j - 1] in resettable:
                j -= 1
                levels[j] = para_level
    order = list(range(len(chars)))
    if not levels:
        return order
    lowest_odd = min(lv for lv in levels) | 1
    for level in range(max(levels), lowest_odd - 1, -1):
        k = 0
        while k < len(order):
            if levels[order[k]] >= level:
                j = k
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[k:j] = order[k:j][::-1]
                k = j
            else:
                k += 1
    return order


def unshaped(text: str) -> str:
    """Fold presentation forms back to letters (NFKC), to compare shaped and logical text."""
    return unicodedata.normalize("NFKC", text)
