"""Import: annotations from hamish, Prodigy or doccano JSONL back into the store, all or nothing.

Everything is checked before anything is written: each line must be JSON of the format; its
article must be in the corpus (by id, or by its text when the record has no id), with the same
content (the record's sha256 and text, when it carries them); each span must lie inside the text
and, when it says which text it covers, cover exactly that. If any line has a problem the whole
file is rejected (:class:`ImportRejected`, every problem as ``FILE:LINE: problem``) and the store
is not even opened for writing. Otherwise the new annotations go in with one atomic
``restore_many``. A span already in the store (same article, start, end, label and annotator)
is skipped and counted, so importing a file twice adds nothing the second time.

Format hamish keeps each span's annotator, note and timestamps (and puts drifted annotations
back as they were); the others get ``annotator`` (default: the login name) and the time of the
import. Offsets are code points unless the record says ``meta.offsets == "utf16"`` or the caller
passes ``offsets="utf16"``.
"""

from __future__ import annotations

import bisect
import getpass
import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .annotations import Annotation, AnnotationError, AnnotationStore, StoreError
from .corpus import Article, Corpus

__all__ = [
    "IMPORT_FORMATS",
    "ImportPlan",
    "ImportRejected",
    "ImportSummary",
    "detect_format",
    "import_annotations",
    "read_import",
]

IMPORT_FORMATS = ("hamish", "prodigy", "doccano")

Progress = Callable[[int, int], None]


class ImportRejected(StoreError):
    """The file has problems; nothing was imported. ``problems``: ``FILE:LINE: problem`` each."""

    def __init__(self, problems: list[str]):
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} found; nothing was imported:\n"
            + "\n".join(problems)
        )
        self.problems = problems


@dataclass
class ImportPlan:
    """A checked file: the annotations it holds (new ids), ready for the store."""

    fmt: str
    records: int = 0
    annotations: list[Annotation] = field(default_factory=list)
    not_accepted: int = 0  # Prodigy spans of tasks answered "reject" or "ignore"
    duplicates: int = 0  # spans that occur twice in the file (imported once)


@dataclass
class ImportSummary:
    fmt: str
    records: int = 0
    added: int = 0
    duplicates: int = 0
    not_accepted: int = 0

    def describe(self) -> str:
        text = (
            f"{self.added} annotation{'s' if self.added != 1 else ''} imported from "
            f"{self.records} record{'s' if self.records != 1 else ''} ({self.fmt})"
        )
        if self.duplicates:
            text += f"; {self.duplicates} already in the store, skipped"
        if self.not_accepted:
            text += f"; {self.not_accepted} in tasks not accepted, skipped"
        return text


def _login_name() -> str:
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        return "unknown"


def _kind(value: Any) -> str:
    names = {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
        type(None): "null",
    }
    return names.get(type(value), type(value).__name__)


def detect_format(record: Any) -> str | None:
    """Which format a record looks like: hamish, prodigy, doccano, or None."""
    if not isinstance(record, dict):
        return None
    if "answer" in record:
        return "prodigy"
    if "spans" in record:
        return "hamish" if "id" in record else "prodigy"
    if "label" in record or "labels" in record or "entities" in record:
        return "doccano"
    return None


class _Problem(Exception):
    pass


def _from_utf16(text: str) -> Callable[[int], int] | None:
    """UTF-16 code unit index -> code point index in ``text`` (None: the same). Raises _Problem
    for an index inside a surrogate pair."""
    if text.isascii():
        return None
    units = []  # UTF-16 index of each character outside the BMP
    extra = 0
    for i, ch in enumerate(text):
        if ch > "\uffff":
            units.append(i + extra)
            extra += 1
    if not units:
        return None
    unit_set = set(units)

    def convert(u: int) -> int:
        if u - 1 in unit_set:
            raise _Problem(f"UTF-16 offset {u} falls inside a surrogate pair")
        return u - bisect.bisect_left(units, u - 1)  # astral chars wholly before u

    return convert


@dataclass
class _Span:
    start: Any
    end: Any
    label: Any
    text: Any = None  # None: not given
    annotator: Any = None
    note: Any = None
    created: Any = None
    updated: Any = None
    sha256: Any = None  # drifted only
    origin: Any = None  # hamish exports since issue 15 (None: manual)


