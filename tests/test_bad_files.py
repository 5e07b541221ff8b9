"""Bad corpus files: each loads (or is refused with a warning naming it), lays out, and keeps
offsets that index the text exactly as the README defines it (the file's bytes decoded as
UTF-8, nothing removed: a BOM and CRLF count as characters).

Decisions: a file that is not UTF-8 (including UTF-16, Latin-1, PNG...) is skipped with a
warning; a file that is valid UTF-8 loads whatever it holds (NULs and other controls show as
Control Pictures); an empty file loads as an empty article.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pytest

from hamish.store import AnnotationStore, load_corpus, load_file
from hamish.store.drift import place
from hamish.tui.bidi import DocumentLayout, TextLayout, fit_line

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8"
    "cfc0f01f0005000201f8a3f36a0000000049454e44ae426082"
)

FORBIDDEN = frozenset(chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)])


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def check_shows_and_indexes(text: str, word: str, every_line: bool = True) -> None:
    """``word`` is found at its offset in ``text`` and the layout draws it at that offset;
    no line (or, for a huge text, none near the word) carries a control or the BOM."""
    start = text.index(word)
    assert text[start : start + len(word)] == word
    doc = DocumentLayout(TextLayout(text, 40))
    for i in range(start, start + len(word)):
        y, column = doc.locate(i)
        line = doc.line(y)
        assert line.start <= i < line.end
        head = line.logical_at(column)
        assert head is not None and head <= i  # i's own cell, or its cluster's (lam-alef, marks)
    y = 0 if every_line else max(0, doc.locate(start)[0] - 40)
    while (line := doc.line(y)) is not None:
        assert not FORBIDDEN & set(line.text) and "\ufeff" not in line.text
        y += 1


def round_trip_annotation(tmp_path: Path, article, word: str) -> None:
    """An annotation made over ``word`` reads back over the same characters of the text."""
    start = article.text.index(word)
    with AnnotationStore(tmp_path / "store" / "a.json") as db:
        ann = db.add(article.id, start, start + len(word), "X", text=word, sha256=article.sha256)
    again = load_file(article.source)
    with AnnotationStore(tmp_path / "store" / "a.json", readonly=True) as ro:
        (back,) = ro.annotations(article.id)
    assert again.text[back.start : back.end] == back.text == word
    assert [p.status for p in place(again.text, again.sha256, [back])] == ["ok"]
    assert back == ann


def test_utf8_bom_is_kept_as_the_first_character(tmp_path):
    data = "\ufeffعنوان الخبر\nقال الوزير إن الحكومة".encode()
    article = load_file(write(tmp_path, "bom.txt", data))
    assert article.text[0] == "\ufeff" and article.text == data.decode("utf-8")
    assert article.title == "عنوان الخبر"
    assert article.sha256 == hashlib.sha256(data).hexdigest()
    assert article.text.index("الوزير") == len("\ufeffعنوان الخبر\nقال ")  # the BOM counts
    check_shows_and_indexes(article.text, "الوزير")
    check_shows_and_indexes(article.text, "عنوان")
    round_trip_annotation(tmp_path, article, "الحكومة")


def test_crlf_line_endings_are_kept_and_never_drawn(tmp_path):
    data = "عنوان\r\nقال الوزير\r\n\r\nإن الحكومة\rستجتمع\r\n".encode()
    article = load_file(write(tmp_path, "crlf.txt", data))
    assert article.text == data.decode("utf-8") and article.text.count("\r\n") == 4
    assert article.title == "عنوان"
    layout = TextLayout(article.text, 40)
    assert [(p.start, p.end) for p in layout.paragraphs] == [(0, 5), (7, 17), (19, 19), (21, 31), (32, 38), (40, 40)]
    check_shows_and_indexes(article.text, "الوزير")
    check_shows_and_indexes(article.text, "ستجتمع")
    round_trip_annotation(tmp_path, article, "ستجتمع")


def test_empty_file_is_an_empty_article(tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus] == ["empty"] and corpus.warnings == []
    article = corpus[0]
    assert (article.text, article.title, article.words) == ("", "", 0)
    assert article.sha256 == hashlib.sha256(b"").hexdigest()
    doc = DocumentLayout(TextLayout(article.text, 40))
    assert doc.line_count == 1 and doc.line(0).glyphs == () and doc.line(1) is None
    assert doc.locate(0) == (0, 0)
    assert fit_line(article.title, 10) == " " * 10
    assert load_file(path).text == ""


@pytest.mark.parametrize(
    "name, data, byte",
    [
        ("image.txt", PNG, 0),
        ("utf16.txt", "عربي".encode("utf-16"), 0),
        ("latin1.txt", "café au lait".encode("latin-1"), 3),
        ("cut.txt", "قال الوزير".encode()[:-1], 17),  # a multi-byte character cut short
    ],
)
def test_a_file_that_is_not_utf8_is_skipped_with_a_warning_naming_it(tmp_path, name, data, byte):
    write(tmp_path, "good.txt", "نص سليم".encode())
    bad = write(tmp_path, name, data)
    corpus = load_corpus(tmp_path)
    assert [a.id for a in corpus] == ["good"]
    (warning,) = corpus.warnings
    assert warning.startswith(f"{bad}: skipped, not UTF-8 (byte {byte}")
    # Named on its own, too (a list of files).
    corpus = load_corpus([bad, tmp_path / "good.txt"])
    assert [a.id for a in corpus] == ["good"] and str(bad) in corpus.warnings[0]
    with pytest.raises(UnicodeDecodeError):
        load_file(bad)


def test_binary_bytes_that_happen_to_be_utf8_load_and_show_their_controls(tmp_path):
    data = b"\x00\x00IHDR\x01\x02\x1b[2J \xd8\xb9\xd8\xb1\xd8\xa8\xd9\x8a\x7f\x00end"
    article = load_file(write(tmp_path, "nul.txt", data))
    assert article.text == data.decode("utf-8")
    assert article.title == data.decode("utf-8").strip()  # kept as it is: shown safely below
    (line,) = TextLayout(article.text, 80).lines
    assert line.text.startswith("␀␀IHDR␁␂␛[2J ") and line.text.endswith("␡␀end")
    assert all(w == 1 for w in line.widths)
    assert not FORBIDDEN & set(fit_line(article.title, 30))
    check_shows_and_indexes(article.text, "IHDR")
    round_trip_annotation(tmp_path, article, "end")


def test_five_megabytes_on_one_line(tmp_path):
    words = "قال وزير الخارجية اللبناني في بيروت اليوم إن الحكومة ستجتمع غداً".split()
    body = " ".join(words[i % len(words)] for i in range(470_000))
    data = (body + " النهاية").encode()
    assert len(data) > 5_000_000 and b"\n" not in data
    path = write(tmp_path, "huge.txt", data)
    t = time.perf_counter()
    corpus = load_corpus(tmp_path)
    article = corpus[0]
    assert len(article.title) <= 300 and article.title.endswith("…")
    fit_line(article.title, 60)
    doc = DocumentLayout(TextLayout(article.text, 100))
    first = [doc.line(y) for y in range(40)]
    seconds = time.perf_counter() - t
    assert all(first) and seconds < 5, seconds  # sanity bound; bench.long_article has figures
    check_shows_and_indexes(article.text, "النهاية", every_line=False)
    round_trip_annotation(tmp_path, article, "النهاية")
    assert load_file(path).sha256 == hashlib.sha256(data).hexdigest()


def test_emoji_and_other_non_bmp_characters_count_as_one_offset_each(tmp_path):
    text = "🇱🇧 عاجل 😀👍🏽 قال 𝐀𝐁𝐂 الوزير 👨\u200d👩\u200d👧 إن ❤\ufe0f الحكومة 🕌\n" * 3
    article = load_file(write(tmp_path, "emoji.txt", text.encode()))
    assert article.text == text
    # Python str offsets are code points: each emoji before the word counts once.
    assert article.text.index("عاجل") == 3
    assert article.text.index("الوزير") == len("🇱🇧 عاجل 😀👍🏽 قال 𝐀𝐁𝐂 ")
    for word in ("عاجل", "الوزير", "الحكومة", "𝐀𝐁𝐂"):
        check_shows_and_indexes(article.text, word)
    round_trip_annotation(tmp_path, article, "الحكومة")
