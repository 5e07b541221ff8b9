"""Run a program in a pseudo-terminal of a fixed size and time its first paint.

The rule, the same for every program measured: the clock starts just before the child is
spawned and stops when a known string of its first screen (``marker``) has been read from the
terminal, i.e. when the frame holding it has been written. Textual writes a frame in one go,
so the rest of that frame follows within the same read.

Peak RSS is ``VmHWM`` of the child (``/proc/PID/status``) read once its first paint is done and
its resident size has stopped growing; the child is then killed.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class PaintRun:
    first_paint_s: float  # spawn -> marker read
    first_output_s: float  # spawn -> first byte written to the terminal
    peak_rss_kb: int | None  # VmHWM when asked for
    output_bytes: int


def python_argv(code: str, *args: str) -> list[str]:
    """``python -c CODE ARGS``: the interpreter running the tests, with no extra flags."""
    return [sys.executable, "-c", code, *args]


def _vm_kb(pid: int, key: str) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def first_paint(
    argv: list[str],
    marker: str,
    *,
    size: tuple[int, int] = (100, 30),
    timeout: float = 60.0,
    env: dict[str, str] | None = None,
    peak_rss: bool = False,
    settle_s: float = 0.5,
) -> PaintRun:
    """Spawn ``argv`` in a ``size`` = (columns, rows) pty and wait for ``marker`` on its screen.

    With ``peak_rss``, keep the child running (draining its output) until its VmHWM has not
    grown for ``settle_s``, then read it. The child and its process group are killed at the end.
    """
    cols, rows = size
    needle = marker.encode("utf-8")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    child_env = dict(os.environ if env is None else env)
    child_env.setdefault("TERM", "xterm-256color")
    child_env.pop("COLUMNS", None)
    child_env.pop("LINES", None)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=child_env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    buf = bytearray()
    first_out = painted = None
    try:
        deadline = t0 + timeout
        while painted is None:
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = bytes(buf[-400:]).decode("utf-8", "replace")
                raise TimeoutError(
                    f"{marker!r} never appeared on {argv[-1]!r}'s screen; last output: {tail!r}"
                )
            ready, _, _ = select.select([master], [], [], min(left, 0.5))
            if not ready:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"{argv} exited with {proc.returncode} before painting: "
                        f"{bytes(buf[-400:]).decode('utf-8', 'replace')!r}"
                    )
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                chunk = b""
            if not chunk:
                raise RuntimeError(
                    f"{argv} closed its terminal before painting: "
                    f"{bytes(buf[-400:]).decode('utf-8', 'replace')!r}"
                )
            now = time.perf_counter()
            if first_out is None:
                first_out = now
            # search only the new bytes plus enough of the old ones for a marker cut in two
            start = max(0, len(buf) - len(needle))
            buf += chunk
            if buf.find(needle, start) >= 0:
                painted = now
        rss = None
        if peak_rss:
            rss = _settle_rss(proc.pid, master, settle_s, deadline=time.perf_counter() + timeout)
        return PaintRun(painted - t0, (first_out or painted) - t0, rss, len(buf))
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()
        os.close(master)


def _settle_rss(pid: int, master: int, settle_s: float, deadline: float) -> int | None:
    last = _vm_kb(pid, "VmHWM")
    stable_since = time.perf_counter()
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([master], [], [], 0.05)
        if ready:
            try:
                os.read(master, 1 << 16)
            except OSError:
                break
        now_kb = _vm_kb(pid, "VmHWM")
        if now_kb != last:
            last, stable_since = now_kb, time.perf_counter()
        elif time.perf_counter() - stable_since >= settle_s:
            break
    return last
