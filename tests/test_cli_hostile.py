"""Command-line messages on stderr are cleaned like the screen: a label, an id or a file name in
an import problem line or a corpus warning cannot send an escape sequence (the bug:
`hamish import` printed a span's label raw, corpus warnings printed file names raw)."""

from __future__ import annotations

import json
import subprocess

import pytest
from installed import hamish

ESCAPES = ("\x1b", "\x07", "\x9b", "\x9d", "\u202e")




def run(*args: str, env_dir) -> subprocess.CompletedProcess:
    return subprocess.run(
        [hamish(), *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "XDG_DATA_HOME": str(env_dir), "LANG": "C.UTF-8"},
    )


def test_import_problem_lines_and_corpus_warnings_are_cleaned(tmp_path):
    corpus = tmp_path / "articles"
    corpus.mkdir()
    (corpus / "a.txt").write_text("قال الوزير إن الحكومة", encoding="utf-8")
    bad_name = "bad\x1b]0;PWNED\x07\u202e.txt"
    (corpus / bad_name).write_bytes(b"\xff\xfe not utf-8")  # skipped, with a warning naming it
    label = "\x1b]52;c;ZXZpbA==\x07[/]x\x9b2J"
    spans = [{"start": 0, "end": 3, "label": label, "text": "not the text"}]
    source = tmp_path / "in.jsonl"
    source.write_text(
        json.dumps({"id": "a", "text": "قال الوزير إن الحكومة", "spans": spans}) + "\n",
        encoding="utf-8",
    )
    result = run(
        "import",
        str(source),
        "--db",
        str(tmp_path / "db.json"),
        "--corpus",
        str(corpus),
        "--format",
        "prodigy",
        env_dir=tmp_path,
    )
    err = result.stderr
    assert result.returncode != 0 and "rejected" in err, err
    assert "bad\u241b]0;PWNED\u2407" in err  # the file, named, as pictures
    assert "\u241b]52;c;ZXZpbA==\u2407[/]x\ufffd2J" in err  # the label, as pictures
    for ch in ESCAPES:
        assert ch not in err, (ch, err)
    assert "Traceback" not in err


def test_the_raw_names_would_show(tmp_path):
    """Positive control: the same label printed raw holds the escapes the test looks for."""
    label = "\x1b]52;c;ZXZpbA==\x07[/]x\x9b2J"
    assert any(ch in label for ch in ESCAPES)


@pytest.mark.parametrize("name", ["x [/] [b]", "t\x1b]0;T\x07"])
def test_a_corrupt_store_is_named_cleanly(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir(parents=True)
    db = folder / "db.json"
    db.write_text('{"_default": {"1": ', encoding="utf-8")
    result = run("export", "--db", str(db), env_dir=tmp_path)
    assert result.returncode != 0
    for ch in ESCAPES:
        assert ch not in result.stderr, (ch, result.stderr)
    assert "Traceback" not in result.stderr and "db.json" in result.stderr
