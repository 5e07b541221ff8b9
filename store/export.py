"""Export: the annotations of a corpus as JSONL other tools load, or as brat standoff files.

Offsets are Unicode code point indices into the article's text, end exclusive: exactly Python's
``text[start:end]`` (and spaCy's ``Doc.char_span``). ``offsets="utf16"`` writes UTF-16 code unit
offsets instead, for JavaScript tools, where a character outside the BMP (most emoji) counts 2.

Formats, one line per article (brat: two files per article):

``hamish``   ``{"id", "text", "meta": {"title", "source", "sha256"}, "spans": [{"start", "end",
             "label", "text", "annotator", "note", "created", "updated", "origin"}]}`` (origin:
             "manual", or the suggester whose suggestion was accepted; suggestions never
             accepted are not annotations and are never exported); annotations that
             drifted (their text is no longer where it was, see :mod:`store.drift`) go under
             ``meta["drifted"]`` with their old offsets, old text, the sha256 of the text they
             were made on and the reason (store.drift's words), so that nothing is lost and an
             import puts them back as they were.
``prodigy``  ``{"text", "spans": [{"start", "end", "label", "text"}], "meta": {"id", "title",
             "source", "sha256"}, "answer": "accept"}``
``doccano``  ``{"id", "text", "label": [[start, end, label], ...]}`` (sequence labelling JSONL)
``brat``     a directory of ``ID.txt`` + ``ID.ann`` standoff files and an ``annotation.conf``.

Drifted annotations never go into ``spans`` (their offsets no longer cover their text); formats
other than hamish leave them out and count them in :class:`ExportSummary`. Export only reads:
the store is opened read-only when given as a path, so it works while the app has it open.
"""

from __future__ import annotations

import bisect
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from .annotations import Annotation, AnnotationStore, StoreError, default_store_path
from .corpus import Article
from .drift import place_one

__all__ = [
    "FORMATS",
    "JSONL_FORMATS",
    "OFFSETS",
    "ExportError",
    "ExportSummary",
    "default_export_path",
    "export",
    "export_to_path",
    "export_records",
    "open_store_readonly",
    "utf16_converter",
]

FORMATS = ("hamish", "prodigy", "doccano", "brat")
JSONL_FORMATS = ("hamish", "prodigy", "doccano")
OFFSETS = ("codepoint", "utf16")

Progress = Callable[[int, int], None]  # (articles done, articles in all)

_CHUNK = 1 << 20  # write in pieces of about this many characters


class ExportError(StoreError):
    """An export that cannot be done as asked (bad option, unusable output); message for a human."""


