"""Export: the annotations of a corpus in the formats other tools open as they are.

Offsets are Unicode code point indices into the article's text, end exclusive: exactly Python's
``text[start:end]`` (and spaCy's ``Doc.char_span``), unless the format's tool counts otherwise
(doccano: UTF-16 code units, see :func:`default_offsets`). ``offsets="utf16"`` writes UTF-16
code unit offsets for the JSONL formats, where a character outside the BMP counts 2; formats
whose tool counts one way only refuse it.

``hamish``      ``{"id", "text", "meta": {"title", "source", "sha256", "done"?, "cursor"?},
                "spans": [{"id", "start", "end", "label", "text", "annotator", "note",
                "created", "updated", "origin"}]}``: the backup (origin: "manual", or the
                suggester whose suggestion was accepted; suggestions never accepted are not
                annotations and are never exported). Every annotation with its id (its
                identity: a re-import finds it), done marks and reading positions; annotations
                that drifted (their text is no longer where it was, see :mod:`store.drift`) go
                under ``meta["drifted"]`` with their old offsets, old text, the sha256 of the
                text they were made on and the reason, so that nothing is lost. Export, import
                into an empty store and export again give the same bytes.
``prodigy``     ``{"text", "spans": [{"start", "end", "label", "text"}], "meta": {"id", "title",
                "source", "sha256"}, "answer": "accept"}``
``doccano``     ``{"id", "text", "label": [[start, end, label], ...], "offsets"}`` (sequence
                labelling JSONL; ``offsets`` says the unit, a key doccano keeps)
``brat``        a directory of ``ID.txt`` + ``ID.ann`` standoff files, ``annotation.conf`` and
                ``visual.conf`` (written anew on every export, every configured label)
``labelstudio`` a directory: ``tasks.json`` (Label Studio tasks with their annotations) and
                ``config.xml`` (the labelling configuration), :mod:`store.export_labelstudio`
``xmi``         a directory: ``typesystem.xml`` and one ``ID.xmi`` (UIMA CAS XMI, for
                INCEpTION) per article, through dkpro-cassis, :mod:`store.export_xmi`
``spacy``       a ``.spacy`` DocBin, :mod:`store.export_spacy`

JSONL lines escape C1 controls, DEL, bidi formatting characters and line separators as
``\\uXXXX`` (the same JSON strings): a terminal showing the file with ``cat`` is not driven by them.
Drifted annotations never go into ``spans`` (their offsets no longer cover their text); formats
other than hamish leave them out and count them in :class:`ExportSummary`. Export only reads:
the store is opened read-only when given as a path, so it works while the app has it open.
"""

from __future__ import annotations

import bisect
import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from .annotations import Annotation, AnnotationStore, StoreError, default_store_path
from .corpus import Article
from .drift import place_one
from .durable import atomic_file, atomic_write, fsync_dir
from .offsets import utf16_offsets

__all__ = [
    "DIRECTORY_FORMATS",
    "FORMATS",
    "JSONL_FORMATS",
    "OFFSETS",
    "SPACY_ALIGNMENTS",
    "brat_type_names",
    "default_offsets",
    "ExportError",
    "ExportSummary",
    "default_export_path",
    "export",
    "export_to_path",
    "export_records",
    "open_store_readonly",
    "utf16_converter",
]

FORMATS = ("hamish", "prodigy", "doccano", "brat", "labelstudio", "xmi", "spacy")
JSONL_FORMATS = ("hamish", "prodigy", "doccano")
DIRECTORY_FORMATS = ("brat", "labelstudio", "xmi")  # -o names a directory
OFFSETS = ("codepoint", "utf16")
# What each consumer counts (None: the format has no choice). doccano's editor counts UTF-16
# code units (JavaScript string indices); brat and Label Studio count code points; XMI offsets
# are converted by dkpro-cassis (code points here, UTF-16 in the file, as Java counts them);
# spaCy counts code points.
_FIXED_OFFSETS = {"brat": "codepoint", "labelstudio": "codepoint", "xmi": None, "spacy": None}
SPACY_ALIGNMENTS = ("expand", "contract", "strict")

LabelSpec = tuple[str, str | None]  # (label name, colour #rrggbb or None)

Progress = Callable[[int, int], None]  # (articles done, articles in all)

