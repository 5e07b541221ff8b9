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


def test_every_command_in_the_tree_answers_help_and_is_listed(tmp_path):
    from hamish.tui.cli import COMMANDS

    listed = run("--help", cwd=tmp_path).stdout
    assert set(COMMANDS) >= {"cat", "export", "import"}
    for name, command in COMMANDS.items():
        assert f"hamish {name} {command.usage}" in listed
        result = run(name, "--help", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(f"usage: hamish {name}")
