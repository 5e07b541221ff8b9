"""The annotation store: TinyDB is the store of record, an fsync'd journal makes writes cheap.

Files beside the store path ``P`` (by default ``<user data dir>/hamish/annotations.json``):

``P``            TinyDB JSON database (tables ``annotations``, ``articles``, ``meta``). Only ever
                 replaced atomically (temp file, fsync, ``os.replace``, fsync of the directory).
                 ``meta`` holds the schema version and ``folded_seq``, the sequence number of
                 the last journal operation already contained in the file.
``P.journal``    append-only log, one line per change: ``<crc32 hex> <json>\\n``; the JSON has a
                 ``seq`` number. Each change is fdatasync'd before the call returns. A damaged
                 *last* line is a torn write (crash) and is ignored; a damaged line followed by
                 good ones is corruption.
``P.bak``        a copy of ``P`` as of the last successful fold (the last known-good state);
                 ``P.bak`` plus the journal is the whole store.
``P.lock``       ``flock``-ed by the single writer (released by the OS if the process dies).
``P.lock.info``  who holds the lock (pid, user, host, since), for the error message.

"Folding" writes the in-memory state into ``P`` (and ``P.bak``) and then empties the journal;
it happens on close and whenever the journal grows past ``fold_bytes``. Replay of the journal
skips operations with ``seq <= folded_seq``, so a crash at any point of a fold is harmless.

Readers (``readonly=True``) take no lock and never write: they read ``P`` and then the
journal, and retry if the writer replaced ``P`` in between.
"""

from __future__ import annotations

import bisect
import gc
import getpass
import json
import os
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import platformdirs

try:  # POSIX: flock, released by the kernel when the process dies.
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "Annotation",
    "AnnotationStore",
    "AnnotationError",
    "NotFoundError",
    "StoreError",
    "StoreLockedError",
    "StoreCorruptError",
    "default_store_path",
    "SCHEMA_VERSION",
]

SCHEMA_VERSION = 1
DEFAULT_FOLD_BYTES = 8 * 1024 * 1024

ANNOTATIONS_TABLE = "annotations"
ARTICLES_TABLE = "articles"
META_TABLE = "meta"


# --------------------------------------------------------------------------------------------
# errors


class StoreError(Exception):
    """Base class of every error the store raises; the message is meant for a human."""


class AnnotationError(StoreError, ValueError):
    """An annotation (or an argument to add/update/restore) is invalid."""


class NotFoundError(StoreError, LookupError):
    """No annotation with that id."""


class StoreLockedError(StoreError):
    """Another process has the store open for writing."""

    def __init__(self, message: str, path: Path, holder: dict[str, Any] | None):
        super().__init__(message)
        self.path = path
        self.holder = holder


class StoreCorruptError(StoreError):
    """The store file or its journal cannot be read; nothing was written to it."""

    def __init__(self, message: str, path: Path, problem: str, backup_path: Path | None = None):
        super().__init__(message)
        self.path = path
        self.problem = problem
        self.backup_path = backup_path


class _Bad(Exception):
    """Internal: a problem found while parsing; turned into StoreCorruptError with context."""


# --------------------------------------------------------------------------------------------
# helpers


def default_store_path() -> Path:
    """``<user data dir>/hamish/annotations.json`` (the directory is created on open)."""
    return Path(platformdirs.user_data_dir("hamish", appauthor=False)) / "annotations.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _login_name() -> str:
    try:
        name = getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        return "unknown"
    return name or "unknown"


def _datasync(fd: int) -> None:
    if hasattr(fcntl, "F_FULLFSYNC"):  # pragma: no cover - macOS: fsync does not flush the disk
        try:
            fcntl.fcntl(fd, fcntl.F_FULLFSYNC)
            return
        except OSError:
            pass
    if hasattr(os, "fdatasync"):
        os.fdatasync(fd)
    else:  # pragma: no cover
        os.fsync(fd)


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows cannot open directories
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some filesystems refuse fsync on directories
        pass
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file, fsync, os.replace (caller fsyncs the dir)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def _read_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _shell_quote(path: Path) -> str:
    return "'" + str(path).replace("'", "'\\''") + "'"


def _os_error_text(e: OSError) -> str:
    text = e.strerror or str(e)
    return f"{text} ({e.filename})" if isinstance(e.filename, str) else text


def _type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


# --------------------------------------------------------------------------------------------
# the record


@dataclass(frozen=True, slots=True)
class Annotation:
    """One labelled span of an article. ``start``/``end`` are ``str`` indices, end exclusive."""

    id: str
    doc_id: str
    start: int
    end: int
    label: str
    text: str
    sha256: str
    annotator: str
    note: str | None
    created: str
    updated: str

    def __post_init__(self) -> None:
        problem = _annotation_problem(self)
        if problem:
            raise AnnotationError(f"invalid annotation: {problem}")

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Annotation:
        """Build from a dict with exactly the fields of to_dict(); AnnotationError otherwise."""
        if not isinstance(data, Mapping):
            raise AnnotationError(f"invalid annotation: expected an object, got {_type_name(data)}")
        if data.keys() == _FIELD_SET:
            return cls(**data)
        missing = [k for k in _FIELDS if k not in data]
        if missing:
            raise AnnotationError(f"invalid annotation: missing field(s) {', '.join(missing)}")
        extra = sorted(str(k) for k in data if k not in _FIELD_SET)
        if extra:
            raise AnnotationError(f"invalid annotation: unknown field(s) {', '.join(extra)}")
        return cls(**{k: data[k] for k in _FIELDS})


