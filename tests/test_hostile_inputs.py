"""Issue 16 item 1: every input Hamish parses is parsed with limits, and every failure is a
message naming the file (and line) and the problem, with exit status 1 or 2, never a traceback.

Two layers: a corpus of hostile files (each reproduced from the issue, each failing on the code
before: RecursionError, ValueError from int(), JSON's duplicate keys taken as data), run through
the API and the installed ``hamish`` command; and Hypothesis fuzzing the parsers with mutations
of real files."""

from __future__ import annotations

import json
import subprocess
import zlib
from pathlib import Path

import installed
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hamish.store import AnnotationStore, StoreCorruptError, StoreError, load_corpus, load_file
from hamish.store.importer import ImportRejected, import_annotations
from hamish.tui.labels import LabelsError, load_labels

DEEP = 200_000


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([installed.hamish(), *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def says(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode in (1, 2), (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    for word in words:
        assert word in result.stderr, (word, result.stderr[-2000:])


@pytest.fixture
def world(tmp_path: Path):
    """A corpus of one article and a store with one annotation on it."""
    text = "قال وزير الخارجية في بيروت اليوم"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    article = load_file(tmp_path / "a.txt")
    db = tmp_path / "db" / "annotations.json"
    with AnnotationStore(db) as store:
        store.add(article.id, 0, 3, "PER", text=text[:3], sha256=article.sha256)
    return tmp_path, article, db


# ---- the corpus of hostile files ---------------------------------------------------------------

STORE_DAMAGE = {
    # name: (how the store file is rewritten, words of the message)
    "5,000-digit integer": (
        lambda d: d.replace(b'"start":0', b'"start":' + b"1" * 5000),
        "is corrupt",
    ),
    "nested 200,000 deep": (lambda d: b"[" * DEEP + b"]" * DEEP, "is corrupt"),
    "an extra table nested 200 deep": (
        lambda d: d.replace(b'{"annotations":', b'{"x":{"1":' + b"[" * 200 + b"]" * 200 + b'},"annotations":', 1),
        "is corrupt",
    ),
}


@pytest.mark.parametrize("case", list(STORE_DAMAGE))
def test_a_hostile_store_file_is_a_corrupt_store(world, case):
    tmp_path, _, db = world
    damage, words = STORE_DAMAGE[case]
    db.write_bytes(damage(db.read_bytes()))
    for readonly in (True, False):
        with pytest.raises(StoreCorruptError, match=words) as err:
            AnnotationStore(db, readonly=readonly)
        assert str(db) in str(err.value)
    says(run("export", "--db", str(db), "--corpus", str(tmp_path / "a.txt"), cwd=tmp_path), str(db), "corrupt")


def _journal_line(body: bytes) -> bytes:
    return b"%08x " % zlib.crc32(body) + body + b"\n"


@pytest.mark.parametrize(
    "body",
    [
        b'{"seq":2,"op":"add","ann":' + b"[" * DEEP + b"]" * DEEP + b"}",
        b'{"seq":2,"op":"state","doc_id":"a","cursor":' + b"9" * 5000 + b',"done":false}',
        b'{"seq":2,"seq":3,"op":"state","doc_id":"a","cursor":1,"done":false}',
    ],
    ids=["deep", "digits", "duplicate key"],
)
def test_a_journal_line_with_a_valid_checksum_and_hostile_json(world, body):
    tmp_path, _, db = world
    journal = db.with_name(db.name + ".journal")
    journal.write_bytes(_journal_line(body))
    with pytest.raises(StoreCorruptError, match=r"line 1 \(byte offset 0\) is damaged"):
        AnnotationStore(db)
    says(run("export", "--db", str(db), "--corpus", str(tmp_path / "a.txt"), cwd=tmp_path), "line 1")


CORPUS_LINES = {
    "nested 200,000 deep": b'{"id":"x","text":"t","meta":' + b"[" * DEEP + b"]" * DEEP + b"}",
    "5,000-digit id": b'{"id":' + b"7" * 5000 + b',"text":"t"}',
    "duplicate text key": b'{"id":"x","text":"one","text":"two"}',
    "NaN": b'{"id":"x","text":"t","meta":{"n":NaN}}',
}


@pytest.mark.parametrize("case", list(CORPUS_LINES))
def test_a_hostile_corpus_line_is_skipped_with_a_warning(tmp_path, case):
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id":"ok","text":"good article"}\n' + CORPUS_LINES[case] + b"\n")
    corpus = load_corpus(path)
    assert [a.id for a in corpus] == ["ok"]
    (warning,) = corpus.warnings
    assert warning.startswith(f"{path}:2: skipped, ")
    # and through the command line: the warning, and no traceback
    result = run("export", "--db", str(tmp_path / "none.json"), "--corpus", str(path), cwd=tmp_path)
    assert "Traceback" not in result.stderr and f"{path}:2" in result.stderr


IMPORT_FILES = {
    "nested 200,000 deep": b'{"id":"x","spans":' + b"[" * DEEP + b"]" * DEEP + b"}\n",
    "5,000-digit offset": b'{"id":"a","spans":[{"start":' + b"1" * 5000 + b',"end":3,"label":"PER"}]}\n',
    "a Label Studio array nested deep": b"[" * DEEP + b"]" * DEEP,
}


@pytest.mark.parametrize("case", list(IMPORT_FILES))
def test_a_hostile_import_file_is_rejected_whole(world, case):
    tmp_path, article, db = world
    path = tmp_path / "in.jsonl"
    path.write_bytes(IMPORT_FILES[case])
    before = db.read_bytes()
    with pytest.raises(ImportRejected) as err:
        import_annotations(path, [article], db)
    assert str(path) in str(err.value)
    assert db.read_bytes() == before
    says(
        run("import", str(path), "--db", str(db), "--corpus", str(tmp_path / "a.txt"), cwd=tmp_path),
        str(path),
    )


@pytest.mark.parametrize(
    "text,words",
    [
        ("x = " + "[" * 3000, "nested too deeply"),
        ("x = " + "[" * 150 + "]" * 150, "nested more than"),
        ("x = " + "1" * 5000, "too many digits"),
        ("[[label]]\nname = 'a'\nname = 'b'\n", "not valid TOML"),
    ],
    ids=["3,000 nested", "150 nested", "5,000 digits", "duplicate key"],
)
def test_a_hostile_labels_file_is_named(tmp_path, text, words):
    path = tmp_path / "labels.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LabelsError, match=words) as err:
        load_labels(path)
    assert str(err.value).startswith(f"{path}: ")
    says(run("--labels", str(path), cwd=tmp_path), str(path), words)


def test_a_file_over_the_size_limit_is_named(tmp_path, monkeypatch):
    from hamish.store import jsonl

    monkeypatch.setattr(jsonl, "MAX_FILE_BYTES", 100)
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"id":"x","text":"' + b"a" * 200 + b'"}\n')
    monkeypatch.setattr("hamish.store.corpus.read_file", lambda p: jsonl.read_file(p, 100))
    corpus = load_corpus([path, tmp_path / "c.jsonl"])
    assert corpus.warnings[0] == f"{path}: skipped, 221 bytes, more than the 100 Hamish reads"


# ---- fuzzing: mutations of real files ----------------------------------------------------------

_SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_mutation = st.lists(
    st.tuples(
        st.integers(0, 10**6),
        st.integers(0, 60),
        st.sampled_from([b"", b"[", b"{", b"]", b"}", b'"', b",", b":", b"\\", b"9" * 40, b"\xff", b"\n", b"null"]),
    ),
    min_size=1,
    max_size=4,
)


def _mutate(data: bytes, edits) -> bytes:
    for pos, cut, insert in edits:
        pos %= len(data) + 1
        data = data[:pos] + insert + data[pos + cut :]
    return data


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    text = "قال وزير الخارجية في بيروت اليوم 😀"
    (tmp / "a.txt").write_text(text, encoding="utf-8")
    article = load_file(tmp / "a.txt")
    db = tmp / "annotations.json"
    with AnnotationStore(db) as store:
        store.add(article.id, 0, 3, "PER", text=text[:3], sha256=article.sha256)
        store.add(article.id, 4, 8, "LOC", text=text[4:8], sha256=article.sha256, note="ملاحظة")
        store.set_article_state(article.id, cursor=3, done=True)
    folded = db.read_bytes()
    with AnnotationStore(db, readonly=True) as ro:
        records = sorted(a.to_dict().items() for a in ro.all())
    with AnnotationStore(db) as store:
        store.add(article.id, 9, 12, "ORG", text=text[9:12], sha256=article.sha256)
        journal = db.with_name(db.name + ".journal").read_bytes()  # before the closing fold
    return article, folded, journal, records


@_SETTINGS
@given(edits=_mutation)
def test_fuzz_the_store_file(tmp_path, pristine, edits):
    _, data, journal, records = pristine
    db = tmp_path / f"s{zlib.crc32(repr(edits).encode())}" / "annotations.json"
    db.parent.mkdir()
    damaged = _mutate(data, edits)
    db.write_bytes(damaged)
    try:
        with AnnotationStore(db, readonly=True) as ro:
            got = sorted(a.to_dict().items() for a in ro.all())
    except StoreCorruptError:
        return
    assert got == records  # opened: only when the damage changed nothing that matters


@_SETTINGS
@given(edits=_mutation)
def test_fuzz_the_journal(tmp_path, pristine, edits):
    _, data, journal, _ = pristine
    db = tmp_path / f"j{zlib.crc32(repr(edits).encode())}" / "annotations.json"
    db.parent.mkdir()
    db.write_bytes(data)
    db.with_name(db.name + ".journal").write_bytes(_mutate(journal, edits))
    try:
        with AnnotationStore(db) as store:
            assert len(store) in (2, 3)
    except StoreCorruptError as e:
        assert "journal" in str(e)


@_SETTINGS
@given(edits=_mutation)
def test_fuzz_a_corpus_and_an_import(tmp_path, pristine, edits):
    article = pristine[0]
    record = json.dumps({"id": article.id, "text": article.text, "spans": [{"start": 0, "end": 3, "label": "PER"}]})
    damaged = _mutate(record.encode() + b"\n", edits)
    path = tmp_path / f"c{zlib.crc32(repr(edits).encode())}.jsonl"
    path.write_bytes(damaged)
    corpus = load_corpus(path)
    assert all(w.startswith(f"{path}:") for w in corpus.warnings)
    db = path.with_suffix(".json")
    try:
        import_annotations(path, [article], db)
    except (ImportRejected, StoreError):
        pass
