"""The database file: TinyDB's JSON layout of tables, parsed and validated, and written back.

Tables ``annotations``, ``articles``, ``rejected`` (suggestions rejected per article:
``{doc_id, key}``; absent in files from before it existed) and ``meta``; ``meta`` holds the schema version and
``folded_seq``, the sequence number of the last journal operation already in the file.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .errors import AnnotationError, Bad
from .records import (
    Annotation,
    is_int,
    nonempty_str,
    rejection_problem,
    state_problem,
    strip_prefix,
    timestamp,
    type_name,
)

SCHEMA_VERSION = 1

ANNOTATIONS_TABLE = "annotations"
ARTICLES_TABLE = "articles"
META_TABLE = "meta"
REJECTED_TABLE = "rejected"


@dataclass
class Snapshot:
    annotations: list[Annotation]
    states: dict[str, dict[str, Any]]
    folded_seq: int
    folded_at: str | None
    extra_tables: dict[str, Any]
    rejected: dict[str, set[str]] = field(default_factory=dict)


def empty_snapshot() -> Snapshot:
    return Snapshot([], {}, 0, None, {})


@contextmanager
def no_gc() -> Iterator[None]:
    """Loading makes hundreds of thousands of container objects, none of them cyclic garbage:
    the cyclic collector would run over and over for nothing (a third of the open time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_db(data: bytes) -> Snapshot:
    """Parse and validate the bytes of a store file; raise Bad(problem) if anything is off."""
    if not data.strip():
        raise Bad("it is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise Bad(f"it is not UTF-8 text (invalid byte at offset {e.start})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"{e.msg} at line {e.lineno} column {e.colno}"
        stripped = data.strip()
        if stripped.startswith(b"{") and not stripped.endswith(b"}"):
            raise Bad(
                f"it is truncated: the JSON stops after {len(data)} bytes ({where})"
            ) from None
        raise Bad(f"it is not valid JSON ({where})") from None
    if not isinstance(raw, dict):
        raise Bad(f"it holds a JSON {type_name(raw)}, not a TinyDB database object")

    tables: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise Bad(f"table {name!r} is a {type_name(table)}, not an object")
        for key in table:
            if not (key.isascii() and key.isdigit()):
                raise Bad(f"table {name!r} has a non-numeric document id {key!r}")
        tables[name] = table

    meta = tables.get(META_TABLE)
    if not meta:
        raise Bad("it has no 'meta' table, so it is not a Hamish annotation store")
    if len(meta) != 1:
        raise Bad(f"its 'meta' table has {len(meta)} records instead of 1")
    (meta_rec,) = meta.values()
    if not isinstance(meta_rec, dict):
        raise Bad(f"its 'meta' record is a {type_name(meta_rec)}, not an object")
    schema = meta_rec.get("schema")
    if not is_int(schema):
        raise Bad(f"its schema version is {schema!r}, not an integer")
    if schema != SCHEMA_VERSION:
        raise Bad(
            f"it has schema version {schema}, but this version of Hamish only understands "
            f"schema {SCHEMA_VERSION}"
            + (" (was it written by a newer Hamish?)" if schema > SCHEMA_VERSION else "")
        )
    folded_seq = meta_rec.get("folded_seq")
    if not is_int(folded_seq) or folded_seq < 0:
        raise Bad(f"its 'meta' record has folded_seq {folded_seq!r}, not an integer >= 0")
    folded_at = meta_rec.get("folded_at")
    if folded_at is not None and type(folded_at) is not str:
        raise Bad(f"its 'meta' record has folded_at {folded_at!r}, not a string")

    annotations: list[Annotation] = []
    seen: set[str] = set()
    for key, rec in tables.get(ANNOTATIONS_TABLE, {}).items():
        try:
            ann = Annotation.from_dict(rec)
        except AnnotationError as e:
            raise Bad(
                f"record {key} of table 'annotations' is invalid: {strip_prefix(e)}"
            ) from None
        if ann.id in seen:
            raise Bad(f"record {key} of table 'annotations' repeats the id {ann.id}")
        seen.add(ann.id)
        annotations.append(ann)

    states: dict[str, dict[str, Any]] = {}
    for key, rec in tables.get(ARTICLES_TABLE, {}).items():
        if not isinstance(rec, dict) or set(rec) != {"doc_id", "cursor", "done"}:
            raise Bad(
                f"record {key} of table 'articles' must be an object with exactly "
                "doc_id, cursor and done"
            )
        if not nonempty_str(rec["doc_id"]):
            raise Bad(f"record {key} of table 'articles' has doc_id {rec['doc_id']!r}")
        problem = state_problem(rec["cursor"], rec["done"])
        if problem:
            raise Bad(f"record {key} of table 'articles' is invalid: {problem}")
        if rec["doc_id"] in states:
            raise Bad(f"record {key} of table 'articles' repeats doc_id {rec['doc_id']!r}")
        states[rec["doc_id"]] = {"cursor": rec["cursor"], "done": rec["done"]}

    rejected: dict[str, set[str]] = {}
    for key, rec in tables.get(REJECTED_TABLE, {}).items():
        if not isinstance(rec, dict) or set(rec) != {"doc_id", "key"}:
            raise Bad(
                f"record {key} of table 'rejected' must be an object with exactly doc_id and key"
            )
        problem = rejection_problem(rec["doc_id"], rec["key"])
        if problem:
            raise Bad(f"record {key} of table 'rejected' is invalid: {problem}")
        rejected.setdefault(rec["doc_id"], set()).add(rec["key"])

    known = (ANNOTATIONS_TABLE, ARTICLES_TABLE, META_TABLE, REJECTED_TABLE)
    extra = {k: v for k, v in tables.items() if k not in known}
    return Snapshot(annotations, states, folded_seq, folded_at, extra, rejected)


def encode_db(
    annotations: Iterable[Annotation],
    states: dict[str, dict[str, Any]],
    folded_seq: int,
    extra_tables: dict[str, Any],
    rejected: dict[str, set[str]] | None = None,
) -> bytes:
    """The bytes of a database file holding ``annotations`` (in order), article ``states`` and
    the ``rejected`` suggestions of each article."""
    anns = {str(i): a.to_dict() for i, a in enumerate(annotations, 1)}
    arts = {str(i): {"doc_id": doc, **states[doc]} for i, doc in enumerate(sorted(states), 1)}
    rows = [(doc, key) for doc in sorted(rejected or {}) for key in sorted((rejected or {})[doc])]
    rej = {str(i): {"doc_id": doc, "key": key} for i, (doc, key) in enumerate(rows, 1)}
    meta = {"1": {"schema": SCHEMA_VERSION, "folded_seq": folded_seq, "folded_at": timestamp()}}
    data = {
        ANNOTATIONS_TABLE: anns,
        ARTICLES_TABLE: arts,
        **({REJECTED_TABLE: rej} if rej else {}),
        META_TABLE: meta,
        **extra_tables,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