_FIELDS = tuple(f.name for f in fields(Annotation))
_FIELD_SET = frozenset(_FIELDS)


def _is_int(v: Any) -> bool:
    return type(v) is int  # bool is not an offset


def _nonempty_str(v: Any) -> bool:
    return type(v) is str and v.strip() != ""


def _timestamp_ok(v: Any) -> bool:
    if type(v) is not str:
        return False
    try:
        datetime.fromisoformat(v)
    except ValueError:
        return False
    return True


def _name_ok(v: Any) -> bool:
    return type(v) is str and v != "" and not v.isspace()


def _annotation_problem(a: Annotation) -> str | None:
    start, end, text, note = a.start, a.end, a.text, a.note
    if (  # fast path: everything fine (this runs for every record when a store is opened)
        _name_ok(a.id)
        and _name_ok(a.doc_id)
        and _name_ok(a.label)
        and _name_ok(a.sha256)
        and _name_ok(a.annotator)
        and type(start) is int
        and type(end) is int
        and 0 <= start < end
        and type(text) is str
        and len(text) == end - start
        and (note is None or type(note) is str)
        and _timestamp_ok(a.created)
        and _timestamp_ok(a.updated)
    ):
        return None
    for name in ("id", "doc_id", "label", "sha256", "annotator"):
        v = getattr(a, name)
        if type(v) is not str:
            return f"field {name!r} must be a string, not {_type_name(v)}"
        if not v.strip():
            return f"field {name!r} must not be empty"
    for name in ("start", "end"):
        v = getattr(a, name)
        if not _is_int(v):
            return f"field {name!r} must be an integer, not {_type_name(v)}"
        if v < 0:
            return f"field {name!r} must be >= 0, got {v}"
    if a.start >= a.end:
        return f"start ({a.start}) must be less than end ({a.end})"
    if type(a.text) is not str:
        return f"field 'text' must be a string, not {_type_name(a.text)}"
    if len(a.text) != a.end - a.start:
        return (
            f"text has {len(a.text)} characters but the span {a.start}..{a.end} "
            f"covers {a.end - a.start}"
        )
    if a.note is not None and type(a.note) is not str:
        return f"field 'note' must be a string or null, not {_type_name(a.note)}"
    for name in ("created", "updated"):
        v = getattr(a, name)
        if not _timestamp_ok(v):
            return f"field {name!r} must be an ISO-8601 timestamp string, got {v!r}"
    return None


def _check_label(label: Any) -> str:
    if not _nonempty_str(label):
        raise AnnotationError(
            f"invalid annotation: label must be a non-empty string, got {label!r}"
        )
    return label


def _check_note(note: Any) -> str | None:
    if note is not None and type(note) is not str:
        raise AnnotationError(
            f"invalid annotation: note must be a string or None, not {_type_name(note)}"
        )
    return note


_DEFAULT_STATE = {"cursor": None, "done": False}


def _state_problem(cursor: Any, done: Any) -> str | None:
    if cursor is not None and (not _is_int(cursor) or cursor < 0):
        return f"cursor must be None or an integer >= 0, got {cursor!r}"
    if type(done) is not bool:
        return f"done must be True or False, got {done!r}"
    return None


# --------------------------------------------------------------------------------------------
# parsing the database file and the journal


@dataclass
class _Snapshot:
    annotations: list[Annotation]
    states: dict[str, dict[str, Any]]
    folded_seq: int
    folded_at: str | None
    extra_tables: dict[str, Any]


def _empty_snapshot() -> _Snapshot:
    return _Snapshot([], {}, 0, None, {})


@contextmanager
def _no_gc() -> Iterator[None]:
    """Loading makes hundreds of thousands of container objects, none of them cyclic garbage:
    the cyclic collector would run over and over for nothing (a third of the open time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _parse_db(data: bytes) -> _Snapshot:
    """Parse and validate the bytes of a store file; raise _Bad(problem) if anything is off."""
    if not data.strip():
        raise _Bad("it is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise _Bad(f"it is not UTF-8 text (invalid byte at offset {e.start})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as e:
        where = f"{e.msg} at line {e.lineno} column {e.colno}"
        stripped = data.strip()
        if stripped.startswith(b"{") and not stripped.endswith(b"}"):
            raise _Bad(
                f"it is truncated: the JSON stops after {len(data)} bytes ({where})"
            ) from None
        raise _Bad(f"it is not valid JSON ({where})") from None
    if not isinstance(raw, dict):
        raise _Bad(f"it holds a JSON {_type_name(raw)}, not a TinyDB database object")

    tables: dict[str, dict[str, Any]] = {}
    for name, table in raw.items():
        if not isinstance(table, dict):
            raise _Bad(f"table {name!r} is a {_type_name(table)}, not an object")
        for key in table:
            if not (key.isascii() and key.isdigit()):
                raise _Bad(f"table {name!r} has a non-numeric document id {key!r}")
        tables[name] = table

    meta = tables.get(META_TABLE)
    if not meta:
        raise _Bad("it has no 'meta' table, so it is not a Hamish annotation store")
    if len(meta) != 1:
        raise _Bad(f"its 'meta' table has {len(meta)} records instead of 1")
    (meta_rec,) = meta.values()
    if not isinstance(meta_rec, dict):
        raise _Bad(f"its 'meta' record is a {_type_name(meta_rec)}, not an object")
    schema = meta_rec.get("schema")
    if not _is_int(schema):
        raise _Bad(f"its schema version is {schema!r}, not an integer")
    if schema != SCHEMA_VERSION:
        raise _Bad(
            f"it has schema version {schema}, but this version of Hamish only understands "
            f"schema {SCHEMA_VERSION}"
            + (" (was it written by a newer Hamish?)" if schema > SCHEMA_VERSION else "")
        )
    folded_seq = meta_rec.get("folded_seq")
    if not _is_int(folded_seq) or folded_seq < 0:
        raise _Bad(f"its 'meta' record has folded_seq {folded_seq!r}, not an integer >= 0")
    folded_at = meta_rec.get("folded_at")
    if folded_at is not None and type(folded_at) is not str:
        raise _Bad(f"its 'meta' record has folded_at {folded_at!r}, not a string")

    annotations: list[Annotation] = []
    seen: set[str] = set()
    for key, rec in tables.get(ANNOTATIONS_TABLE, {}).items():
        try:
            ann = Annotation.from_dict(rec)
        except AnnotationError as e:
            raise _Bad(
                f"record {key} of table 'annotations' is invalid: {_strip_prefix(e)}"
            ) from None
        if ann.id in seen:
            raise _Bad(f"record {key} of table 'annotations' repeats the id {ann.id}")
        seen.add(ann.id)
        annotations.append(ann)

    states: dict[str, dict[str, Any]] = {}
    for key, rec in tables.get(ARTICLES_TABLE, {}).items():
        if not isinstance(rec, dict) or set(rec) != {"doc_id", "cursor", "done"}:
            raise _Bad(
                f"record {key} of table 'articles' must be an object with exactly "
                "doc_id, cursor and done"
            )
        if not _nonempty_str(rec["doc_id"]):
            raise _Bad(f"record {key} of table 'articles' has doc_id {rec['doc_id']!r}")
        problem = _state_problem(rec["cursor"], rec["done"])
        if problem:
            raise _Bad(f"record {key} of table 'articles' is invalid: {problem}")
        if rec["doc_id"] in states:
            raise _Bad(f"record {key} of table 'articles' repeats doc_id {rec['doc_id']!r}")
        states[rec["doc_id"]] = {"cursor": rec["cursor"], "done": rec["done"]}

    extra = {
        k: v for k, v in tables.items() if k not in (ANNOTATIONS_TABLE, ARTICLES_TABLE, META_TABLE)
    }
    return _Snapshot(annotations, states, folded_seq, folded_at, extra)


def _strip_prefix(e: Exception) -> str:
    msg = str(e)
    return msg[len("invalid annotation: ") :] if msg.startswith("invalid annotation: ") else msg


def _encode_op(op: dict[str, Any]) -> bytes:
    body = json.dumps(op, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def _decode_line(line: bytes) -> dict[str, Any] | None:
    """The op of one journal line (without its newline), or None if the line is damaged."""
    if len(line) < 10 or line[8:9] != b" ":
        return None
    body = line[9:]
    try:
        if int(line[:8], 16) != zlib.crc32(body):
            return None
        op = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(op, dict) or not _is_int(op.get("seq")):
        return None
    return op


@dataclass
class _JournalScan:
    ops: list[dict[str, Any]]
    good_size: int  # bytes of the intact prefix; anything after it is a torn tail
    total_size: int


def _scan_journal(data: bytes) -> _JournalScan:
    """Split the journal into intact ops and a torn tail; _Bad if a damaged line is followed by
    an intact one (that is not what a crash leaves behind)."""
    ops: list[dict[str, Any]] = []
    good_size = 0
    pos = 0
    first_bad: tuple[int, int] | None = None  # (line number, offset)
    lineno = 0
    n = len(data)
    while pos < n:
        lineno += 1
        nl = data.find(b"\n", pos)
        end = n if nl < 0 else nl
        op = _decode_line(data[pos:end]) if nl >= 0 else None
        if op is None:
            if first_bad is None:
                first_bad = (lineno, pos)
        else:
            if first_bad is not None:
                bad_line, bad_off = first_bad
                raise _Bad(
                    f"line {bad_line} (byte offset {bad_off}) is damaged but line {lineno} after "
                    "it is intact, so this is not a torn final write"
                )
            ops.append(op)
            good_size = nl + 1
        pos = end + 1
    return _JournalScan(ops, good_size, n)


# --------------------------------------------------------------------------------------------
# the store


_UNSET: Any = object()


class AnnotationStore:
    """The annotation store. ``AnnotationStore(path)`` opens for writing and takes an exclusive
    lock (StoreLockedError if another process has it); ``readonly=True`` takes no lock and never
    writes. Use as a context manager, or call close()."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        readonly: bool = False,
        fold_bytes: int = DEFAULT_FOLD_BYTES,
    ) -> None:
        self.path = Path(
            os.path.abspath(Path(path).expanduser() if path is not None else default_store_path())
        )
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.lock_info_path = self.path.with_name(self.path.name + ".lock.info")
        self.readonly = readonly
        self.fold_bytes = fold_bytes
        self.last_fold_error: str | None = None

        self._mutex = threading.RLock()
        self._closed = True
        self._broken: str | None = None
        self._lock_fd: int | None = None
        self._lock_obj: Any = None
        self._jfd: int | None = None
        self._jsize = 0
        self._next_fold_at = fold_bytes
        self._seq = 0
        self._folded_seq = 0
        self._extra_tables: dict[str, Any] = {}
        self._reset_memory()

        if readonly:
            try:
                self._load_consistent()
            except OSError as e:
                raise StoreError(
                    f"cannot read annotation store {self.path}: {_os_error_text(e)}"
                ) from e
        else:
            self._open_for_writing()
        self._closed = False

    # ---- context manager / lifecycle ---------------------------------------------------------

    def __enter__(self) -> AnnotationStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "writer"
        state = "closed" if self._closed else f"{len(self._by_id)} annotations"
        return f"<AnnotationStore {str(self.path)!r} {mode}, {state}>"

    def __len__(self) -> int:
        return len(self._by_id)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Fold the journal into the store file (writer) and release the lock. Idempotent."""
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            if self.readonly:
                return
            try:
                if self._broken is None and self._seq > self._folded_seq:
                    self._fold()
            except OSError as e:
                raise StoreError(
                    f"could not fold the journal into {self.path} on close ({e.strerror or e}); "
                    f"no change is lost: they are all in {self.journal_path} and are replayed "
                    "on the next open"
                ) from e
            finally:
                if self._jfd is not None:
                    os.close(self._jfd)
                    self._jfd = None
                self._release_lock()

    def fold(self) -> None:
        """Write the current state into the store file and its backup, then empty the journal."""
        with self._mutex:
            self._check_writable()
            try:
                self._fold()
            except OSError as e:
                raise StoreError(f"could not write {self.path}: {e.strerror or e}") from e

    def reload(self) -> None:
        """(readonly) Re-read the store and journal to see the writer's latest changes."""
        with self._mutex:
            if not self.readonly:
                raise StoreError("reload() is only for stores opened with readonly=True")
            self._check_open()
            self._reset_memory()
            self._load_consistent()

    # ---- reads --------------------------------------------------------------------------------

    def get(self, ann_id: str) -> Annotation | None:
        return self._by_id.get(ann_id)

    def annotations(self, doc_id: str) -> list[Annotation]:
        """The annotations of one article, sorted by (start, end, id)."""
        with self._mutex:
            by_id = self._by_id
            return [by_id[key[2]] for key in self._by_doc.get(doc_id, ())]

    def all(self) -> list[Annotation]:
        """Every annotation, sorted by (doc_id, start, end, id)."""
        with self._mutex:
            by_id = self._by_id
            return [by_id[key[2]] for doc in sorted(self._by_doc) for key in self._by_doc[doc]]

    def counts(self) -> dict[str, dict[str, int]]:
        """{doc_id: {label: number of annotations}} for every article that has any."""
        with self._mutex:
            return {doc: dict(labels) for doc, labels in self._counts.items()}

    def article_state(self, doc_id: str) -> dict[str, Any]:
        """{"cursor": int | None, "done": bool} (the default for an article never touched)."""
        return dict(self._states.get(doc_id, _DEFAULT_STATE))

    def article_states(self) -> dict[str, dict[str, Any]]:
        """The state of every article that has one."""
        with self._mutex:
            return {doc: dict(state) for doc, state in self._states.items()}

    # ---- writes -------------------------------------------------------------------------------

    def add(
        self,
        doc_id: str,
        start: int,
        end: int,
        label: str,
        annotator: str | None = None,
        note: str | None = None,
        *,
        text: str,
        sha256: str,
    ) -> Annotation:
        """Add an annotation; returns it (with its new id) once it is durable on disk."""
        with self._mutex:
            self._check_writable()
            _check_label(label)
            _check_note(note)
            now = _now()
            ann = Annotation(
                id=uuid.uuid4().hex,
                doc_id=doc_id,
                start=start,
                end=end,
                label=label,
                text=text,
                sha256=sha256,
                annotator=_login_name() if annotator is None else annotator,
                note=note,
                created=now,
                updated=now,
            )
            self._commit({"op": "add", "ann": ann.to_dict()})
            self._put(ann)
            self._maybe_fold()
            return ann

    def update(self, ann_id: str, *, label: str = _UNSET, note: str | None = _UNSET) -> Annotation:
        """Change the label and/or note; bumps ``updated``. Returns the updated annotation (the
        same one, untouched, if nothing changes)."""
        with self._mutex:
            self._check_writable()
            old = self._require(ann_id)
            changes: dict[str, Any] = {}
            if label is not _UNSET and _check_label(label) != old.label:
                changes["label"] = label
            if note is not _UNSET and _check_note(note) != old.note:
                changes["note"] = note
            if not changes:
                return old
            values = old.to_dict()
            values.update(changes, updated=_now())
            new = Annotation(**values)
            self._commit({"op": "update", "ann": new.to_dict()})
            self._put(new)
            self._maybe_fold()
            return new

    def move(self, ann_id: str, start: int, end: int, *, text: str, sha256: str) -> Annotation:
        """Put an annotation on other offsets of its article and/or record the article's new
        content hash: what the app does when the article's file changed and store.drift found
        the annotated text at a new, unambiguous place (or still at its place: same offsets and
        text, new ``sha256``). ``text`` must be what the article holds at ``start:end``.

        One durable journal operation (never a remove plus an add: a crash cannot lose the
        annotation); id, label, note, annotator and ``created`` are kept, ``updated`` is
        bumped. Returns the moved annotation (the same one, untouched, if nothing changes)."""
        with self._mutex:
            self._check_writable()
            old = self._require(ann_id)
            if (start, end, text, sha256) == (old.start, old.end, old.text, old.sha256) and all(
                type(v) is t for v, t in ((start, int), (end, int), (text, str), (sha256, str))
            ):
                return old
            values = old.to_dict()
            values.update(start=start, end=end, text=text, sha256=sha256, updated=_now())
            new = Annotation(**values)  # validates offsets, text length and the hash
            # Journalled as an "update": on disk that op means "this is now the whole record",
            # so a journal written by move() reads back with any Hamish of this schema.
            self._commit({"op": "update", "ann": new.to_dict()})
            self._put(new)
            self._maybe_fold()
            return new

    def remove(self, ann_id: str) -> Annotation:
        """Remove an annotation; returns it (keep it to restore() it for undo)."""
        with self._mutex:
            self._check_writable()
            old = self._require(ann_id)
            self._commit({"op": "remove", "id": ann_id})
            self._delete(ann_id)
            self._maybe_fold()
            return old

    def restore(self, ann: Annotation) -> Annotation:
        """Put back an annotation exactly as it was (same id, timestamps...): undo of remove."""
        with self._mutex:
            self._check_writable()
            if not isinstance(ann, Annotation):
                raise AnnotationError(f"restore() needs an Annotation, not {_type_name(ann)}")
            if ann.id in self._by_id:
                raise AnnotationError(
                    f"cannot restore annotation {ann.id}: it is already in the store"
                )
            self._commit({"op": "restore", "ann": ann.to_dict()})
            self._put(ann)
            self._maybe_fold()
            return ann

    def restore_many(self, anns: Iterable[Annotation]) -> int:
        """Put back many annotations exactly as they are (an import, or building a large store):
        all or nothing, made durable by one fold rather than one journal line each. Returns how
        many were added."""
        with self._mutex:
            self._check_writable()
            added: list[str] = []
            try:
                for ann in anns:
                    if not isinstance(ann, Annotation):
                        raise AnnotationError(
                            f"restore_many() needs Annotations, not {_type_name(ann)}"
                        )
                    if ann.id in self._by_id:
                        raise AnnotationError(
                            f"cannot restore annotation {ann.id}: it is already in the store"
                        )
                    self._put(ann)
                    added.append(ann.id)
                if added:
                    self._fold()
            except BaseException as e:
                for ann_id in added:
                    self._delete(ann_id)
                if isinstance(e, OSError):
                    self._broken = e.strerror or str(e)
                    raise StoreError(
                        f"could not write {self.path} ({self._broken}); reopen the store to see "
                        "whether the annotations were saved"
                    ) from e
                raise
            return len(added)

    def set_article_state(
        self, doc_id: str, *, cursor: int | None = _UNSET, done: bool = _UNSET
    ) -> dict[str, Any]:
        """Change an article's reading cursor and/or done flag (durably); returns the new state."""
        with self._mutex:
            self._check_writable()
            if not _nonempty_str(doc_id):
                raise AnnotationError(f"doc_id must be a non-empty string, got {doc_id!r}")
            state = dict(self._states.get(doc_id, _DEFAULT_STATE))
            if cursor is not _UNSET:
                state["cursor"] = cursor
            if done is not _UNSET:
                state["done"] = done
            problem = _state_problem(state["cursor"], state["done"])
            if problem:
                raise AnnotationError(f"invalid article state: {problem}")
            if state != self._states.get(doc_id, _DEFAULT_STATE):
                self._commit({"op": "state", "doc_id": doc_id, **state})
                self._states[doc_id] = state
                self._maybe_fold()
            return dict(state)

    # ---- in-memory index ----------------------------------------------------------------------

    def _reset_memory(self) -> None:
        self._by_id: dict[str, Annotation] = {}
        self._by_doc: dict[str, list[tuple[int, int, str]]] = {}
        self._counts: dict[str, dict[str, int]] = {}
        self._states: dict[str, dict[str, Any]] = {}

    def _load_snapshot(self, snap: _Snapshot) -> None:
        self._reset_memory()
        by_doc: dict[str, list[tuple[int, int, str]]] = {}
        for ann in snap.annotations:
            self._by_id[ann.id] = ann
            by_doc.setdefault(ann.doc_id, []).append((ann.start, ann.end, ann.id))
            labels = self._counts.setdefault(ann.doc_id, {})
            labels[ann.label] = labels.get(ann.label, 0) + 1
        for keys in by_doc.values():
            keys.sort()
        self._by_doc = by_doc
        self._states = {doc: dict(s) for doc, s in snap.states.items()}
        self._folded_seq = self._seq = snap.folded_seq
        self._extra_tables = snap.extra_tables

    def _put(self, ann: Annotation) -> None:
        if ann.id in self._by_id:
            self._delete(ann.id)
        self._by_id[ann.id] = ann
        bisect.insort(self._by_doc.setdefault(ann.doc_id, []), (ann.start, ann.end, ann.id))
        labels = self._counts.setdefault(ann.doc_id, {})
        labels[ann.label] = labels.get(ann.label, 0) + 1

    def _delete(self, ann_id: str) -> None:
        ann = self._by_id.pop(ann_id)
        keys = self._by_doc[ann.doc_id]
        key = (ann.start, ann.end, ann.id)
        i = bisect.bisect_left(keys, key)
        assert keys[i] == key
        del keys[i]
        if not keys:
            del self._by_doc[ann.doc_id]
        labels = self._counts[ann.doc_id]
        labels[ann.label] -= 1
        if not labels[ann.label]:
            del labels[ann.label]
            if not labels:
                del self._counts[ann.doc_id]

    def _require(self, ann_id: str) -> Annotation:
        ann = self._by_id.get(ann_id)
        if ann is None:
            raise NotFoundError(f"no annotation with id {ann_id!r} in {self.path}")
        return ann

    def _apply(self, op: dict[str, Any]) -> None:
        """Replay one journal op (raises _Bad if it does not fit the state)."""
        kind = op.get("op")
        if kind in ("add", "update", "restore"):
            try:
                ann = Annotation.from_dict(op.get("ann"))
            except AnnotationError as e:
                raise _Bad(
                    f"operation {op['seq']} ({kind}) has an invalid annotation: {_strip_prefix(e)}"
                ) from None
            exists = ann.id in self._by_id
            if exists != (kind == "update"):
                raise _Bad(
                    f"operation {op['seq']} ({kind}) of annotation {ann.id} does not fit the store: "
                    + ("it is already there" if exists else "it is not there")
                )
            self._put(ann)
        elif kind == "remove":
            ann_id = op.get("id")
            if ann_id not in self._by_id:
                raise _Bad(
                    f"operation {op['seq']} removes annotation {ann_id!r}, which is not there"
                )
            self._delete(ann_id)
        elif kind == "state":
            doc_id, cursor, done = op.get("doc_id"), op.get("cursor"), op.get("done")
            problem = _state_problem(cursor, done)
            if not _nonempty_str(doc_id) or problem:
                raise _Bad(f"operation {op['seq']} (state) is invalid: {problem or 'bad doc_id'}")
            self._states[doc_id] = {"cursor": cursor, "done": done}
        else:
            raise _Bad(f"operation {op['seq']} has an unknown kind {kind!r}")

    def _replay(self, ops: list[dict[str, Any]]) -> None:
        expected = None
        for op in ops:
            seq = op["seq"]
            if expected is not None and seq != expected:
                raise _Bad(
                    f"its operation {seq} follows operation {expected - 1} (expected {expected})"
                )
            expected = seq + 1
            if seq <= self._folded_seq:
                continue
            if seq != self._seq + 1:
                raise _Bad(
                    f"it continues at operation {seq} but the store file ends at operation "
                    f"{self._seq}; operations in between are missing"
                )
            self._apply(op)
            self._seq = seq

    # ---- opening ------------------------------------------------------------------------------

    def _corrupt(self, file: Path, problem: str) -> StoreCorruptError:
        if file == self.journal_path:
            msg = (
                f"The journal of annotation store {self.path} ({file}) is corrupt: {problem}. "
                "Hamish has not changed it. To open the store as of its last fold (losing the "
                f"changes recorded in the journal), quit Hamish and move the journal aside: "
                f"mv {_shell_quote(file)} {_shell_quote(file.with_name(file.name + '.damaged'))}"
            )
            return StoreCorruptError(msg, file, problem, None)
        msg = f"Annotation store {file} is corrupt: {problem}. Hamish has not changed it. "
        backup = _read_bytes(self.backup_path)
        if backup is None:
            msg += (
                f"There is no backup ({self.backup_path} does not exist). To start a new, empty "
                f"store, move the damaged file aside: mv {_shell_quote(file)} "
                f"{_shell_quote(file.with_name(file.name + '.damaged'))}"
            )
        else:
            try:
                snap = _parse_db(backup)
            except _Bad as e:
                msg += f"The backup {self.backup_path} is damaged too ({e}); the file must be repaired by hand."
            else:
                msg += (
                    f"A backup of the last good state ({len(snap.annotations)} annotations, "
                    f"saved {snap.folded_at or 'at an unknown time'}) is at {self.backup_path}. "
                    f"To recover, quit Hamish and copy it over the store: cp {_shell_quote(self.backup_path)} "
                    f"{_shell_quote(file)} (changes made since then are in {self.journal_path} "
                    "and are replayed on the next open)."
                )
        return StoreCorruptError(msg, file, problem, self.backup_path)

    def _parse_db_or_raise(self, data: bytes) -> _Snapshot:
        try:
            return _parse_db(data)
        except _Bad as e:
            raise self._corrupt(self.path, str(e)) from None

    def _build(
        self, db: bytes | None, journal: bytes | None, *, raise_gaps: bool
    ) -> _JournalScan | None:
        """Load db bytes + journal bytes into memory. Returns the journal scan. A sequence gap
        raises _Bad if raise_gaps is false (the caller retries), StoreCorruptError otherwise."""
        with _no_gc():
            snap = _empty_snapshot() if db is None else self._parse_db_or_raise(db)
            self._load_snapshot(snap)
            del snap
        if not journal:
            return _JournalScan([], 0, 0)
        try:
            scan = _scan_journal(journal)
        except _Bad as e:
            raise self._corrupt(self.journal_path, str(e)) from None
        try:
            self._replay(scan.ops)
        except _Bad as e:
            if not raise_gaps:
                raise
            raise self._corrupt(self.journal_path, str(e)) from None
        return scan

    def _load_consistent(self) -> None:
        """Readonly: read the db file then the journal; retry if a fold happened in between."""
        last_error: _Bad | None = None
        gaps = 0
        for _attempt in range(200):
            try:
                fd = os.open(self.path, os.O_RDONLY)
            except FileNotFoundError:
                fd = None
            try:
                if fd is None:
                    db, ino = None, None
                else:
                    with os.fdopen(os.dup(fd), "rb") as f:
                        db = f.read()
                    ino = os.fstat(fd).st_ino
                journal = _read_bytes(self.journal_path)
                try:
                    now_ino = os.stat(self.path).st_ino
                except FileNotFoundError:
                    now_ino = None
            finally:
                if fd is not None:
                    os.close(fd)
            if now_ino != ino:  # the writer folded while we read: try again
                continue
            if db is None and journal is None:
                self._load_snapshot(_empty_snapshot())
                return
            try:
                self._build(db, journal, raise_gaps=False)
                return
            except _Bad as e:
                # The inode check above already rules out a fold between our two reads, so this
                # is most likely real damage; retry a couple of times all the same.
                last_error = e
                gaps += 1
                if gaps >= 3:
                    break
                time.sleep(0.01)
        if last_error is not None:
            raise self._corrupt(self.journal_path, str(last_error))
        raise StoreError(f"could not get a consistent view of {self.path}: it kept changing")

    def _open_for_writing(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(
                f"cannot create the directory {self.path.parent}: {e.strerror or e}"
            ) from e
        self._acquire_lock()
        try:
            for leftover in (
                self.path.with_name(self.path.name + ".tmp"),
                self.backup_path.with_name(self.backup_path.name + ".tmp"),
            ):
                leftover.unlink(missing_ok=True)  # from a fold that was interrupted
            db = _read_bytes(self.path)
            if db is None and self.backup_path.exists():
                raise StoreCorruptError(
                    f"Annotation store {self.path} is missing, but its backup {self.backup_path} "
                    f"exists. To recover, copy the backup over it: cp {_shell_quote(self.backup_path)} "
                    f"{_shell_quote(self.path)}; to start a new, empty store instead, move the "
                    "backup (and the journal) aside.",
                    self.path,
                    "the store file is missing",
                    self.backup_path,
                )
            journal = _read_bytes(self.journal_path)
            scan = self._build(db, journal, raise_gaps=True)
            self._jfd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            if journal is None:
                _fsync_dir(self.path.parent)
            if scan is not None and scan.good_size < scan.total_size:
                os.ftruncate(self._jfd, scan.good_size)  # drop the torn last line of a crash
                _datasync(self._jfd)
            self._jsize = scan.good_size if scan else 0
            self._next_fold_at = max(self.fold_bytes, self._jsize + self.fold_bytes // 2)
            if db is None:
                self._fold()  # a new store: write the (empty) database file and its backup
        except BaseException as e:
            if self._jfd is not None:
                os.close(self._jfd)
                self._jfd = None
            self._release_lock()
            if isinstance(e, OSError):
                raise StoreError(
                    f"cannot open annotation store {self.path}: {_os_error_text(e)}"
                ) from e
            raise

    # ---- locking ------------------------------------------------------------------------------

    def _acquire_lock(self) -> None:
        try:
            if fcntl is not None:
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    os.close(fd)
                    self._raise_locked()
                except BaseException:
                    os.close(fd)
                    raise
                self._lock_fd = fd
            else:  # pragma: no cover - Windows
                import filelock

                lock = filelock.FileLock(str(self.lock_path), timeout=0)
                try:
                    lock.acquire()
                except filelock.Timeout:
                    self._raise_locked()
                self._lock_obj = lock
        except OSError as e:
            raise StoreError(f"cannot lock {self.lock_path}: {e.strerror or e}") from e
        info = {
            "pid": os.getpid(),
            "user": _login_name(),
            "host": socket.gethostname(),
            "since": _now(),
        }
        try:
            _atomic_write(self.lock_info_path, json.dumps(info).encode())
        except OSError:
            pass  # only used for the message of StoreLockedError

    def _raise_locked(self) -> None:
        holder = None
        for _ in range(25):  # the holder may have just taken the lock and not yet said who it is
            try:
                holder = json.loads(self.lock_info_path.read_bytes())
                if isinstance(holder, dict):
                    break
                holder = None
            except (OSError, ValueError):
                pass
            time.sleep(0.02)
        if holder:
            who = (
                f"process {holder.get('pid', '?')} of user {holder.get('user', '?')} on host "
                f"{holder.get('host', '?')}, since {holder.get('since', '?')}"
            )
        else:
            who = f"another process (no holder information in {self.lock_info_path})"
        raise StoreLockedError(
            f"Annotation store {self.path} is already open for writing by {who}. Close that "
            "Hamish first, or open the store read-only.",
            self.path,
            holder,
        )

    def _release_lock(self) -> None:
        if self._lock_fd is None and self._lock_obj is None:
            return
        try:
            self.lock_info_path.unlink(missing_ok=True)
        except OSError:
            pass
        if self._lock_fd is not None:
            fd, self._lock_fd = self._lock_fd, None
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
        if self._lock_obj is not None:  # pragma: no cover - Windows
            self._lock_obj.release()
            self._lock_obj = None

    # ---- writing ------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"annotation store {self.path} is closed")

    def _check_writable(self) -> None:
        self._check_open()
        if self.readonly:
            raise StoreError(f"annotation store {self.path} was opened read-only")
        if self._broken is not None:
            raise StoreError(
                f"annotation store {self.path} cannot take more changes after a write error "
                f"({self._broken}); close and reopen it"
            )

    def _commit(self, op: dict[str, Any]) -> None:
        """Append one op to the journal and make it durable before returning."""
        seq = self._seq + 1
        line = _encode_op({"seq": seq, **op})
        offset = self._jsize
        try:
            _write_all(self._jfd, line)
            _datasync(self._jfd)
        except OSError as e:
            # After a failed fsync the page cache cannot be trusted: take back what we can and
            # refuse further writes until reopened (the journal then tells what reached disk).
            self._broken = e.strerror or str(e)
            try:
                os.ftruncate(self._jfd, offset)
            except OSError:
                pass
            raise StoreError(
                f"could not save the change to {self.journal_path}: {self._broken}"
            ) from e
        self._seq = seq
        self._jsize = offset + len(line)

    def _maybe_fold(self) -> None:
        if self._jsize < self._next_fold_at:
            return
        try:
            self._fold()
            self.last_fold_error = None
        except OSError as e:  # the change is safe in the journal; try again later
            self.last_fold_error = f"could not fold the journal into {self.path}: {e.strerror or e}"
            self._next_fold_at = self._jsize + self.fold_bytes

    def _snapshot_bytes(self) -> bytes:
        anns = {str(i): a.to_dict() for i, a in enumerate(self.all(), 1)}
        arts = {
            str(i): {"doc_id": doc, **self._states[doc]}
            for i, doc in enumerate(sorted(self._states), 1)
        }
        meta = {"1": {"schema": SCHEMA_VERSION, "folded_seq": self._seq, "folded_at": _now()}}
        data = {
            ANNOTATIONS_TABLE: anns,
            ARTICLES_TABLE: arts,
            META_TABLE: meta,
            **self._extra_tables,
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    def _fold(self) -> None:
        data = self._snapshot_bytes()
        _atomic_write(self.path, data)
        _atomic_write(self.backup_path, data)
        _fsync_dir(self.path.parent)
        # Only now may the journal go: the new file (folded_seq = self._seq) is durable.
        if self._jfd is not None and self._jsize:
            os.ftruncate(self._jfd, 0)
            _datasync(self._jfd)
        self._jsize = 0
        self._folded_seq = self._seq
        self._next_fold_at = self.fold_bytes
