"""Real terminal emulators under Xvfb, the installed `hamish` in them, screenshots read by
Tesseract: what a person sees, judged by a reference nobody here wrote.

Each run opens one terminal (100x30 cells, DejaVu Sans Mono) on a private X display, runs one
scene in it — the reader on an article, the library, or `hamish cat` — takes a screenshot of the
screen (ImageMagick's `import`), and asks Tesseract's Arabic model what it reads there. The score
is the share of the Arabic words Tesseract recognised that are words of the text shown (after
taking harakat and tatweel away and joining the letter forms: what Tesseract writes), in percent.
A correct screen scores about 90; a mirrored one about 0.

    python -m tests.terminals.harness                 # every terminal and scene: a table
    python -m tests.terminals.harness xterm kitty     # some terminals
    python -m tests.terminals.harness --keep DIR      # and keep the screenshots in DIR

Debian packages: xvfb imagemagick tesseract-ocr tesseract-ocr-ara fonts-dejavu-core, and the
terminals (xterm sakura konsole kitty alacritty mlterm rxvt-unicode stterm; tmux).
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / "seeds"
ARTICLE = SEEDS / "004_2171f8ed50ffc6de.txt"
COLS, ROWS = 100, 30
FONT = "DejaVu Sans Mono"
SIZE = 14
SCREEN = "1600x1000x24"


@dataclass(frozen=True)
class Emulator:
    name: str  # as the table names it
    binary: str
    argv: tuple[str, ...]  # {cmd}: the shell command to run
    package: str
    tmux: bool = False  # the scene runs inside tmux inside the terminal
    tmux_conf: str = ""  # tmux's configuration (none: tmux's defaults)
    wait: float = 4.0  # seconds from start until the screen is drawn
    env: tuple[tuple[str, str], ...] = ()


EMULATORS = {
    e.name: e
    for e in [
        Emulator(
            "xterm",
            "xterm",
            ("-fa", FONT, "-fs", str(SIZE), "-geometry", f"{COLS}x{ROWS}+0+0", "-e", "sh", "-c", "{cmd}"),
            "xterm",
        ),
        Emulator(
            "VTE (sakura)",
            "sakura",
            ("--font", f"{FONT} {SIZE}", "--columns", str(COLS), "--rows", str(ROWS), "-x", "sh -c {qcmd}"),
            "libvte-2.91-0",
        ),
        Emulator(
            "VTE + tmux",
            "sakura",
            ("--font", f"{FONT} {SIZE}", "--columns", str(COLS), "--rows", str(ROWS), "-x", "sh -c {qcmd}"),
            "libvte-2.91-0",
            tmux=True,
        ),
        Emulator(
            "VTE + tmux, passthrough on",
            "sakura",
            ("--font", f"{FONT} {SIZE}", "--columns", str(COLS), "--rows", str(ROWS), "-x", "sh -c {qcmd}"),
            "libvte-2.91-0",
            tmux=True,
            tmux_conf="set -g allow-passthrough on\n",
        ),
        Emulator(
            "Konsole",
            "konsole",
            (
                "--nofork",
                "--hide-menubar",
                "--hide-tabbar",
                "-p",
                f"Font={FONT},{SIZE},-1,5,50,0,0,0,0,0",
                "-p",
                f"TerminalColumns={COLS}",
                "-p",
                f"TerminalRows={ROWS}",
                "-e",
                "sh",
                "-c",
                "{cmd}",
            ),
            "konsole",
            wait=7.0,
            env=(("QT_QPA_PLATFORM", "xcb"),),
        ),
        Emulator(
            "kitty",
            "kitty",
            (
                "-o",
                f"font_family={FONT}",
                "-o",
                f"font_size={SIZE}",
                "-o",
                "remember_window_size=no",
                "-o",
                f"initial_window_width={COLS}c",
                "-o",
                f"initial_window_height={ROWS}c",
                "sh",
                "-c",
                "{cmd}",
            ),
            "kitty",
            wait=7.0,
            env=(("LIBGL_ALWAYS_SOFTWARE", "1"),),
        ),
        Emulator(
            "Alacritty",
            "alacritty",
            (
                "-o",
                f"font.normal.family={FONT}",
                "-o",
                f"font.size={SIZE}",
                "-o",
                f"window.dimensions.columns={COLS}",
                "-o",
                f"window.dimensions.lines={ROWS}",
                "-e",
                "sh",
                "-c",
                "{cmd}",
            ),
            "alacritty",
            wait=6.0,
            env=(("LIBGL_ALWAYS_SOFTWARE", "1"),),
        ),
        Emulator(
            "mlterm",
            "mlterm",
            ("-w", str(SIZE + 5), f"--deffont={FONT}", "-g", f"{COLS}x{ROWS}+0+0", "-e", "sh", "-c", "{cmd}"),
            "mlterm",
        ),
        Emulator(
            "urxvt",
            "urxvt",
            ("-fn", f"xft:{FONT}:size={SIZE}", "-geometry", f"{COLS}x{ROWS}+0+0", "-e", "sh", "-c", "{cmd}"),
            "rxvt-unicode",
        ),
        Emulator(
            "st",
            "st",
            ("-f", f"{FONT}:size={SIZE}", "-g", f"{COLS}x{ROWS}+0+0", "-e", "sh", "-c", "{cmd}"),
            "stterm",
        ),
    ]
}

SCENES = ("reader", "library", "cat")
# harakat on tall letters (lam, alef with hamza, kaf, tah), shadda over a lam-alef: where a
# terminal draws a mark on the wrong cell or above the row, it shows here (looked at, not scored)
HARAKAT = (
    "قالَ الرئيسُ: إنَّ الطُّلّابَ لَكِنَّ كُتُبَهُمْ أَطْلَالٌ.\n"
    "لَا أُحِبُّ الظُّلْمَ، وَلَٰكِنَّ الْكِتَابَ مُفِيدٌ ١٢٣ (John).\n"
)


def scene_command(scene: str, hamish: str, db: str, extra: str = "") -> str:
    if scene == "reader":
        return f"{hamish} {extra} --db {db} {shlex.quote(str(ARTICLE))}"
    if scene == "library":
        return f"{hamish} {extra} --db {db} {shlex.quote(str(SEEDS))}"
    if scene == "terminal":  # what `hamish terminal` says there (looked at, not scored)
        return f"{hamish} terminal {extra}; sleep 600"
    if scene == "harakat":
        path = Path(db).parent / "harakat.txt"
        path.write_text(HARAKAT, encoding="utf-8")
        return f"{hamish} cat {extra} --width 60 {shlex.quote(str(path))}; sleep 600"
    # cat: the article, then nothing (the shell waits so the window stays)
    return f"{hamish} cat {extra} {shlex.quote(str(ARTICLE))}; sleep 600"


def expected_words(scene: str) -> set[str]:
    if scene == "harakat":
        return set(words(HARAKAT))
    if scene == "terminal":
        return set(words("قالَ الرئيسُ (John Smith): «لا» لـ ١٢٣ مقترحاً في 2024."))
    if scene == "library":
        texts = [p.read_text(encoding="utf-8").split("\n", 1)[0] for p in sorted(SEEDS.glob("*.txt"))]
    else:
        texts = [ARTICLE.read_text(encoding="utf-8")]
    return {w for t in texts for w in words(t)}


_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3]{2,}")


def words(text: str) -> list[str]:
    """Arabic words of ``text`` as Tesseract writes them: letters joined (presentation forms to
    letters), no harakat or tatweel."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text)
    return _ARABIC_WORD.findall(text)


