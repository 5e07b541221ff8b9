"""Label Studio: tasks.json and config.xml pass label-studio-sdk's own validation, every region
slices its text, and hamish import reads them (and Label Studio's own JSON export) back."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from hamish.store import AnnotationStore
from hamish.store.export import export
from hamish.store.importer import ImportRejected, import_annotations

_spec = importlib.util.spec_from_file_location("hamish_consumers", Path(__file__).with_name("consumers.py"))
consumers = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(consumers)
_spec = importlib.util.spec_from_file_location("hamish_cases", Path(__file__).with_name("test_export.py"))
cases = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cases)

LABEL_SET = [("PER", "#4e79a7"), ("LOC", "#59a14f"), ("ORG", "#f28e2b"), ("اقتباس", "#e15759"),
             ('a "quoted" <label> & more', None)]


@pytest.fixture
def world(tmp_path):
    corpus = cases.hard_corpus(tmp_path / "articles")
    db = tmp_path / "store" / "annotations.json"
    made = cases.fill_store(db, corpus)
    return corpus, db, made


def test_tasks_and_config_pass_label_studio_validation(world, tmp_path):
    interface_module = consumers.need("label_studio_sdk.label_interface")
    corpus, db, made = world
    out = tmp_path / "ls"
    summary = export(corpus, db, out, fmt="labelstudio", label_set=LABEL_SET)
    assert summary.spans == len(made) and summary.articles == len(corpus)
    config = (out / "config.xml").read_text(encoding="utf-8")
    interface = interface_module.LabelInterface(config)
    interface.validate()  # raises on a bad configuration
    control = interface.get_control("label")
    assert set(control.labels) == {name for name, _ in LABEL_SET}
    tasks = json.loads((out / "tasks.json").read_bytes())
    want = cases.expected(made)
    regions = 0
    for task in tasks:
        text = task["data"]["text"]
        assert text == corpus.get(task["data"]["id"]).text
        got = []
        for annotation in task["annotations"]:
            assert interface.validate_prediction(annotation, return_errors=True) == []
            assert interface.validate_annotation(annotation) is True
            for r in annotation["result"]:
                v = r["value"]
                assert text[v["start"] : v["end"]] == v["text"]  # code points, as LS counts
                got.append((v["start"], v["end"], v["labels"][0], v["text"]))
                regions += 1
        assert sorted(got) == want[task["data"]["id"]]
    assert regions == len(made)


def test_the_validation_can_fail(world, tmp_path):
    # What Hamish used to write (no from_name) is refused by the same validation.
    interface_module = consumers.need("label_studio_sdk.label_interface")
    corpus, db, _ = world
    export(corpus, db, tmp_path / "ls", fmt="labelstudio")
    interface = interface_module.LabelInterface((tmp_path / "ls" / "config.xml").read_text())
    annotation = json.loads((tmp_path / "ls" / "tasks.json").read_bytes())[0]["annotations"][0]
    del annotation["result"][0]["from_name"]
    assert any("from_name" in e for e in interface.validate_prediction(annotation, return_errors=True))
    annotation["result"][0]["from_name"] = "label"
    annotation["result"][0]["value"]["labels"] = ["no such label"]
    assert interface.validate_annotation(annotation) is False


def test_tasks_json_imports_back(world, tmp_path):
    corpus, db, made = world
    export(corpus, db, tmp_path / "ls", fmt="labelstudio")
    fresh = tmp_path / "fresh.json"
    summary = import_annotations(tmp_path / "ls" / "tasks.json", corpus, fresh)
    assert summary.fmt == "labelstudio" and summary.added == len(made)
    with AnnotationStore(fresh, readonly=True) as store:
        back = sorted((a.doc_id, a.start, a.end, a.label, a.annotator, a.note) for a in store.all())
    assert back == sorted((a.doc_id, a.start, a.end, a.label, a.annotator, a.note) for a in made)
    again = import_annotations(tmp_path / "ls" / "tasks.json", corpus, fresh)
    assert again.added == 0 and again.duplicates == len(made)


def test_a_label_studio_export_imports(world, tmp_path):
    # Label Studio's JSON export: its own task and annotation ids, completed_by, regions it
    # rewrote (no annotator key), other result types, a cancelled annotation.
    corpus, db, made = world
    export(corpus, db, tmp_path / "ls", fmt="labelstudio")
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_bytes())
    for n, task in enumerate(tasks, 1):
        task["id"] = n
        task["data"]["id"] = f"ls-{n}"  # not an article id: matched by the text
        for m, annotation in enumerate(task["annotations"], 1):
            annotation.update(id=100 * n + m, completed_by={"email": "lina@example.org"})
            for r in annotation["result"]:
                del r["annotator"]
            annotation["result"].append({"id": "c1", "from_name": "mood", "to_name": "text",
                                         "type": "choices", "value": {"choices": ["x"]}})
        task["annotations"].append({"id": 1, "was_cancelled": True, "result": [
            {"from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 1, "text": task["data"]["text"][0], "labels": ["PER"]}}]})
    data = json.dumps(tasks, ensure_ascii=False).encode("utf-8")
    fresh = tmp_path / "fresh.json"
    summary = import_annotations(data, corpus, fresh)
    assert summary.added == len(made)
    with AnnotationStore(fresh, readonly=True) as store:
        assert {a.annotator for a in store.all()} == {"lina@example.org"}
        assert sorted((a.doc_id, a.start, a.end, a.label) for a in store.all()) == sorted(
            (a.doc_id, a.start, a.end, a.label) for a in made)
    tasks[0]["annotations"][0]["result"][0]["value"]["text"] = "not there"
    with pytest.raises(ImportRejected, match="task 1: span 1"):
        import_annotations(json.dumps(tasks).encode(), corpus, tmp_path / "no.json")
    assert not (tmp_path / "no.json").exists()


def test_a_label_xml_cannot_hold_is_named_and_nothing_is_written(world, tmp_path):
    from hamish.store.export import ExportError

    corpus, db, _ = world
    with pytest.raises(ExportError, match=r"1 label name cannot go into Label Studio.*\\u001b"):
        export(corpus, db, tmp_path / "ls", fmt="labelstudio", label_set=[("a\x1b]0;x\x07", None)])
    assert not (tmp_path / "ls").exists()
