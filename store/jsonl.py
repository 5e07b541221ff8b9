"""JSON with limits, and the one JSONL reader (corpora and imports both read through it).

Python's ``json`` parses anything it is given: an array nested 200,000 deep ends in a
RecursionError, a 5,000-digit number in a ValueError about ``int`` conversion, a repeated key
silently keeps the last value. :func:`loads` refuses each of those with :class:`JsonProblem`,
whose message says what is wrong in words a person can act on (the caller adds the file and
line). The limits are generous for what Hamish reads (records a few levels deep, offsets and
counts) and far below what would hurt.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from typing import Any

MAX_DEPTH = 100  # arrays and objects inside each other
MAX_INT_DIGITS = 30  # an offset, a count or an id; 10**30 is far beyond any of them
MAX_FILE_BYTES = 1 << 30  # a JSONL corpus or an import file (a 67 MB one-line article is fine)

BOM = b"\xef\xbb\xbf"


class JsonProblem(ValueError):
    """The text is not JSON Hamish accepts; the message says why (without file or line)."""


def json_type(value: object) -> str:
    """What a parsed JSON value is, in words, for messages: "an object", "an array"..."""
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


def _int(digits: str) -> int:
    n = len(digits) - digits.startswith("-")
    if n > MAX_INT_DIGITS:
        raise JsonProblem(f"a number of {n:,} digits (at most {MAX_INT_DIGITS})")
    return int(digits)


def _constant(name: str) -> float:
    raise JsonProblem(f"{name}, which is not JSON")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise JsonProblem(f"the key {json.dumps(key)} twice in one object")
            seen.add(key)
    return obj


def _too_deep(limit: int) -> str:
    return f"arrays or objects nested more than {limit} deep"


def depth_of(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deeply arrays and objects nest in ``value`` (a scalar: 0), counted up to limit + 1,
    without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def loads(text: str | bytes, *, max_depth: int = MAX_DEPTH) -> Any:
    """``json.loads`` with limits: JsonProblem for text that is not UTF-8 or not JSON, nests
    deeper than ``max_depth``, holds a number of more than MAX_INT_DIGITS digits, NaN or
    Infinity, or repeats a key within an object."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            raise JsonProblem(f"not UTF-8 (byte {e.start}: {e.reason})") from None
    try:
        value = json.loads(text, parse_int=_int, parse_constant=_constant, object_pairs_hook=_pairs)
    except RecursionError:
        raise JsonProblem(_too_deep(max_depth)) from None
    except JsonProblem:
        raise
    except ValueError as e:  # json.JSONDecodeError, and anything a hook let through
        raise JsonProblem(f"not JSON ({e})") from None
    # Cheap test first: fewer brackets than the limit cannot nest deeper than it.
    if text.count("[") + text.count("{") > max_depth and depth_of(value, max_depth) > max_depth:
        raise JsonProblem(_too_deep(max_depth))
    return value


def read_file(path: str | os.PathLike[str], max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a file Hamish parses; JsonProblem if it is larger than ``max_bytes``
    (OSError if it cannot be read)."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size > max_bytes:
            raise JsonProblem(f"{size:,} bytes, more than the {max_bytes:,} Hamish reads")
        return f.read(max_bytes + 1)


def jsonl_records(
    data: bytes, *, progress: Callable[[int, int], None] | None = None
) -> Iterator[tuple[int, Any, str | None]]:
    """``(line number, value, None)`` for each line of JSONL ``data`` that parses, ``(line
    number, None, problem)`` for each that does not; blank lines are skipped, a UTF-8 byte order
    mark before the first line is ignored. ``progress(done, total)`` is called every 256 lines
    and at the end."""
    if data.startswith(BOM):  # a BOM before the first line is not part of its JSON
        data = data[3:]
    lines = data.split(b"\n")
    total = len(lines)
    for number, raw in enumerate(lines, 1):
        if progress is not None and number % 256 == 0:
            progress(number, total)
        if not raw.strip():
            continue
        try:
            value = loads(raw)
        except JsonProblem as e:
            yield number, None, str(e)
            continue
        yield number, value, None
    if progress is not None:
        progress(total, total)
