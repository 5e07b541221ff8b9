"""Corpus loading: articles from a directory of .txt files, a list of files, a JSONL corpus, or
the bundled seeds.

An article's text is its file's bytes decoded as UTF-8 and nothing else: no normalisation, no
newline translation, no BOM stripping. Annotation offsets are ``str`` indices into that text.

A ``.jsonl`` file is a corpus of its own, one article per line: ``{"id", "text", "meta"?:
{"title"?}}`` (the shape Prodigy and doccano take, and Hamish's own exports). Its text is the
JSON string exactly; its sha256 is that of the text encoded as UTF-8 (which is what it is for a
``.txt`` article too).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import overload

from .jsonl import JsonProblem, json_type, jsonl_records, read_file


class CorpusError(Exception):
    """A corpus path that cannot be read at all (missing, empty of articles)."""


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    text: str
    sha256: str
    source: str = ""  # where it was loaded from (a path), for exports and messages

    @cached_property
    def words(self) -> int:
        """Length in words (runs of non-space characters); counted once, when first asked."""
        return count_words(self.text)


WORD_CHUNK = 1 << 20  # code points split at a time by count_words


def count_words(text: str) -> int:
    """``len(text.split())`` without a list of every word: a piece of about ``WORD_CHUNK``
    code points (ended at whitespace) at a time, so a 67 MB article costs a megabyte's words,
    not 7 million strings at once."""
    n = 0
    pos = 0
    size = len(text)
    while pos < size:
        end = pos + WORD_CHUNK
        if end < size:
            m = _SPACE.search(text, end)
            if m is None:  # no whitespace after ``end``: the rest joins the word it is in
                n += len(text[pos:end].split()) + (1 if text[end - 1].isspace() else 0)
                break
            end = m.start()
        n += len(text[pos:end].split())
        pos = end
    return n


_SPACE = re.compile(r"\s")


@dataclass
class Corpus(Sequence[Article]):
    """Articles sorted by id, plus the warnings about files that were skipped."""

    articles: list[Article]
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.articles.sort(key=lambda a: a.id)
        self._by_id = {a.id: a for a in self.articles}

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> list[Article]: ...
    def __getitem__(self, index: int | slice) -> Article | list[Article]:
        return self.articles[index]

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def index(self, article_id: str) -> int:  # type: ignore[override]  # by id, not Sequence's by value
        return self.articles.index(self._by_id[article_id])


TITLE_MAX = 300  # code points; a longer first line is cut and ends with an ellipsis


def title_of(text: str) -> str:
    """The first non-empty line, stripped (a leading BOM is not part of the title), at most
    TITLE_MAX code points: an article on one 5 MB line does not get a 5 MB title (nor is more
    than the title's head of it copied)."""
    bom = _BOMS.match(text)
    start = _NON_SPACE.search(text, bom.end() if bom else 0)
    if start is None:
        return ""
    q = start.start()  # every line break is whitespace: the title's line starts here
    brk = _LINE_BREAK.search(text, q)
    e = len(text) if brk is None else brk.start()
    if e - q <= TITLE_MAX:
        return text[q:e].rstrip()
    if _NON_SPACE.search(text, q + TITLE_MAX, e) is None:  # only whitespace after TITLE_MAX
        return text[q : q + TITLE_MAX].rstrip()
    return text[q : q + TITLE_MAX - 1].rstrip() + "\u2026"


_BOMS = re.compile("\ufeff+")
_NON_SPACE = re.compile(r"\S")
# What str.splitlines() breaks lines at.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def article_from_bytes(article_id: str, data: bytes, source: str = "") -> Article:
    """Decode strictly: raises UnicodeDecodeError for bytes that are not UTF-8."""
    text = data.decode("utf-8")
    return Article(
        id=article_id,
        title=title_of(text),
        text=text,
        sha256=hashlib.sha256(data).hexdigest(),
        source=source,
    )


def load_file(path: str | os.PathLike[str]) -> Article:
    path = Path(path)
    return article_from_bytes(path.stem, path.read_bytes(), str(path))


def is_jsonl_corpus(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names a JSONL corpus (by its suffix, ``.jsonl``) rather than an article."""
    return Path(path).suffix.lower() == ".jsonl"


def _jsonl_problem(record: object) -> str | None:
    if not isinstance(record, dict):
        return f"not a JSON object but {json_type(record)}"
    text = record.get("text")
    if not isinstance(text, str):
        return 'no "text" string' if text is None else f'"text" is {json_type(text)}, not a string'
    meta = record.get("meta")
    if meta is not None and not isinstance(meta, dict):
        return f'"meta" is {json_type(meta)}, not an object'
    return None


def _jsonl_id(record: dict) -> str | None:
    """``id`` (a string or an integer, as doccano writes it), else ``meta.id`` (Prodigy tasks);
    None when neither is there. Raises ValueError for an id of another type, or an empty one."""
    for where, value in (
        ("id", record.get("id")),
        ("meta.id", (record.get("meta") or {}).get("id")),
    ):
        if value is None:
            continue
        if type(value) is int:
            return str(value)
        if isinstance(value, str):
            if value.strip():
                return value
            raise ValueError(f'"{where}" is empty')
        raise ValueError(f'"{where}" must be a string or an integer, not {json_type(value)}')
    return None


def load_jsonl_articles(
    path: str | os.PathLike[str], warnings: list[str], seen: dict[str, str] | None = None
) -> list[Article]:
    """The articles of a JSONL corpus, in file order. Lines that are not a JSON object with a
    ``text`` string are skipped, each with a warning ``FILE:LINE: skipped, ...`` appended to
    ``warnings``; blank lines are ignored. A line without an id gets ``STEM-LINE`` (the file's
    name without suffix, and the line number). A line whose id is already in ``seen`` (id ->
    where it came from; updated) is skipped with a warning: the first one wins. Raises OSError
    if the file cannot be read."""
    seen = {} if seen is None else seen
    path = Path(path)
    try:
        data = read_file(path)
    except JsonProblem as e:
        warnings.append(f"{path}: skipped, {e}")
        return []
    articles: list[Article] = []
    for number, record, problem in jsonl_records(data):
        where = f"{path}:{number}"
        if problem is not None:
            warnings.append(f"{where}: skipped, {problem}")
            continue
        problem = _jsonl_problem(record)
        if problem:
            warnings.append(f"{where}: skipped, {problem}")
            continue
        text: str = record["text"]
        try:
            encoded = text.encode("utf-8")
        except UnicodeEncodeError as e:
            warnings.append(f"{where}: skipped, the text has a lone surrogate at {e.start}")
            continue
        try:
            article_id = _jsonl_id(record) or f"{path.stem}-{number}"
        except ValueError as e:
            warnings.append(f"{where}: skipped, {e}")
            continue
        if article_id in seen:
            warnings.append(
                f"{where}: skipped, id {article_id!r} already comes from {seen[article_id]}"
            )
            continue
        seen[article_id] = where
        title = (record.get("meta") or {}).get("title")
        articles.append(
            Article(
                id=article_id,
                title=title.strip() if isinstance(title, str) and title.strip() else title_of(text),
                text=text,
                sha256=hashlib.sha256(encoded).hexdigest(),
                source=where,
            )
        )
    return articles


def _load_files(paths: Iterable[Path]) -> Corpus:
    articles: list[Article] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        if is_jsonl_corpus(path):
            try:
                articles.extend(load_jsonl_articles(path, warnings, seen))
            except OSError as e:
                warnings.append(f"{path}: skipped, {e.strerror or e}")
            continue
        try:
            article = load_file(path)
        except UnicodeDecodeError as e:
            warnings.append(f"{path}: skipped, not UTF-8 (byte {e.start}: {e.reason})")
            continue
        except OSError as e:
            warnings.append(f"{path}: skipped, {e.strerror or e}")
            continue
        if article.id in seen:
            warnings.append(
                f"{path}: skipped, id {article.id!r} already comes from {seen[article.id]}"
            )
            continue
        seen[article.id] = str(path)
        articles.append(article)
    return Corpus(articles, warnings)


def load_corpus(
    source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None,
) -> Corpus:
    """Load a directory of ``.txt`` files, a single file, or a list of files; a ``.jsonl`` file
    is a JSONL corpus (one article per line, see the module docstring).

    ``None`` loads the bundled seed articles. Files that are not UTF-8 or cannot be read are
    skipped and reported in ``Corpus.warnings``; a path that does not exist raises CorpusError.
    """
    if source is None:
        return load_corpus(default_corpus_dir())
    if isinstance(source, (str, os.PathLike)):
        sources = [Path(source)]
    else:
        sources = [Path(s) for s in source]
    files: list[Path] = []
    for path in sources:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix == ".txt" and p.is_file()))
        elif path.exists():
            files.append(path)
        else:
            raise CorpusError(f"{path}: no such file or directory")
    return _load_files(files)


def default_corpus_dir() -> Path:
    """The seed articles shipped inside the installed package (``seeds/``, data only).

    ``hamish.seeds`` is a namespace package (it holds nothing but the articles), so it is found through
    its search locations; an editable install lists a placeholder there too, hence the check.
    """
    spec = importlib.util.find_spec("hamish.seeds")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location)
        if path.is_dir() and any(path.glob("*.txt")):
            return path
    raise CorpusError("the bundled seed articles are missing from this installation")
