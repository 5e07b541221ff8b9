"""CI: the installed app in a real terminal (tmux, 100x40), as a person starts it.

    python .ci/app_smoke.py /path/to/bin/hamish /path/to/installed/hamish/seeds

`hamish` with no arguments opens the bundled articles: the library must list every one of them
(each file's id on screen, the count in the title), and Enter must open the first in the reader
(its position shows "1 of N" and the status line names the first word's span). What is expected
comes from the installed article files, not from Hamish's code. Standard library only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

TIMEOUT = 60  # seconds for each screen (a cold start on a slow machine)


class Terminal:
    def __init__(self, command: list[str], cwd: str) -> None:
        tmux = shutil.which("tmux")
        if tmux is None:
            sys.exit("app smoke test: tmux is not installed")
        self.tmux = tmux
        self.socket = f"hamish-ci-{uuid.uuid4().hex[:8]}"
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "COLUMNS", "LINES")}
        self.env = dict(env, LANG="C.UTF-8", LC_ALL="C.UTF-8", TERM="xterm-256color")
        line = " ".join(_quote(c) for c in command)
        self._run("new-session", "-d", "-x", "100", "-y", "40", "-s", "ci", "-c", cwd, line)
        self._run("set-option", "-t", "ci", "remain-on-exit", "on")

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [self.tmux, "-u", "-L", self.socket, *args],
            capture_output=True,
            env=self.env,
            check=True,
        )
        return done.stdout.decode("utf-8", "replace")

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", "ci")

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", "ci", *keys)

    def wait(self, check, what: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        while True:
            screen = self.screen()
            if check(screen):
                return screen
            if time.monotonic() > deadline:
                sys.exit(f"app smoke test: {what}; the screen was:\n{screen}")
            time.sleep(0.2)

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)


def _quote(s: str) -> str:
    import shlex

    return shlex.quote(s)


def main(hamish: str, seeds: str) -> None:
    articles = sorted(Path(seeds).glob("*.txt"))
    if not articles:
        sys.exit(f"app smoke test: no bundled articles in {seeds}")
    ids = [p.stem for p in articles]
    n = len(ids)
    first_word = re.search(r"\S+", articles[0].read_text(encoding="utf-8"))
    assert first_word is not None
    span = f"{first_word.start()}–{first_word.end()}:"
    cwd = os.environ.get("TMPDIR", "/tmp")
    # Under a shell that prints hamish's exit status: tmux 3.3a, run straight on hamish, left
    # the exited app unreaped (a zombie, #{pane_dead_status} empty) in about 3 runs of 4.
    term = Terminal(["sh", "-c", '"$@"; echo "hamish exited with status $?"', "sh", hamish], cwd)
    try:
        term.wait(
            lambda s: f"{n} of {n} articles" in s and all(i in s for i in ids),
            f"the library did not show the {n} bundled articles ({', '.join(ids)})",
        )
        print(f"app: the library lists the {n} bundled articles")
        term.keys("Enter")
        term.wait(
            lambda s: f"1 of {n}" in s and re.search(rf"^\s*{re.escape(span)}", s, re.M),
            f"Enter did not open {ids[0]} in the reader (its first word is {span})",
        )
        print(f"app: Enter opens {ids[0]} in the reader, the cursor on its first word")
        term.keys("C-q")
        screen = term.wait(lambda s: "hamish exited with status" in s, "Ctrl+Q did not quit")
        status = re.search(r"hamish exited with status (\S+)", screen)
        if status is None or status.group(1) != "0":
            sys.exit(f"app smoke test: hamish did not exit with status 0:\n{screen}")
        print("app: Ctrl+Q quits, status 0")
    finally:
        term.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