_CHUNK = 1 << 20  # write in pieces of about this many characters


class ExportError(StoreError):
    """An export that cannot be done as asked (bad option, unusable output); message for a human."""


@dataclass
class ExportSummary:
    """What an export wrote. ``articles``: records (lines, brat file pairs, tasks, documents);
    ``spans``: spans in them; ``drifted``: annotations whose text is no longer where they were
    (in hamish format kept under ``meta["drifted"]``, in the others left out); ``unplaceable``:
    brat only, spans of nothing but line breaks and spaces, left out; ``orphans``: annotations of
    articles that are not in the corpus (not exported: their text is unknown); ``states``:
    hamish only, articles whose done mark or reading position was written; ``realigned`` and
    ``examples``: spaCy only, spans that did not fall on token boundaries and how they were
    handled."""

    articles: int = 0
    spans: int = 0
    drifted: int = 0
    unplaceable: int = 0
    orphans: int = 0
    states: int = 0
    realigned: int = 0
    fmt: str = "hamish"
    offsets: str = "codepoint"
    path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One sentence for a person (the CLI's stderr, the app's notification)."""
        where = f" to {self.path}" if self.path is not None else ""
        unit = ", UTF-16 offsets" if self.offsets == "utf16" else ""
        text = (
            f"{self.spans} span{'s' if self.spans != 1 else ''} in {self.articles} "
            f"article{'s' if self.articles != 1 else ''} exported{where} ({self.fmt}{unit})"
        )
        if self.drifted:
            how = "kept under meta.drifted" if self.fmt == "hamish" else "left out"
            text += f"; {self.drifted} drifted annotation{'s' if self.drifted != 1 else ''} {how}"
        return text


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def default_offsets(fmt: str) -> str:
    """The offsets a format is written with unless asked otherwise: what its consumer counts
    (doccano: UTF-16 code units, as its editor counts them; everything else: code points)."""
    return "utf16" if fmt == "doccano" else "codepoint"


# --------------------------------------------------------------------------------------------
# offsets


def utf16_converter(text: str) -> Callable[[int], int] | None:
    """A function from code point index to UTF-16 code unit index in ``text``, or None when the
    two are the same (no character outside the BMP: the common case, found by one regex scan)."""
    maps = utf16_offsets(text)
    return None if maps is None else maps.to_utf16


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
    # Everything exported, so that the order depends on the content alone (the id last: two
    # annotations that differ in nothing else still come out in one order).
    return (
        span["start"],
        span["end"],
        span["label"],
        span["annotator"],
        span["created"],
        span["updated"],
        span["note"] or "",
        span["note"] is not None,
        span.get("origin", ""),
        span["id"],
    )


def _drifted_span(a: Annotation, reason: str) -> dict[str, Any]:
    span = {
        "id": a.id,
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
            if p.status == "drifted":
                drifted.append(_drifted_span(a, getattr(p, "reason", "")))
                continue
            start, end = p.start, p.end
        if (start, end) <= last:
            in_order = False
        last = (start, end)
        append(
            {
                "id": a.id,
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
    label_set: tuple[LabelSpec, ...] = ()
    align: str = "expand"


def _options(
    fmt: str,
    offsets: str | None,
    annotator: str | Iterable[str] | None,
    labels: str | Iterable[str] | None,
    done_only: bool,
    include_all: bool,
    label_set: Iterable[LabelSpec] | None = None,
    align: str = "expand",
) -> _Options:
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of: {', '.join(FORMATS)})")
    if offsets is None:
        offsets = default_offsets(fmt)
    if offsets not in OFFSETS:
        raise ExportError(f"unknown offsets {offsets!r} (one of: {', '.join(OFFSETS)})")
    if fmt in _FIXED_OFFSETS and offsets != "codepoint":
        why = {
            "brat": "brat counts code points: its offsets must be codepoint",
            "labelstudio": "Label Studio counts code points: its offsets must be codepoint",
            "xmi": "dkpro-cassis converts XMI offsets itself (UTF-16 in the file, as Java counts)",
            "spacy": "spaCy counts code points (its spans are token ranges)",
        }[fmt]
        raise ExportError(f"--offsets {offsets} cannot be used with format {fmt}: {why}")
    if align not in SPACY_ALIGNMENTS:
        raise ExportError(f"unknown alignment {align!r} (one of: {', '.join(SPACY_ALIGNMENTS)})")

    def as_set(value: str | Iterable[str] | None) -> frozenset[str] | None:
        if value is None:
            return None
        return frozenset([value] if isinstance(value, str) else value)

    specs: list[LabelSpec] = []
    seen: set[str] = set()
    for spec in label_set or ():
        name, color = (spec, None) if isinstance(spec, str) else (spec[0], spec[1])
        if name not in seen:
            seen.add(name)
            specs.append((name, color))
    return _Options(
        fmt,
        offsets,
        as_set(annotator),
        as_set(labels),
        done_only,
        include_all,
        tuple(specs),
        align,
    )


@dataclass
class _Item:
    """One article to export: its spans (hamish shape), drifted annotations, and state."""

    article: Article
    spans: list[dict[str, Any]]
    drifted: list[dict[str, Any]]
    state: dict[str, Any]


def _iter_articles(
    corpus: Iterable[Article],
    store: AnnotationStore,
    opts: _Options,
    summary: ExportSummary,
    progress: Progress | None = None,
) -> Iterator[_Item]:
    """An _Item for each article to export, in id order; counts drift/orphans, and reports
    progress (every 64 articles and at the last) over every article of the corpus."""
    articles = sorted(corpus, key=lambda a: a.id)
    total = len(articles)
    known = {a.id for a in articles}
    counts = store.counts()
    summary.orphans = sum(
        sum(labels.values()) for doc, labels in counts.items() if doc not in known
    )
    states = store.article_states()
    annotators, labels = opts.annotators, opts.labels
    for done, article in enumerate(articles, 1):
        if progress is not None and (done % 64 == 0 or done == total):
            progress(done, total)
        state = states.get(article.id) or {}
        if opts.done_only and not state.get("done", False):
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
        yield _Item(article, spans, drifted, state)


def _articles_with_spans(
    corpus: Iterable[Article],
    store: AnnotationStore,
    opts: _Options,
    summary: ExportSummary,
    progress: Progress | None,
) -> Iterator[_Item]:
    """The articles a per-article format writes: those with spans (all of them with --all)."""
    for item in _iter_articles(corpus, store, opts, summary, progress):
        if item.spans or opts.include_all:
            yield item


def _convert_offsets(text: str, spans: list[dict[str, Any]]) -> None:
    convert = utf16_converter(text)
    if convert is not None:
        for s in spans:
            s["start"], s["end"] = convert(s["start"]), convert(s["end"])


def _state_meta(state: dict[str, Any]) -> dict[str, Any]:
    """What format hamish keeps of an article's state: only what differs from the default."""
    meta: dict[str, Any] = {}
    if state.get("done"):
        meta["done"] = True
    if state.get("cursor") is not None:
        meta["cursor"] = state["cursor"]
    return meta