def _span_from_dict(d: Any, where: str, hamish: bool) -> _Span:
    if not isinstance(d, dict):
        raise _Problem(f"{where} is {_kind(d)}, not an object")
    for key in ("start", "end", "label"):
        if key not in d:
            raise _Problem(f"{where} has no {key!r}")
    span = _Span(d["start"], d["end"], d["label"], d.get("text"))
    if hamish:
        span.annotator = d.get("annotator")
        span.note = d.get("note")
        span.created = d.get("created")
        span.updated = d.get("updated")
        span.sha256 = d.get("sha256")
        span.origin = d.get("origin")
    return span


def _doccano_spans(record: dict) -> list[_Span]:
    spans: list[_Span] = []
    if "entities" in record and not ("label" in record or "labels" in record):
        entities = record["entities"]
        if not isinstance(entities, list):
            raise _Problem(f'"entities" is {_kind(entities)}, not an array')
        for n, e in enumerate(entities, 1):
            if not isinstance(e, dict):
                raise _Problem(f"entity {n} is {_kind(e)}, not an object")
            for key in ("start_offset", "end_offset", "label"):
                if key not in e:
                    raise _Problem(f"entity {n} has no {key!r}")
            spans.append(_Span(e["start_offset"], e["end_offset"], e["label"]))
        return spans
    key = "label" if "label" in record else "labels"
    labels = record.get(key)
    if not isinstance(labels, list):
        raise _Problem(f"{key!r} is {_kind(labels)}, not an array of [start, end, label]")
    for n, item in enumerate(labels, 1):
        if not isinstance(item, list) or len(item) != 3:
            raise _Problem(
                f"{key} item {n} is not [start, end, label]: {json.dumps(item, ensure_ascii=False)[:80]}"
            )
        spans.append(_Span(item[0], item[1], item[2]))
    return spans


