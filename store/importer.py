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

import hashlib
import json
import os
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .annotations import Annotation, AnnotationError, AnnotationStore, StoreError
from .corpus import Article, Corpus
from .jsonl import JsonProblem, json_type, jsonl_records, loads, read_file
from .login import login_name
from .offsets import utf16_offsets

__all__ = [
    "IMPORT_FORMATS",
    "ImportPlan",
    "ImportRejected",
    "ImportSummary",
    "detect_format",
    "import_annotations",
    "read_import",
]

IMPORT_FORMATS = ("hamish", "prodigy", "doccano", "labelstudio")

# An annotation id from a file: what Hamish makes (uuid4 hex) and what other tools' ids look like.
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,128}")

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
    """A checked file: the annotations it holds, ready for the store. An annotation keeps the
    id the file gives it (format hamish: its identity, so a re-import finds it again); spans
    without one get a new id. ``states``: done marks and reading positions (format hamish)."""

    fmt: str
    records: int = 0
    annotations: list[Annotation] = field(default_factory=list)
    not_accepted: int = 0  # Prodigy spans of tasks answered "reject" or "ignore"
    duplicates: int = 0  # spans that occur twice in the file (imported once)
    states: dict[str, dict[str, Any]] = field(default_factory=dict)
    with_id: set[str] = field(default_factory=set)  # ids that came from the file


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


@dataclass
class ImportSummary:
    """What an import did. ``replaced``: annotations already in the store (same id) whose note,
    label or place differed, replaced by the file's version because it is as new or newer
    (``changes`` counts what differed); ``kept``: such annotations left as the store has them,
    because the store's version is newer; ``states``: articles whose done mark or reading
    position was set."""

    fmt: str
    records: int = 0
    added: int = 0
    duplicates: int = 0
    not_accepted: int = 0
    replaced: int = 0
    kept: int = 0
    states: int = 0
    changes: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        text = (
            f"{_plural(self.added, 'annotation')} imported from "
            f"{_plural(self.records, 'record')} ({self.fmt})"
        )
        if self.replaced:
            what = ", ".join(f"{n} {kind}" for kind, n in sorted(self.changes.items()))
            text += (
                f"; {self.replaced} already in the store updated from the file ({what} "
                "differed; the file's version is as new or newer)"
            )
        if self.kept:
            text += (
                f"; {self.kept} differing from the store's kept as the store has them (the "
                "store's version is newer)"
            )
        if self.duplicates:
            text += f"; {self.duplicates} already in the store, skipped"
        if self.not_accepted:
            text += f"; {self.not_accepted} in tasks not accepted, skipped"
        if self.states:
            text += f"; done marks or reading positions set for {_plural(self.states, 'article')}"
        return text


def detect_format(record: Any) -> str | None:
    """Which format a record looks like: hamish, prodigy, doccano, or None."""
    if not isinstance(record, dict):
        return None
    if isinstance(record.get("data"), dict) and (
        "annotations" in record or "predictions" in record or "text" in record["data"]
    ):
        return "labelstudio"
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
    maps = utf16_offsets(text)
    if maps is None:
        return None

    def convert(u: int) -> int:
        try:
            return maps.from_utf16(u)
        except ValueError as e:
            raise _Problem(str(e)) from None

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
    origin: Any = None  # (None: manual, as in exports from before origins)
    id: Any = None  # format hamish: the annotation's identity


def _span_from_dict(d: Any, where: str, hamish: bool) -> _Span:
    if not isinstance(d, dict):
        raise _Problem(f"{where} is {json_type(d)}, not an object")
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
        span.id = d.get("id")
    return span