def export_records(
    corpus: Iterable[Article],
    db: AnnotationStore | str | os.PathLike[str] | None,
    *,
    fmt: str = "hamish",
    offsets: str | None = None,
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
    summary.offsets = opts.offsets
    store, opened = open_store_readonly(db)
    try:
        utf16 = opts.offsets == "utf16"
        for item in _iter_articles(corpus, store, opts, summary, progress):
            article, spans, drifted = item.article, item.spans, item.drifted
            if fmt == "hamish":
                state = _state_meta(item.state)
                if not (spans or drifted or state or include_all):
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
                meta.update(state)
                if state:
                    summary.states += 1
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
                else:  # doccano: the unit is a top-level key, which doccano keeps through
                    record = {  # its import and export (unknown keys are the example's meta)
                        "id": article.id,
                        "text": article.text,
                        "label": [[s["start"], s["end"], s["label"]] for s in spans],
                        "offsets": opts.offsets,
                    }
            summary.articles += 1
            summary.spans += len(spans)
            yield record
    finally:
        if opened:
            store.close()
    _common_warnings(summary)


def _common_warnings(summary: ExportSummary) -> None:
    if summary.fmt != "hamish" and summary.drifted:
        summary.warnings.append(
            f"{_plural(summary.drifted, 'drifted annotation')} left out "
            f"(their text is no longer where they were; format hamish keeps them under meta.drifted)"
        )
    if summary.unplaceable:
        summary.warnings.append(
            f"{_plural(summary.unplaceable, 'span')} of nothing but line breaks and spaces left "
            "out (brat cannot show them)"
        )
    if summary.orphans:
        summary.warnings.append(
            f"{_plural(summary.orphans, 'annotation')} of articles not in "
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
    offsets: str | None = None,
    annotator: str | Iterable[str] | None = None,
    labels: str | Iterable[str] | None = None,
    done_only: bool = False,
    include_all: bool = False,
    progress: Progress | None = None,
    label_set: Iterable[LabelSpec] | None = None,
    align: str = "expand",
) -> ExportSummary:
    """Export the annotations of ``corpus`` held in ``db`` and return what was written.

    ``db``: an open :class:`AnnotationStore`, or a store path (None: the default store), opened
    read-only. ``out``: a text stream for the JSONL formats (written with ``"\\n"`` line ends;
    give it UTF-8), a directory for brat, labelstudio and xmi, a file path for spacy. One
    record per article that has annotations (all articles with ``include_all``; format hamish
    also those with a done mark or reading position), in id order, spans in (start, end) order.
    ``offsets``: None for the format's own (:func:`default_offsets`).
    ``annotator``/``labels``: keep only spans by these annotators / with these labels;
    ``done_only``: only articles marked done. ``progress(done, total)`` is called now and then.
    ``label_set``: the configured labels, (name, colour) each, in order: brat's and Label
    Studio's configurations list every one of them (and every label in use) with its colour.
    ``align``: spaCy only, what to do with a span that does not fall on token boundaries.
    """
    opts = _options(fmt, offsets, annotator, labels, done_only, include_all, label_set, align)
    summary = ExportSummary(fmt=fmt, offsets=opts.offsets)
    if fmt in DIRECTORY_FORMATS or fmt == "spacy":
        if not isinstance(out, (str, os.PathLike)):
            what = "a .spacy file" if fmt == "spacy" else "a directory of files"
            raise ExportError(f"format {fmt} writes {what}: give a path")
        path = Path(out)
        if fmt == "brat":
            _export_brat(corpus, db, path, summary, opts, progress)
        elif fmt == "labelstudio":
            from .export_labelstudio import export_labelstudio

            export_labelstudio(corpus, db, path, summary, opts, progress)
        elif fmt == "xmi":
            from .export_xmi import export_xmi

            export_xmi(corpus, db, path, summary, opts, progress)
        else:
            from .export_spacy import export_spacy

            export_spacy(corpus, db, path, summary, opts, progress)
        _common_warnings(summary)
        summary.path = path
        return summary
    if isinstance(out, (str, os.PathLike)):
        raise ExportError(f"format {fmt} writes a stream: use export_to_path() for a file")
    records = export_records(
        corpus,
        db,
        fmt=fmt,
        offsets=opts.offsets,
        annotator=annotator,
        labels=labels,
        done_only=done_only,
        include_all=include_all,
        summary=summary,
        progress=progress,
    )
    write_jsonl(records, out)
    return summary


# json.dumps(ensure_ascii=False) leaves these raw: line ends for str.splitlines() (and U+2028/2029
# for older JavaScript), C1 controls and DEL (a terminal that `cat`s the file would act on
# them), and the bidi formatting characters (they would reorder what the terminal shows). The
# same JSON strings with them as \uXXXX: every reader sees one record a line and the same data.
_ESCAPED_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def _escape_char(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04x}"


def escape_json_text(line: str) -> str:
    """``line`` (JSON text) with the characters above written as ``\\uXXXX`` escapes. Those
    characters are never part of JSON's syntax, so they only occur inside strings, where the
    escape means the same character."""
    if line.isascii() and "\x7f" not in line:
        return line
    return _ESCAPED_IN_JSON.sub(_escape_char, line)


def write_jsonl(records: Iterable[dict[str, Any]], out: TextIO) -> None:
    """One ``json.dumps(ensure_ascii=False)`` line per record, written in large chunks."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    buffer: list[str] = []
    size = 0
    for record in records:
        line = escape_json_text(dumps(record))
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
    """``<directory>/hamish-export-YYYYmmdd-HHMMSS.jsonl`` (other formats: ``hamish-export-
    FMT-...``, a directory with no suffix for brat, labelstudio and xmi, ``.spacy`` for spacy);
    ``directory`` defaults to ``exports/`` beside the default store."""
    directory = (
        Path(directory) if directory is not None else default_store_path().parent / "exports"
    )
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    name = f"hamish-export-{stamp}" if fmt == "hamish" else f"hamish-export-{fmt}-{stamp}"
    if fmt in DIRECTORY_FORMATS:
        return directory / name
    return directory / (name + (".spacy" if fmt == "spacy" else ".jsonl"))


def export_to_path(
    corpus: Iterable[Article],
    db: AnnotationStore | str | os.PathLike[str] | None,
    path: str | os.PathLike[str] | None = None,
    fmt: str = "hamish",
    **options: Any,
) -> ExportSummary:
    """:func:`export` to a file, atomically: written to a temporary file beside it, flushed to
    disk, then renamed over ``path``, so a reader never sees half an export and a failure leaves
    any old file as it was. ``path`` None: :func:`default_export_path`. For the directory
    formats, ``path`` is the directory (each file in it written the same way). ``summary.path``
    is where it went."""
    path = Path(path).expanduser() if path is not None else default_export_path(fmt)
    if fmt in DIRECTORY_FORMATS or fmt == "spacy":
        return export(corpus, db, path, fmt=fmt, **options)
    if path.is_dir():
        raise ExportError(f"{path} is a directory; give a file name for format {fmt}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(path) as raw:
            f = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
            summary = export(corpus, db, f, fmt=fmt, **options)
            f.flush()
            f.detach()
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from e
    summary.path = path
    return summary


def durable_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically and durably (the store's one durable write); the
    caller fsyncs the directory once all its files are written (:func:`sync_directory`)."""
    atomic_write(path, data, sync_dir=False)  # (which leaves no temporary file on failure)


def sync_directory(directory: Path) -> None:
    """fsync a directory, so that the renames into it are durable."""
    fsync_dir(directory)


def prepare_directory(directory: Path, fmt: str) -> None:
    """Create the output directory of a directory format (ExportError if it cannot be)."""
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file; format {fmt} writes a directory")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create the directory {directory}: {e.strerror or e}") from e


