"""Store additions of issue 15: an annotation's origin, and rejected suggestions per article
(journal ops "reject" / "unreject", a "rejected" table in the database file)."""

from __future__ import annotations

import json

import pytest

from hamish.store import AnnotationError, AnnotationStore, StoreCorruptError, StoreError

SHA = "0" * 64


def add(db: AnnotationStore, origin: str | None = None):  # type: ignore[no-untyped-def]
    kw = {} if origin is None else {"origin": origin}
    return db.add("d1", 0, 3, "quote", "me", text="abc", sha256=SHA, **kw)


def test_origin_is_kept_through_journal_fold_update_and_move(store_path) -> None:  # type: ignore[no-untyped-def]
    with AnnotationStore(store_path) as db:
        manual = add(db)
        suggested = add(db, "suggested:quotes")
        assert manual.origin == "manual" and suggested.origin == "suggested:quotes"
        db.update(suggested.id, label="claim")
        db.move(suggested.id, 1, 3, text="bc", sha256=SHA)
    with AnnotationStore(store_path, readonly=True) as db:  # after a fold
        assert db.get(suggested.id).origin == "suggested:quotes"  # type: ignore[union-attr]
        assert db.get(manual.id).origin == "manual"  # type: ignore[union-attr]


def test_a_record_from_before_origin_reads_as_manual(store_path) -> None:  # type: ignore[no-untyped-def]
    with AnnotationStore(store_path) as db:
        ann = add(db)
    data = json.loads(store_path.read_text(encoding="utf-8"))
    (rec,) = data["annotations"].values()
    del rec["origin"]
    del data["meta"]["1"]["count"], data["meta"]["1"]["checksum"]  # a file of that time had neither
    store_path.write_text(json.dumps(data), encoding="utf-8")
    store_path.with_name(store_path.name + ".bak").unlink()
    with AnnotationStore(store_path, readonly=True) as db:
        assert db.get(ann.id).origin == "manual"  # type: ignore[union-attr]


def test_origin_must_be_a_name(store_path) -> None:  # type: ignore[no-untyped-def]
    with AnnotationStore(store_path) as db:
        with pytest.raises(AnnotationError, match="origin"):
            add(db, "")


def test_rejections_are_durable_and_can_be_taken_back(store_path) -> None:  # type: ignore[no-untyped-def]
    db = AnnotationStore(store_path)
    assert db.set_rejected("d1", "k1") is True
    assert db.set_rejected("d1", "k1") is False  # already
    db.set_rejected("d1", "k2")
    db.set_rejected("d2", "k1")
    assert db.rejected("d1") == {"k1", "k2"}
    # a reader sees them from the journal alone, before any fold
    with AnnotationStore(store_path, readonly=True) as reader:
        assert reader.rejected("d1") == {"k1", "k2"} and reader.rejected("d3") == frozenset()
    assert db.set_rejected("d1", "k2", rejected=False) is True
    db.close()  # fold: the rejected table
    data = json.loads(store_path.read_text(encoding="utf-8"))
    assert sorted((r["doc_id"], r["key"]) for r in data["rejected"].values()) == [
        ("d1", "k1"),
        ("d2", "k1"),
    ]
    with AnnotationStore(store_path) as db:
        assert db.rejected("d1") == {"k1"} and db.rejected("d2") == {"k1"}


def test_bad_rejections(store_path) -> None:  # type: ignore[no-untyped-def]
    with AnnotationStore(store_path) as db:
        with pytest.raises(AnnotationError, match="key"):
            db.set_rejected("d1", "")
    with AnnotationStore(store_path, readonly=True) as db:
        with pytest.raises(StoreError, match="read-only"):
            db.set_rejected("d1", "k")


def test_a_damaged_rejected_table_is_named(store_path) -> None:  # type: ignore[no-untyped-def]
    with AnnotationStore(store_path) as db:
        db.set_rejected("d1", "k1")
    for path in (store_path, store_path.with_name(store_path.name + ".bak")):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["rejected"]["1"] = {"doc_id": "d1"}
        path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(StoreCorruptError, match="table 'rejected'"):
        AnnotationStore(store_path, readonly=True)


def test_exports_carry_the_origin_and_import_keeps_it(store_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hamish.store import load_corpus
    from hamish.store.export import export
    from hamish.store.importer import import_annotations

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "d1.txt").write_text("قال: «لا تراجع»", encoding="utf-8")
    corpus = load_corpus([str(tmp_path / "a")])
    article = corpus[0]
    with AnnotationStore(store_path) as db:
        db.add(
            "d1",
            6,
            14,
            "quote",
            "me",
            text=article.text[6:14],
            sha256=article.sha256,
            origin="suggested:quotes",
        )
        db.add("d1", 0, 3, "claim", "me", text=article.text[0:3], sha256=article.sha256)
        db.set_rejected("d1", "suggested:quotes|quote|0|3|x")  # a rejection is no annotation
    out = tmp_path / "out.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        export(corpus, store_path, f)
    (row,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(s["label"], s["origin"]) for s in row["spans"]] == [
        ("claim", "manual"),
        ("quote", "suggested:quotes"),
    ]
    other = tmp_path / "other.json"
    import_annotations(out, corpus, other)
    with AnnotationStore(other, readonly=True) as db:
        assert sorted(a.origin for a in db.annotations("d1")) == ["manual", "suggested:quotes"]
