"""Corpus loading: ids, titles, exact text, hashes, order, the bundled seeds."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hamish.store import CorpusError, default_corpus_dir, load_corpus, load_file

SHARED_SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
REPO_SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_bundled_seeds_are_the_shared_ones_byte_for_byte():
    if not SHARED_SEEDS.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")  # a clone elsewhere
    shared = {p.name: p.read_bytes() for p in SHARED_SEEDS.glob("*.txt")}
    ours = {p.name: p.read_bytes() for p in REPO_SEEDS.glob("*.txt")}
    assert len(shared) == 5 and ours == shared


def test_default_corpus_is_the_installed_seeds():
    corpus = load_corpus()
    assert [a.id for a in corpus] == sorted(p.stem for p in REPO_SEEDS.glob("*.txt"))
    for article in corpus:
        data = (default_corpus_dir() / f"{article.id}.txt").read_bytes()
        assert article.text == data.decode("utf-8")
        assert article.sha256 == hashlib.sha256(data).hexdigest()


def test_article_fields(tmp_path):
    data = "\n  \n  عنوان المقال  \nالنص.\r\nسطر".encode("utf-8")
    (tmp_path / "b.txt").write_bytes(data)
    article = load_file(tmp_path / "b.txt")
    assert article.id == "b"
    assert article.title == "عنوان المقال"
    assert article.text == data.decode("utf-8")  # CRLF and spaces kept: offsets index this
    assert article.sha256 == hashlib.sha256(data).hexdigest()


def test_no_normalisation(tmp_path):
    # NFC would compose these; the loader must not.
    text = "\ufeffe\u0301 \u0627\u0653"
    (tmp_path / "n.txt").write_bytes(text.encode("utf-8"))
    article = load_file(tmp_path / "n.txt")
    assert article.text == text
    assert article.title == "e\u0301 \u0627\u0653"


def test_directory_sorted_by_id_and_only_txt(tmp_path):
    for name in ["c.txt", "a.txt", "b.md", "b.txt"]:
        (tmp_path / name).write_text(name, encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus] == ["a", "b", "c"]
    assert corpus.get("b").text == "b.txt"
    assert corpus.index("c") == 2


def test_list_of_files(tmp_path):
    for name in ["z.txt", "y.txt"]:
        (tmp_path / name).write_text(name, encoding="utf-8")
    corpus = load_corpus([tmp_path / "z.txt", tmp_path / "y.txt"])
    assert [a.id for a in corpus] == ["y", "z"]


def test_not_utf8_is_skipped_with_a_warning(tmp_path):
    (tmp_path / "good.txt").write_text("ok", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes("عربي".encode("cp1256"))
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus] == ["good"]
    assert len(corpus.warnings) == 1 and "bad.txt" in corpus.warnings[0]
    assert "UTF-8" in corpus.warnings[0]


def test_missing_path(tmp_path):
    with pytest.raises(CorpusError, match="nothing-here"):
        load_corpus(tmp_path / "nothing-here")


def test_title_far_down_or_on_a_very_long_first_line():
    from hamish.store.corpus import title_of

    assert title_of("\n \n" * 5000 + "  العنوان  \nنص") == "العنوان"
    long_line = "كلمة " * 3000
    title = title_of(long_line + "\nنص")  # cut: a title is not a 15,000-character line
    assert len(title) <= 300 and title.endswith("\u2026")
    assert long_line.startswith(title[:-1])
    assert title_of("عنوان " * 50) == ("عنوان " * 50).strip()  # 299 code points: kept whole
    assert title_of("\n\n   \n") == ""


def _title_by_lines(text):
    """The title as its definition says: the first non-empty line of str.splitlines(),
    stripped, a leading BOM dropped, cut at TITLE_MAX with an ellipsis."""
    from hamish.store.corpus import TITLE_MAX

    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            title = line.strip()
            if len(title) > TITLE_MAX:
                title = title[: TITLE_MAX - 1].rstrip() + "\u2026"
            return title
    return ""


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["ب", "a", " ", "\xa0", "\t", "\n", "\r", "\r\n", "\x0b", "\x1c", "\x85", "\u2028", "\ufeff", "كلمة " * 70]),
        max_size=40,
    )
)
def test_title_is_the_first_non_empty_line_of_splitlines(parts):
    from hamish.store.corpus import title_of

    text = "".join(parts)
    assert title_of(text) == _title_by_lines(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ب a\n\t\xa0", max_size=60), st.integers(1, 8))
def test_words_are_counted_as_split_does_whatever_the_chunk(text, chunk):
    import hamish.store.corpus as corpus

    old = corpus.WORD_CHUNK
    corpus.WORD_CHUNK = chunk
    try:
        assert corpus.count_words(text) == len(text.split())
    finally:
        corpus.WORD_CHUNK = old
