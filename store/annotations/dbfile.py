"""The database file: a TinyDB database, read and written by TinyDB through a storage of
Hamish's own (:class:`HamishStorage`, on TinyDB's ``Storage`` extension point).

Tables ``annotations``, ``articles``, ``rejected`` (suggestions rejected per article:
``{doc_id, key}``; absent in files from before it existed) and ``meta``. ``meta`` holds the
schema version, ``folded_seq`` (the sequence number of the last journal operation already in
the file), and the file's proof of integrity: ``count`` (the records of each table) and, as the
last field of the file, ``checksum``: ``"crc32:<8 hex digits>"`` over every byte before
``,"checksum":``. A file whose checksum or counts do not match is refused like a corrupt one,
even when it parses (a cut at a record boundary merges two records, and JSON's duplicate keys
would silently keep one). Files written before the checksum existed have none: they are read
strictly (duplicate keys refused) and get one at the next fold.

The storage writes durably (temporary file, fsync, rename, directory fsync; a symlink is
written through), then reads the new file back and checks its checksum, and only then copies
it to the backup ``P.bak``: the backup never receives a state that was not verified good.
"""

from __future__ import annotations

import gc
import itertools
import json
import os
import threading
import time
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage

from ..durable import atomic_file, flush_to_disk, fsync_dir, real_path
from ..jsonl import MAX_DEPTH, JsonProblem, depth_of
from ..jsonl import loads as strict_loads
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


MAX_DB_BYTES = 4 << 30  # a store of about ten million annotations
CHECKSUM_KEY = b',"checksum":"'
_CHECKSUM_TAIL = b'"}}}'  # the checksum closes the meta record, the meta table and the file
_UNPARSED = object()
_LEGACY_META = {"schema", "folded_seq", "folded_at"}  # the meta record before checksums
# A fold writes its files to disk a mebibyte at a time: dirty pages never pile up, so the fdatasync
# of an add's journal line (which on ext4 waits for whatever the filesystem's commit must write
# first) does not wait for tens of megabytes (it did: 18-24 ms during a fold of 100,000).
_SYNC_EVERY = 1 << 20
_CHUNK = 250  # records per json.dumps call when writing (a fold in the background stays
# interruptible: the interpreter can switch threads between calls)


def checksum_problem(data: bytes) -> str | None | bool:
    """False: ``data`` carries a checksum and it matches. None: it carries none (a file from
    before checksums). A string: what does not match."""
    i = data.rfind(CHECKSUM_KEY)
    if i < 0:
        return None
    start = i + len(CHECKSUM_KEY)
    given = data[start : start + 14]
    if not given.startswith(b"crc32:") or data[start + 14 :] != _CHECKSUM_TAIL:
        return "its checksum field is damaged"
    digits = given[6:]
    if digits.strip(b"0123456789abcdef"):  # (int() would also take upper case and signs)
        return "its checksum field is damaged"
    expected = int(digits, 16)
    if zlib.crc32(memoryview(data)[:i]) != expected:
        return (
            "its checksum does not match its contents (the file was changed or damaged after "
            "Hamish wrote it)"
        )
    return False


