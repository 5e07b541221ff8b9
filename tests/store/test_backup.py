"""Format hamish is a backup that restores everything: identity by id, notes, done marks and
reading positions; export -> import into an empty store -> export gives the same bytes. Also:
JSONL lines carry no raw C1/DEL/bidi control (issue 14.5) and an import checks drifted spans
as strictly as live ones (issue 16.6)."""

from __future__ import annotations

import io
import json

import pytest

from hamish.store import AnnotationStore
from hamish.store.corpus import Corpus, article_from_bytes
from hamish.store.export import export
from hamish.store.importer import ImportRejected, import_annotations


def dump(corpus, db) -> str:
    out = io.StringIO()
    export(corpus, db, out)
    return out.getvalue()


@pytest.fixture
def one(tmp_path):
    article = article_from_bytes("a1", "قال الوزير إن الاتفاق صامد 😀 حتى الآن".encode())
    corpus = Corpus([article, article_from_bytes("a2", "نص آخر بلا علامات".encode())])
    return corpus, article, tmp_path / "db.json"


def test_two_annotations_of_one_span_with_different_notes_both_survive(one, tmp_path):
    corpus, a, db = one
    with AnnotationStore(db) as store:
        for note in ("أولى", "ثانية", None):
            store.add("a1", 0, 3, "claim", annotator="amal", note=note, text=a.text[:3], sha256=a.sha256)
    first = dump(corpus, db)
    fresh = tmp_path / "fresh.json"
    summary = import_annotations(first.encode(), corpus, fresh)
    assert (summary.added, summary.duplicates) == (3, 0)
    assert dump(corpus, fresh) == first
    again = import_annotations(first.encode(), corpus, fresh)  # a re-import adds nothing
    assert (again.added, again.duplicates, again.replaced) == (0, 3, 0)
    with AnnotationStore(fresh, readonly=True) as store:
        assert sorted(x.note or "" for x in store.all()) == ["", "أولى", "ثانية"]


def test_an_import_that_differs_only_in_a_note_says_what_it_did(one, tmp_path):
    corpus, a, db = one
    with AnnotationStore(db) as store:
        ann = store.add("a1", 0, 3, "claim", annotator="amal", text=a.text[:3], sha256=a.sha256)
    old = dump(corpus, db)
    with AnnotationStore(db) as store:
        store.update(ann.id, note="ملاحظة جديدة")
    newer = dump(corpus, db)
    fresh = tmp_path / "fresh.json"
    import_annotations(old.encode(), corpus, fresh)
    summary = import_annotations(newer.encode(), corpus, fresh)  # the newer note comes in
    assert (summary.added, summary.replaced, summary.changes) == (0, 1, {"note": 1})
    assert "1 already in the store updated from the file (1 note differed" in summary.describe()
    assert dump(corpus, fresh) == newer
    summary = import_annotations(old.encode(), corpus, fresh)  # the older one does not win
    assert (summary.added, summary.replaced, summary.kept) == (0, 0, 1)
    assert "the store's version is newer" in summary.describe()
    assert dump(corpus, fresh) == newer


def test_done_marks_and_reading_positions_come_back(one, tmp_path):
    corpus, a, db = one
    with AnnotationStore(db) as store:
        store.set_article_state("a2", done=True, cursor=4)  # an article with no annotations
        store.add("a1", 0, 3, "claim", text=a.text[:3], sha256=a.sha256)
        store.set_article_state("a1", cursor=11)
    first = dump(corpus, db)
    records = [json.loads(x) for x in first.splitlines()]
    assert [(r["id"], r["meta"].get("done"), r["meta"].get("cursor")) for r in records] == [
        ("a1", None, 11), ("a2", True, 4)]
    fresh = tmp_path / "fresh.json"
    summary = import_annotations(first.encode(), corpus, fresh)
    assert summary.states == 2
    with AnnotationStore(fresh, readonly=True) as store:
        assert store.article_state("a1") == {"cursor": 11, "done": False}
        assert store.article_state("a2") == {"cursor": 4, "done": True}
    assert dump(corpus, fresh) == first
    # An import never takes a done mark away nor moves a reading position the store has.
    with AnnotationStore(fresh) as store:
        store.set_article_state("a1", cursor=20, done=True)
    import_annotations(first.encode(), corpus, fresh)
    with AnnotationStore(fresh, readonly=True) as store:
        assert store.article_state("a1") == {"cursor": 20, "done": True}