def _labelstudio_spans(task: dict) -> list[_Span]:
    """Spans of a Label Studio task: its annotations' results of type labels, one span per
    label of a region, with the region's note (``meta.text``) and annotator (the region's
    ``annotator``, else the annotation's ``completed_by`` when it is a name or e-mail). Other
    result types (choices, relations...) are not spans: ignored; cancelled annotations too."""
    spans: list[_Span] = []
    annotations = task.get("annotations", [])
    if not isinstance(annotations, list):
        raise _Problem(f'"annotations" is {json_type(annotations)}, not an array')
    for n, annotation in enumerate(annotations, 1):
        if not isinstance(annotation, dict):
            raise _Problem(f"annotation {n} is {json_type(annotation)}, not an object")
        if annotation.get("was_cancelled"):
            continue
        by = annotation.get("completed_by")
        if isinstance(by, dict):
            by = by.get("email") or by.get("username")
        result = annotation.get("result", [])
        if not isinstance(result, list):
            raise _Problem(f'annotation {n}: "result" is {json_type(result)}, not an array')
        for m, region in enumerate(result, 1):
            where = f"annotation {n} result {m}"
            if not isinstance(region, dict):
                raise _Problem(f"{where} is {json_type(region)}, not an object")
            if region.get("type") not in ("labels", "hypertextlabels"):
                continue
            value = region.get("value")
            if not isinstance(value, dict):
                raise _Problem(f'{where}: "value" is {json_type(value)}, not an object')
            labels = value.get("labels")
            if not isinstance(labels, list) or not labels:
                raise _Problem(f'{where}: "value.labels" must be a non-empty array of labels')
            for key in ("start", "end"):
                if key not in value:
                    raise _Problem(f"{where} has no value.{key}")
            meta = region.get("meta")
            note = None
            if isinstance(meta, dict) and isinstance(meta.get("text"), list) and meta["text"]:
                note = "\n".join(str(t) for t in meta["text"])
            who = region.get("annotator")  # Hamish writes it; Label Studio keeps it
            if not (isinstance(who, str) and who.strip()):
                who = by if isinstance(by, str) and by.strip() else None
            for label in labels:
                span = _Span(value["start"], value["end"], label, value.get("text"))
                span.note = note
                span.annotator = who
                spans.append(span)
    return spans


