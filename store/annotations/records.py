"""The records of the store: an Annotation, an article's reading state, and their validation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, TypeGuard

from .errors import AnnotationError


def timestamp() -> str:
    """Now, as the ISO-8601 UTC timestamp the records carry."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


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
    # where it came from: "manual", or the suggester whose suggestion was accepted
    # ("suggested:quotes", "suggested:patterns"); records written before it existed are manual
    origin: str = "manual"

    def __post_init__(self) -> None:
        problem = _annotation_problem(self)
        if problem:
            raise AnnotationError(f"invalid annotation: {problem}")

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELDS}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | Any) -> Annotation:
        """Build from a dict with exactly the fields of to_dict() (``origin`` may be missing: a
        record from before it existed is "manual"); AnnotationError otherwise."""
        if type(data) is not dict and not isinstance(data, Mapping):
            raise AnnotationError(f"invalid annotation: expected an object, got {type_name(data)}")
        keys = data.keys()
        if keys == _FIELD_SET or keys == _FIELDS_BEFORE_ORIGIN:
            return cls(**data)
        missing = [k for k in _FIELDS if k not in data and k != "origin"]
        if missing:
            raise AnnotationError(f"invalid annotation: missing field(s) {', '.join(missing)}")
        extra = sorted(str(k) for k in data if k not in _FIELD_SET)
        if extra:
            raise AnnotationError(f"invalid annotation: unknown field(s) {', '.join(extra)}")
        return cls(**{k: data[k] for k in _FIELDS})


_FIELDS = tuple(f.name for f in fields(Annotation))
_FIELD_SET = frozenset(_FIELDS)
_FIELDS_BEFORE_ORIGIN = _FIELD_SET - {"origin"}


def is_int(v: Any) -> TypeGuard[int]:
    return type(v) is int  # bool is not an offset


def nonempty_str(v: Any) -> TypeGuard[str]:
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
    i, d, lab, h, who, o = a.id, a.doc_id, a.label, a.sha256, a.annotator, a.origin
    if (  # fast path: everything fine (this runs for every record when a store is opened;
        # the name checks are _name_ok written out, a third of the open time otherwise)
        type(i) is str
        and i
        and not i.isspace()
        and type(d) is str
        and d
        and not d.isspace()
        and type(lab) is str
        and lab
        and not lab.isspace()
        and type(h) is str
        and h
        and not h.isspace()
        and type(who) is str
        and who
        and not who.isspace()
        and type(o) is str
        and o
        and not o.isspace()
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
    for name in ("id", "doc_id", "label", "sha256", "annotator", "origin"):
        v = getattr(a, name)
        if type(v) is not str:
            return f"field {name!r} must be a string, not {type_name(v)}"
        if not v.strip():
            return f"field {name!r} must not be empty"
    for name in ("start", "end"):
        v = getattr(a, name)
        if not is_int(v):
            return f"field {name!r} must be an integer, not {type_name(v)}"
        if v < 0:
            return f"field {name!r} must be >= 0, got {v}"
    if a.start >= a.end:
        return f"start ({a.start}) must be less than end ({a.end})"
    if type(a.text) is not str:
        return f"field 'text' must be a string, not {type_name(a.text)}"
    if len(a.text) != a.end - a.start:
        return (
            f"text has {len(a.text)} characters but the span {a.start}..{a.end} "
            f"covers {a.end - a.start}"
        )
    if a.note is not None and type(a.note) is not str:
        return f"field 'note' must be a string or null, not {type_name(a.note)}"
    for name in ("created", "updated"):
        v = getattr(a, name)
        if not _timestamp_ok(v):
            return f"field {name!r} must be an ISO-8601 timestamp string, got {v!r}"
    return None


def check_label(label: Any) -> str:
    if not nonempty_str(label):
        raise AnnotationError(
            f"invalid annotation: label must be a non-empty string, got {label!r}"
        )
    return label


def check_note(note: Any) -> str | None:
    if note is not None and type(note) is not str:
        raise AnnotationError(
            f"invalid annotation: note must be a string or None, not {type_name(note)}"
        )
    return note


DEFAULT_STATE = {"cursor": None, "done": False}


def state_problem(cursor: Any, done: Any) -> str | None:
    if cursor is not None and (not is_int(cursor) or cursor < 0):
        return f"cursor must be None or an integer >= 0, got {cursor!r}"
    if type(done) is not bool:
        return f"done must be True or False, got {done!r}"
    return None


def rejection_problem(doc_id: Any, key: Any) -> str | None:
    """What is wrong with a rejected suggestion's record, or None."""
    if not nonempty_str(doc_id):
        return f"doc_id must be a non-empty string, got {doc_id!r}"
    if not nonempty_str(key):
        return f"key must be a non-empty string, got {key!r}"
    return None


def strip_prefix(e: Exception) -> str:
    msg = str(e)
    return msg[len("invalid annotation: ") :] if msg.startswith("invalid annotation: ") else msg