class _Reader:
    """Checks records one by one, collecting problems and the annotations to add."""

    def __init__(
        self,
        corpus: Iterable[Article],
        fmt: str | None,
        offsets: str | None,
        annotator: str | None,
        now: str,
    ):
        if fmt is not None and fmt not in IMPORT_FORMATS:
            raise StoreError(f"unknown import format {fmt!r} (one of: {', '.join(IMPORT_FORMATS)})")
        if offsets not in (None, "codepoint", "utf16"):
            raise StoreError(f"unknown offsets {offsets!r} (codepoint or utf16)")
        if annotator is not None and (type(annotator) is not str or not annotator.strip()):
            raise StoreError(f"annotator must be a non-empty name, got {annotator!r}")
        self.corpus = corpus if isinstance(corpus, Corpus) else Corpus(list(corpus))
        self.fmt = fmt
        self.offsets = offsets
        self.annotator = annotator or _login_name()
        self.now = now
        self._by_hash: dict[str, list[Article]] | None = None
        self.plan = ImportPlan(fmt=fmt or "hamish")
        self.problems: list[str] = []
        self._seen: set[tuple] = set()

    # ---- articles ---------------------------------------------------------------------------

    def _article_by_text(self, text: str) -> Article:
        if self._by_hash is None:
            self._by_hash = {}
            for a in self.corpus:
                self._by_hash.setdefault(a.sha256, []).append(a)
        try:
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        except UnicodeEncodeError:
            raise _Problem("the text has a lone surrogate") from None
        found = self._by_hash.get(digest, [])
        if len(found) == 1:
            return found[0]
        if not found:
            raise _Problem(
                "the record has no article id, and no article in the corpus has its text"
            )
        raise _Problem(f"the record has no article id, and {len(found)} articles have its text")

    def _article(self, article_id: Any, sha256: Any, text: Any) -> Article:
        if text is not None and not isinstance(text, str):
            raise _Problem(f'"text" is {_kind(text)}, not a string')
        if article_id is None:
            if text is None:
                raise _Problem("the record has neither an article id nor a text")
            article = self._article_by_text(text)
        else:
            if type(article_id) is int:
                article_id = str(article_id)
            if not isinstance(article_id, str) or not article_id.strip():
                raise _Problem(
                    f"the article id must be a non-empty string, not {json.dumps(article_id)}"
                )
            found = self.corpus.get(article_id)
            if found is None:
                raise _Problem(
                    f"unknown article {article_id!r}: it is not in the corpus (pass --corpus)"
                )
            article = found
        if sha256 is not None and sha256 != article.sha256:
            raise _Problem(
                f"article {article.id!r} has changed since this was exported (its sha256 is "
                f"{article.sha256[:12]}..., the record says {str(sha256)[:12]}...)"
            )
        if text is not None and text != article.text:
            raise _Problem(f"the record's text is not the text of article {article.id!r}")
        return article

    # ---- one record -------------------------------------------------------------------------

    def record(self, record: Any) -> None:
        if not isinstance(record, dict):
            raise _Problem(f"not a JSON object but {_kind(record)}")
        fmt = self.fmt
        if fmt is None:
            fmt = self.fmt = detect_format(record)
            if fmt is None:
                raise _Problem("cannot tell the format of this record (give --format)")
            self.plan.fmt = fmt
        meta = record.get("meta")
        if meta is not None and not isinstance(meta, dict):
            raise _Problem(f'"meta" is {_kind(meta)}, not an object')
        meta = meta or {}
        drifted_raw: list = []
        accepted = True
        if fmt == "hamish":
            if "id" not in record:
                raise _Problem('no "id" (format hamish)')
            if not isinstance(record.get("spans"), list):
                raise _Problem('no "spans" array (format hamish)')
            article = self._article(record["id"], meta.get("sha256"), record.get("text"))
            spans = [
                _span_from_dict(s, f"span {n}", True) for n, s in enumerate(record["spans"], 1)
            ]
            drifted_raw = meta.get("drifted") or []
            if not isinstance(drifted_raw, list):
                raise _Problem(f'"meta.drifted" is {_kind(drifted_raw)}, not an array')
        elif fmt == "prodigy":
            if "text" not in record:
                raise _Problem('no "text" (format prodigy)')
            raw = record.get("spans", [])
            if not isinstance(raw, list):
                raise _Problem(f'"spans" is {_kind(raw)}, not an array')
            article = self._article(
                meta.get("id", record.get("id")), meta.get("sha256"), record["text"]
            )
            spans = [_span_from_dict(s, f"span {n}", False) for n, s in enumerate(raw, 1)]
            answer = record.get("answer", "accept")
            if answer not in ("accept", "reject", "ignore"):
                raise _Problem(
                    f'"answer" must be accept, reject or ignore, not {json.dumps(answer)}'
                )
            accepted = answer == "accept"
        else:  # doccano
            article = self._article(record.get("id"), record.get("sha256"), record.get("text"))
            spans = _doccano_spans(record)

        offsets = meta.get("offsets")
        if offsets is not None and offsets not in ("codepoint", "utf16"):
            raise _Problem(f'"meta.offsets" must be codepoint or utf16, not {json.dumps(offsets)}')
        if offsets is not None and self.offsets is not None and offsets != self.offsets:
            raise _Problem(
                f"the record's offsets are {offsets}, but --offsets {self.offsets} was given"
            )
        from_utf16 = _from_utf16(article.text) if (offsets or self.offsets) == "utf16" else None

        problems = []
        anns = []
        for n, span in enumerate(spans, 1):
            try:
                anns.append(self._annotation(article, span, from_utf16))
            except _Problem as e:
                problems.append(f"span {n} ({_describe(span)}): {e}")
        for n, raw_span in enumerate(drifted_raw, 1):
            try:
                span = _span_from_dict(raw_span, "drifted annotation", True)
                anns.append(self._drifted(article, span))
            except _Problem as e:
                problems.append(f"drifted annotation {n}: {e}")
        if problems:
            raise _Problem("\n".join(problems))  # split into lines by the caller
        if not accepted:
            self.plan.not_accepted += len(anns)
            return
        for ann in anns:
            key = (ann.doc_id, ann.start, ann.end, ann.label, ann.annotator)
            if key in self._seen:
                self.plan.duplicates += 1
                continue
            self._seen.add(key)
            self.plan.annotations.append(ann)

    def _fields(self, span: _Span) -> dict[str, Any]:
        label = span.label
        if type(label) is not str or not label.strip():
            raise _Problem(
                f"the label must be a non-empty string, not {json.dumps(label, ensure_ascii=False)}"
            )
        annotator = self.annotator if span.annotator is None else span.annotator
        created = self.now if span.created is None else span.created
        updated = created if span.updated is None else span.updated
        return {
            "label": label,
            "annotator": annotator,
            "note": span.note,
            "created": created,
            "updated": updated,
            "origin": "manual" if span.origin is None else span.origin,
        }

    def _annotation(self, article: Article, span: _Span, from_utf16) -> Annotation:
        start, end = span.start, span.end
        for name, v in (("start", start), ("end", end)):
            if type(v) is not int:
                raise _Problem(
                    f"{name} must be an integer, not {json.dumps(v, ensure_ascii=False)}"
                )
        if from_utf16 is not None:
            start, end = from_utf16(start), from_utf16(end)
        text = article.text
        if not 0 <= start < end <= len(text):
            raise _Problem(
                f"the span {start}..{end} is not inside the text (0..{len(text)}, start < end)"
            )
        covered = text[start:end]
        if span.text is not None and span.text != covered:
            raise _Problem(
                f"the span says it covers {_quote(span.text)}, the article has {_quote(covered)} there"
            )
        return self._make(article.id, start, end, covered, article.sha256, span)

    def _drifted(self, article: Article, span: _Span) -> Annotation:
        # Drifted annotations keep their old offsets, old text and the hash of the text they were
        # made on: they cannot be checked against the current text, only for their own shape.
        if type(span.text) is not str:
            raise _Problem('"text" must be a string')
        if type(span.sha256) is not str or not span.sha256.strip():
            raise _Problem('"sha256" must be the hash of the text it was made on')
        return self._make(article.id, span.start, span.end, span.text, span.sha256, span)

    def _make(
        self, doc_id: str, start: Any, end: Any, text: str, sha256: str, span: _Span
    ) -> Annotation:
        values = self._fields(span)
        try:
            return Annotation(
                id=uuid.uuid4().hex,
                doc_id=doc_id,
                start=start,
                end=end,
                text=text,
                sha256=sha256,
                **values,
            )
        except AnnotationError as e:
            raise _Problem(str(e).removeprefix("invalid annotation: ")) from None


