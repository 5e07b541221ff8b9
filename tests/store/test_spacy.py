"""spaCy: a DocBin that spaCy loads, every span in doc.spans["sc"], doc.ents where they do not
overlap, and spans off token boundaries counted, shown and handled by the stated mode."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from hamish.store import AnnotationStore, load_corpus
from hamish.store.export import ExportError, export

_spec = importlib.util.spec_from_file_location("hamish_consumers", Path(__file__).with_name("consumers.py"))
consumers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(consumers)


@pytest.fixture
def world(tmp_path):
    """Seed articles with word spans (\\S+: they keep punctuation like ”. on the word, as the
    reader's word selection does), overlapping and nested ones, and one span inside a word."""
    corpus = load_corpus(None)
    db = tmp_path / "db.json"
    made = []
    with AnnotationStore(db) as store:
        for article in corpus:
            words = [m.span() for m in re.finditer(r"\S+", article.text)][:40]
            for n, (s, e) in enumerate(words):
                made.append(store.add(article.id, s, e, "W", text=article.text[s:e], sha256=article.sha256,
                                      note="n" if n % 7 == 0 else None))
            (s, _), (_, e) = words[0], words[5]
            made.append(store.add(article.id, s, e, "LONG", text=article.text[s:e], sha256=article.sha256))
            s, e = words[10][0] + 1, words[10][1] - 1  # inside one word
            made.append(store.add(article.id, s, e, "IN", text=article.text[s:e], sha256=article.sha256))
    return corpus, db, made


def boundaries(doc) -> set[int]:
    return {t.idx for t in doc} | {t.idx + len(t.text) for t in doc}


def misaligned(nlp, corpus, made) -> list:
    out = []
    for a in made:
        b = boundaries(nlp.make_doc(corpus.get(a.doc_id).text))
        if a.start not in b or a.end not in b:
            out.append(a)
    return out


@pytest.mark.parametrize("align", ["expand", "contract"])
def test_docbin_loads_in_spacy_with_every_span(world, tmp_path, align):
    spacy = consumers.need("spacy")
    from spacy.tokens import DocBin

    corpus, db, made = world
    nlp = spacy.blank("ar")
    bad = misaligned(nlp, corpus, made)
    assert bad  # the blank Arabic tokenizer does not split everything \S+ does
    out = tmp_path / "x.spacy"
    summary = export(corpus, db, out, fmt="spacy", align=align)
    assert summary.realigned == len(bad)
    assert any(f"--align {align}" in w and str(len(bad)) in w for w in summary.warnings)
    assert summary.examples and all(" -> " in e for e in summary.examples)
    docs = list(DocBin().from_bytes(out.read_bytes()).get_docs(nlp.vocab))
    assert len(docs) == len(corpus)
    left_out = 0
    for doc in docs:
        meta = doc.user_data["hamish"]
        article = corpus.get(meta["id"])
        assert doc.text == article.text and meta["sha256"] == article.sha256
        mine = [a for a in made if a.doc_id == article.id]
        sc = list(doc.spans["sc"])
        left_out += len(mine) - len(sc)
        assert len(sc) == len(meta["spans"])
        for span, extra in zip(sc, meta["spans"], strict=True):
            s, e = extra["start"], extra["end"]
            if align == "expand":
                assert span.start_char <= s and span.end_char >= e
            else:
                assert span.start_char >= s and span.end_char <= e
            if (s, e) == (span.start_char, span.end_char):
                assert span.text == article.text[s:e]
        ents = list(doc.ents)
        assert ents and all(a.end <= b.start for a, b in zip(ents, ents[1:]))
        assert {(x.start, x.end, x.label_) for x in ents} <= {(x.start, x.end, x.label_) for x in sc}
    if align == "expand":
        assert left_out == 0 and summary.spans == len(made)
    else:  # a span inside one word has no whole token: left out, and said
        assert left_out == len(corpus) and summary.spans == len(made) - left_out
        assert any(f"{left_out} inside no whole token left out" in w for w in summary.warnings)


def test_strict_alignment_stops_the_export_and_says_why(world, tmp_path):
    consumers.need("spacy")
    corpus, db, _ = world
    with pytest.raises(ExportError, match=r"spans not on 'ar' token boundaries \(--align strict\)"):
        export(corpus, db, tmp_path / "x.spacy", fmt="spacy", align="strict")
    assert not (tmp_path / "x.spacy").exists()
