"""``hamish suggest``: JSONL in the hamish export shape with each span's origin; clear errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from hamish.tui.cli import main

ARTICLE = (
    "عنوان الخبر\n\nوقال الوزير: «لن نتراجع عن قرارنا مهما كانت الضغوط».\n\n"
    "وذكرت قناة «الجزيرة» أن الطرفين اتفقا على هدنة."
)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    d = tmp_path / "articles"
    d.mkdir()
    (d / "one.txt").write_text(ARTICLE, encoding="utf-8")
    return d


def test_suggest_writes_the_export_shape_with_origins(corpus: Path, tmp_path: Path) -> None:
    patterns = tmp_path / "p.jsonl"
    patterns.write_text(
        json.dumps({"label": "agreement", "pattern": "اتفقا على"}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "s.jsonl"
    assert (
        main(["suggest", "--corpus", str(corpus), "--patterns", str(patterns), "-o", str(out)]) == 0
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == "one" and row["text"] == ARTICLE
    assert set(row["meta"]) == {"title", "source", "sha256"}
    got = [(s["label"], s["text"], s["origin"]) for s in row["spans"]]
    assert got == [
        ("quote", "لن نتراجع عن قرارنا مهما كانت الضغوط", "suggested:quotes"),
        ("agreement", "اتفقا على", "suggested:patterns"),
    ]  # «الجزيرة» is a channel's name, not a quotation
    for s in row["spans"]:
        assert ARTICLE[s["start"] : s["end"]] == s["text"]


def test_suggest_to_stdout_and_no_quotes(corpus: Path, capfd: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", "--corpus", str(corpus)]) == 0
    out, errs = capfd.readouterr()
    assert json.loads(out)["spans"][0]["label"] == "quote"
    assert "1 suggestion(s) in 1 article(s) of 1" in errs
    assert main(["suggest", "--corpus", str(corpus), "--no-quotes"]) == 0
    out, _ = capfd.readouterr()
    assert out == ""  # no article with a suggestion; --all would list it
    assert main(["suggest", "--corpus", str(corpus), "--no-quotes", "--all"]) == 0
    assert json.loads(capfd.readouterr()[0])["spans"] == []


def test_bad_patterns_file_names_file_and_line(
    corpus: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "evil\x1b[31m[b]\u202e.jsonl"
    bad.write_text('{"label": "x", "pattern": "a"}\n{"label": "x"}\n', encoding="utf-8")
    assert main(["suggest", "--corpus", str(corpus), "--patterns", str(bad)]) == 1
    errs = capfd.readouterr()[1]
    assert "line 2" in errs and "'pattern'" in errs and "Traceback" not in errs
    assert "\x1b" not in errs and "\u202e" not in errs and "evil\\u001b[31m[b]\\u202e" in errs
    assert main(["suggest", "--corpus", str(tmp_path / "none")]) == 1


def test_installed_command(corpus: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "hamish.tui.cli", "suggest", "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["spans"][0]["origin"] == "suggested:quotes"


def test_with_a_store_rejected_and_answered_ones_are_left_out(corpus: Path, tmp_path: Path) -> None:
    from hamish.store import AnnotationStore, load_corpus
    from hamish.tui.suggest import Suggesters

    text = "عنوان\n\nقال: «لا تراجع عن القرار». وقال أيضا: «الحوار مستمر معهم»."
    (corpus / "two.txt").write_text(text, encoding="utf-8")
    article = next(a for a in load_corpus([str(corpus)]) if a.id == "two")
    first, second = Suggesters().suggest(text)
    db = tmp_path / "db.json"
    with AnnotationStore(db) as store:
        store.set_rejected("two", first.key)
        # accepted as a claim with other boundaries: still answers the suggestion
        store.add(
            "two",
            second.start,
            second.end - 2,
            "claim",
            "me",
            text=text[second.start : second.end - 2],
            sha256=article.sha256,
            origin=second.origin,
        )
    out = tmp_path / "s.jsonl"
    assert main(["suggest", "--corpus", str(corpus), "--db", str(db), "-o", str(out)]) == 0
    rows = {
        json.loads(line)["id"]: json.loads(line) for line in out.read_text("utf-8").splitlines()
    }
    assert "two" not in rows and "one" in rows  # the other article is untouched
    assert main(["suggest", "--corpus", str(corpus), "--db", str(tmp_path / "nope.json")]) == 1
