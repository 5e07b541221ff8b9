"""The shared helpers of the data layer: one durable write, one JSONL reader, one UTF-16 map,
one login name. Each is checked against something it did not compute itself (the encoding, the
file system, json's own output)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hamish.store import durable
from hamish.store.durable import atomic_file, atomic_write, leftover_temps
from hamish.store.jsonl import MAX_DEPTH, JsonProblem, jsonl_records, loads, read_file
from hamish.store.login import login_name
from hamish.store.offsets import utf16_offsets

# ---- durable writes -----------------------------------------------------------------------


def test_atomic_write_replaces_and_fsyncs_file_then_directory(tmp_path, monkeypatch):
    target = tmp_path / "f.json"
    target.write_bytes(b"old")
    synced: list[str] = []
    real_fsync = os.fsync

    def fsync(fd):
        synced.append("dir" if os.path.isdir(f"/proc/self/fd/{fd}") else "file")
        real_fsync(fd)

    monkeypatch.setattr(durable.os, "fsync", fsync)
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert synced == ["file", "dir"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "f.json"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_file(target) as f:
            f.write(b"half")
            raise RuntimeError("disk on fire")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.json"]


def test_a_symlink_is_written_through_not_replaced(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "f.json").write_bytes(b"old")
    link = tmp_path / "link.json"
    link.symlink_to(real / "f.json")
    atomic_write(link, b"new")
    assert link.is_symlink() and (real / "f.json").read_bytes() == b"new"
    assert sorted(p.name for p in real.iterdir()) == ["f.json"]


def test_leftover_temps_finds_only_the_files_own_temporaries(tmp_path):
    (tmp_path / ".a[1].json.0123abcd.tmp").write_bytes(b"")
    (tmp_path / ".other.json.0123abcd.tmp").write_bytes(b"")
    assert [p.name for p in leftover_temps(tmp_path / "a[1].json")] == [".a[1].json.0123abcd.tmp"]


def test_brat_files_are_written_durably(tmp_path, monkeypatch):
    from hamish.store import AnnotationStore, load_file
    from hamish.store.export import export

    (tmp_path / "a.txt").write_text("قال الوزير في بيروت", encoding="utf-8")
    article = load_file(tmp_path / "a.txt")
    with AnnotationStore(tmp_path / "db.json") as db:
        db.add(article.id, 0, 3, "PER", text=article.text[:3], sha256=article.sha256)
    replaced: list[str] = []
    real_replace = os.replace

    def replace(src, dst):
        replaced.append(Path(dst).name)
        real_replace(src, dst)

    monkeypatch.setattr(durable.os, "replace", replace)
    export([article], tmp_path / "db.json", tmp_path / "brat", fmt="brat")
    written = sorted(p.name for p in (tmp_path / "brat").iterdir())
    assert {"a.ann", "a.txt", "annotation.conf"} <= set(written) and sorted(replaced) == written


# ---- UTF-16 offsets -------------------------------------------------------------------------


@given(st.text(alphabet=st.sampled_from(["a", "ب", "😀", "\U00020000", " ", "\u064e"]), max_size=40))
def test_utf16_offsets_agree_with_the_encoding(text):
    maps = utf16_offsets(text)
    for i in range(len(text) + 1):
        unit = len(text[:i].encode("utf-16-le")) // 2
        assert (i if maps is None else maps.to_utf16(i)) == unit
        assert (unit if maps is None else maps.from_utf16(unit)) == i


def test_a_utf16_offset_inside_a_surrogate_pair_is_refused():
    maps = utf16_offsets("a😀b")
    assert maps is not None
    with pytest.raises(ValueError, match="inside a surrogate pair"):
        maps.from_utf16(2)
    assert utf16_offsets("عربي فقط") is None and utf16_offsets("ascii") is None


# ---- JSON with limits, the JSONL reader ------------------------------------------------------

HOSTILE = {
    "deep array (200,000)": ("[" * 200_000, "nested more than"),
    "deep object": ('{"a":' * 50_000 + "1" + "}" * 50_000, "nested more than"),
    "just over the depth limit": ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nested more than"),
    "5,000-digit integer": ("1" * 5000, "5,000 digits"),
    "negative long integer": ("[-" + "9" * 40 + "]", "40 digits"),
    "repeated key": ('{"start": 1, "start": 2}', 'the key "start" twice'),
    "NaN": ('{"x": NaN}', "NaN"),
    "Infinity": ("-Infinity", "Infinity"),
    "not UTF-8": (b"\xff\xfe{}", "not UTF-8"),
    "truncated": ('{"a": [1, 2', "not JSON"),
    "lone surrogate escape is fine JSON": ('"\\ud800"', None),
    "at the depth limit": ("[" * MAX_DEPTH + "]" * MAX_DEPTH, None),
}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_loads_refuses_hostile_json_with_a_message(case):
    text, words = HOSTILE[case]
    if words is None:
        assert loads(text) == json.loads(text)
        return
    with pytest.raises(JsonProblem, match=words):
        loads(text)


@given(st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
))
def test_loads_reads_what_json_writes(value):
    assert loads(json.dumps(value)) == value


@given(st.binary(max_size=200))
def test_loads_never_raises_anything_but_its_problem(data):
    try:
        loads(data)
    except JsonProblem:
        pass


@given(st.lists(st.sampled_from(["[", "]", "{", "}", '"a":', ",", "1", '"x"', "1" * 40, "\n", ' "k":1,"k":2 ']), max_size=300))
def test_jsonl_records_report_every_bad_line_by_number(pieces):
    data = "".join(pieces).encode()
    lines = data.split(b"\n")
    for number, value, problem in jsonl_records(data):
        raw = lines[number - 1]
        assert raw.strip()
        assert (problem is None) == (value is not None or raw.strip() == b"null")


def test_jsonl_records_skip_blank_lines_and_a_bom(tmp_path):
    data = b"\xef\xbb\xbf{\"a\": 1}\n\n  \n[1, 2]\nnot json\n"
    got = list(jsonl_records(data))
    assert got[:2] == [(1, {"a": 1}, None), (4, [1, 2], None)]
    assert got[2][0] == 5 and got[2][1] is None and got[2][2].startswith("not JSON")


def test_read_file_refuses_a_file_over_the_limit(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"x" * 101)
    with pytest.raises(JsonProblem, match="101 bytes, more than the 100"):
        read_file(path, max_bytes=100)
    assert read_file(path, max_bytes=101) == b"x" * 101


def test_the_reader_is_linear_on_a_long_line_of_text():
    # A one-line article of 2 MB with brackets in its text: the depth check walks the parsed
    # value (two levels), not the characters.
    text = "ab [{" * 400_000
    assert loads(json.dumps({"text": text}))["text"] == text


# ---- the login name ----------------------------------------------------------------------------


def test_login_name_or_unknown(monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "layla")
    assert login_name() == "layla"
    monkeypatch.setattr("getpass.getuser", lambda: "")
    assert login_name() == "unknown"

    def fail():
        raise OSError("no passwd entry")

    monkeypatch.setattr("getpass.getuser", fail)
    assert login_name() == "unknown"


def test_one_of_each_helper():
    """There is one durable write, one JSONL reader, one UTF-16 map and one login-name helper
    in store/: no other module defines its own."""
    root = Path(__file__).resolve().parents[2]
    sources = {p: p.read_text(encoding="utf-8") for p in (root / "store").rglob("*.py")}
    sources.update({p: p.read_text(encoding="utf-8") for p in (root / "tui").rglob("*.py")})
    own = {
        "os.replace(": "durable.py",
        "getpass.getuser": "login.py",
        "[\\U00010000-\\U0010ffff]": "offsets.py",
        ".split(b\"\\n\")": "jsonl.py",
    }
    for needle, home in own.items():
        users = sorted(p.name for p, text in sources.items() if needle in text)
        assert users == [home], (needle, users)
