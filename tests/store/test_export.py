"""Export: every span in every format covers exactly the text it says, on hard texts too.

The corpus mixes the five seeds with texts built to break offset arithmetic: characters outside
the BMP (emoji, a flag, a mathematical letter), CRLF line ends, a lone CR, a BOM, combining marks,
and spans that cross line breaks. The same builders are used by test_import.py.
"""

from __future__ import annotations

import io
import json
import random
import re
from pathlib import Path

import pytest

from hamish.store import AnnotationStore, load_corpus
from hamish.store.annotations import Annotation
from hamish.store.corpus import Corpus, default_corpus_dir
from hamish.store.export import (
    ExportError,
    ExportSummary,
    default_export_path,
    export,
    export_records,
    export_to_path,
    utf16_converter,
)

HARD_TEXTS = {
    "emoji": "خبر عاجل 😀 من بيروت 👍🏽 اليوم\nقال 𝕏 إن العلم 🇱🇧 رُفع\nنهاية 🙂",
    "crlf": "عنوان الخبر\r\nالسطر الأول من النص\r\n\r\nالسطر الثاني 😀 هنا\r\n",
    "lonecr": "سطر أول\rسطر ثان\rثالث",
    "bom": "\ufeffعنوان بعلامة الترتيب\nنص الخبر هنا",
    "combining": "مُحَمَّدٌ قَالَ إِنَّ café cafe\u0301 n\u0303o\nالسَّلَامُ عَلَيْكُمْ",
    "breaks": "أ\u2028ب\u2029ج\x85د\x0be\x0cf\x1cg end\ttab",
}
LABELS = ["PER", "LOC", "ORG"]
LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")


def hard_corpus(directory: Path) -> Corpus:
    """The seeds plus HARD_TEXTS written as .txt files (bytes exact: CRLF and BOM kept)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in HARD_TEXTS.items():
        (directory / f"{name}.txt").write_bytes(text.encode("utf-8"))
    corpus = load_corpus([default_corpus_dir(), directory])
    assert len(corpus) == 5 + len(HARD_TEXTS) and not corpus.warnings
    return corpus


def planned_spans(article, rng: random.Random, n: int = 12) -> list[tuple[int, int, str]]:
    """Word-aligned spans, spans of two or three words (across line breaks when the words are on
    different lines), a span that starts inside a surrogate-free emoji run, one that covers a
    line break entirely."""
    text = article.text
    words = [m.span() for m in re.finditer(r"\S+", text)]
    spans = set()
    for _ in range(n):
        i = rng.randrange(len(words))
        spans.add((words[i][0], words[i][1], rng.choice(LABELS)))
        j = min(len(words) - 1, i + rng.randint(1, 2))
        spans.add((words[i][0], words[j][1], rng.choice(LABELS)))
    for m in LINE_BREAK.finditer(text):  # a span crossing every line break, word to word
        before = [w for w in words if w[1] <= m.start()]
        after = [w for w in words if w[0] >= m.end()]
        if before and after:
            spans.add((before[-1][0], after[0][1], "ORG"))
    for m in re.finditer("[\U00010000-\U0010ffff]", text):
        spans.add((m.start(), m.end(), "PER"))  # the emoji alone
    return sorted(spans)


def fill_store(path: Path, corpus: Corpus, seed: int = 7) -> list[Annotation]:
    rng = random.Random(seed)
    made = []
    with AnnotationStore(path) as db:
        for article in corpus:
            for k, (s, e, label) in enumerate(planned_spans(article, rng)):
                made.append(db.add(
                    article.id, s, e, label, annotator=rng.choice(["amal", "omar"]),
                    note=None if k % 3 else "ملاحظة\nمن سطرين", text=article.text[s:e],
                    sha256=article.sha256,
                ))
    return made


def expected(made: list[Annotation]) -> dict[str, list[tuple[int, int, str, str]]]:
    out: dict[str, list] = {}
    for a in made:
        out.setdefault(a.doc_id, []).append((a.start, a.end, a.label, a.text))
    return {k: sorted(v) for k, v in out.items()}


def js_slice(text: str, start: int, end: int) -> str:
    """JavaScript's text.slice(start, end): UTF-16 code units."""
    units = text.encode("utf-16-le")
    return units[2 * start : 2 * end].decode("utf-16-le")


