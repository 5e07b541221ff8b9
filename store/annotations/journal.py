"""The journal: one line per change, ``<crc32 hex> <json>\\n``, appended and fdatasync'd.

The JSON has a ``seq`` number. A damaged *last* line is a torn write (crash) and is ignored; a
damaged line followed by good ones is corruption.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from .errors import Bad
from .records import is_int


def encode_op(op: dict[str, Any]) -> bytes:
    body = json.dumps(op, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return b"%08x " % zlib.crc32(body) + body + b"\n"


def decode_line(line: bytes) -> dict[str, Any] | None:
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
    if not isinstance(op, dict) or not is_int(op.get("seq")):
        return None
    return op


@dataclass
class JournalScan:
    ops: list[dict[str, Any]]
    good_size: int  # bytes of the intact prefix; anything after it is a torn tail
    total_size: int


def scan_journal(data: bytes) -> JournalScan:
    """Split the journal into intact ops and a torn tail; Bad if a damaged line is followed by
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
        op = decode_line(data[pos:end]) if nl >= 0 else None
        if op is None:
            if first_bad is None:
                first_bad = (lineno, pos)
        else:
            if first_bad is not None:
                bad_line, bad_off = first_bad
                raise Bad(
                    f"line {bad_line} (byte offset {bad_off}) is damaged but line {lineno} after "
                    "it is intact, so this is not a torn final write"
                )
            ops.append(op)
            good_size = nl + 1
        pos = end + 1
    return JournalScan(ops, good_size, n)
