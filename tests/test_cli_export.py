"""`hamish export` and `hamish import` as a user runs them: output, messages, exit status."""

from __future__ import annotations

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import installed
import pytest

from hamish.store import AnnotationStore, load_corpus

ROOT = Path(__file__).resolve().parent.parent


def hamish(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    result = subprocess.run([installed.hamish(), *args], cwd=cwd, input=stdin, capture_output=True, timeout=120)
    result.out = result.stdout.decode("utf-8")  # type: ignore[attr-defined]
    result.err = result.stderr.decode("utf-8")  # type: ignore[attr-defined]
    assert "Traceback" not in result.err, result.err
    return result


def store_files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


@pytest.fixture
def db(tmp_path) -> Path:
    """A store with two spans in each seed article, one article marked done."""
    path = tmp_path / "db" / "annotations.json"
    corpus = load_corpus(None)
    with AnnotationStore(path) as store:
        for a in corpus:
            for m in list(re.finditer(r"\S+", a.text))[3:5]:
                store.add(a.id, m.start(), m.end(), "PER" if m.start() % 2 else "LOC", annotator="amal",
                          text=m.group(), sha256=a.sha256)
        store.set_article_state(corpus[1].id, done=True)
    return path


def test_export_writes_jsonl_to_stdout_and_a_summary_to_stderr(db, tmp_path):
    r = hamish("export", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 0
    records = [json.loads(line) for line in r.out.split("\n")[:-1]]
    assert len(records) == 5 and r.out.endswith("\n")
    for rec in records:
        for s in rec["spans"]:
            assert rec["text"][s["start"] : s["end"]] == s["text"]
    assert r.err == "hamish export: 10 spans in 5 articles exported (hamish)\n"  # no progress bar


def test_export_options(db, tmp_path):
    r = hamish("export", "--db", str(db), "--done", "--format", "doccano", "-o", "out.jsonl", cwd=tmp_path)
    assert r.returncode == 0 and r.out == ""
    (rec,) = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert list(rec) == ["id", "text", "label", "offsets"] and len(rec["label"]) == 2
    assert rec["offsets"] == "utf16"
    r = hamish("export", "--db", str(db), "--label", "PER", "--label", "LOC", "--annotator", "amal",
               "--format", "prodigy", "--offsets", "utf16", cwd=tmp_path)
    assert r.returncode == 0 and len(r.out.splitlines()) == 5
    r = hamish("export", "--db", str(db), "--annotator", "nobody", "--all", cwd=tmp_path)
    assert [len(json.loads(x)["spans"]) for x in r.out.splitlines()] == [0] * 5
    r = hamish("export", "--db", str(db), "--format", "brat", "-o", "bratdir", cwd=tmp_path)
    assert r.returncode == 0 and len(list((tmp_path / "bratdir").glob("*.ann"))) == 5


def test_export_errors_are_messages(db, tmp_path):
    r = hamish("export", "--db", str(tmp_path / "missing.json"), cwd=tmp_path)
    assert r.returncode == 1 and "no annotation store at" in r.err and r.out == ""
    r = hamish("export", "--db", str(db), "--corpus", str(tmp_path / "nowhere"), cwd=tmp_path)
    assert r.returncode == 1 and "nowhere" in r.err
    r = hamish("export", "--db", str(db), "--format", "brat", cwd=tmp_path)
    assert r.returncode == 2 and "-o DIR" in r.err
    r = hamish("export", "--db", str(db), "--format", "xml", cwd=tmp_path)
    assert r.returncode == 2 and "invalid choice" in r.err
    (tmp_path / "plain").write_text("a file", encoding="utf-8")
    r = hamish("export", "--db", str(db), "-o", str(tmp_path / "plain" / "x.jsonl"), cwd=tmp_path)
    assert r.returncode == 1 and f"cannot write {tmp_path / 'plain' / 'x.jsonl'}" in r.err
    bad = tmp_path / "bad" / "annotations.json"
    bad.parent.mkdir()
    bad.write_text("{ this is not a store", encoding="utf-8")
    r = hamish("export", "--db", str(bad), cwd=tmp_path)
    assert r.returncode == 1 and str(bad) in r.err


def test_export_of_a_corpus_without_those_articles_warns(db, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "a.txt").write_text("نص", encoding="utf-8")
    r = hamish("export", "--db", str(db), "--corpus", str(tmp_path / "mine"), cwd=tmp_path)
    assert r.returncode == 0 and r.out == ""
    assert "warning: 10 annotations of articles not in the corpus left out" in r.err


def test_export_into_a_closed_pipe(db, tmp_path):
    big = tmp_path / "big.jsonl"
    seed = load_corpus(None)[0]
    big.write_text("".join(json.dumps({"id": f"a{i:03d}", "text": seed.text}, ensure_ascii=False) + "\n"
                           for i in range(200)), encoding="utf-8")
    exe = installed.hamish()
    r = subprocess.run(f"'{exe}' export --all --db '{db}' --corpus '{big}' | head -c 10",
                       shell=True, capture_output=True, timeout=60)
    assert r.stdout == b'{"id": "a0' and b"Traceback" not in r.stderr


def test_import_round_trip(db, tmp_path):
    r = hamish("export", "--db", str(db), "-o", "x.jsonl", cwd=tmp_path)
    new = tmp_path / "new" / "annotations.json"
    r = hamish("import", "x.jsonl", "--db", str(new), cwd=tmp_path)
    assert r.returncode == 0 and r.err == (
        "hamish import: 10 annotations imported from 5 records (hamish); done marks or reading "
        "positions set for 1 article\n"
    )
    r = hamish("import", "x.jsonl", "--db", str(new), cwd=tmp_path)
    assert "0 annotations imported" in r.err and "10 already in the store" in r.err
    again = hamish("export", "--db", str(new), cwd=tmp_path)
    assert again.out == (tmp_path / "x.jsonl").read_text(encoding="utf-8")
    r = hamish("import", "-", "--db", str(new), "--format", "hamish", cwd=tmp_path,
               stdin=(tmp_path / "x.jsonl").read_bytes())
    assert r.returncode == 0 and "10 already in the store" in r.err


def test_import_rejects_a_bad_file_and_leaves_the_store_alone(db, tmp_path):
    good = hamish("export", "--db", str(db), cwd=tmp_path).out.splitlines()
    first = json.loads(good[0])
    wrong_text = dict(first, spans=[dict(first["spans"][0], text="ليس هذا")])
    lines = [good[0], "{broken", good[1], json.dumps(wrong_text, ensure_ascii=False), good[2],
             json.dumps({"id": "no-such-article", "spans": []}), *good[3:]]
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = store_files(db)
    with AnnotationStore(db, readonly=True) as store:
        anns_before = store.all()
    r = hamish("import", "bad.jsonl", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 1
    problem_lines = sorted(int(m) for m in re.findall(r"^bad\.jsonl:(\d+): ", r.err, re.M))
    assert problem_lines == [2, 4, 6]
    assert "nothing was imported, the store is unchanged" in r.err
    assert store_files(db) == before
    with AnnotationStore(db, readonly=True) as store:
        assert store.all() == anns_before


def test_import_errors_are_messages(db, tmp_path):
    r = hamish("import", "nope.jsonl", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 1 and "nope.jsonl: no such file" in r.err
    (tmp_path / "x.jsonl").write_text(hamish("export", "--db", str(db), cwd=tmp_path).out, encoding="utf-8")
    with AnnotationStore(db):  # the app has the store open for writing
        r = hamish("import", "x.jsonl", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 1 and r.err.startswith("hamish import: ")
    (tmp_path / "odd.jsonl").write_text('{"text": "x"}\n', encoding="utf-8")
    r = hamish("import", "odd.jsonl", "--db", str(db), cwd=tmp_path)
    assert r.returncode == 1 and "give --format" in r.err


def test_help(tmp_path):
    r = hamish("export", "--help", cwd=tmp_path)
    assert r.returncode == 0 and "code point" in r.out and "--offsets" in r.out
    r = hamish("import", "--help", cwd=tmp_path)
    assert r.returncode == 0 and "rejected whole" in r.out


# ---- the progress bar ----------------------------------------------------------------------------


def _run_cli_in_pty(code: str, cwd: Path) -> tuple[int, bytes]:
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="100")
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(master)
    return proc.wait(timeout=60), b"".join(chunks)


def test_no_progress_output_when_stderr_is_not_a_terminal(db, tmp_path):
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); import hamish.tui.cli.common as c; c.PROGRESS_DELAY = 0; from hamish.tui.cli.export import main; "
            f"sys.exit(main(['--db', {str(db)!r}, '-o', 'x.jsonl']))")
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, timeout=60)
    assert r.returncode == 0
    assert r.stderr == b"hamish export: 10 spans in 5 articles exported to x.jsonl (hamish)\n"


def test_progress_bar_on_a_terminal(db, tmp_path):
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); import hamish.tui.cli.common as c; c.PROGRESS_DELAY = 0; from hamish.tui.cli.export import main; "
            f"sys.exit(main(['--db', {str(db)!r}, '-o', 'x.jsonl']))")
    status, output = _run_cli_in_pty(code, tmp_path)
    assert status == 0
    assert b"exporting" in output and b"\x1b[" in output  # Rich drew (and then cleared) a bar
    assert b"10 spans in 5 articles exported" in output


def test_export_formats_on_the_command_line(db, tmp_path):
    labels = tmp_path / "labels.toml"
    labels.write_text('[[label]]\nname = "اقتباس"\ncolor = "#e15759"\n\n[[label]]\nname = "LOC"\n'
                      '\n[[label]]\nname = "PER"\n', encoding="utf-8")
    r = hamish("export", "--db", str(db), "--format", "brat", "--labels", str(labels), "-o", "b", cwd=tmp_path)
    assert r.returncode == 0, r.err
    visual = (tmp_path / "b" / "visual.conf").read_text(encoding="utf-8")
    assert "| اقتباس\n" in visual and "bgColor:#e15759" in visual
    conf = (tmp_path / "b" / "annotation.conf").read_text(encoding="utf-8")
    assert "<OVERLAP>" in conf and "اقتباس" not in conf  # an ASCII type name, the label shown
    r = hamish("export", "--db", str(db), "--format", "brat", "--offsets", "utf16", "-o", "b2", cwd=tmp_path)
    assert r.returncode == 1 and "brat counts code points" in r.err and not (tmp_path / "b2").exists()
    for fmt in ("labelstudio", "xmi", "spacy"):
        r = hamish("export", "--db", str(db), "--format", fmt, cwd=tmp_path)
        assert r.returncode == 2 and "-o" in r.err
    r = hamish("export", "--db", str(db), "--format", "labelstudio", "-o", "ls", cwd=tmp_path)
    assert r.returncode == 0 and "exported to ls (labelstudio)" in r.err
    assert json.loads((tmp_path / "ls" / "tasks.json").read_bytes())[0]["annotations"]
    r = hamish("import", str(tmp_path / "ls" / "tasks.json"), "--db", str(tmp_path / "n.json"), cwd=tmp_path)
    assert r.returncode == 0 and "10 annotations imported from 5 records (labelstudio)" in r.err
    r = hamish("export", "--db", str(db), "--labels", str(tmp_path / "missing.toml"), cwd=tmp_path)
    assert r.returncode == 1 and "missing.toml" in r.err


def test_spacy_export_reports_spans_off_token_boundaries(tmp_path):
    if not os.environ.get("CI"):
        pytest.importorskip("spacy")
    corpus = load_corpus(None)
    a = corpus[0]
    path = tmp_path / "db.json"
    with AnnotationStore(path) as store:
        word = next(m for m in re.finditer(r"\S+", a.text) if len(m.group()) > 3)
        store.add(a.id, word.start() + 1, word.end(), "X", text=a.text[word.start() + 1 : word.end()],
                  sha256=a.sha256)
    r = hamish("export", "--db", str(path), "--format", "spacy", "-o", "x.spacy", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "x.spacy").is_file()
    assert "1 span not on 'ar' token boundaries grown to the whole tokens they touch (--align expand)" in r.err
    assert f"  {a.id} {word.start() + 1}..{word.end()}" in r.err
    r = hamish("export", "--db", str(path), "--format", "spacy", "--align", "strict", "-o", "y.spacy", cwd=tmp_path)
    assert r.returncode == 1 and "--align strict" in r.err and not (tmp_path / "y.spacy").exists()