def run_export(corpus, db, **kw) -> tuple[list[dict], ExportSummary]:
    out = io.StringIO()
    summary = export(corpus, db, out, **kw)
    text = out.getvalue()
    assert text == "" or text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()], summary


@pytest.fixture
def world(tmp_path):
    corpus = hard_corpus(tmp_path / "articles")
    db = tmp_path / "store" / "annotations.json"
    made = fill_store(db, corpus)
    return corpus, db, made


def test_the_hard_corpus_has_the_hard_cases(world):
    corpus, _db, made = world
    texts = {a.id: a.text for a in corpus}
    assert texts["bom"].startswith("\ufeff") and "\r\n" in texts["crlf"]
    assert any(len(a.text.encode("utf-16-le")) // 2 != len(a.text) for a in corpus)
    crossing = [a for a in made if LINE_BREAK.search(a.text)]
    assert {a.doc_id for a in crossing} >= {"crlf", "emoji", "lonecr", "breaks"}
    assert any("\u0301" in a.text for a in made) and any(a.start > 0 for a in made if a.doc_id == "bom")


# ---- the invariant, format by format -------------------------------------------------------------


def test_hamish_spans_cover_their_text(world):
    corpus, db, made = world
    records, summary = run_export(corpus, db)
    assert [r["id"] for r in records] == sorted(a.id for a in corpus)  # id order
    got = {}
    for r in records:
        article = corpus.get(r["id"])
        assert r["text"] == article.text
        assert r["meta"] == {"title": article.title, "source": article.source, "sha256": article.sha256}
        assert list(r) == ["id", "text", "meta", "spans"]
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["text"]
            assert list(s) == ["id", "start", "end", "label", "text", "annotator", "note", "created", "updated", "origin"]
        assert [(s["start"], s["end"]) for s in r["spans"]] == sorted((s["start"], s["end"]) for s in r["spans"])
        got[r["id"]] = sorted((s["start"], s["end"], s["label"], s["text"]) for s in r["spans"])
    assert got == expected(made)
    assert (summary.articles, summary.spans, summary.drifted) == (len(corpus), len(made), 0)


def test_prodigy_spans_cover_their_text(world):
    corpus, db, made = world
    records, summary = run_export(corpus, db, fmt="prodigy")
    got = {}
    for r in records:
        assert r["answer"] == "accept" and set(r) == {"text", "spans", "meta", "answer"}
        article = corpus.get(r["meta"]["id"])
        assert r["text"] == article.text and r["meta"]["sha256"] == article.sha256
        for s in r["spans"]:
            assert r["text"][s["start"] : s["end"]] == s["text"]
        got[article.id] = sorted((s["start"], s["end"], s["label"], s["text"]) for s in r["spans"])
    assert got == expected(made) and summary.spans == len(made)


def test_doccano_spans_cover_their_text(world):
    corpus, db, made = world
    records, _ = run_export(corpus, db, fmt="doccano", offsets="codepoint")
    got = {}
    for r in records:
        assert list(r) == ["id", "text", "label", "offsets"] and r["offsets"] == "codepoint"
        assert r["text"] == corpus.get(r["id"]).text
        got[r["id"]] = sorted((s, e, label, r["text"][s:e]) for s, e, label in r["label"])
    assert got == expected(made)


def test_doccano_counts_utf16_code_units_by_default_and_says_so(world):
    # doccano's editor counts JavaScript string indices (doccano issue #2290): by default the
    # export is in its unit, and the unit is a top-level key (doccano keeps unknown keys).
    corpus, db, made = world
    records, summary = run_export(corpus, db, fmt="doccano")
    assert summary.offsets == "utf16" and "UTF-16" in summary.describe()
    default = {r["id"]: r for r in records}
    utf16 = {r["id"]: r for r in run_export(corpus, db, fmt="doccano", offsets="utf16")[0]}
    assert default == utf16 and all(r["offsets"] == "utf16" for r in records)
    emoji = default["emoji"]
    assert any(js_slice(emoji["text"], s, e) != emoji["text"][s:e] for s, e, _ in emoji["label"])


@pytest.mark.parametrize("fmt", ["hamish", "prodigy", "doccano"])
def test_utf16_offsets_are_javascript_offsets(world, fmt):
    corpus, db, made = world
    records, _ = run_export(corpus, db, fmt=fmt, offsets="utf16")
    want = expected(made)
    shifted = 0
    for r in records:
        doc = r["id"] if fmt != "prodigy" else r["meta"]["id"]
        triples = r["label"] if fmt == "doccano" else [(s["start"], s["end"], s["label"]) for s in r["spans"]]
        got = sorted((s, e, label, js_slice(r["text"], s, e)) for s, e, label in triples)
        codepoint = sorted((s, e, label, text) for s, e, label, text in want[doc])
        assert [g[2:] for g in got] == [c[2:] for c in codepoint]  # same spans, same texts in JS
        shifted += sum(g[:2] != c[:2] for g, c in zip(got, codepoint))
        assert (r["offsets"] if fmt == "doccano" else r["meta"].get("offsets")) == "utf16"
    assert shifted > 0  # the emoji really moved some offsets


def test_utf16_converter_matches_the_encoding():
    text = "a😀b🇱🇧c\U0010ffffd"
    convert = utf16_converter(text)
    for i in range(len(text) + 1):
        assert convert(i) == len(text[:i].encode("utf-16-le")) // 2
    assert utf16_converter("عربي فقط") is None and utf16_converter("ascii") is None


def read_brat(directory: Path, doc: str) -> tuple[str, list[tuple[str, list[tuple[int, int]], str]], dict]:
    with open(directory / f"{doc}.txt", encoding="utf-8", newline="") as f:
        txt = f.read()
    with open(directory / f"{doc}.txt", encoding="utf-8") as f:  # universal newlines, as brat reads it
        assert f.read() == txt
    entities, notes = [], {}
    with open(directory / f"{doc}.ann", encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    assert lines[-1] == ""
    for line in lines[:-1]:
        assert "\r" not in line and len(line.splitlines()) == 1
        ident, middle, tail = line.split("\t", 2)
        if ident.startswith("T"):
            label, _, where = middle.partition(" ")
            pieces = [tuple(int(x) for x in p.split(" ")) for p in where.split(";")]
            entities.append((label, pieces, tail))
        else:
            kind, target = middle.split(" ")
            assert kind == "AnnotatorNotes"
            notes[target] = tail
    return txt, entities, notes


def test_brat_offsets_index_the_txt_file(world, tmp_path):
    corpus, db, made = world
    out = tmp_path / "brat"
    summary = export(corpus, db, out, fmt="brat")
    assert summary.spans == len(made) and summary.unplaceable == 0
    want = expected(made)
    fragmented = 0
    for article in corpus:
        txt, entities, notes = read_brat(out, article.id)
        assert txt == article.text.replace("\r\n", "\n").replace("\r", "\n")
        got = []
        for label, pieces, covered in entities:
            assert all(a < b for a, b in pieces)
            assert covered == " ".join(txt[a:b] for a, b in pieces)  # brat's own check
            fragmented += len(pieces) > 1
            got.append((label, [txt[a:b] for a, b in pieces]))
        # The fragments are the original span's text without its line breaks, each piece
        # trimmed of white space at its edges, blank pieces left out.
        original = sorted(
            (label, [p.strip() for p in LINE_BREAK.split(text) if p.strip()])
            for _s, _e, label, text in want[article.id]
        )
        assert all(piece == piece.strip() and piece for _, pieces in got for piece in pieces)
        assert sorted(got) == original
        assert all("\n" not in n for n in notes.values()) and notes
    assert fragmented > 0
    conf = (out / "annotation.conf").read_text(encoding="utf-8")
    entities = conf.split("[entities]\n", 1)[1].split("[relations]", 1)[0].split()
    assert entities == sorted(LABELS)


@pytest.mark.parametrize("fmt", ["brat", "labelstudio", "xmi", "spacy"])
def test_utf16_offsets_are_refused_where_the_consumer_counts_otherwise(world, tmp_path, fmt):
    corpus, db, _made = world
    with pytest.raises(ExportError, match=f"cannot be used with format {fmt}"):
        export(corpus, db, tmp_path / "out", fmt=fmt, offsets="utf16")
    assert not (tmp_path / "out").exists()


def test_brat_needs_a_directory_and_safe_ids(world, tmp_path):
    corpus, db, _ = world
    with pytest.raises(ExportError):
        export(corpus, db, io.StringIO(), fmt="brat")
    bad = Corpus([corpus[0].__class__(id="../x", title="t", text="abc", sha256="0" * 64)])
    with pytest.raises(ExportError, match="file name"):
        export(bad, db, tmp_path / "b2", fmt="brat")


@pytest.mark.parametrize("fmt", ["hamish", "prodigy", "doccano"])
def test_records_are_one_utf8_line_each_with_arabic_readable(world, tmp_path, fmt):
    corpus, db, _ = world
    path = tmp_path / f"out.{fmt}.jsonl"
    summary = export_to_path(corpus, db, path, fmt=fmt)
    data = path.read_bytes()
    assert summary.path == path and data.endswith(b"\n") and b"\r\n" not in data.replace(b"\\r\\n", b"")
    assert "عاجل".encode("utf-8") in data and b"\\u0639" not in data  # ensure_ascii=False
    assert data.count(b"\n") == summary.articles


# ---- selection ---------------------------------------------------------------------------------


def test_only_annotated_articles_unless_all(tmp_path):
    corpus = load_corpus(None)
    first = corpus[2]
    with AnnotationStore(tmp_path / "db.json") as db:
        db.add(first.id, 0, 3, "PER", text=first.text[:3], sha256=first.sha256)
    records, summary = run_export(corpus, tmp_path / "db.json")
    assert [r["id"] for r in records] == [first.id] and summary.articles == 1
    records, _ = run_export(corpus, tmp_path / "db.json", include_all=True)
    assert [r["id"] for r in records] == [a.id for a in corpus]
    assert [len(r["spans"]) for r in records] == [0, 0, 1, 0, 0]


def test_filters_label_annotator_done(world):
    corpus, db, made = world
    with AnnotationStore(db) as store:
        store.set_article_state("emoji", done=True)
        store.set_article_state("crlf", done=True)
    records, _ = run_export(corpus, db, labels=["PER", "LOC"])
    assert {s["label"] for r in records for s in r["spans"]} == {"PER", "LOC"}
    assert sum(len(r["spans"]) for r in records) == sum(a.label != "ORG" for a in made)
    records, _ = run_export(corpus, db, annotator="amal")
    assert {s["annotator"] for r in records for s in r["spans"]} == {"amal"}
    records, _ = run_export(corpus, db, done_only=True)
    assert [r["id"] for r in records] == ["crlf", "emoji"]


def test_ties_are_ordered_by_content_not_by_id(tmp_path):
    corpus = load_corpus(None)
    a = corpus[0]
    with AnnotationStore(tmp_path / "db.json") as db:
        for label, annotator in [("ORG", "a"), ("LOC", "z"), ("PER", "a"), ("LOC", "a")]:
            db.add(a.id, 0, 5, label, annotator=annotator, text=a.text[:5], sha256=a.sha256)
    records, _ = run_export(corpus, tmp_path / "db.json")
    assert [(s["label"], s["annotator"]) for s in records[0]["spans"]] == [
        ("LOC", "a"), ("LOC", "z"), ("ORG", "a"), ("PER", "a")
    ]


# ---- drift -------------------------------------------------------------------------------------


def drifted_world(tmp_path):
    """An article annotated, then edited: one span still in place, one moved, one gone."""
    old = "الرئيس في بيروت اليوم. قال الوزير كلمة."
    new = "مقدمة جديدة. الرئيس في بيروت اليوم. قال السفير كلمة."
    d = tmp_path / "articles"
    d.mkdir()
    (d / "doc.txt").write_text(old, encoding="utf-8")
    old_article = load_corpus(d)[0]
    db = tmp_path / "db.json"
    with AnnotationStore(db) as store:
        for word in ["الرئيس", "الوزير"]:
            s = old.index(word)
            store.add("doc", s, s + len(word), "PER", text=word, sha256=old_article.sha256)
        store.add("doc", 0, len(old), "QUOTE", text=old, sha256=old_article.sha256)  # whole text: gone
    (d / "doc.txt").write_text(new, encoding="utf-8")
    return load_corpus(d), db, new


def test_drifted_spans_never_break_the_invariant(tmp_path):
    corpus, db, new = drifted_world(tmp_path)
    records, summary = run_export(corpus, db)
    (r,) = records
    assert [(s["text"], s["start"]) for s in r["spans"]] == [("الرئيس", new.index("الرئيس"))]
    drifted = r["meta"]["drifted"]
    old = "الرئيس في بيروت اليوم. قال الوزير كلمة."
    assert [(d["label"], d["text"], d["start"]) for d in drifted] == [
        ("QUOTE", old, 0), ("PER", "الوزير", old.index("الوزير"))
    ]
    for d in drifted:
        assert d["end"] - d["start"] == len(d["text"]) and d["sha256"] != corpus[0].sha256
        assert d["reason"] == "its text is no longer in the article"
    assert summary.drifted == 2 and summary.spans == 1 and "meta.drifted" in summary.describe()
    for fmt in ("prodigy", "doccano"):
        records, summary = run_export(corpus, db, fmt=fmt)
        assert summary.drifted == 2 and any("drifted" in w for w in summary.warnings)
        spans = records[0]["spans"] if fmt == "prodigy" else records[0]["label"]
        assert len(spans) == 1
    summary = export(corpus, db, tmp_path / "brat", fmt="brat")
    assert summary.drifted == 2 and summary.spans == 1


def test_orphans_are_counted(tmp_path):
    corpus = load_corpus(None)
    with AnnotationStore(tmp_path / "db.json") as db:
        db.add("not-in-corpus", 0, 3, "PER", text="abc", sha256="1" * 64)
    records, summary = run_export(corpus, tmp_path / "db.json")
    assert records == [] and summary.orphans == 1 and "not in the corpus" in summary.warnings[0]


# ---- the store and the file ------------------------------------------------------------------


def test_export_reads_while_the_writer_holds_the_store(world):
    corpus, db, made = world
    with AnnotationStore(db) as writer:  # the app has it open
        a = corpus.get("emoji")
        writer.add("emoji", 0, 3, "LOC", text=a.text[:3], sha256=a.sha256)
        _, summary = run_export(corpus, db)
        assert summary.spans == len(made) + 1
        _, summary = run_export(corpus, writer)  # or give it the open store
        assert summary.spans == len(made) + 1


def test_missing_store_is_an_error(tmp_path):
    with pytest.raises(ExportError, match="no annotation store"):
        run_export(load_corpus(None), tmp_path / "nope.json")
    assert not (tmp_path / "nope.json").exists()


def test_export_to_path_is_atomic(world, tmp_path, monkeypatch):
    corpus, db, _ = world
    path = tmp_path / "out" / "x.jsonl"
    first = export_to_path(corpus, db, path)
    before = path.read_bytes()

    def boom(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("hamish.store.export.write_jsonl", boom)
    with pytest.raises(RuntimeError):
        export_to_path(corpus, db, path)
    assert path.read_bytes() == before and sorted(p.name for p in path.parent.iterdir()) == ["x.jsonl"]
    assert first.path == path and first.spans > 0


def test_default_export_path(tmp_path):
    from datetime import datetime

    when = datetime(2024, 5, 6, 7, 8, 9)
    assert default_export_path("hamish", tmp_path, when) == tmp_path / "hamish-export-20240506-070809.jsonl"
    assert default_export_path("brat", tmp_path, when).suffix == ""


def test_records_generator_and_summary(world):
    corpus, db, made = world
    summary = ExportSummary()
    records = list(export_records(corpus, db, summary=summary))
    assert len(records) == summary.articles and summary.spans == len(made)


def test_progress_is_reported(world):
    corpus, db, _ = world
    calls = []
    run_export(corpus, db, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (len(corpus), len(corpus))


# ---- spaCy -------------------------------------------------------------------------------------


def test_word_aligned_spans_are_whole_spacy_tokens(tmp_path):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("ar")
    corpus = load_corpus(None)
    rng = random.Random(3)
    with AnnotationStore(tmp_path / "db.json") as db:
        for article in corpus:
            words = [m.span() for m in re.finditer(r"\S+", article.text)]
            for s, e in rng.sample(words, 30):
                db.add(article.id, s, e, "W", text=article.text[s:e], sha256=article.sha256)
    records, summary = run_export(corpus, tmp_path / "db.json")
    assert summary.spans == 150
    for r in records:
        doc = nlp.make_doc(r["text"])
        for s in r["spans"]:
            span = doc.char_span(s["start"], s["end"])
            assert span is not None, (r["id"], s)
            assert span.text == s["text"]
