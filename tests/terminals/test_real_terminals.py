"""Hamish in real terminal emulators under Xvfb, read back by Tesseract's Arabic OCR (see
harness.py): with no flag, the reader, the library and `hamish cat` must read right in each.

Run: ``python -m pytest -m terminals -n 0`` (Debian: xvfb imagemagick tesseract-ocr
tesseract-ocr-ara fonts-dejavu-core xterm sakura konsole kitty alacritty mlterm rxvt-unicode
stterm tmux). A terminal that is not installed is skipped, except in CI (CI set), where it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from installed import hamish
from terminals.harness import EMULATORS, Display, expected_words, ocr, score, shoot

pytestmark = pytest.mark.terminals

# Lowest share of recognised Arabic words that are words of the text, per scene. Measured on
# correct screens (README, Terminals): reader 74-97, library 38-75 (short cut titles), cat 87-98;
# a mirrored screen scores 0-5.
MINIMUM = {"reader": 60, "library": 25, "cat": 80}


def _need(tool: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing (CI installs it: .ci/run)")
        pytest.skip(f"{tool} is not installed")


@pytest.fixture(scope="module")
def display():
    for tool in ("Xvfb", "import", "tesseract"):
        _need(tool)
    number = 90 + os.getpid() % 100
    while Path(f"/tmp/.X11-unix/X{number}").exists():
        number += 1
    with Display(number) as d:
        yield d


@pytest.mark.parametrize("scene", ["reader", "library", "cat"])
@pytest.mark.parametrize("name", list(EMULATORS))
def test_reads_right_with_no_flag(display, tmp_path, name, scene):
    emulator = EMULATORS[name]
    _need(emulator.binary)
    png = shoot(display, emulator, scene, tmp_path, hamish())
    good, total = score(ocr(png), expected_words(scene))
    assert total >= 10, f"{name} {scene}: Tesseract found almost no Arabic ({total} words): {png}"
    assert 100 * good / total >= MINIMUM[scene], f"{name} {scene}: {good}/{total} words right"


def test_a_wrong_mode_is_caught(display, tmp_path):
    """The score tells a wrong screen from a right one: xterm given kitty's mode shows every
    word back to front."""
    _need("xterm")
    png = shoot(
        display, EMULATORS["xterm"], "cat", tmp_path, hamish(),
        extra="--terminal shaping",
    )
    good, total = score(ocr(png), expected_words("cat"))
    assert total == 0 or 100 * good / total < 25