def decode_db(data: bytes) -> tuple[dict[str, dict[str, Any]], str | None]:
    """The tables of a database file's bytes, checked: the checksum, JSON with limits (depth,
    integer digits, duplicate keys), tables of numeric document ids. Bad(problem) otherwise."""
    if not data.strip():
        raise Bad("it is empty")
    if len(data) > MAX_DB_BYTES:
        raise Bad(f"it is {len(data):,} bytes, more than the {MAX_DB_BYTES:,} Hamish reads")
    # The checksum is computed beside the parse (zlib lets go of the interpreter while it runs);
    # the parse is taken only if it matches: exactly what Hamish wrote.
    checked: list[str | None | bool] = []
    worker = threading.Thread(target=lambda: checked.append(checksum_problem(data)))
    worker.start()
    try:
        fast: Any = json.loads(data)
    except (ValueError, RecursionError):
        fast = _UNPARSED
    worker.join()
    checksum = checked[0] if checked else "its checksum could not be computed"
    if checksum is False:
        if fast is _UNPARSED:
            checksum = "it does not parse although its checksum matches"
        else:
            raw = fast
    del fast
    if checksum is not False:
        try:
            raw = strict_loads(data, max_depth=MAX_DEPTH)
        except JsonProblem as e:
            problem = str(e)
            if problem.startswith("not JSON"):
                problem = "not valid JSON" + problem[len("not JSON") :]
            stripped = data.strip()
            if (
                problem.startswith("not valid JSON")
                and stripped.startswith(b"{")
                and not stripped.endswith(b"}")
            ):
                raise Bad(
                    f"it is truncated: the JSON stops after {len(data)} bytes ({problem})"
                ) from None
            raise Bad(
                f"it is {problem}" if problem.startswith("not ") else f"it holds {problem}"
            ) from None
        integrity = checksum if isinstance(checksum, str) else None
        meta = raw.get(META_TABLE) if isinstance(raw, dict) else None
        records = list(meta.values()) if isinstance(meta, dict) else []
        if any(isinstance(r, dict) and set(r) - _LEGACY_META for r in records):
            # A file from before checksums has exactly these fields; this one was written
            # with a checksum, which is gone: damage.
            integrity = integrity or (
                "its checksum is missing (the file was changed or damaged after Hamish wrote it)"
            )
    else:
        integrity = None
    if not isinstance(raw, dict):
        raise Bad(f"it holds a JSON {type_name(raw)}, not a TinyDB database object")
    tables: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise Bad(f"table {name!r} is a {type_name(table)}, not an object")
        for key, rec in table.items():
            if not (key.isascii() and key.isdigit()):
                raise Bad(f"table {name!r} has a non-numeric document id {key!r}")
            if type(rec) is not dict:
                raise Bad(
                    f"record {key} of table {name!r} is invalid: expected an object, got "
                    f"{type_name(rec)}"
                )
        tables[name] = table
    return tables, integrity


class HamishStorage(Storage):
    """TinyDB's storage for Hamish's database file ``path`` (and its backup ``backup_path``).

    ``read()`` returns the checked tables (None when there is no file) and keeps them until
    ``release()``, so that TinyDB's tables, which each read the storage, see one reading of
    the file; ``inode`` says which file that was. Problems raise Bad(problem). ``write()``
    replaces the file durably, proves it (count and checksum), verifies what reached the file,
    and only then updates the backup."""

    def __init__(self, path: Path, backup_path: Path | None = None) -> None:
        self.path = path
        self.backup_path = backup_path
        self.inode: int | None = None
        # Why the file read does not prove itself (its checksum does not match, or is gone),
        # raised after the records are validated, so that a plain edit's own problem is named.
        self.integrity_problem: str | None = None
        self._tables: dict[str, dict[str, Any]] | None = None

    def read(self) -> dict[str, dict[str, Any]] | None:
        if self._tables is None:
            data, self.inode = self.read_bytes()
            if data is None:
                return None
            self._tables, self.integrity_problem = decode_db(data)
        return self._tables

    def read_bytes(self) -> tuple[bytes | None, int | None]:
        """The file's bytes and inode number (None, None: no file)."""
        try:
            f = open(self.path, "rb")
        except FileNotFoundError:
            return None, None
        with f:
            size = os.fstat(f.fileno()).st_size
            if size > MAX_DB_BYTES:
                raise Bad(f"it is {size:,} bytes, more than the {MAX_DB_BYTES:,} Hamish reads")
            return f.read(), os.fstat(f.fileno()).st_ino

    def load(self, data: bytes, inode: int | None = None) -> None:
        """Use ``data`` (bytes the caller read from the file) as what read() returns."""
        (self._tables, self.integrity_problem), self.inode = decode_db(data), inode

    def release(self) -> None:
        """Forget the tables read (they are big; the store keeps its own records)."""
        self._tables = None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self._tables = None
        meta = data.get(META_TABLE) or {"1": {}}
        counts = {name: len(table) for name, table in data.items() if name != META_TABLE}
        with atomic_file(self.path, sync_dir=False) as f:
            crc = 0
            unsynced = 0
            for chunk in _encode_tables(data, meta, counts):
                crc = zlib.crc32(chunk, crc)
                f.write(chunk)
                unsynced += len(chunk)
                if unsynced >= _SYNC_EVERY:
                    flush_to_disk(f)
                    unsynced = 0
                time.sleep(0)  # let another thread (an add, a keypress) have the interpreter
            f.write(b"%s%s%s" % (CHECKSUM_KEY, b"crc32:%08x" % crc, _CHECKSUM_TAIL))
        target = real_path(self.path)
        problem = checksum_problem(_read_all(target))
        if problem is not False:  # pragma: no cover - the disk returned other bytes
            raise OSError(f"the file written does not read back as written ({problem})")
        if self.backup_path is not None:
            with atomic_file(self.backup_path, sync_dir=False) as f, open(target, "rb") as src:
                while block := src.read(_SYNC_EVERY):
                    f.write(block)
                    flush_to_disk(f)
            if real_path(self.backup_path).parent != target.parent:
                fsync_dir(real_path(self.backup_path).parent)
        fsync_dir(target.parent)


