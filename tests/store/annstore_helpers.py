"""Helpers shared by the store tests (a uniquely named module, imported by the tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


WORKER = Path(__file__).with_name("crash_worker.py")
SHA = "a" * 64
ARTICLE = "قال وزير الخارجية اللبناني في بيروت اليوم إن الحكومة ستجتمع غداً."


def add_span(db, doc_id: str, start: int, end: int, label: str = "PER", **kw):
    """Add an annotation over ARTICLE[start:end]."""
    return db.add(doc_id, start, end, label, text=ARTICLE[start:end], sha256=SHA, **kw)


def run_worker(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(WORKER), *args], capture_output=True, text=True, timeout=timeout
    )


def start_worker(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def files_state(directory: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under directory: (mtime_ns, bytes)."""
    return {
        str(p.relative_to(directory)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }
