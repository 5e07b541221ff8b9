"""AnnotationStore: the in-memory index, the journal in front, the database file behind.

"Folding" writes the in-memory state into the database file (and its backup) and then empties
the journal; it happens on close and whenever the journal grows past ``fold_bytes``. Replay of
the journal skips operations with ``seq <= folded_seq``, so a crash at any point of a fold is
harmless. Readers (``readonly=True``) take no lock and never write: they read the database file
and then the journal, and retry if the writer replaced the file in between.
"""

from __future__ import annotations

import bisect
import gc
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs
from tinydb.queries import QueryLike

from ..durable import PendingFile, datasync, fsync_dir, leftover_temps, write_all
from ..login import login_name
from .dbfile import (
    ANNOTATIONS_TABLE,
    Snapshot,
    db_tables,
    empty_snapshot,
    no_gc,
    open_db,
    snapshot_of,
)
from .errors import AnnotationError, Bad, BadLine, NotFoundError, StoreCorruptError, StoreError
from .journal import JournalScan, encode_op, read_journal, scan_journal
from .lock import WriterLock
from .records import (
    DEFAULT_STATE,
    Annotation,
    check_label,
    check_note,
    nonempty_str,
    rejection_problem,
    state_problem,
    strip_prefix,
    timestamp,
    type_name,
)
from .recovery import corrupt_error, shell_quote


def _os_error_text(e: OSError) -> str:
    text = e.strerror or str(e)
    return f"{text} ({e.filename})" if isinstance(e.filename, str) else text


DEFAULT_FOLD_BYTES = 8 * 1024 * 1024

_UNSET: Any = object()