def _doccano_spans(record: dict) -> list[_Span]:
    spans: list[_Span] = []
    if "entities" in record and not ("label" in record or "labels" in record):
        entities = record["entities"]
        if not isinstance(entities, list):
            raise _Problem(f'"entities" is {json_type(entities)}, not an array')
        for n, e in enumerate(entities, 1):
            if not isinstance(e, dict):
                raise _Problem(f"entity {n} is {json_type(e)}, not an object")
            for key in ("start_offset", "end_offset", "label"):
                if key not in e:
                    raise _Problem(f"entity {n} has no {key!r}")
            spans.append(_Span(e["start_offset"], e["end_offset"], e["label"]))
        return spans
    key = "label" if "label" in record else "labels"
    labels = record.get(key)
    if not isinstance(labels, list):
        raise _Problem(f"{key!r} is {json_type(labels)}, not an array of [start, end, label]")
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
        self.annotator = annotator or login_name()
        self.now = now
        self._by_hash: dict[str, list[Article]] | None = None
        self.plan = ImportPlan(fmt=fmt or "hamish")
        self.problems: list[str] = []
        self._seen: dict[tuple, Annotation] = {}

    # ---- articles ---------------------------------------------------------------------------

    def _article_by_text(self, text: str, article_id: Any = None) -> Article:
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
        which = (
            "the record has no article id"
            if article_id is None
            else f"the record's id {json.dumps(article_id, ensure_ascii=False)} is not an "
            "article of the corpus"
        )
        if not found:
            raise _Problem(f"{which}, and no article in the corpus has its text (pass --corpus)")
        raise _Problem(f"{which}, and {len(found)} articles have its text")

    def _article(self, article_id: Any, sha256: Any, text: Any, by_text: bool = False) -> Article:
        """The record's article: by id; by text when it has no id, or (``by_text``: formats
        whose tools put their own ids on records, doccano, Label Studio) when its id is not in
        the corpus."""
        if text is not None and not isinstance(text, str):
            raise _Problem(f'"text" is {json_type(text)}, not a string')
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
            if found is None and by_text and text is not None:
                found = self._article_by_text(text, article_id)
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
            raise _Problem(f"not a JSON object but {json_type(record)}")
        fmt = self.fmt
        if fmt is None:
            fmt = self.fmt = detect_format(record)
            if fmt is None:
                raise _Problem("cannot tell the format of this record (give --format)")
            self.plan.fmt = fmt
        meta = record.get("meta")
        if meta is not None and not isinstance(meta, dict):
            raise _Problem(f'"meta" is {json_type(meta)}, not an object')
        meta = meta or {}
        drifted_raw: list = []
        accepted = True
        state: dict[str, Any] = {}
        offsets = meta.get("offsets")
        offsets_key = '"meta.offsets"'
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
                raise _Problem(f'"meta.drifted" is {json_type(drifted_raw)}, not an array')
            state = self._state(meta, article)
        elif fmt == "prodigy":
            if "text" not in record:
                raise _Problem('no "text" (format prodigy)')
            raw = record.get("spans", [])
            if not isinstance(raw, list):
                raise _Problem(f'"spans" is {json_type(raw)}, not an array')
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
        elif fmt == "labelstudio":
            data = record.get("data")
            if not isinstance(data, dict):
                raise _Problem('no "data" object (format labelstudio: a Label Studio task)')
            if not isinstance(data.get("text"), str):
                raise _Problem('no "data.text" string (format labelstudio)')
            article = self._article(data.get("id"), data.get("sha256"), data["text"], by_text=True)
            spans = _labelstudio_spans(record)
            offsets = "codepoint"  # Label Studio counts code points
        else:  # doccano: the unit is a top-level key (doccano keeps unknown keys)
            article = self._article(
                record.get("id"), record.get("sha256"), record.get("text"), by_text=True
            )
            spans = _doccano_spans(record)
            if "offsets" in record:
                offsets, offsets_key = record["offsets"], '"offsets"'
            elif offsets is None and self.offsets is None:
                offsets = "utf16"  # what doccano's editor counts

        if offsets is not None and offsets not in ("codepoint", "utf16"):
            raise _Problem(
                f"{offsets_key} must be codepoint or utf16, not "
                f"{json.dumps(offsets, ensure_ascii=False)}"
            )
        if offsets is not None and self.offsets is not None and offsets != self.offsets:
            raise _Problem(
                f"the record's offsets are {offsets}, but --offsets {self.offsets} was given"
            )
        unit = self.offsets if offsets is None else offsets
        from_utf16 = _from_utf16(article.text) if unit == "utf16" else None

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
        if state:
            self.plan.states[article.id] = state
        hamish = fmt == "hamish"
        for ann in anns:
            if ann.id in self.plan.with_id:
                key: tuple = ("id", ann.id)
                if key in self._seen:
                    if self._seen[key] != ann:
                        raise _Problem(
                            f"annotation id {ann.id} occurs twice in the file with different "
                            "content"
                        )
                    self.plan.duplicates += 1
                    continue
                self._seen[key] = ann
            else:
                key = _content_key(ann, hamish)
                if key in self._seen:
                    self.plan.duplicates += 1
                    continue
                self._seen[key] = ann
            self.plan.annotations.append(ann)

    def _state(self, meta: dict, article: Article) -> dict[str, Any]:
        state: dict[str, Any] = {}
        if "done" in meta:
            done = meta["done"]
            if type(done) is not bool:
                raise _Problem(f'"meta.done" must be true or false, not {json.dumps(done)}')
            if done:
                state["done"] = True
        if "cursor" in meta:
            cursor = meta["cursor"]
            if cursor is not None:
                if type(cursor) is not int or not 0 <= cursor <= len(article.text):
                    raise _Problem(
                        f'"meta.cursor" must be an offset in the text (0..{len(article.text)}), '
                        f"not {json.dumps(cursor)}"
                    )
                state["cursor"] = cursor
        return state

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

    def _offsets(self, span: _Span, from_utf16=None) -> tuple[int, int]:
        start, end = span.start, span.end
        for name, v in (("start", start), ("end", end)):
            if type(v) is not int:
                raise _Problem(
                    f"{name} must be an integer, not {json.dumps(v, ensure_ascii=False)[:40]}"
                )
        if from_utf16 is not None:
            if not 0 <= start <= end <= _MAX_OFFSET:
                raise _Problem(f"the span {start}..{end} is not a span of any text")
            start, end = from_utf16(start), from_utf16(end)
        return start, end

    def _annotation(self, article: Article, span: _Span, from_utf16) -> Annotation:
        start, end = self._offsets(span, from_utf16)
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
        # Drifted annotations keep their old offsets, old text and the hash of the text they
        # were made on. That text is gone, so what can be checked is checked as strictly as a
        # live span: integer offsets that a text of at most _MAX_OFFSET characters has,
        # start < end, a text exactly that long, a hash in the form Hamish writes; and if the
        # hash is the current article's, the "drifted" span must be a live one (it is not
        # drifted at all: it must cover its text).
        if type(span.text) is not str:
            raise _Problem('"text" must be a string')
        sha256 = span.sha256
        if type(sha256) is not str or not _SHA256.fullmatch(sha256):
            raise _Problem('"sha256" must be the hex sha256 of the text it was made on')
        if sha256 == article.sha256:
            return self._annotation(article, span, None)
        start, end = self._offsets(span)
        if not 0 <= start < end <= _MAX_OFFSET:
            raise _Problem(
                f"the span {start}..{end} is not a span of any text Hamish reads "
                f"(0 <= start < end <= {_MAX_OFFSET})"
            )
        if len(span.text) != end - start:
            raise _Problem(
                f"its text has {len(span.text)} characters but the span {start}..{end} covers "
                f"{end - start}"
            )
        return self._make(article.id, start, end, span.text, sha256, span)

    def _make(
        self, doc_id: str, start: Any, end: Any, text: str, sha256: str, span: _Span
    ) -> Annotation:
        values = self._fields(span)
        ann_id = span.id
        if ann_id is None:
            ann_id = uuid.uuid4().hex
        elif type(ann_id) is not str or not _ID.fullmatch(ann_id):
            raise _Problem(
                f'"id" must be 1 to 128 letters, digits or _.:- characters, not '
                f"{json.dumps(ann_id, ensure_ascii=False)[:60]}"
            )
        try:
            ann = Annotation(
                id=ann_id,
                doc_id=doc_id,
                start=start,
                end=end,
                text=text,
                sha256=sha256,
                **values,
            )
        except AnnotationError as e:
            raise _Problem(str(e).removeprefix("invalid annotation: ")) from None
        if span.id is not None:
            self.plan.with_id.add(ann_id)
        return ann