_SAFE_ID = re.compile(r"[^/\\\x00]+")


def check_file_ids(corpus: list[Article], fmt: str, suffix: str) -> None:
    """Every article id must be usable as a file name (``ID.suffix``)."""
    for article in corpus:
        if not _SAFE_ID.fullmatch(article.id) or article.id in (".", ".."):
            raise ExportError(
                f"article id {article.id!r} cannot be a file name; {fmt} needs ID{suffix}"
            )


def all_labels(opts: _Options, used: Iterable[str]) -> list[LabelSpec]:
    """The configured labels in their order, then every other label in use, sorted."""
    out = list(opts.label_set)
    known = {name for name, _ in out}
    out.extend((name, None) for name in sorted(set(used) - known))
    return out


# --------------------------------------------------------------------------------------------
# brat

# Characters that end a line for Python's str.splitlines (which brat's .ann reader uses): the
# text field of a .ann line cannot hold them, so a span across one becomes fragments.
_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
# Runs a brat fragment is cut at: line breaks and the white space around them (bioc and pybrat
# strip fragments, brat-peek drops an entity with a blank one: none is written).
_BREAKS_AND_SPACE = re.compile(r"\s*[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029][\s]*")
_BRAT_NAME = re.compile(r"[A-Za-z0-9_-]+")
_BRAT_BAD = re.compile(r"[^A-Za-z0-9_-]+")


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
    """[start, end) cut at line breaks into pieces, each trimmed of white space at its edges;
    pieces that are blank are dropped."""
    pieces = []
    pos = start
    for m in _BREAKS_AND_SPACE.finditer(text, start, end):
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = m.end()
    if pos < end:
        pieces.append((pos, end))
    trimmed = []
    for a, b in pieces:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed


