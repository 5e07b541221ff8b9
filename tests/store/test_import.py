"""Import: round trips are exact, bad files are rejected whole and leave the store as it was."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest

from hamish.store import AnnotationStore, load_corpus
from hamish.store.export import export
from hamish.store.importer import ImportRejected, detect_format, import_annotations, read_import


def _sibling(name: str):
    path = Path(__file__).with_name(name)
    spec = importlib.util.spec_from_file_location(f"hamish_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cases = _sibling("test_export.py")  # the hard corpus and its annotations


def dump(corpus, db, **kw) -> str:
    out = io.StringIO()
    export(corpus, db, out, **kw)
    return out.getvalue()


def snapshot(directory: Path) -> dict[str, bytes]:
    return {str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.fixture
def world(tmp_path):
    corpus = cases.hard_corpus(tmp_path / "articles")
    db = tmp_path / "store" / "annotations.json"
    made = cases.fill_store(db, corpus)
    return corpus, db, made


# ---- round trips -------------------------------------------------------------------------------


@pytest.mark.parametrize("offsets", ["codepoint", "utf16"])
def test_hamish_round_trip_is_byte_identical(world, tmp_path, offsets):
    corpus, db, made = world
    first = dump(corpus, db, offsets=offsets)
    (tmp_path / "x.jsonl").write_text(first, encoding="utf-8", newline="")
    fresh = tmp_path / "fresh" / "annotations.json"
    summary = import_annotations(tmp_path / "x.jsonl", corpus, fresh)
    assert summary.added == len(made) and summary.duplicates == 0 and summary.fmt == "hamish"
    assert dump(corpus, fresh, offsets=offsets) == first
    with AnnotationStore(fresh, readonly=True) as store:  # everything came back, not just the output
        back = sorted((a.doc_id, a.start, a.end, a.label, a.text, a.annotator, a.note, a.created, a.updated)
                      for a in store.all())
    assert back == sorted((a.doc_id, a.start, a.end, a.label, a.text, a.annotator, a.note, a.created, a.updated)
                          for a in made)


def test_drifted_annotations_come_back_as_they_were(tmp_path):
    corpus, db, _ = cases.drifted_world(tmp_path)
    first = dump(corpus, db)
    assert '"drifted"' in first
    fresh = tmp_path / "fresh.json"
    summary = import_annotations(first.encode("utf-8"), corpus, fresh)
    assert summary.added == 3
    assert dump(corpus, fresh) == first


@pytest.mark.parametrize("fmt", ["prodigy", "doccano"])
def test_prodigy_and_doccano_round_trip(world, tmp_path, fmt):
    corpus, db, made = world
    first = dump(corpus, db, fmt=fmt)
    fresh = tmp_path / "fresh.json"
    summary = import_annotations(first.encode("utf-8"), corpus, fresh, annotator="lina")
    assert summary.fmt == fmt and summary.added == len(made)
    assert dump(corpus, fresh, fmt=fmt) == first
    with AnnotationStore(fresh, readonly=True) as store:
        assert {a.annotator for a in store.all()} == {"lina"}


def test_utf16_files_need_saying_so_or_their_meta(world, tmp_path):
    corpus, db, made = world
    prodigy16 = dump(corpus, db, fmt="prodigy", offsets="utf16")
    bare = "".join(  # the same file without the meta that says its unit
        json.dumps({**r, "meta": {k: v for k, v in r["meta"].items() if k != "offsets"}}) + "\n"
        for r in map(json.loads, prodigy16.splitlines())
    ).encode("utf-8")
    astral = {n for n, line in enumerate(bare.decode().splitlines(), 1)
              if len(json.loads(line)["text"].encode("utf-16-le")) // 2 != len(json.loads(line)["text"])}
    assert astral
    with pytest.raises(ImportRejected) as e:  # read as code points, the texts do not match
        import_annotations(bare, corpus, tmp_path / "a.json", name="f")
    assert e.value.problems and {int(p.split(":")[1]) for p in e.value.problems} <= astral
    assert not (tmp_path / "a.json").exists()
    summary = import_annotations(bare, corpus, tmp_path / "b.json", offsets="utf16")
    assert summary.added == len(made)
    summary = import_annotations(prodigy16.encode(), corpus, tmp_path / "c.json")  # its meta says
    assert summary.added == len(made)
    for store in ("b.json", "c.json"):
        assert dump(corpus, tmp_path / store, fmt="prodigy") == dump(corpus, db, fmt="prodigy")


def test_doccano_files_say_their_unit_and_a_bare_one_is_read_as_doccano_counts(world, tmp_path):
    # doccano lines carry no span text: a wrong unit would land spans on the wrong words
    # silently. The unit is read from the file's "offsets" key; a doccano file without it (what
    # doccano itself writes from its own projects) is in doccano's unit, UTF-16 code units.
    corpus, db, made = world
    for n, offsets in enumerate(["utf16", "codepoint"]):
        data = dump(corpus, db, fmt="doccano", offsets=offsets).encode("utf-8")
        summary = import_annotations(data, corpus, tmp_path / f"{n}.json", annotator="x")
        assert summary.added == len(made)
        assert dump(corpus, tmp_path / f"{n}.json", fmt="doccano") == dump(corpus, db, fmt="doccano")
        assert expected_spans(tmp_path / f"{n}.json") == expected_spans(db)
    bare = "".join(
        json.dumps({k: v for k, v in r.items() if k != "offsets"}) + "\n"
        for r in map(json.loads, dump(corpus, db, fmt="doccano").splitlines())
    ).encode("utf-8")
    import_annotations(bare, corpus, tmp_path / "bare.json", annotator="x")
    assert expected_spans(tmp_path / "bare.json") == expected_spans(db)
    with pytest.raises(ImportRejected, match="--offsets codepoint was given"):
        import_annotations(dump(corpus, db, fmt="doccano").encode(), corpus, tmp_path / "no.json",
                           offsets="codepoint")


def expected_spans(db) -> list[tuple]:
    with AnnotationStore(db, readonly=True) as store:
        return sorted((a.doc_id, a.start, a.end, a.label, a.text) for a in store.all())


def test_doccano_ids_not_in_the_corpus_are_matched_by_text(world, tmp_path):
    # doccano's own export puts its integer ids on the records.
    corpus, db, made = world
    lines = [json.loads(x) for x in dump(corpus, db, fmt="doccano").splitlines()]
    for n, r in enumerate(lines, 15):
        r["id"] = n
    data = "".join(json.dumps(r) + "\n" for r in lines).encode()
    summary = import_annotations(data, corpus, tmp_path / "d.json", annotator="x")
    assert summary.added == len(made)
    assert expected_spans(tmp_path / "d.json") == expected_spans(db)
    lines[0]["text"] += " changed"
    data = "".join(json.dumps(r) + "\n" for r in lines).encode()
    with pytest.raises(ImportRejected, match='"15" is not an article of the corpus, and no article'):
        read_import(data, corpus)


def test_importing_twice_adds_nothing(world, tmp_path):
    corpus, db, made = world
    data = dump(corpus, db).encode("utf-8")
    summary = import_annotations(data, corpus, db)  # into the very store it came from
    assert summary.added == 0 and summary.duplicates == len(made)
    with AnnotationStore(db, readonly=True) as store:
        assert len(store) == len(made)


def test_a_span_twice_in_the_file_is_added_once(tmp_path):
    corpus = load_corpus(None)
    a = corpus[0]
    line = json.dumps({"id": a.id, "text": a.text, "label": [[0, 4, "X"], [0, 4, "X"], [0, 4, "Y"]]})
    summary = import_annotations(line.encode(), corpus, tmp_path / "db.json", annotator="me")
    assert (summary.added, summary.duplicates) == (2, 1)


# ---- foreign files -----------------------------------------------------------------------------


def test_prodigy_tasks_from_elsewhere(tmp_path):
    corpus = load_corpus(None)
    a = corpus[1]
    w = a.text.split()[0]
    lines = [
        # no meta.id: found by its text; extra keys Prodigy writes are fine
        {"text": a.text, "_input_hash": 1, "_task_hash": 2, "tokens": [],
         "spans": [{"start": 0, "end": len(w), "label": "ORG", "token_start": 0, "token_end": 0}],
         "answer": "accept"},
        {"text": a.text, "spans": [{"start": 0, "end": len(w), "label": "PER"}], "answer": "reject"},
    ]
    data = "\n".join(json.dumps(x, ensure_ascii=False) for x in lines).encode()
    summary = import_annotations(data, corpus, tmp_path / "db.json", annotator="p")
    assert (summary.added, summary.not_accepted, summary.fmt) == (1, 1, "prodigy")
    with AnnotationStore(tmp_path / "db.json", readonly=True) as store:
        (ann,) = store.all()
    assert (ann.doc_id, ann.text, ann.label, ann.sha256) == (a.id, w, "ORG", a.sha256)


def test_doccano_variants(tmp_path):
    corpus = load_corpus(None)
    a = corpus[3]
    lines = [
        {"id": a.id, "text": a.text, "labels": [[0, 3, "A"]]},  # older doccano
        {"id": a.id, "text": a.text, "entities": [{"id": 9, "label": "B", "start_offset": 0, "end_offset": 3}]},
    ]
    data = "\r\n".join(json.dumps(x) for x in lines).encode()  # CRLF line ends are fine
    summary = import_annotations(data, corpus, tmp_path / "db.json", fmt="doccano", annotator="d")
    assert summary.added == 2


def test_detect_format():
    assert detect_format({"id": "x", "text": "t", "meta": {}, "spans": []}) == "hamish"
    assert detect_format({"text": "t", "spans": [], "answer": "accept"}) == "prodigy"
    assert detect_format({"text": "t", "spans": []}) == "prodigy"
    assert detect_format({"id": 1, "text": "t", "label": []}) == "doccano"
    assert detect_format({"text": "t"}) is None and detect_format([]) is None


# ---- rejection ---------------------------------------------------------------------------------


def bad_file(corpus, good: str) -> tuple[bytes, set[int]]:
    """The good export with bad lines put between its lines; returns the bytes and the bad lines."""
    a = corpus.get("emoji")
    lines = good.splitlines()
    record = json.loads(lines[0])
    bad = {
        "not json": "{oops",
        "unknown article": json.dumps({"id": "nope", "text": "x", "meta": {}, "spans": []}),
        "changed article": json.dumps(record | {"meta": record["meta"] | {"sha256": "f" * 64}}, ensure_ascii=False),
        "wrong text": json.dumps({"id": a.id, "text": a.text, "meta": {"sha256": a.sha256},
                                  "spans": [{"start": 0, "end": 3, "label": "X", "text": "zzz"}]}, ensure_ascii=False),
        "out of range": json.dumps({"id": a.id, "meta": {}, "spans": [{"start": 5, "end": 10**6, "label": "X"}]}),
        "bad label": json.dumps({"id": a.id, "meta": {}, "spans": [{"start": 0, "end": 2, "label": ""}]}),
        "not an object": "[1, 2]",
        "bad timestamp": json.dumps({"id": a.id, "meta": {}, "spans": [
            {"start": 0, "end": 2, "label": "X", "annotator": "a", "created": "yesterday"}]}),
        "not utf-8": None,
    }
    out: list[bytes] = []
    bad_lines = set()
    for i, line in enumerate(lines):
        out.append(line.encode("utf-8"))
        if i < len(bad):
            text = list(bad.values())[i]
            out.append(b'{"id": "\xff"}' if text is None else text.encode("utf-8"))
            bad_lines.add(len(out))
    return b"\n".join(out) + b"\n", bad_lines


def test_a_file_with_bad_lines_is_rejected_whole(world, tmp_path):
    corpus, db, made = world
    good = dump(corpus, db)
    data, bad_lines = bad_file(corpus, good)
    store_dir = db.parent
    before = snapshot(store_dir)
    with AnnotationStore(db, readonly=True) as store:
        anns_before = [x.to_dict() for x in store.all()]
    (tmp_path / "bad.jsonl").write_bytes(data)
    with pytest.raises(ImportRejected) as e:
        import_annotations(tmp_path / "bad.jsonl", corpus, db)
    prefix = f"{tmp_path / 'bad.jsonl'}:"
    assert all(p.startswith(prefix) for p in e.value.problems)
    reported = {int(p.removeprefix(prefix).split(":")[0]) for p in e.value.problems}
    assert reported == bad_lines and len(bad_lines) == 9
    assert snapshot(store_dir) == before
    with AnnotationStore(db, readonly=True) as store:
        assert [x.to_dict() for x in store.all()] == anns_before
    # and into a store that does not exist yet: it is not even created
    with pytest.raises(ImportRejected):
        import_annotations(tmp_path / "bad.jsonl", corpus, tmp_path / "new" / "db.json")
    assert not (tmp_path / "new").exists()


def test_problems_say_what_is_wrong(world):
    corpus, db, _ = world
    data, _ = bad_file(corpus, dump(corpus, db))
    with pytest.raises(ImportRejected) as e:
        read_import(data, corpus, name="f.jsonl")
    text = "\n".join(e.value.problems)
    for words in ["not JSON", "unknown article 'nope'", "has changed since this was exported",
                  "says it covers \"zzz\"", "not inside the text", "label must be a non-empty string",
                  "not a JSON object", "ISO-8601", "not UTF-8"]:
        assert words in text, words
    assert str(e.value).startswith(f"{len(e.value.problems)} problems found; nothing was imported")


def test_every_bad_span_of_a_line_is_reported(tmp_path):
    corpus = load_corpus(None)
    a = corpus[0]
    line = json.dumps({"id": a.id, "text": a.text, "label": [[0, 2, "A"], [-1, 2, "B"], [3, 2, "C"], [0, 1.5, "D"]]})
    with pytest.raises(ImportRejected) as e:
        read_import(line.encode(), corpus, name="f")
    assert [p.split(": ", 1)[1].split(" ")[:2] for p in e.value.problems] == [
        ["span", "2"], ["span", "3"], ["span", "4"]
    ]


def test_utf16_offset_inside_a_surrogate_pair_is_a_problem(tmp_path):
    corpus = cases.hard_corpus(tmp_path / "articles")
    a = corpus.get("emoji")
    i = a.text.index("😀")  # no other astral character before it: UTF-16 index == i
    line = json.dumps({"id": a.id, "text": a.text, "label": [[i + 1, i + 2, "X"]]}, ensure_ascii=False)
    with pytest.raises(ImportRejected, match="surrogate pair"):
        read_import(line.encode(), corpus, offsets="utf16")
