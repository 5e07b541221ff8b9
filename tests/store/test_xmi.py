"""INCEpTION: UIMA CAS XMI through dkpro-cassis loads back with cassis, every span slicing its
text with its label, note and annotator; the file itself holds Java's (UTF-16) offsets."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hamish.store.corpus import Corpus
from hamish.store.export import ExportError, export

_spec = importlib.util.spec_from_file_location("hamish_consumers", Path(__file__).with_name("consumers.py"))
consumers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(consumers)
_spec = importlib.util.spec_from_file_location("hamish_cases", Path(__file__).with_name("test_export.py"))
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)


@pytest.fixture
def world(tmp_path):
    corpus = cases.hard_corpus(tmp_path / "articles")
    xml_safe = Corpus([a for a in corpus if a.id != "breaks"])  # (\x0b, \x0c: not XML 1.0)
    db = tmp_path / "store" / "annotations.json"
    made = cases.fill_store(db, xml_safe)
    return xml_safe, db, made, corpus


def test_xmi_loads_back_with_cassis(world, tmp_path):
    cassis = consumers.need("cassis")
    corpus, db, made, _ = world
    out = tmp_path / "xmi"
    summary = export(corpus, db, out, fmt="xmi")
    assert summary.spans == len(made) and summary.articles == len(corpus)
    ts = cassis.load_typesystem((out / "typesystem.xml").read_bytes().decode("utf-8"))
    by_id = {a.id: a for a in made}
    seen = 0
    for article in corpus:
        with open(out / f"{article.id}.xmi", "rb") as f:
            cas = cassis.load_cas_from_xmi(f, typesystem=ts)
        assert cas.sofa_string == article.text
        (meta,) = cas.select("de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData")
        assert (meta.documentId, meta.documentTitle) == (article.id, article.title)
        for span in cas.select("webanno.custom.Span"):
            a = by_id[span.hamishId]
            assert (span.begin, span.end) == (a.start, a.end)  # cassis converted them back
            assert span.get_covered_text() == a.text
            assert (span.label, span.note, span.annotator, span.created) == (a.label, a.note, a.annotator, a.created)
            seen += 1
    assert seen == len(made)


def test_the_file_holds_utf16_offsets_as_java_counts(world, tmp_path):
    consumers.need("cassis")
    corpus, db, made, _ = world
    export(corpus, db, tmp_path / "xmi", fmt="xmi")
    root = ET.parse(tmp_path / "xmi" / "emoji.xmi").getroot()
    text = corpus.get("emoji").text
    units = text.encode("utf-16-le")
    spans = [e for e in root if e.tag.endswith("}Span")]
    by_id = {a.id: a for a in made}
    shifted = 0
    for e in spans:
        begin, end = int(e.get("begin")), int(e.get("end"))
        assert units[2 * begin : 2 * end].decode("utf-16-le") == by_id[e.get("hamishId")].text
        shifted += begin != by_id[e.get("hamishId")].start
    assert spans and shifted


def test_an_article_xml_cannot_hold_is_named(world, tmp_path):
    consumers.need("cassis")
    _, db, _, corpus = world
    from hamish.store import AnnotationStore

    breaks = corpus.get("breaks")
    with AnnotationStore(db) as store:
        store.add("breaks", 0, 1, "PER", text=breaks.text[0], sha256=breaks.sha256)
    with pytest.raises(ExportError, match=r"1 article cannot be written as XMI.*'breaks'"):
        export(corpus, db, tmp_path / "xmi", fmt="xmi")
    assert not (tmp_path / "xmi").exists()


def test_a_note_xml_cannot_hold_is_named_too(world, tmp_path):
    consumers.need("cassis")
    corpus, db, made, _ = world
    from hamish.store import AnnotationStore

    with AnnotationStore(db) as store:
        store.update(made[0].id, note="bell \x07")
    with pytest.raises(ExportError, match=f"1 article cannot be written as XMI.*'{made[0].doc_id}'"):
        export(corpus, db, tmp_path / "xmi", fmt="xmi")
    assert not (tmp_path / "xmi").exists()