def default_store_path() -> Path:
    """``<user data dir>/hamish/annotations.json`` (the directory is created on open)."""
    return Path(platformdirs.user_data_dir("hamish", appauthor=False)) / "annotations.json"


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
        # The real file, its symbolic links followed: two names of one file are one store (one
        # lock, one journal), and a fold writes through a link instead of replacing it.
        self.path = Path(
            os.path.realpath(Path(path).expanduser() if path is not None else default_store_path())
        )
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self._lock = WriterLock(self.path)
        self.lock_path = self._lock.lock_path
        self.lock_info_path = self._lock.lock_info_path
        self.readonly = readonly
        self.fold_bytes = fold_bytes
        # TinyDB holds the database file, through Hamish's storage (dbfile.HamishStorage).
        self._db, self._storage = open_db(self.path, None if readonly else self.backup_path)
        self._folder: threading.Thread | None = None  # a fold running in the background
        # Called (in the fold's thread, without the store's lock) when a background fold ends,
        # well or not (``last_fold_error``): an app shows a failure without polling for it.
        self.fold_listener: Callable[[], object] | None = None
        self.last_fold_error: str | None = None

        self._mutex = threading.RLock()
        self._closed = True
        self._broken: str | None = None
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
        """Fold the journal into the store file (writer) and release the lock. Idempotent.

        If the fold fails (a full disk, a read-only or immutable directory) the store is closed
        all the same, with nothing lost and no temporary file left, and StoreError says so:
        every change is in the journal, which the next open replays."""
        with self._without_fold():
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
                self._lock.release()

    def fold(self) -> None:
        """Write the current state into the store file and its backup, then empty the journal."""
        with self._without_fold():
            self._check_writable()
            try:
                self._fold()
            except OSError as e:
                raise StoreError(f"could not write {self.path}: {e.strerror or e}") from e

    def wait_for_fold(self) -> None:
        """Return once no fold runs in the background (folds start when the journal grows
        past ``fold_bytes``; ``last_fold_error`` says whether the last one failed)."""
        with self._without_fold():
            pass

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

    def search(self, cond: QueryLike) -> list[Annotation]:
        """The annotations whose record matches a TinyDB query, in the order of all():
        ``from tinydb import Query; A = Query(); db.search((A.label == "quote") & (A.note != None))``.
        (A scan of every record: the app's own reads come from the index.)"""
        return [a for a in self.all() if cond(a.to_dict())]

    def counts(self) -> dict[str, dict[str, int]]:
        """{doc_id: {label: number of annotations}} for every article that has any."""
        with self._mutex:
            return {doc: dict(labels) for doc, labels in self._counts.items()}

    def article_state(self, doc_id: str) -> dict[str, Any]:
        """{"cursor": int | None, "done": bool} (the default for an article never touched)."""
        return dict(self._states.get(doc_id, DEFAULT_STATE))

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
        origin: str = "manual",
    ) -> Annotation:
        """Add an annotation; returns it (with its new id) once it is durable on disk.
        ``origin``: "manual", or the suggester whose suggestion this accepts."""
        with self._mutex:
            self._check_writable()
            check_label(label)
            check_note(note)
            now = timestamp()
            ann = Annotation(
                id=uuid.uuid4().hex,
                doc_id=doc_id,
                start=start,
                end=end,
                label=label,
                text=text,
                sha256=sha256,
                annotator=login_name() if annotator is None else annotator,
                note=note,
                created=now,
                updated=now,
                origin=origin,
            )
            self._commit({"op": "add", "ann": ann.to_dict()})
            self._index(ann)
            self._maybe_fold()
            return ann

    def update(self, ann_id: str, *, label: str = _UNSET, note: str | None = _UNSET) -> Annotation:
        """Change the label and/or note; bumps ``updated``. Returns the updated annotation (the
        same one, untouched, if nothing changes)."""
        with self._mutex:
            self._check_writable()
            old = self._require(ann_id)
            changes: dict[str, Any] = {}
            if label is not _UNSET and check_label(label) != old.label:
                changes["label"] = label
            if note is not _UNSET and check_note(note) != old.note:
                changes["note"] = note
            if not changes:
                return old
            values = old.to_dict()
            values.update(changes, updated=timestamp())
            new = Annotation(**values)
            self._commit({"op": "update", "ann": new.to_dict()})
            self._index(new)
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
            values.update(start=start, end=end, text=text, sha256=sha256, updated=timestamp())
            new = Annotation(**values)  # validates offsets, text length and the hash
            # Journalled as an "update": on disk that op means "this is now the whole record",
            # so a journal written by move() reads back with any Hamish of this schema.
            self._commit({"op": "update", "ann": new.to_dict()})
            self._index(new)
            self._maybe_fold()
            return new

    def remove(self, ann_id: str) -> Annotation:
        """Remove an annotation; returns it (keep it to restore() it for undo)."""
        with self._mutex:
            self._check_writable()
            old = self._require(ann_id)
            self._commit({"op": "remove", "id": ann_id})
            self._unindex(ann_id)
            self._maybe_fold()
            return old

    def restore(self, ann: Annotation) -> Annotation:
        """Put back an annotation exactly as it was (same id, timestamps...): undo of remove."""
        with self._mutex:
            self._check_writable()
            if not isinstance(ann, Annotation):
                raise AnnotationError(f"restore() needs an Annotation, not {type_name(ann)}")
            if ann.id in self._by_id:
                raise AnnotationError(
                    f"cannot restore annotation {ann.id}: it is already in the store"
                )
            self._commit({"op": "restore", "ann": ann.to_dict()})
            self._index(ann)
            self._maybe_fold()
            return ann

    def restore_many(
        self,
        anns: Iterable[Annotation],
        *,
        replace: bool = False,
        states: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> int:
        """Put back many annotations exactly as they are (an import, or building a large store):
        all or nothing, made durable by one fold rather than one journal line each. Returns how
        many were added or replaced.

        ``replace``: an annotation whose id is already in the store replaces it (a restore of a
        newer version) instead of being refused. ``states``: {doc_id: {"cursor", "done"}} article
        states set in the same step (each a whole state, as :meth:`set_article_state` keeps)."""
        with self._without_fold():
            self._check_writable()
            added: list[str] = []
            seen: set[str] = set()
            replaced: list[Annotation] = []
            old_states: dict[str, dict[str, Any] | None] = {}
            try:
                for ann in anns:
                    if not isinstance(ann, Annotation):
                        raise AnnotationError(
                            f"restore_many() needs Annotations, not {type_name(ann)}"
                        )
                    old = self._by_id.get(ann.id)
                    if old is not None:
                        if not replace or ann.id in seen:
                            raise AnnotationError(
                                f"cannot restore annotation {ann.id}: it is already in the store"
                            )
                        replaced.append(old)
                    self._index(ann)
                    added.append(ann.id)
                    seen.add(ann.id)
                for doc_id, state in (states or {}).items():
                    if not nonempty_str(doc_id):
                        raise AnnotationError(f"doc_id must be a non-empty string, got {doc_id!r}")
                    new_state = {"cursor": state.get("cursor"), "done": state.get("done", False)}
                    problem = state_problem(new_state["cursor"], new_state["done"])
                    if problem:
                        raise AnnotationError(f"invalid article state: {problem}")
                    if doc_id not in old_states:
                        old_states[doc_id] = self._states.get(doc_id)
                    self._states[doc_id] = new_state
                if added or old_states:
                    self._fold()
            except BaseException as e:
                for doc_id, old_state in old_states.items():
                    if old_state is None:
                        self._states.pop(doc_id, None)
                    else:
                        self._states[doc_id] = old_state
                for ann_id in added:
                    self._unindex(ann_id)
                for old in replaced:
                    self._index(old)
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
            if not nonempty_str(doc_id):
                raise AnnotationError(f"doc_id must be a non-empty string, got {doc_id!r}")
            state = dict(self._states.get(doc_id, DEFAULT_STATE))
            if cursor is not _UNSET:
                state["cursor"] = cursor
            if done is not _UNSET:
                state["done"] = done
            problem = state_problem(state["cursor"], state["done"])
            if problem:
                raise AnnotationError(f"invalid article state: {problem}")
            if state != self._states.get(doc_id, DEFAULT_STATE):
                self._commit({"op": "state", "doc_id": doc_id, **state})
                self._states[doc_id] = state
                self._maybe_fold()
            return dict(state)

    def rejected(self, doc_id: str) -> frozenset[str]:
        """The keys of the suggestions rejected for an article (they are not suggested again)."""
        with self._mutex:
            return frozenset(self._rejected.get(doc_id, ()))

    def set_rejected(self, doc_id: str, key: str, rejected: bool = True) -> bool:
        """Reject a suggestion of an article (``rejected=False``: take the rejection back, for
        undo), durably. ``key`` identifies the suggestion (its ``Suggestion.key``). Returns
        whether anything changed."""
        with self._mutex:
            self._check_writable()
            problem = rejection_problem(doc_id, key)
            if problem:
                raise AnnotationError(f"invalid rejection: {problem}")
            keys = self._rejected.get(doc_id, set())
            if (key in keys) == rejected:
                return False
            self._commit({"op": "reject" if rejected else "unreject", "doc_id": doc_id, "key": key})
            self._set_rejected(doc_id, key, rejected)
            self._maybe_fold()
            return True

    def _set_rejected(self, doc_id: str, key: str, rejected: bool) -> None:
        if rejected:
            self._rejected.setdefault(doc_id, set()).add(key)
        else:
            keys = self._rejected.get(doc_id)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._rejected[doc_id]

    # ---- in-memory index ----------------------------------------------------------------------

    def _reset_memory(self) -> None:
        self._by_id: dict[str, Annotation] = {}
        self._by_doc: dict[str, list[tuple[int, int, str]]] = {}
        self._counts: dict[str, dict[str, int]] = {}
        self._states: dict[str, dict[str, Any]] = {}
        self._rejected: dict[str, set[str]] = {}
        # Articles whose key lists a fold in flight holds too (copy-on-write: ``_fold_state``
        # copies the outer dict only, and a change copies the one list it touches).
        self._shared_docs: set[str] = set()

    def _load_snapshot(self, snap: Snapshot) -> None:
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
        self._rejected = {doc: set(keys) for doc, keys in snap.rejected.items()}
        self._folded_seq = self._seq = snap.folded_seq
        self._extra_tables = snap.extra_tables

    def _index(self, ann: Annotation) -> None:
        if ann.id in self._by_id:
            self._unindex(ann.id)
        self._by_id[ann.id] = ann
        bisect.insort(self._own_keys(ann.doc_id), (ann.start, ann.end, ann.id))
        labels = self._counts.setdefault(ann.doc_id, {})
        labels[ann.label] = labels.get(ann.label, 0) + 1

    def _unindex(self, ann_id: str) -> None:
        ann = self._by_id.pop(ann_id)
        keys = self._own_keys(ann.doc_id)
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

    def _own_keys(self, doc_id: str) -> list[tuple[int, int, str]]:
        """The article's key list, to change: a new one, or a copy of one a fold holds."""
        keys = self._by_doc.get(doc_id)
        if keys is None:
            keys = self._by_doc[doc_id] = []
        elif doc_id in self._shared_docs:
            self._shared_docs.discard(doc_id)
            keys = self._by_doc[doc_id] = keys.copy()
        return keys

    def _require(self, ann_id: str) -> Annotation:
        ann = self._by_id.get(ann_id)
        if ann is None:
            raise NotFoundError(f"no annotation with id {ann_id!r} in {self.path}")
        return ann

    def _apply(self, op: dict[str, Any]) -> None:
        """Replay one journal op (raises Bad if it does not fit the state)."""
        kind = op.get("op")
        if kind in ("add", "update", "restore"):
            try:
                ann = Annotation.from_dict(op.get("ann"))
            except AnnotationError as e:
                raise Bad(
                    f"operation {op['seq']} ({kind}) has an invalid annotation: {strip_prefix(e)}"
                ) from None
            exists = ann.id in self._by_id
            if exists != (kind == "update"):
                raise Bad(
                    f"operation {op['seq']} ({kind}) of annotation {ann.id} does not fit the store: "
                    + ("it is already there" if exists else "it is not there")
                )
            self._index(ann)
        elif kind == "remove":
            ann_id = op.get("id")
            if ann_id not in self._by_id:
                raise Bad(
                    f"operation {op['seq']} removes annotation {ann_id!r}, which is not there"
                )
            self._unindex(ann_id)
        elif kind == "state":
            doc_id, cursor, done = op.get("doc_id"), op.get("cursor"), op.get("done")
            problem = state_problem(cursor, done)
            if not nonempty_str(doc_id) or problem:
                raise Bad(f"operation {op['seq']} (state) is invalid: {problem or 'bad doc_id'}")
            self._states[doc_id] = {"cursor": cursor, "done": done}
        elif kind in ("reject", "unreject"):
            doc_id, key = op.get("doc_id"), op.get("key")
            problem = rejection_problem(doc_id, key)
            if problem or not isinstance(doc_id, str) or not isinstance(key, str):
                raise Bad(f"operation {op['seq']} ({kind}) is invalid: {problem}")
            self._set_rejected(doc_id, key, kind == "reject")
        else:
            raise Bad(f"operation {op['seq']} has an unknown kind {kind!r}")

    def _replay(self, ops: list[dict[str, Any]]) -> None:
        expected = None
        for op in ops:
            seq = op["seq"]
            if expected is not None and seq != expected:
                raise Bad(
                    f"its operation {seq} follows operation {expected - 1} (expected {expected})"
                )
            expected = seq + 1
            if seq <= self._folded_seq:
                continue
            if seq != self._seq + 1:
                raise Bad(
                    f"it continues at operation {seq} but the store file ends at operation "
                    f"{self._seq}; operations in between are missing"
                )
            self._apply(op)
            self._seq = seq

    # ---- opening ------------------------------------------------------------------------------

    def _corrupt(self, file: Path, problem: str, line: int | None = None) -> StoreCorruptError:
        return corrupt_error(self.path, self.journal_path, self.backup_path, file, problem, line)

    def _read_db(self, data: bytes, inode: int | None) -> Snapshot:
        """The snapshot of the database file's bytes, read through TinyDB (StoreCorruptError)."""
        try:
            self._storage.load(data, inode)
            return snapshot_of(self._db)
        except Bad as e:
            raise self._corrupt(self.path, str(e)) from None
        finally:
            self._storage.release()

    def _build(
        self, db: bytes | None, inode: int | None, journal: bytes | None, *, raise_gaps: bool
    ) -> JournalScan | None:
        """Load db bytes + journal bytes into memory. Returns the journal scan. A sequence gap
        raises Bad if raise_gaps is false (the caller retries), StoreCorruptError otherwise."""
        with no_gc():
            snap = empty_snapshot() if db is None else self._read_db(db, inode)
            self._load_snapshot(snap)
            del snap
        try:
            if not journal:
                return JournalScan([], 0, 0)
            try:
                scan = scan_journal(journal)
            except BadLine as e:
                raise self._corrupt(self.journal_path, str(e), e.line) from None
            except Bad as e:
                raise self._corrupt(self.journal_path, str(e)) from None
            try:
                self._replay(scan.ops)
            except Bad as e:
                if not raise_gaps:
                    raise
                raise self._corrupt(self.journal_path, str(e)) from None
            return scan
        finally:
            # The records live as long as the store: the cyclic collector need not look at them
            # again (its full collections cost 30-65 ms at 100,000 annotations, during an add).
            gc.freeze()

    def _load_consistent(self) -> None:
        """Readonly: read the db file then the journal; retry if a fold happened in between."""
        last_error: Bad | None = None
        gaps = 0
        for _attempt in range(200):
            try:
                db, ino = self._storage.read_bytes()
            except Bad as e:
                raise self._corrupt(self.path, str(e)) from None
            try:
                journal = read_journal(self.journal_path)
            except Bad as e:
                raise self._corrupt(self.journal_path, str(e)) from None
            try:
                now_ino = os.stat(self.path).st_ino
            except FileNotFoundError:
                now_ino = None
            if now_ino != ino:  # the writer folded while we read: try again
                continue
            if db is None and journal is None:
                self._load_snapshot(empty_snapshot())
                return
            try:
                self._build(db, ino, journal, raise_gaps=False)
                return
            except Bad as e:
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
        self._lock.acquire()
        try:
            for leftover in (
                self.path.with_name(self.path.name + ".tmp"),  # (names of older versions)
                self.backup_path.with_name(self.backup_path.name + ".tmp"),
                *leftover_temps(self.path),
                *leftover_temps(self.backup_path),
                *leftover_temps(self.journal_path),
            ):
                leftover.unlink(missing_ok=True)  # from a fold that was interrupted
            try:
                db, ino = self._storage.read_bytes()
            except Bad as e:
                raise self._corrupt(self.path, str(e)) from None
            if db is None and self.backup_path.exists():
                raise StoreCorruptError(
                    f"Annotation store {self.path} is missing, but its backup {self.backup_path} "
                    f"exists. To recover, copy the backup over it: cp {shell_quote(self.backup_path)} "
                    f"{shell_quote(self.path)}; to start a new, empty store instead, move the "
                    "backup (and the journal) aside.",
                    self.path,
                    "the store file is missing",
                    self.backup_path,
                )
            try:
                journal = read_journal(self.journal_path)
            except Bad as e:
                raise self._corrupt(self.journal_path, str(e)) from None
            scan = self._build(db, ino, journal, raise_gaps=True)
            self._jfd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            if journal is None:
                fsync_dir(self.path.parent)
            if scan is not None and scan.good_size < scan.total_size:
                os.ftruncate(self._jfd, scan.good_size)  # drop the torn last line of a crash
                datasync(self._jfd)
            self._jsize = scan.good_size if scan else 0
            self._next_fold_at = max(self.fold_bytes, self._jsize + self.fold_bytes // 2)
            if db is None:
                self._fold()  # a new store: write the (empty) database file and its backup
        except BaseException as e:
            if self._jfd is not None:
                os.close(self._jfd)
                self._jfd = None
            self._lock.release()
            if isinstance(e, OSError):
                raise StoreError(
                    f"cannot open annotation store {self.path}: {_os_error_text(e)}"
                ) from e
            raise

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
        line = encode_op({"seq": seq, **op})
        offset = self._jsize
        fd = self._jfd
        assert fd is not None  # a writer that is open has its journal open
        try:
            write_all(fd, line)
            datasync(fd)
        except OSError as e:
            # After a failed fsync the page cache cannot be trusted: take back what we can and
            # refuse further writes until reopened (the journal then tells what reached disk).
            self._broken = e.strerror or str(e)
            try:
                os.ftruncate(fd, offset)
            except OSError:
                pass
            raise StoreError(
                f"could not save the change to {self.journal_path}: {self._broken}"
            ) from e
        self._seq = seq
        self._jsize = offset + len(line)

    def _maybe_fold(self) -> None:
        """Fold in the background once the journal passes ``fold_bytes``: the caller (an add,
        a keypress) returns at once, and takes only the cheap copies of the index."""
        if self._jsize < self._next_fold_at or self._folder is not None:
            return
        state = self._fold_state()
        self._folder = threading.Thread(
            target=self._fold_in_background, args=(state,), name="hamish-fold", daemon=True
        )
        self._folder.start()

    def _fold_state(self) -> _FoldState:
        """What a fold writes, as of now (under the mutex). The records are immutable: copying
        the index (not the records) is enough: the id map (2-3 ms at 100,000) and the outer
        dict of the key lists, which are copied on write (copying them all took 5-9 ms)."""
        self._shared_docs = set(self._by_doc)
        return _FoldState(
            self._by_id.copy(),
            self._by_doc.copy(),
            {doc: dict(state) for doc, state in self._states.items()},
            {doc: set(keys) for doc, keys in self._rejected.items()},
            self._extra_tables,
            self._seq,
            self._jsize,
        )

    def _write_state(self, state: _FoldState) -> None:
        """Write ``state`` into the database file (and then the backup) through TinyDB's
        storage: one durable write of every table."""
        tables = db_tables((), state.states, state.seq, state.extra_tables, state.rejected)
        tables[ANNOTATIONS_TABLE] = _RecordTable(state.by_id, state.by_doc)  # type: ignore[assignment]
        self._storage.write(tables)

    def _fold_in_background(self, state: _FoldState) -> None:
        try:
            self._fold_and_finish(state)
        finally:
            # Whatever happened: a fold left marked as running would keep every later fold,
            # and close(), waiting for it forever.
            with self._mutex:
                self._folder = None
            listener = self.fold_listener
            if listener is not None:
                listener()

    def _fold_and_finish(self, state: _FoldState) -> None:
        try:
            self._write_state(state)
        except Exception as e:  # the changes are safe in the journal; try again later
            problem = e.strerror if isinstance(e, OSError) else None
            with self._mutex:
                self.last_fold_error = (
                    f"could not fold the journal into {self.path}: "
                    f"{problem or f'{type(e).__name__}: {e}'}"
                )
                self._next_fold_at = self._jsize + self.fold_bytes
                self._shared_docs = set()
            return
        new_journal: _NewJournal | None = None
        try:
            # Without the mutex (adds go on): the lines appended while the fold ran, copied
            # into the journal that replaces this one and made durable. Under it, only the
            # few lines added meanwhile are left to copy.
            with self._mutex:
                copied_to = self._jsize
            if copied_to > state.jsize:
                new_journal = self._start_new_journal(state.jsize, copied_to)
            with self._mutex:
                self._after_fold(state, new_journal)
                self.last_fold_error = None
        except OSError as e:
            with self._mutex:
                self.last_fold_error = (
                    f"could not empty the journal {self.journal_path}: {e.strerror or e}"
                )
        finally:
            if new_journal is not None:
                new_journal.discard()

    def _start_new_journal(self, start: int, end: int) -> _NewJournal:
        """A temporary file beside the journal holding its bytes ``start:end``, durable."""
        new = _NewJournal(PendingFile(self.journal_path), end - start)
        try:
            self._copy_journal(new.file.fd, start, end)
            datasync(new.file.fd)
        except BaseException:
            new.discard()
            raise
        return new

    def _copy_journal(self, fd: int, start: int, end: int) -> None:
        with open(self.journal_path, "rb") as f:
            f.seek(start)
            data = f.read(end - start)
        if len(data) != end - start:  # pragma: no cover - the journal is only ever appended to
            raise OSError(f"the journal ended at byte {start + len(data)}, not {end}")
        write_all(fd, data)

    def _after_fold(self, state: _FoldState, new_journal: _NewJournal | None = None) -> None:
        """The database file now holds every operation up to ``state.seq``: drop them from the
        journal, keeping those appended while the fold ran (under the mutex). ``new_journal``:
        a durable copy of some of those lines (from ``state.jsize`` on), to finish and swap in."""
        self._folded_seq = max(self._folded_seq, state.seq)
        self._shared_docs = set()
        if self._jfd is not None and self._jsize:
            if self._jsize == state.jsize:
                os.ftruncate(self._jfd, 0)
                datasync(self._jfd)
                self._jsize = 0
            elif new_journal is None:  # (a fold in this thread)
                new_journal = self._start_new_journal(state.jsize, self._jsize)
                try:
                    self._swap_journal(new_journal, state.jsize)
                finally:
                    new_journal.discard()
            else:
                self._swap_journal(new_journal, state.jsize)
        self._next_fold_at = max(self.fold_bytes, self._jsize + self.fold_bytes // 2)

    def _swap_journal(self, new: _NewJournal, start: int) -> None:
        """Finish ``new`` (a durable copy of the journal from byte ``start`` on, the lines a
        fold did not hold, but for those appended since it was made) and put it in the
        journal's place, atomically (under the mutex)."""
        assert self._jfd is not None and new.old_fd is None
        copied_to = start + new.size
        if copied_to < self._jsize:
            self._copy_journal(new.file.fd, copied_to, self._jsize)
            datasync(new.file.fd)
        new.file.replace()
        # The old journal's descriptor goes with ``new``, closed by its ``discard``: closing the
        # last one of a replaced file frees its blocks (7 ms for 8 MiB), which need not happen
        # under the mutex.
        self._jfd, new.old_fd = new.file.fd, self._jfd
        self._jsize -= start
        fsync_dir(self.journal_path.parent)

    @contextmanager
    def _without_fold(self) -> Iterator[None]:
        """Hold the mutex with no background fold running (one is let finish first: it needs
        the mutex to end, so it is waited for without it)."""
        while True:
            folder = self._folder
            if folder is not None:
                folder.join()
            self._mutex.acquire()
            if self._folder is None:
                break
            self._mutex.release()
        try:
            yield
        finally:
            self._mutex.release()

    def _fold(self) -> None:
        """Fold now, in this thread (under the mutex, with no background fold running)."""
        state = self._fold_state()
        self._write_state(state)
        self._after_fold(state)


class _FoldState(NamedTuple):
    by_id: dict[str, Annotation]
    by_doc: dict[str, list[tuple[int, int, str]]]
    states: dict[str, dict[str, Any]]
    rejected: dict[str, set[str]]
    extra_tables: dict[str, Any]
    seq: int
    jsize: int


class _NewJournal:
    """The journal that replaces the current one after a fold, while it is made: a pending
    file holding ``size`` bytes of the journal, and once it is swapped in, the old journal's
    descriptor, to close."""

    def __init__(self, file: PendingFile, size: int) -> None:
        self.file = file
        self.size = size
        self.old_fd: int | None = None

    def discard(self) -> None:
        """Close the old journal once swapped in; else close and remove the new one."""
        if self.old_fd is not None:
            fd, self.old_fd = self.old_fd, None
            os.close(fd)
        else:
            self.file.discard()


class _RecordTable:
    """The annotations table as the storage writes it: ``len`` and ``items()`` in file order
    (article, then start, end, id), each record made as it is written: a fold never holds
    100,000 dicts at once, and its work comes in pieces between which an add can run."""

    def __init__(
        self, by_id: dict[str, Annotation], by_doc: dict[str, list[tuple[int, int, str]]]
    ) -> None:
        self._by_id = by_id
        self._by_doc = by_doc

    def __len__(self) -> int:
        return len(self._by_id)

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        by_id, by_doc = self._by_id, self._by_doc
        i = 0
        for doc in sorted(by_doc):
            for key in by_doc[doc]:
                i += 1
                yield str(i), by_id[key[2]].to_dict()