def _content_key(ann: Annotation, with_note: bool) -> tuple:
    """What makes two annotations without ids the same: article, span, label and annotator
    (and the note, for format hamish, which carries notes: two annotations of one span that
    differ in their note are two annotations)."""
    key = (ann.doc_id, ann.start, ann.end, ann.label, ann.annotator)
    return key + (ann.note,) if with_note else key


_SHA256 = re.compile(r"[0-9a-f]{64}")
# The largest offset any article can have: a text larger than this is not read (1 GiB of
# characters; the corpus reads files into memory whole).
_MAX_OFFSET = 1 << 30


def _quote(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


def _describe(span: _Span) -> str:
    label = span.label if isinstance(span.label, str) else json.dumps(span.label)
    return f"{span.start}..{span.end} {label}"


def _parse_json(raw: bytes) -> Any:
    """One JSON value from UTF-8 bytes, with the shared reader's limits; _Problem otherwise."""
    try:
        return loads(raw)
    except JsonProblem as e:
        raise _Problem(str(e)) from None


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
    """Check a whole file (its bytes; ``name`` is used in the messages) against ``corpus``: JSONL
    (hamish, Prodigy, doccano), or a JSON array of Label Studio tasks (what Label Studio's JSON
    export writes, and format labelstudio's tasks.json). The plan of what to add, or
    ImportRejected listing every problem."""
    now = now or datetime.now(UTC).isoformat(timespec="microseconds")
    reader = _Reader(corpus, fmt, offsets, annotator, now)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.lstrip()[:1] == b"[":
        _read_array(reader, data, name, progress)
    else:
        _read_lines(reader, data, name, progress)
    if reader.problems:
        raise ImportRejected(reader.problems)
    reader.plan.fmt = reader.fmt or fmt or "hamish"
    return reader.plan


def _read_lines(reader: _Reader, data: bytes, name: str, progress: Progress | None) -> None:
    for number, record, problem in jsonl_records(data, progress=progress):
        where = f"{name}:{number}"
        try:
            if problem is not None:
                raise _Problem(problem)
            reader.plan.records += 1
            reader.record(record)
        except _Problem as e:
            reader.problems.extend(f"{where}: {line}" for line in str(e).split("\n"))


def _read_array(reader: _Reader, data: bytes, name: str, progress: Progress | None) -> None:
    """A JSON array of records (a Label Studio export): problems name the task's position."""
    try:
        tasks = _parse_json(data)
    except _Problem as e:
        reader.problems.append(f"{name}: {e}")
        return
    if not isinstance(tasks, list):  # (cannot happen: it starts with "[")
        reader.problems.append(f"{name}: not a JSON array")
        return
    total = len(tasks)
    for number, task in enumerate(tasks, 1):
        if progress is not None and number % 256 == 0:
            progress(number, total)
        try:
            reader.plan.records += 1
            reader.record(task)
        except _Problem as e:
            where = f"{name}: task {number}"
            reader.problems.extend(f"{where}: {line}" for line in str(e).split("\n"))
    if progress is not None:
        progress(total, total)


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
    """Check ``source`` (a file path, or its bytes) and, only if every record is good, add its
    annotations to ``db`` (a writable store, or a path: opened for writing, created if missing;
    None: the default store) in one atomic step. Raises ImportRejected (the store was not
    opened), or the store's own errors (locked, corrupt).

    An annotation's identity is its id, when the file gives one (format hamish): one already in
    the store is skipped if it is the same in every field, replaced if it differs and the
    file's ``updated`` is as new or newer, kept as the store has it otherwise (each counted in
    the summary). A span without an id is skipped when the store has one like it (same article,
    span, label and annotator, and for format hamish the same note). Done marks and reading
    positions of format hamish are set in the same step (a done mark is never taken away, a
    reading position only set where the store has none)."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source)
        name = name or "<input>"
    else:
        path = Path(source)
        try:
            data = read_file(path)
        except OSError as e:
            raise StoreError(f"cannot read {path}: {e.strerror or e}") from e
        except JsonProblem as e:
            raise ImportRejected([f"{path}: {e}"]) from None
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
        hamish = plan.fmt == "hamish"
        existing: dict[str, set[tuple]] = {}
        new = []
        for ann in plan.annotations:
            if ann.id in plan.with_id:
                old = store.get(ann.id)
                if old is None:
                    pass
                elif old == ann:
                    summary.duplicates += 1
                    continue
                elif ann.updated >= old.updated:
                    summary.replaced += 1
                    for kind in _differences(old, ann):
                        summary.changes[kind] = summary.changes.get(kind, 0) + 1
                else:
                    summary.kept += 1
                    continue
                new.append(ann)
                continue
            keys = existing.get(ann.doc_id)
            if keys is None:
                keys = existing[ann.doc_id] = {
                    _content_key(a, hamish) for a in store.annotations(ann.doc_id)
                }
            if _content_key(ann, hamish) in keys:
                summary.duplicates += 1
                continue
            new.append(ann)
        states = {}
        for doc_id, state in plan.states.items():
            old_state = store.article_state(doc_id)
            merged = dict(old_state)
            if state.get("done"):
                merged["done"] = True
            if "cursor" in state and old_state.get("cursor") is None:
                merged["cursor"] = state["cursor"]
            if merged != old_state:
                states[doc_id] = merged
        summary.states = len(states)
        if new or states:
            store.restore_many(new, replace=True, states=states)
        summary.added = len(new) - summary.replaced
    finally:
        if opened:
            store.close()
    return summary


def _differences(old: Annotation, new: Annotation) -> list[str]:
    kinds = []
    if old.note != new.note:
        kinds.append("note")
    if old.label != new.label:
        kinds.append("label")
    if (old.doc_id, old.start, old.end, old.sha256) != (new.doc_id, new.start, new.end, new.sha256):
        kinds.append("place")
    if not kinds:
        kinds.append("timestamp or annotator")
    return [k if k.endswith("annotator") else k for k in kinds]