@dataclass
class ExportSummary:
    """What an export wrote. ``articles``: records (lines, or brat file pairs); ``spans``: spans
    in them; ``drifted``: annotations whose text is no longer where they were (in hamish format
    kept under ``meta["drifted"]``, in the others left out); ``unplaceable``: brat only, spans of
    nothing but line breaks, left out; ``orphans``: annotations of articles that are not in the
    corpus (not exported: their text is unknown)."""

    articles: int = 0
    spans: int = 0
    drifted: int = 0
    unplaceable: int = 0
    orphans: int = 0
    fmt: str = "hamish"
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One sentence for a person (the CLI's stderr, the app's notification)."""
        where = f" to {self.path}" if self.path is not None else ""
        text = (
            f"{self.spans} span{'s' if self.spans != 1 else ''} in {self.articles} "
            f"article{'s' if self.articles != 1 else ''} exported{where} ({self.fmt})"
        )
        if self.drifted:
            how = "kept under meta.drifted" if self.fmt == "hamish" else "left out"
            text += f"; {self.drifted} drifted annotation{'s' if self.drifted != 1 else ''} {how}"
        return text


# --------------------------------------------------------------------------------------------
# offsets

_NON_BMP = re.compile("[\U00010000-\U0010ffff]")


def utf16_converter(text: str) -> Callable[[int], int] | None:
    """A function from code point index to UTF-16 code unit index in ``text``, or None when the
    two are the same (no character outside the BMP: the common case, found by one regex scan)."""
    if text.isascii():
        return None
    astral = [m.start() for m in _NON_BMP.finditer(text)]
    if not astral:
        return None

    def convert(index: int, _astral: list[int] = astral, _bisect=bisect.bisect_left) -> int:
        return index + _bisect(_astral, index)  # one more unit for each astral char before it

    return convert


# --------------------------------------------------------------------------------------------
# the store


def open_store_readonly(
    db: AnnotationStore | str | os.PathLike[str] | None,
) -> tuple[AnnotationStore, bool]:
    """(store, whether we opened it). An open store is used as it is; a path (None: the default
    store) is opened read-only, and must exist (ExportError otherwise: exporting a store that is
    not there is a mistake in the path, not an empty export)."""
    if isinstance(db, AnnotationStore):
        if db.closed:
            raise ExportError(f"the annotation store {db.path} is closed")
        return db, False
    path = Path(db).expanduser() if db is not None else default_store_path()
    journal = path.with_name(path.name + ".journal")
    if not path.exists() and not journal.exists():
        raise ExportError(f"no annotation store at {path}")
    if path.is_dir():
        raise ExportError(f"{path} is a directory, not an annotation store")
    return AnnotationStore(path, readonly=True), True


# --------------------------------------------------------------------------------------------
# building the records


def _span_sort_key(span: dict[str, Any]) -> tuple:
    # Everything exported, so that the order depends on nothing that an import changes (ids).
    return (
        span["start"],
        span["end"],
        span["label"],
        span["annotator"],
        span["created"],
        span["updated"],
        span["note"] or "",
        span["note"] is not None,
    )


def _drifted_span(a: Annotation, reason: str) -> dict[str, Any]:
    span = {
        "start": a.start,
        "end": a.end,
        "label": a.label,
        "text": a.text,
        "annotator": a.annotator,
        "note": a.note,
        "created": a.created,
        "updated": a.updated,
        "sha256": a.sha256,
        "origin": a.origin,
    }
    if reason:
        span["reason"] = reason  # drift's words; recomputed on every export, ignored on import
    return span


def _placed_spans(
    article: Article, anns: list[Annotation]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(spans, drifted) of one article in hamish shape, spans sorted by (start, end, ...)."""
    text, sha = article.text, article.sha256
    spans: list[dict[str, Any]] = []
    drifted: list[dict[str, Any]] = []
    append = spans.append
    in_order = True
    last = (-1, -1)
    for a in anns:
        start, end = a.start, a.end
        if text[start:end] == a.text:  # drift.place_one's "ok", inlined: the common case
            pass
        else:
            p = place_one(text, sha, a)
            if p.status == "flagged":
                drifted.append(_drifted_span(a, getattr(p, "reason", "")))
                continue
            start, end = p.start, p.end
        if (start, end) <= last:
            in_order = False
        last = (start, end)
        append(
            {
                "start": start,
                "end": end,
                "label": a.label,
                "text": a.text,
                "annotator": a.annotator,
                "note": a.note,
                "created": a.created,
                "updated": a.updated,
                "origin": a.origin,
            }
        )
    if not in_order:  # moved spans, or ties on (start, end) that the store broke by id
        spans.sort(key=_span_sort_key)
    if len(drifted) > 1:
        drifted.sort(key=lambda s: _span_sort_key(s) + (s["sha256"],))
    return spans, drifted


@dataclass
class _Options:
    fmt: str
    offsets: str
    annotators: frozenset[str] | None
    labels: frozenset[str] | None
    done_only: bool
    include_all: bool


def _options(
    fmt: str,
    offsets: str,
    annotator: str | Iterable[str] | None,
    labels: str | Iterable[str] | None,
    done_only: bool,
    include_all: bool,
) -> _Options:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    if offsets not in OFFSETS:
        raise ExportError(f"unknown offsets {offsets!r} (one of: {', '.join(OFFSETS)})")

    def as_set(value: str | Iterable[str] | None) -> frozenset[str] | None:
        if value is None:
            return None
        return frozenset([value] if isinstance(value, str) else value)

    return _Options(fmt, offsets, as_set(annotator), as_set(labels), done_only, include_all)


def _iter_articles(
    corpus: Iterable[Article], store: AnnotationStore, opts: _Options, summary: ExportSummary
):
    """(article, spans, drifted) for each article to export, in id order; counts drift/orphans."""
    articles = sorted(corpus, key=lambda a: a.id)
    known = {a.id for a in articles}
    counts = store.counts()
    summary.orphans = sum(
        sum(labels.values()) for doc, labels in counts.items() if doc not in known
    )
    states = store.article_states() if opts.done_only else None
    annotators, labels = opts.annotators, opts.labels
    for article in articles:
        if states is not None and not states.get(article.id, {}).get("done", False):
            continue
        anns = store.annotations(article.id) if article.id in counts else []
        if anns and (annotators is not None or labels is not None):
            anns = [
                a
                for a in anns
                if (annotators is None or a.annotator in annotators)
                and (labels is None or a.label in labels)
            ]
        if anns:
            spans, drifted = _placed_spans(article, anns)
        else:
            spans, drifted = [], []
        summary.drifted += len(drifted)
        yield article, spans, drifted


