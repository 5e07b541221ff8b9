"""visual_order against the Unicode conformance file BidiCharacterTest.txt (Unicode 15.0)."""

from __future__ import annotations

import gzip
from pathlib import Path

from hamish.tui.bidi import visual_order

DATA = Path(__file__).parent.parent / "data" / "BidiCharacterTest.txt.gz"
PARAGRAPH_SEPARATORS = set("\n\r\x1c\x1d\x1e\x85\u2029")
BASES = {"0": "ltr", "1": "rtl", "2": "auto"}


def cases():
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            fields = line.split(";")
            text = "".join(chr(int(c, 16)) for c in fields[0].split())
            if PARAGRAPH_SEPARATORS & set(text):
                continue
            yield number, text, BASES[fields[1]], [int(i) for i in fields[4].split()]


def test_licence_header_is_shipped():
    with gzip.open(DATA, "rt", encoding="utf-8") as f:
        head = [next(f) for _ in range(4)]
    assert head[0].startswith("# BidiCharacterTest-15.0.0.txt")
    assert "Unicode" in head[2] and "terms_of_use" in head[3]


def test_bidi_character_test_conformance(capsys):
    total = passed = 0
    failures = []
    for number, text, base, expected in cases():
        total += 1
        got = visual_order(text, base)
        if got == expected:
            passed += 1
        elif len(failures) < 10:
            failures.append((number, base, expected, got))
    with capsys.disabled():
        print(f"\nBidiCharacterTest.txt: {passed} of {total} cases passed ({passed / total:.4%})")
    assert total > 90_000
    assert passed / total >= 0.999, failures
