"""A JSONL file (one {"id", "text", ...} a line, as Prodigy and doccano take it) is a corpus."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess

import pytest
from installed import hamish

from hamish.store import AnnotationStore, is_jsonl_corpus, load_corpus
from hamish.store.corpus import default_corpus_dir
from hamish.store.export import export


def write_lines(path, *records, raw: list[bytes] | None = None) -> None:
    lines = [json.dumps(r, ensure_ascii=False).encode("utf-8") for r in records]
    path.write_bytes(b"\n".join(lines + (raw or [])) + b"\n")


def test_articles_from_lines(tmp_path):
    path = tmp_path / "news.jsonl"
    write_lines(
        path,
        {"id": "b", "text": "\ufeffعنوان\r\nنص 😀", "meta": {"title": "العنوان المعطى"}},
        {"id": "a", "text": "\n  السطر الأول  \nالثاني"},
        {"id": 7, "text": "doccano ids are numbers"},
        {"text": "no id at all"},
        {"meta": {"id": "p1"}, "text": "a Prodigy task", "answer": "accept"},
    )
    corpus = load_corpus(path)
    assert [a.id for a in corpus] == ["7", "a", "b", "news-4", "p1"]  # sorted by id
    b = corpus.get("b")
    assert b.text == "\ufeffعنوان\r\nنص 😀"  # exactly the JSON string: BOM, CRLF kept
    assert b.title == "العنوان المعطى" and corpus.get("a").title == "السطر الأول"
    assert b.sha256 == hashlib.sha256(b.text.encode("utf-8")).hexdigest()
    assert b.source == f"{path}:1" and not corpus.warnings


def test_same_hash_as_the_txt_file(tmp_path):
    seeds = load_corpus(None)
    path = tmp_path / "seeds.jsonl"
    write_lines(path, *({"id": a.id, "text": a.text} for a in seeds))
    assert [(a.id, a.sha256, a.title) for a in load_corpus(path)] == [(a.id, a.sha256, a.title) for a in seeds]


def test_bad_lines_are_skipped_with_a_warning_naming_the_line(tmp_path):
    path = tmp_path / "c.jsonl"
    write_lines(
        path,
        {"id": "ok", "text": "fine"},
        {"id": "ok", "text": "the same id again"},
        {"id": "", "text": "empty id"},
        {"id": "t", "text": 5},
        raw=[b"", b"{not json", b'"a string"', b'{"id": "x", "text": "\xff"}', b'{"id": "s", "text": "\\ud800"}'],
    )
    corpus = load_corpus(path)
    assert [a.id for a in corpus] == ["ok"] and corpus.get("ok").text == "fine"
    lines = sorted(int(w.split(":")[1]) for w in corpus.warnings)
    assert lines == [2, 3, 4, 6, 7, 8, 9]  # line 5 is blank: ignored
    assert all(w.startswith(f"{path}:") and "skipped" in w for w in corpus.warnings)
    assert "already comes from" in corpus.warnings[0]


def test_exports_are_corpora(tmp_path):
    """A Hamish export (or a doccano/Prodigy one) opens as the corpus it was made from."""
    seeds = load_corpus(None)
    db = tmp_path / "db.json"
    with AnnotationStore(db) as store:
        for a in seeds:
            store.add(a.id, 0, 4, "X", text=a.text[:4], sha256=a.sha256)
    for fmt in ("hamish", "prodigy", "doccano"):
        out = io.StringIO()
        export(seeds, db, out, fmt=fmt)
        path = tmp_path / f"{fmt}.jsonl"
        path.write_text(out.getvalue(), encoding="utf-8")
        again = load_corpus(path)
        assert [(a.id, a.text, a.sha256) for a in again] == [(a.id, a.text, a.sha256) for a in seeds], fmt


def test_mixed_with_directories_and_duplicates_across_files(tmp_path):
    path = tmp_path / "extra.jsonl"
    first_seed = load_corpus(None)[0]
    write_lines(path, {"id": first_seed.id, "text": "clash"}, {"id": "extra", "text": "more"})
    corpus = load_corpus([default_corpus_dir(), path])
    assert len(corpus) == 6 and corpus.get(first_seed.id).text == first_seed.text
    assert len(corpus.warnings) == 1 and f"{path}:1" in corpus.warnings[0]


def test_is_jsonl_corpus():
    assert is_jsonl_corpus("a/b.jsonl") and is_jsonl_corpus("B.JSONL")
    assert not is_jsonl_corpus("a.txt") and not is_jsonl_corpus("jsonl")


def test_a_directory_still_means_its_txt_files(tmp_path):
    (tmp_path / "a.txt").write_text("نص", encoding="utf-8")
    write_lines(tmp_path / "export.jsonl", {"id": "x", "text": "not an article of the directory"})
    assert [a.id for a in load_corpus(tmp_path)] == ["a"]


def test_hamish_corpus_jsonl_opens_the_library(tmp_path):
    """`hamish corpus.jsonl` goes through load_corpus: the app sees its articles."""
    pytest.importorskip("textual")
    from hamish.tui.app import create_app

    path = tmp_path / "corpus.jsonl"
    write_lines(path, {"id": "one", "text": "الأول"}, {"id": "two", "text": "الثاني"})
    app = create_app([str(path)])
    assert [a.id for a in app.corpus] == ["one", "two"]


def test_hamish_export_with_a_jsonl_corpus(tmp_path):
    exe = hamish()
    path = tmp_path / "corpus.jsonl"
    write_lines(path, {"id": "one", "text": "قال الوزير"})
    with AnnotationStore(tmp_path / "db.json") as store:
        store.add("one", 4, 10, "PER", text="الوزير", sha256=hashlib.sha256("قال الوزير".encode()).hexdigest())
    result = subprocess.run([exe, "export", "--db", str(tmp_path / "db.json"), "--corpus", str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["spans"][0]["text"] == "الوزير" and record["meta"]["source"] == f"{path}:1"