def ocr(png: Path) -> str:
    return subprocess.run(
        ["tesseract", str(png), "-", "-l", "ara", "--psm", "6"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def score(text: str, wanted: set[str]) -> tuple[int, int]:
    """(recognised Arabic words that are words of the text, recognised Arabic words)."""
    found = words(text)
    return sum(w in wanted for w in found), len(found)


class Display:
    """A private Xvfb server."""

    def __init__(self, number: int = 97) -> None:
        self.name = f":{number}"
        self.proc = subprocess.Popen(
            ["Xvfb", self.name, "-screen", "0", SCREEN, "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(1.0)

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)

    def __enter__(self) -> Display:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def version(e: Emulator) -> str:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Version}", e.package], capture_output=True, text=True
    ).stdout
    return out.split("-")[0].split(":")[-1] if out else "?"


def shoot(
    display: Display,
    e: Emulator,
    scene: str,
    out: Path,
    hamish: str,
    extra: str = "",
    env_extra: dict[str, str] | None = None,
) -> Path:
    """Run ``scene`` in ``e`` on ``display``, screenshot it into ``out``/<name>-<scene>.png."""
    work = Path(tempfile.mkdtemp(prefix="hamish-shot-"))
    db = work / "db.json"
    cmd = scene_command(scene, hamish, str(db), extra)
    sock = f"hamish-shot-{os.getpid()}"
    if e.tmux:
        conf = work / "tmux.conf"
        conf.write_text(e.tmux_conf)
        cmd = f"tmux -L {sock} -f {conf} new-session -x {COLS} -y {ROWS} {shlex.quote(cmd)}"
    argv = [e.binary] + [a.replace("{qcmd}", shlex.quote(cmd)).replace("{cmd}", cmd) for a in e.argv]
    env = dict(os.environ, DISPLAY=display.name, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    for name in ("TMUX", "STY", "VTE_VERSION", "KONSOLE_VERSION", "KONSOLE_DBUS_SESSION",
                 "KITTY_WINDOW_ID", "KITTY_PID", "MLTERM", "XTERM_VERSION", "TERM_PROGRAM",
                 "HAMISH_TERMINAL", "WT_SESSION", "COLORTERM"):
        env.pop(name, None)
    for k in list(env):
        if k.startswith("ALACRITTY_"):
            env.pop(k)
    env.update(dict(e.env))
    env.update(env_extra or {})
    env["XDG_DATA_HOME"] = str(work)
    env["HOME"] = str(work)
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        time.sleep(e.wait)
        png = out / f"{slug(e.name)}-{scene}{slug(extra)}.png"
        subprocess.run(
            ["import", "-display", display.name, "-window", "root", str(png)],
            check=True,
            capture_output=True,
        )
        return png
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
        if e.tmux:
            subprocess.run(["tmux", "-L", sock, "kill-server"], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()


def available(e: Emulator) -> bool:
    return shutil.which(e.binary) is not None


def run(names: list[str], scenes: list[str], keep: Path | None, extra: str = "") -> list[dict]:
    # the hamish installed for this Python (beside it), else the one on PATH
    beside = Path(sys.executable).parent / "hamish"
    hamish = str(beside) if beside.is_file() else shutil.which("hamish")
    if hamish is None:
        raise SystemExit("the hamish command is not installed (python -m pip install -e .)")
    out = keep or Path(tempfile.mkdtemp(prefix="hamish-shots-"))
    out.mkdir(parents=True, exist_ok=True)
    results = []
    with Display() as display:
        for name in names:
            e = EMULATORS[name]
            if not available(e):
                results.append({"terminal": name, "missing": True})
                continue
            row = {"terminal": name, "version": version(e)}
            for scene in scenes:
                png = shoot(display, e, scene, out, hamish, extra)
                good, total = score(ocr(png), expected_words(scene))
                row[scene] = round(100 * good / total) if total else 0
                row[scene + "_words"] = total
                row[scene + "_png"] = str(png)
            results.append(row)
            print(format_row(row), flush=True)
    return results


def format_row(row: dict) -> str:
    if row.get("missing"):
        return f"| {row['terminal']} | not installed | | | |"
    cells = [f"{row.get(s, '–')}% ({row.get(s + '_words', 0)} words)" for s in SCENES if s in row]
    return f"| {row['terminal']} | {row['version']} | " + " | ".join(cells) + " |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.terminals.harness")
    parser.add_argument("terminals", nargs="*", help=f"some of: {', '.join(EMULATORS)}")
    parser.add_argument("--scene", action="append", choices=SCENES + ("harakat", "terminal"))
    parser.add_argument("--keep", type=Path, help="keep the screenshots in this directory")
    parser.add_argument("--extra", default="", help="options for hamish (e.g. '--terminal visual')")
    args = parser.parse_args(argv)
    names = args.terminals or list(EMULATORS)
    for n in names:
        if n not in EMULATORS:
            parser.error(f"unknown terminal {n!r}; known: {', '.join(EMULATORS)}")
    print("| terminal | version | " + " | ".join(args.scene or SCENES) + " |")
    print("|---|---|" + "---|" * len(args.scene or SCENES))
    run(names, args.scene or list(SCENES), args.keep, args.extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