def _quote(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


def _describe(span: _Span) -> str:
    label = span.label if isinstance(span.label, str) else json.dumps(span.label)
    return f"{span.start}..{span.end} {label}"


def read_import(
    data: bytes,
    corpus: Iterable[Article],
    *,
    name: str = "<input>",
    fmt: str | None = None,
    offsets: str | None = None,
    annotator: str | None = None,
    now: str | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check a whole JSONL file (its bytes; ``name`` is used in the messages) against
    ``corpus``; the plan of what to add, or ImportRejected listing every problem."""
    now = now or datetime.now(UTC).isoformat(timespec="microseconds")
    reader = _Reader(corpus, fmt, offsets, annotator, now)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    total = len(lines)
    for number, raw in enumerate(lines, 1):
        if progress is not None and number % 256 == 0:
            progress(number, total)
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        try:
            try:
                record = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError as e:
                raise _Problem(f"not UTF-8 (byte {e.start}: {e.reason})") from None
            except ValueError as e:
                raise _Problem(f"not JSON ({e})") from None
            reader.plan.records += 1
            reader.record(record)
        except _Problem as e:
            reader.problems.extend(f"{where}: {line}" for line in str(e).split("\n"))
    if progress is not None:
        progress(total, total)
    if reader.problems:
        raise ImportRejected(reader.problems)
    reader.plan.fmt = reader.fmt or fmt or "hamish"
    return reader.plan


def import_annotations(
    source: str | os.PathLike[str] | bytes,
    corpus: Iterable[Article],
    db: AnnotationStore | str | os.PathLike[str] | None,
    *,
    fmt: str | None = None,
    offsets: str | None = None,
    annotator: str | None = None,
    progress: Progress | None = None,
    name: str | None = None,
) -> ImportSummary:
    """Check ``source`` (a JSONL file path, or its bytes) and, only if every line is good, add
    its annotations to ``db`` (a writable store, or a path: opened for writing, created if
    missing; None: the default store) in one atomic step. Raises ImportRejected (the store was
    not opened), or the store's own errors (locked, corrupt)."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        name = name or "<input>"
    else:
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise StoreError(f"cannot read {path}: {e.strerror or e}") from e
        name = name or str(path)
    plan = read_import(
        data, corpus, name=name, fmt=fmt, offsets=offsets, annotator=annotator, progress=progress
    )
    summary = ImportSummary(
        fmt=plan.fmt,
        records=plan.records,
        not_accepted=plan.not_accepted,
        duplicates=plan.duplicates,
    )
    if isinstance(db, AnnotationStore):
        store, opened = db, False
    else:
        store, opened = AnnotationStore(db), True
    try:
        existing: dict[str, set[tuple]] = {}
        new = []
        for ann in plan.annotations:
            keys = existing.get(ann.doc_id)
            if keys is None:
                keys = existing[ann.doc_id] = {
                    (a.start, a.end, a.label, a.annotator) for a in store.annotations(ann.doc_id)
                }
            if (ann.start, ann.end, ann.label, ann.annotator) in keys:
                summary.duplicates += 1
                continue
            new.append(ann)
        summary.added = store.restore_many(new) if new else 0
    finally:
        if opened:
            store.close()
    return summary
