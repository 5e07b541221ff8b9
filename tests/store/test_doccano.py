"""doccano 1.8 itself: a doccano export goes through doccano's own import pipeline into a sequence
labelling project (overlapping spans allowed, UTF-8, as the README says) and out through its
own export; the spans are where doccano's editor shows them (UTF-16 code units) on an article
with emoji, and doccano's export imports back into Hamish with every span on its words.

doccano is a Django server with many pinned dependencies, so it runs in a virtual environment
of its own: DOCCANO_PYTHON names its python (.ci/run makes it). Outside CI, without it, these
tests skip; in CI they fail."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import subprocess
from pathlib import Path

import pytest

from hamish.store import AnnotationStore
from hamish.store.export import export
from hamish.store.importer import import_annotations

_spec = importlib.util.spec_from_file_location("hamish_cases", Path(__file__).with_name("test_export.py"))
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

DRIVER = Path(__file__).with_name("doccano_driver.py")


def doccano_python() -> str:
    python = os.environ.get("DOCCANO_PYTHON")
    if not python:
        if os.environ.get("CI"):
            pytest.fail("DOCCANO_PYTHON is not set: .ci/run makes doccano's virtual environment")
        pytest.skip("DOCCANO_PYTHON is not set (a python with doccano==1.8.4 installed)")
    return python


def through_doccano(path: Path, work: Path) -> list[dict]:
    result = subprocess.run([doccano_python(), str(DRIVER), str(work), str(path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    return [json.loads(line) for line in report["jsonl"].split("\n") if line]


@pytest.fixture
def world(tmp_path):
    corpus = cases.hard_corpus(tmp_path / "articles")
    db = tmp_path / "store" / "annotations.json"
    made = cases.fill_store(db, corpus)
    return corpus, db, made


def test_doccano_keeps_the_spans_and_its_export_imports_back(world, tmp_path):
    corpus, db, made = world
    out = io.StringIO()
    export(corpus, db, out, fmt="doccano")
    path = tmp_path / "doccano.jsonl"
    path.write_text(out.getvalue(), encoding="utf-8")
    records = through_doccano(path, tmp_path / "doccano")
    mine = {r["id"]: r for r in map(json.loads, out.getvalue().splitlines())}
    assert len(records) == len(mine)
    want = cases.expected(made)
    emoji_checked = False
    for r in records:
        article = next(a for a in corpus if a.text == r["text"])  # doccano's export: by text
        assert r["offsets"] == "utf16"  # doccano kept the unit
        assert sorted(map(tuple, r["label"])) == sorted(map(tuple, mine[article.id]["label"]))
        # what doccano's editor shows at those offsets (JavaScript string indices) is each word
        shown = sorted((label, cases.js_slice(r["text"], s, e)) for s, e, label in r["label"])
        assert shown == sorted((label, text) for _s, _e, label, text in want[article.id])
        emoji_checked |= article.id == "emoji"
    assert emoji_checked
    back = tmp_path / "doccano-export.jsonl"
    back.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    fresh = tmp_path / "fresh.json"
    import_annotations(back, corpus, fresh, annotator="doccano")
    with AnnotationStore(fresh, readonly=True) as store:
        got = {(a.doc_id, a.start, a.end, a.label, a.text) for a in store.all()}
    assert got == {(a.doc_id, a.start, a.end, a.label, a.text) for a in made}


def test_a_record_with_doccanos_integer_id_is_matched_by_its_text(world, tmp_path):
    corpus, db, made = world
    out = io.StringIO()
    export(corpus, db, out, fmt="doccano")
    lines = [json.loads(x) for x in out.getvalue().splitlines()]
    for n, r in enumerate(lines, 15):
        r["id"] = n  # what a doccano export of a project made elsewhere carries
    path = tmp_path / "ids.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in lines), encoding="utf-8")
    records = through_doccano(path, tmp_path / "doccano")
    back = tmp_path / "back.jsonl"
    back.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    summary = import_annotations(back, corpus, tmp_path / "fresh.json", annotator="d")
    assert summary.records == len(lines)
    with AnnotationStore(tmp_path / "fresh.json", readonly=True) as store:
        got = {(a.doc_id, a.start, a.end, a.label) for a in store.all()}
    assert got == {(a.doc_id, a.start, a.end, a.label) for a in made}
