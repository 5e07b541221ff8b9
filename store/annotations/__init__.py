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

The package, one idea per module: ``records`` (Annotation, article state, validation),
``journal`` (the line format and its scan), ``dbfile`` (the database file's layout), ``lock``
(the single writer), ``recovery`` (messages that say how to get back), ``store``
(AnnotationStore, which ties them together), ``errors``.
"""

from .dbfile import SCHEMA_VERSION
from .errors import (
    AnnotationError,
    NotFoundError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
)
from .records import Annotation
from .store import DEFAULT_FOLD_BYTES, AnnotationStore, default_store_path

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
    "DEFAULT_FOLD_BYTES",
]