def _read_all(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _encode_tables(
    data: dict[str, dict[str, Any]], meta: dict[str, Any], counts: dict[str, int]
) -> Iterator[bytes]:
    """The file's bytes up to the checksum, in pieces: each table in chunks of records, meta
    last with its counts."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    sep = b"{"
    for name, table in data.items():
        if name == META_TABLE:
            continue
        yield sep + dumps(name).encode("utf-8") + b":{"
        sep = b","
        items = iter(table.items())
        first = True
        while chunk := dict(itertools.islice(items, _CHUNK)):
            yield (b"" if first else b",") + dumps(chunk)[1:-1].encode("utf-8")
            first = False
        yield b"}"
    (meta_id, meta_rec), *_ = meta.items()
    rec = {k: v for k, v in meta_rec.items() if k not in ("count", "checksum")}
    rec["count"] = counts
    yield sep + b'"meta":{' + dumps(str(meta_id)).encode() + b":" + dumps(rec)[:-1].encode("utf-8")


def snapshot_of(db: TinyDB) -> Snapshot:
    """Validate the tables of ``db`` (read through its storage) and hold their records."""
    tables = db.storage.read() or {}
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

    count = meta_rec.get("count")
    if count is not None:
        if not isinstance(count, dict) or not all(is_int(n) for n in count.values()):
            raise Bad(f"its 'meta' record has count {count!r}, not an object of numbers")
        actual = {name: len(table) for name, table in tables.items() if name != META_TABLE}
        for name in sorted(set(count) | set(actual)):
            if count.get(name, 0) != actual.get(name, 0):
                raise Bad(
                    f"its table {name!r} holds {actual.get(name, 0)} records, but the file says "
                    f"{count.get(name, 0)} were written"
                )

    annotations: list[Annotation] = []
    seen: set[str] = set()
    # (The records are read as the storage gives them to TinyDB: a Table would copy each into
    # a Document first, a sixth of the open time at 100,000 for nothing.)
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
    for name, table in extra.items():
        if depth_of(table) > MAX_DEPTH:
            raise Bad(f"its table {name!r} nests arrays or objects more than {MAX_DEPTH} deep")
    problem = getattr(db.storage, "integrity_problem", None)
    if problem:
        raise Bad(problem)
    return Snapshot(annotations, states, folded_seq, folded_at, extra, rejected)


def db_tables(
    annotations: Iterable[Annotation],
    states: dict[str, dict[str, Any]],
    folded_seq: int,
    extra_tables: dict[str, Any],
    rejected: dict[str, set[str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The tables of a database file holding ``annotations`` (in order), article ``states`` and
    the ``rejected`` suggestions of each article (for HamishStorage.write)."""
    anns = {str(i): a.to_dict() for i, a in enumerate(annotations, 1)}
    arts = {str(i): {"doc_id": doc, **states[doc]} for i, doc in enumerate(sorted(states), 1)}
    rows = [(doc, key) for doc in sorted(rejected or {}) for key in sorted((rejected or {})[doc])]
    rej = {str(i): {"doc_id": doc, "key": key} for i, (doc, key) in enumerate(rows, 1)}
    meta = {"1": {"schema": SCHEMA_VERSION, "folded_seq": folded_seq, "folded_at": timestamp()}}
    return {
        ANNOTATIONS_TABLE: anns,
        ARTICLES_TABLE: arts,
        **({REJECTED_TABLE: rej} if rej else {}),
        **extra_tables,
        META_TABLE: meta,
    }


def open_db(path: Path, backup_path: Path | None = None) -> tuple[TinyDB, HamishStorage]:
    """A TinyDB database on Hamish's storage, and that storage (nothing is read until a table
    is used)."""
    db = TinyDB(path, backup_path, storage=HamishStorage)
    storage = db.storage
    assert isinstance(storage, HamishStorage)
    return db, storage


def parse_db(data: bytes) -> Snapshot:
    """Check and validate the bytes of a database file (for the backup's description in a
    recovery message); Bad(problem) if anything is off."""
    db, storage = open_db(Path(os.devnull))
    storage.load(data)
    return snapshot_of(db)
