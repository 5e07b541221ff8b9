"""Drive a real terminal: tmux runs a command, we type with send-keys and read with capture-pane."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
import uuid

TMUX = shutil.which("tmux")


class Tmux:
    def __init__(self, command: list[str] | str, width: int = 100, height: int = 40, env: dict | None = None, cwd: str | None = None):
        if TMUX is None:
            raise RuntimeError("tmux is missing: apt-get install tmux")
        self.name = f"hamish-test-{uuid.uuid4().hex[:8]}"
        self.socket = f"{self.name}-sock"
        cmd = command if isinstance(command, str) else " ".join(_quote(c) for c in command)
        # HAMISH_TERMINAL: tmux's own screen is what these tests read (visual order), whatever
        # terminal runs the tests; a test of the detection sets it otherwise.
        full_env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", HAMISH_TERMINAL="visual")
        full_env.update(env or {})
        full_env.pop("TMUX", None)
        # pytest-xdist's workers run with COLUMNS=80 LINES=24 in their environment; passed on,
        # they win over the pane's real size (shutil.get_terminal_size reads them first), and
        # the program draws an 80x24 screen in a 100x40 pane. The pane's size is the truth.
        full_env.pop("COLUMNS", None)
        full_env.pop("LINES", None)
        self._env = full_env
        self._tmux("new-session", "-d", "-x", str(width), "-y", str(height), "-s", self.name, *(["-c", cwd] if cwd else []), cmd)
        self._tmux("set-option", "-t", self.name, "remain-on-exit", "on")

    def _tmux(self, *args: str) -> str:
        return subprocess.run(
            [TMUX, "-u", "-L", self.socket, *args], capture_output=True, check=True, env=self._env
        ).stdout.decode("utf-8")

    def capture(self, history: bool = False) -> list[str]:
        args = ["capture-pane", "-p", "-t", self.name]
        if history:
            args += ["-S", "-", "-E", "-"]
        return self._tmux(*args).split("\n")

    def send_keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", self.name, *keys)

    def wait_for(
        self, predicate, timeout: float = 20.0, history: bool = False, settle: float = 0.0
    ) -> list[str]:
        """The screen once ``predicate(screen)`` holds. ``settle``: and once the screen has
        not changed for that many seconds (a screen caught between two paints, or before the
        layout's last pass, is not what the program shows)."""
        deadline = time.monotonic() + timeout
        same_since, last = None, None
        while True:
            screen = self.capture(history)
            now = time.monotonic()
            if predicate(screen):
                if screen != last:
                    same_since, last = now, screen
                if now - same_since >= settle:
                    return screen
            else:
                same_since, last = None, None
            if now > deadline:
                raise AssertionError("timed out waiting; screen was:\n" + "\n".join(screen))
            time.sleep(0.05 if settle else 0.1)

    def pane_dead(self) -> bool:
        return self._tmux("display-message", "-p", "-t", self.name, "#{pane_dead}").strip() == "1"

    def close(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], capture_output=True)

    def __enter__(self) -> "Tmux":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)
