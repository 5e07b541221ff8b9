"""The installed `hamish` command, run as a user would, from outside the checkout."""

from __future__ import annotations

import subprocess
from pathlib import Path

from installed import hamish

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([hamish(), *args], cwd=cwd, capture_output=True, text=True, timeout=60)


def test_help_from_another_directory(tmp_path):
    result = run("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "hamish cat FILE" in result.stdout and "--db" in result.stdout


def test_cat_right_aligns_rtl_lines_to_the_width(tmp_path):
    (tmp_path / "a.txt").write_text("سلام عليكم\nhello world\n", encoding="utf-8")
    result = run("cat", "a.txt", "--width", "20", cwd=tmp_path)
    assert result.returncode == 0
    rows = result.stdout.split("\n")
    assert rows[0] == " " * 11 + "ﻢﻜﻴﻠﻋ ﻡﻼﺳ"  # visual order, joined forms, right-aligned
    assert rows[1] == "hello world"
    assert rows[2] == ""  # the empty paragraph after the final newline


def test_cat_base_forces_direction(tmp_path):
    (tmp_path / "a.txt").write_text("abc", encoding="utf-8")
    result = run("cat", "a.txt", "--width", "10", "--base", "rtl", cwd=tmp_path)
    assert result.stdout.split("\n")[0] == "       abc"


def test_cat_wraps_to_width(tmp_path):
    (tmp_path / "a.txt").write_text("كلمة " * 20, encoding="utf-8")
    result = run("cat", "a.txt", "--width", "16", cwd=tmp_path)
    rows = [r for r in result.stdout.split("\n") if r]
    assert len(rows) == 7 and all(len(r) <= 16 for r in rows)


def test_cat_reports_bad_files_without_traceback(tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00")
    result = run("cat", "bad.txt", cwd=tmp_path)
    assert result.returncode == 1 and "not UTF-8" in result.stderr and "Traceback" not in result.stderr
    result = run("cat", "missing.txt", cwd=tmp_path)
    assert result.returncode == 1 and "missing.txt" in result.stderr


def test_cat_refuses_a_width_out_of_range_with_a_message(tmp_path):
    (tmp_path / "a.txt").write_text("سلام", encoding="utf-8")
    for width in ("0", "-3", "10001", "99999999999999999999"):
        result = run("cat", "a.txt", "--width", width, cwd=tmp_path)
        assert result.returncode == 2, (width, result.stderr)
        assert "--width must be from 1 to 10,000 cells" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and result.stdout == ""
    assert run("cat", "a.txt", "--width", "10000", cwd=tmp_path).returncode == 0


def test_every_command_in_the_tree_answers_help_and_is_listed(tmp_path):
    from hamish.tui.cli import COMMANDS

    listed = run("--help", cwd=tmp_path).stdout
    assert set(COMMANDS) >= {"cat", "export", "import"}
    for name, command in COMMANDS.items():
        assert f"hamish {name} {command.usage}" in listed
        result = run(name, "--help", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: hamish {name}")


def _one_line_article(size: int) -> str:
    import random

    words = "قال وزير الخارجية «اللبناني» في بيروت، اليوم: the budget 2026 (نعم) ١٢٣".split()
    rng = random.Random(11)
    return " ".join(rng.choice(words) for _ in range(size // 7))


def test_cat_streams_a_long_one_line_article_as_the_whole_layout_gives_it(tmp_path):
    """3 MB on one line read a megabyte at a time (characters split between reads): the rows
    are those of the whole text laid out at once, blocks and whole-paragraph levels."""
    from hamish.tui.bidi import layout_text

    text = _one_line_article(1_700_000)
    data = text.encode("utf-8")
    assert len(data) > 2 * (1 << 20) and "\n" not in text
    (tmp_path / "long.txt").write_bytes(data)
    result = run("cat", "long.txt", "--width", "83", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    want = [(" " * l.x + l.text) if l.rtl else l.text.rstrip(" ") for l in layout_text(text, 83)]
    assert result.stdout.split("\n") == [*want, ""]


def test_cat_names_the_byte_that_is_not_utf8_far_in_and_prints_nothing(tmp_path):
    data = ("بيروت " * 400_000).encode("utf-8")  # 4.4 MB
    for at in ((1 << 20) * 3 + 4, (1 << 20) * 3):  # a letter's second byte; one split by a read
        assert data[at] >= 0x80 and data[at - 1] >= 0xC0  # (at the second byte of a letter)
        bad = data[:at] + b"\xff" + data[at + 1 :]
        (tmp_path / "bad.txt").write_bytes(bad)
        result = run("cat", "bad.txt", "--width", "40", cwd=tmp_path)
        assert result.returncode == 1 and result.stdout == ""
        try:
            bad.decode("utf-8")
        except UnicodeDecodeError as e:
            want = f"not UTF-8 (byte {e.start}: {e.reason})"
        assert want in result.stderr and str(at - 1) in want
    assert "Traceback" not in result.stderr
