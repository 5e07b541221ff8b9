"""Corpus loading: articles from a directory of .txt files, a list of files, or the bundled seeds.

An article's text is its file's bytes decoded as UTF-8 and nothing else: no normalisation, no
newline translation, no BOM stripping. Annotation offsets are ``str`` indices into that text.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
import importlib.util
from pathlib import Path


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
        return len(self.text.split())


@dataclass
class Corpus(Sequence[Article]):
    """Articles sorted by id, plus the warnings about files that were skipped."""

    articles: list[Article]
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.articles.sort(key=lambda a: a.id)
        self._by_id = {a.id: a for a in self.articles}

    def __getitem__(self, index):  # type: ignore[override]
        return self.articles[index]

    def __len__(self) -> int:
        return len(self.articles)

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def get(self, article_id: str) -> Article | None:
        return self._by_id.get(article_id)

    def index(self, article_id: str) -> int:  # type: ignore[override]
        return self.articles.index(self._by_id[article_id])


def title_of(text: str) -> str:
    """The first non-empty line, stripped (a leading BOM is not part of the title)."""
    text = text.lstrip("\ufeff")
    size = 4096
    while True:  # look at a growing head of the text, not the whole of a long article
        head = text[:size]
        lines = head.splitlines()
        if size < len(text):
            lines = lines[:-1]  # the last one may be cut short
        for line in lines:
            line = line.strip()
            if line:
                return line
        if size >= len(text):
            return ""
        size *= 8


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


def _load_files(paths: Iterable[Path]) -> Corpus:
    articles: list[Article] = []
    warnings: list[str] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            article = load_file(path)
        except UnicodeDecodeError as e:
            warnings.append(f"{path}: skipped, not UTF-8 (byte {e.start}: {e.reason})")
            continue
        except OSError as e:
            warnings.append(f"{path}: skipped, {e.strerror or e}")
            continue
        if article.id in seen:
            warnings.append(f"{path}: skipped, id {article.id!r} already comes from {seen[article.id]}")
            continue
        seen[article.id] = path
        articles.append(article)
    return Corpus(articles, warnings)


def load_corpus(source: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None = None) -> Corpus:
    """Load a directory of ``.txt`` files, a single file, or a list of files.

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

    ``seeds`` is a namespace package (it holds nothing but the articles), so it is found through
    its search locations; an editable install lists a placeholder there too, hence the check.
    """
    spec = importlib.util.find_spec("seeds")
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = Path(location)
        if path.is_dir() and any(path.glob("*.txt")):
            return path
    raise CorpusError("the bundled seed articles are missing from this installation")