def _convert_offsets(text: str, spans: list[dict[str, Any]]) -> None:
    convert = utf16_converter(text)
    if convert is not None:
        for s in spans:
            s["start"], s["end"] = convert(s["start"]), convert(s["end"])


def export_records(
    corpus: Iterable[Article],
    db: AnnotationStore | str | os.PathLike[str] | None,
    *,
    fmt: str = "hamish",
    offsets: str = "codepoint",
    annotator: str | Iterable[str] | None = None,
    labels: str | Iterable[str] | None = None,
    done_only: bool = False,
    include_all: bool = False,
    summary: ExportSummary | None = None,
    progress: Progress | None = None,
):
    """The records a JSONL export writes, one dict per line, as a generator (``summary``, if
    given, is filled in as it goes). See :func:`export` for the arguments."""
    opts = _options(fmt, offsets, annotator, labels, done_only, include_all)
    if fmt not in JSONL_FORMATS:
        raise ExportError(f"format {fmt!r} is not JSONL")
    summary = summary if summary is not None else ExportSummary(fmt=fmt)
    store, opened = open_store_readonly(db)
    try:
        corpus = list(corpus)
        total = len(corpus)
        done = 0
        utf16 = offsets == "utf16"
        for article, spans, drifted in _iter_articles(corpus, store, opts, summary):
            done += 1
            if progress is not None and (done % 64 == 0 or done == total):
                progress(done, total)
            if fmt == "hamish":
                if not (spans or drifted or include_all):
                    continue
                if utf16:
                    _convert_offsets(article.text, spans)
                meta: dict[str, Any] = {
                    "title": article.title,
                    "source": article.source,
                    "sha256": article.sha256,
                }
                if utf16:
                    meta["offsets"] = "utf16"
                if drifted:
                    meta["drifted"] = drifted
                record = {"id": article.id, "text": article.text, "meta": meta, "spans": spans}
            else:
                if not (spans or include_all):
                    continue
                if utf16:
                    _convert_offsets(article.text, spans)
                if fmt == "prodigy":
                    meta = {
                        "id": article.id,
                        "title": article.title,
                        "source": article.source,
                        "sha256": article.sha256,
                    }
                    if utf16:
                        meta["offsets"] = "utf16"
                    record = {
                        "text": article.text,
                        "spans": [
                            {
                                "start": s["start"],
                                "end": s["end"],
                                "label": s["label"],
                                "text": s["text"],
                            }
                            for s in spans
                        ],
                        "meta": meta,
                        "answer": "accept",
                    }
                else:  # doccano
                    record = {
                        "id": article.id,
                        "text": article.text,
                        "label": [[s["start"], s["end"], s["label"]] for s in spans],
                    }
            summary.articles += 1
            summary.spans += len(spans)
            yield record
        if progress is not None and done != total:
            progress(total, total)
    finally:
        if opened:
            store.close()
    if fmt != "hamish" and summary.drifted:
        summary.warnings.append(
            f"{summary.drifted} drifted annotation{'s' if summary.drifted != 1 else ''} left out "
            f"(their text is no longer where they were; format hamish keeps them under meta.drifted)"
        )
    if summary.orphans:
        summary.warnings.append(
            f"{summary.orphans} annotation{'s' if summary.orphans != 1 else ''} of articles not in "
            "the corpus left out (pass the articles' corpus to export them)"
        )


# --------------------------------------------------------------------------------------------
# writing


