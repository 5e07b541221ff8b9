"""The journal: one line per change, ``<crc32 hex> <json>\\n``, appended and fdatasync'd.

The JSON has a ``seq`` number. A last line without its newline is a torn write (a crash in the
middle of an append, never acknowledged) and is ignored; a complete line that fails its checksum,
or whose JSON is not an operation, is corruption, wherever it is: the store refuses it with a
message that names the line.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..jsonl import JsonProblem, loads
from .errors import Bad, BadLine
from .records import is_int


def encode_op(op: dict[str, Any]) -> bytes:
    body = json.dumps(op, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return b"%08x " % zlib.crc32(body) + body + b"\n"


MAX_JOURNAL_BYTES = 1 << 30  # folds keep it near 8 MiB; only failing folds let it grow


def read_journal(path: Path) -> bytes | None:
    """The journal's bytes (None: there is none); Bad if it is larger than Hamish reads."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        return None
    with f:
        size = os.fstat(f.fileno()).st_size
        if size > MAX_JOURNAL_BYTES:
            raise Bad(f"it is {size:,} bytes, more than the {MAX_JOURNAL_BYTES:,} Hamish reads")
        return f.read()


def line_problem(line: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """(op, None) for an intact journal line (without its newline), (None, problem) otherwise."""
    if len(line) < 10 or line[8:9] != b" ":
        return None, "it does not start with a checksum"
    body = line[9:]
    try:
        crc = int(line[:8], 16)
    except ValueError:
        return None, "it does not start with a checksum"
    if crc != zlib.crc32(body):
        return None, "its checksum does not match its contents"
    try:
        op = loads(body)
    except JsonProblem as e:
        return None, f"its checksum matches but it holds {e}"
    if not isinstance(op, dict) or not is_int(op.get("seq")):
        return None, "its checksum matches but it is not a journal operation"
    return op, None


def decode_line(line: bytes) -> dict[str, Any] | None:
    """The op of one journal line (without its newline), or None if the line is damaged."""
    return line_problem(line)[0]


@dataclass
class JournalScan:
    ops: list[dict[str, Any]]
    good_size: int  # bytes of the intact prefix; anything after it is a torn tail
    total_size: int


def scan_journal(data: bytes) -> JournalScan:
    """Split the journal into intact ops and a torn tail: the last line, when it has no newline
    (the one change a crash can leave half written). Any complete line that is damaged is
    corruption: BadLine, naming it, and nothing is dropped silently."""
    ops: list[dict[str, Any]] = []
    good_size = 0
    pos = 0
    lineno = 0
    n = len(data)
    while pos < n:
        lineno += 1
        nl = data.find(b"\n", pos)
        if nl < 0:  # the torn tail: a write that did not complete (never acknowledged)
            break
        op, problem = line_problem(data[pos:nl])
        if op is None:
            raise BadLine(
                f"line {lineno} (byte offset {pos}) is damaged: {problem}", lineno, len(ops)
            )
        ops.append(op)
        good_size = pos = nl + 1
    return JournalScan(ops, good_size, n)