def brat_type_names(labels: Iterable[str]) -> dict[str, str]:
    """{label: brat type name}. brat accepts only ``[A-Za-z0-9_-]`` in a type name (and an
    Arabic name becomes '______', several labels the same type): a label made of those
    characters keeps its name; any other becomes its ASCII part (runs of other characters made
    ``_``, ``label`` if nothing is left) plus ``_`` and the first hex digits of its SHA-1, so
    the name is the same on every export and two labels never share one. The label itself is
    the display name in visual.conf."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    labels = sorted(set(labels))
    for label in labels:  # names that are already good first: they are never renamed
        if _BRAT_NAME.fullmatch(label):
            names[label] = label
            taken.add(label)
    for label in labels:
        if label in names:
            continue
        stem = _BRAT_BAD.sub("_", label).strip("_") or "label"
        digest = hashlib.sha1(label.encode("utf-8", "surrogatepass")).hexdigest()
        size = 6
        name = f"{stem}_{digest[:size]}"
        while name in taken:
            size += 2
            name = f"{stem}_{digest[:size]}"
        names[label] = name
        taken.add(name)
    return names


def _one_line(text: str) -> str:
    return _LINE_BREAKS.sub(" ", text).replace("\t", " ")


def _conf_text(text: str) -> str:
    """A display name fit for visual.conf: one line, no tab, no ``|`` (its separator)."""
    return _one_line(text).replace("|", "\u00a6").strip() or "?"


def brat_files(
    article: Article, spans: list[dict[str, Any]], types: dict[str, str] | None = None
) -> tuple[str, str, int]:
    """(``.txt`` text, ``.ann`` text, number of spans left out) for one article. ``types``:
    :func:`brat_type_names` of the labels (default: of these spans' labels)."""
    if types is None:
        types = brat_type_names(s["label"] for s in spans)
    text, to_brat = _brat_text(article.text)
    lines = []
    t = 0
    skipped = 0
    for s in spans:
        start, end = s["start"], s["end"]
        if to_brat is not None:
            start, end = to_brat(start), to_brat(end)
        pieces = _fragments(text, start, end)
        if not pieces:
            skipped += 1  # nothing but line breaks and spaces: brat cannot show it
            continue
        t += 1
        covered = " ".join(text[a:b] for a, b in pieces)  # brat joins fragments with a space
        where = ";".join(f"{a} {b}" for a, b in pieces)
        lines.append(f"T{t}\t{types[s['label']]} {where}\t{covered}\n")
        if s.get("note"):
            lines.append(f"#{t}\tAnnotatorNotes T{t}\t{_one_line(s['note'])}\n")
    return text, "".join(lines), skipped


def brat_configuration(labels: list[LabelSpec], types: dict[str, str]) -> tuple[str, str]:
    """(annotation.conf, visual.conf) for these labels. ``<OVERLAP>`` allows every kind of
    overlap between any two entities (brat refuses nested, crossing and identical spans
    without it); visual.conf gives each type the label as its name and the label's colour."""
    entities = "".join(f"{types[name]}\n" for name, _ in labels)
    annotation_conf = (
        "# Written by hamish export on every export (changes made here are overwritten).\n"
        "[entities]\n"
        f"{entities}\n"
        "[relations]\n"
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        "[events]\n\n"
        "[attributes]\n"
    )
    names = "".join(f"{types[name]} | {_conf_text(name)}\n" for name, _ in labels)
    drawing = "".join(
        f"{types[name]}\tbgColor:{color}\n" for name, color in labels if color is not None
    )
    visual_conf = (
        "# Written by hamish export on every export (changes made here are overwritten).\n"
        f"[labels]\n{names}\n[drawing]\n{drawing}"
    )
    return annotation_conf, visual_conf


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
    check_file_ids(corpus, "brat", ".txt")
    prepare_directory(directory, "brat")
    store, opened = open_store_readonly(db)
    try:
        used = {label for doc in store.counts().values() for label in doc}
        labels = all_labels(opts, used)
        types = brat_type_names(name for name, _ in labels)
        for item in _articles_with_spans(corpus, store, opts, summary, progress):
            txt, ann, skipped = brat_files(item.article, item.spans, types)
            summary.unplaceable += skipped
            durable_write(directory / f"{item.article.id}.txt", txt.encode("utf-8"))
            durable_write(directory / f"{item.article.id}.ann", ann.encode("utf-8"))
            summary.articles += 1
            summary.spans += len(item.spans) - skipped
    finally:
        if opened:
            store.close()
    annotation_conf, visual_conf = brat_configuration(labels, types)
    durable_write(directory / "annotation.conf", annotation_conf.encode("utf-8"))
    durable_write(directory / "visual.conf", visual_conf.encode("utf-8"))
    sync_directory(directory)