def export(
    corpus: Iterable[Article],
    db: AnnotationStore | str | os.PathLike[str] | None,
    out: TextIO | str | os.PathLike[str],
    *,
    fmt: str = "hamish",
    offsets: str = "codepoint",
    annotator: str | Iterable[str] | None = None,
    labels: str | Iterable[str] | None = None,
    done_only: bool = False,
    include_all: bool = False,
    progress: Progress | None = None,
) -> ExportSummary:
    """Export the annotations of ``corpus`` held in ``db`` and return what was written.

    ``db``: an open :class:`AnnotationStore`, or a store path (None: the default store), opened
    read-only. ``out``: a text stream for the JSONL formats (written with ``"\\n"`` line ends;
    give it UTF-8), a directory for brat. One record per article that has annotations (all
    articles with ``include_all``), in id order, spans in (start, end) order.
    ``annotator``/``labels``: keep only spans by these annotators / with these labels;
    ``done_only``: only articles marked done. ``progress(done, total)`` is called now and then.
    """
    summary = ExportSummary(fmt=fmt)
    if fmt == "brat":
        if not isinstance(out, (str, os.PathLike)):
            raise ExportError("format brat writes a directory of files: give a directory path")
        _export_brat(
            corpus,
            db,
            Path(out),
            summary,
            _options(fmt, offsets, annotator, labels, done_only, include_all),
            progress,
        )
        summary.path = Path(out)
        return summary
    if isinstance(out, (str, os.PathLike)):
        raise ExportError(f"format {fmt} writes a stream: use export_to_path() for a file")
    records = export_records(
        corpus,
        db,
        fmt=fmt,
        offsets=offsets,
        annotator=annotator,
        labels=labels,
        done_only=done_only,
        include_all=include_all,
        summary=summary,
        progress=progress,
    )
    write_jsonl(records, out)
    return summary


# json.dumps(ensure_ascii=False) leaves these raw, and they end a line for str.splitlines()
# (and U+2028/2029 for older JavaScript): escape them so that every reader sees one record a line.
_LINE_ENDS_IN_JSON = re.compile("[\x85\u2028\u2029]")