def test_bad_states_are_rejected(one, tmp_path):
    corpus, a, _ = one
    for meta, problem in [({"done": "yes"}, "meta.done"), ({"cursor": 10**6}, "meta.cursor"),
                          ({"cursor": True}, "meta.cursor")]:
        line = json.dumps({"id": "a1", "text": a.text, "meta": meta, "spans": []})
        with pytest.raises(ImportRejected, match=problem):
            import_annotations(line.encode(), corpus, tmp_path / "x.json")
        assert not (tmp_path / "x.json").exists()


def test_one_id_twice_with_different_content_is_a_problem(one, tmp_path):
    corpus, a, db = one
    with AnnotationStore(db) as store:
        store.add("a1", 0, 3, "claim", text=a.text[:3], sha256=a.sha256)
    record = json.loads(dump(corpus, db))
    twin = dict(record["spans"][0], label="quote")
    record["spans"].append(twin)
    with pytest.raises(ImportRejected, match="occurs twice in the file with different content"):
        import_annotations(json.dumps(record).encode(), corpus, tmp_path / "x.json")


def test_jsonl_escapes_c1_del_and_bidi_controls(tmp_path):
    nasty = "a\x85b\x9bc\x7fd\u202ee\u2066f\u200fg\u061ch\u2028i\x1b]0;T\x07"
    article = article_from_bytes("n", nasty.encode())
    corpus = Corpus([article])
    db = tmp_path / "db.json"
    with AnnotationStore(db) as store:
        store.add("n", 0, len(nasty), "x", note=nasty, text=nasty, sha256=article.sha256)
    out = dump(corpus, db)
    for ch in "\x85\x9b\x7f\u202e\u2066\u200f\u061c\u2028\x1b\x07":
        assert ch not in out
    assert "\\u009b" in out and "\\u202e" in out and "\\u007f" in out
    (record,) = [json.loads(x) for x in out.split("\n") if x]
    assert record["text"] == nasty and record["spans"][0]["note"] == nasty  # the same strings
    assert len(out.splitlines()) == 1


def drifted_record(a, **changes) -> bytes:
    span = {"id": "d1", "start": 5, "end": 8, "label": "claim", "text": "abc", "annotator": "amal",
            "note": None, "created": "2026-01-01T00:00:00+00:00", "updated": "2026-01-01T00:00:00+00:00",
            "sha256": "0" * 64, **changes}
    return json.dumps({"id": a.id, "text": a.text, "meta": {"sha256": a.sha256, "drifted": [span]},
                       "spans": []}).encode()


@pytest.mark.parametrize("changes, problem", [
    ({"start": 10**12, "end": 10**12 + 3}, "not a span of any text"),
    ({"start": -3, "end": 0}, "not a span of any text"),
    ({"start": 5.0}, "start must be an integer"),
    ({"start": True}, "start must be an integer"),
    ({"end": 9}, "its text has 3 characters"),
    ({"sha256": "not a hash"}, "sha256"),
    ({"text": 5}, '"text" must be a string'),
    ({"annotator": 7}, "annotator"),
    ({"note": ["x"]}, "note"),
    ({"created": "yesterday"}, "created"),
    ({"id": "bad id\x1b"}, '"id" must be'),
])
def test_drifted_spans_are_checked_as_strictly_as_live_ones(one, tmp_path, changes, problem):
    corpus, a, _ = one
    with pytest.raises(ImportRejected, match=problem):
        import_annotations(drifted_record(a, **changes), corpus, tmp_path / "x.json")
    assert not (tmp_path / "x.json").exists()
    assert import_annotations(drifted_record(a), corpus, tmp_path / "ok.json").added == 1


def test_a_drifted_span_of_the_current_text_must_cover_its_text(one, tmp_path):
    corpus, a, _ = one
    with pytest.raises(ImportRejected, match="the span says it covers"):
        import_annotations(drifted_record(a, sha256=a.sha256), corpus, tmp_path / "x.json")
    ok = drifted_record(a, sha256=a.sha256, start=0, end=3, text=a.text[:3])
    assert import_annotations(ok, corpus, tmp_path / "ok.json").added == 1


@pytest.mark.slow
def test_the_round_trip_at_50000_spans_gives_the_same_bytes(tmp_path):
    # bench/roundtrip.py's store: 50,000 spans (5,000 twins of another span that differ only in
    # their note), done marks and reading positions. (Its times are the benchmark's business.)
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-m", "bench.roundtrip", "--json", "--dir", str(tmp_path)],
        cwd=root, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    figures = json.loads(result.stdout[result.stdout.index("{"):])
    assert figures["spans"] == figures["exported"] == figures["imported"] == figures["restored"] == 50_000
    assert figures["twins"] == 5_000 and figures["states"] == 125 and figures["identical"] is True