def _escape_line_end(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One ``json.dumps(ensure_ascii=False)`` line per record, written in large chunks."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    escape = _LINE_ENDS_IN_JSON.sub
    buffer: list[str] = []
    size = 0
    for record in records:
        line = dumps(record)
        if "\u2028" in line or "\u2029" in line or "\x85" in line:  # (faster than a regex)
            line = escape(_escape_line_end, line)
        buffer.append(line)
        size += len(line)
        if size > _CHUNK:
            buffer.append("")
            out.write("\n".join(buffer))
            buffer.clear()
            size = 0
    if buffer:
        buffer.append("")
        out.write("\n".join(buffer))


def default_export_path(
    fmt: str = "hamish",
    directory: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
) -> Path:
    """``<directory>/hamish-export-YYYYmmdd-HHMMSS.jsonl`` (brat: a directory of that name,
    no suffix); ``directory`` defaults to ``exports/`` beside the default store."""
    directory = (
        Path(directory) if directory is not None else default_store_path().parent / "exports"
    )
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = f"hamish-export-{stamp}" if fmt == "hamish" else f"hamish-export-{fmt}-{stamp}"
    return directory / (name if fmt == "brat" else name + ".jsonl")


def export_to_path(
    corpus: Iterable[Article],
    db: AnnotationStore | str | os.PathLike[str] | None,
    path: str | os.PathLike[str] | None = None,
    fmt: str = "hamish",
    **options: Any,
) -> ExportSummary:
    """:func:`export` to a file, atomically: written to a temporary file beside it, flushed to
    disk, then renamed over ``path``, so a reader never sees half an export and a failure leaves
    any old file as it was. ``path`` None: :func:`default_export_path`. For brat, ``path`` is the
    directory (each file in it written the same way). ``summary.path`` is where it went."""
    path = Path(path).expanduser() if path is not None else default_export_path(fmt)
    if fmt == "brat":
        return export(corpus, db, path, fmt=fmt, **options)
    if path.is_dir():
        raise ExportError(f"{path} is a directory; give a file name for format {fmt}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from e
    try:
        with open(fd, "w", encoding="utf-8", newline="\n") as f:
            summary = export(corpus, db, f, fmt=fmt, **options)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(e, OSError):
            raise ExportError(f"cannot write {path}: {e.strerror or e}") from e
        raise
    summary.path = path
    return summary


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --------------------------------------------------------------------------------------------
# brat

# Characters that end a line for Python's str.splitlines (which brat's .ann reader uses): the
# text field of a .ann line cannot hold them, so a span across one becomes fragments.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_SAFE_ID = re.compile(r"[^/\\\x00]+")


def _brat_text(text: str) -> tuple[str, Callable[[int], int] | None]:
    """The text brat indexes, and the map from our offsets to its offsets (None: the same).

    brat opens ``.txt`` files with universal newlines, so a CRLF is one character to it and a
    lone CR is a LF. We write the text with those line ends made LF (nothing else changes), so
    that brat, and Python reading the file either way, see exactly the text the offsets index.
    """
    if "\r" not in text:
        return text, None
    crs = [m.start() for m in re.finditer("\r\n", text)]  # each drops one character
    brat = text.replace("\r\n", "\n").replace("\r", "\n")

    def convert(index: int, _crs: list[int] = crs, _bisect=bisect.bisect_left) -> int:
        return index - _bisect(_crs, index)  # a CRLF whose CR is before index counts once

    return brat, convert


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks into the non-empty pieces between them."""
    pieces = []
    pos = start
    for m in _LINE_BREAKS.finditer(text, start, end):
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        pieces.append((pos, end))
    return pieces


def _brat_label(label: str) -> str:
    return re.sub(r"\s+", "_", label.strip())


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).replace("\t", " ")


def _atomic_write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with open(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def brat_files(
    article: Article, spans: list[dict[str, Any]], offsets: str = "codepoint"
) -> tuple[str, str, int]:
    """(``.txt`` text, ``.ann`` text, number of spans left out) for one article."""
    text, to_brat = _brat_text(article.text)
    convert = utf16_converter(text) if offsets == "utf16" else None
    lines = []
    t = 0
    skipped = 0
    for s in spans:
        start, end = s["start"], s["end"]
        if to_brat is not None:
            start, end = to_brat(start), to_brat(end)
        pieces = _fragments(text, start, end)
        if not pieces:
            skipped += 1  # nothing but line breaks: brat cannot show it
            continue
        t += 1
        covered = " ".join(text[a:b] for a, b in pieces)  # brat joins fragments with a space
        if convert is not None:
            pieces = [(convert(a), convert(b)) for a, b in pieces]
        where = ";".join(f"{a} {b}" for a, b in pieces)
        lines.append(f"T{t}\t{_brat_label(s['label'])} {where}\t{covered}\n")
        if s.get("note"):
            lines.append(f"#{t}\tAnnotatorNotes T{t}\t{_one_line(s['note'])}\n")
    return text, "".join(lines), skipped


def _export_brat(
    corpus: Iterable[Article],
    db,
    directory: Path,
    summary: ExportSummary,
    opts: _Options,
    progress: Progress | None,
) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file; format brat writes a directory")
    corpus = list(corpus)
    for article in corpus:
        if not _SAFE_ID.fullmatch(article.id) or article.id in (".", ".."):
            raise ExportError(f"article id {article.id!r} cannot be a file name; brat needs ID.txt")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create the directory {directory}: {e.strerror or e}") from e
    store, opened = open_store_readonly(db)
    labels: set[str] = set()
    try:
        done = 0
        for article, spans, _drifted in _iter_articles(corpus, store, opts, summary):
            done += 1
            if progress is not None and (done % 64 == 0 or done == len(corpus)):
                progress(done, len(corpus))
            if not (spans or opts.include_all):
                continue
            txt, ann, skipped = brat_files(article, spans, opts.offsets)
            summary.unplaceable += skipped
            _atomic_write_text(directory / f"{article.id}.txt", txt)
            _atomic_write_text(directory / f"{article.id}.ann", ann)
            labels.update(_brat_label(s["label"]) for s in spans)
            summary.articles += 1
            summary.spans += len(spans) - skipped
    finally:
        if opened:
            store.close()
    conf = directory / "annotation.conf"
    if not conf.exists():  # brat wants the entity types; never overwrite the user's own
        _atomic_write_text(
            conf,
            "[entities]\n"
            + "".join(f"{label}\n" for label in sorted(labels))
            + "\n[relations]\n\n[events]\n\n[attributes]\n",
        )
    if summary.drifted:
        summary.warnings.append(
            f"{summary.drifted} drifted annotation{'s' if summary.drifted != 1 else ''} left out "
            "(their text is no longer where they were; format hamish keeps them under meta.drifted)"
        )
    if summary.unplaceable:
        summary.warnings.append(
            f"{summary.unplaceable} span{'s' if summary.unplaceable != 1 else ''} of nothing but "
            "line breaks left out (brat cannot show them)"
        )
    if summary.orphans:
        summary.warnings.append(
            f"{summary.orphans} annotation{'s' if summary.orphans != 1 else ''} of articles not in "
            "the corpus left out (pass the articles' corpus to export them)"
        )
