"""Export for spaCy: a ``.spacy`` DocBin, one Doc per article.

Each Doc is the article's text made into tokens by ``spacy.blank("ar")`` (the tokenizer of the
``nlp`` extra; no model is needed). ``doc.spans["sc"]`` holds every span (overlapping ones too),
``doc.ents`` those that do not overlap (``spacy.util.filter_spans``: the longest first), and
``doc.user_data["hamish"]`` the article's id, title and sha256 and, for each span of
``doc.spans["sc"]`` in order, its annotation's id, annotator, note and exact character offsets.

spaCy spans are token ranges. A span that does not fall on token boundaries (the blank Arabic
tokenizer keeps ``”.`` on the word before it, for one) is handled by ``align``:
``expand`` (default) takes every token it touches, ``contract`` only the tokens wholly inside
it (a span inside no whole token is then left out), ``strict`` stops the export. Either way the
summary counts them, with examples; nothing is dropped without a word.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .corpus import Article
from .export import (
    ExportError,
    ExportSummary,
    Progress,
    _articles_with_spans,
    _Options,
    durable_write,
    escape_json_text,
    open_store_readonly,
)

__all__ = ["LANGUAGE", "export_spacy"]

LANGUAGE = "ar"
_EXAMPLES = 5


def _quote(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return escape_json_text(json.dumps(shown, ensure_ascii=False))


def export_spacy(
    corpus: Iterable[Article],
    db,
    path: Path,
    summary: ExportSummary,
    opts: _Options,
    progress: Progress | None,
) -> None:
    try:
        import spacy
        from spacy.tokens import DocBin
        from spacy.util import filter_spans
    except ImportError:
        raise ExportError("format spacy needs spaCy: pip install 'hamish[nlp]'") from None
    if path.is_dir():
        raise ExportError(f"{path} is a directory; format spacy writes a file (FILE.spacy)")
    corpus = list(corpus)
    nlp = spacy.blank(LANGUAGE)
    docbin = DocBin(store_user_data=True)
    left_out = 0
    store, opened = open_store_readonly(db)
    try:
        for item in _articles_with_spans(corpus, store, opts, summary, progress):
            article = item.article
            doc = nlp.make_doc(article.text)
            spans = []
            extra: list[dict[str, Any]] = []
            for s in item.spans:
                span = doc.char_span(s["start"], s["end"], label=s["label"])
                if span is None:
                    summary.realigned += 1
                    if opts.align != "strict":
                        span = doc.char_span(
                            s["start"], s["end"], label=s["label"], alignment_mode=opts.align
                        )
                    if len(summary.examples) < _EXAMPLES:
                        got = "left out" if span is None else _quote(span.text)
                        summary.examples.append(
                            f"{article.id} {s['start']}..{s['end']} {_quote(s['text'])} -> {got}"
                        )
                    if span is None:
                        left_out += 1
                        continue
                spans.append(span)
                extra.append(
                    {
                        "id": s["id"],
                        "start": s["start"],
                        "end": s["end"],
                        "annotator": s["annotator"],
                        "note": s["note"],
                    }
                )
            if summary.realigned and opts.align == "strict":
                continue  # reported below, once every article has been seen
            doc.spans["sc"] = spans
            doc.ents = filter_spans(spans)
            doc.user_data["hamish"] = {
                "id": article.id,
                "title": article.title,
                "sha256": article.sha256,
                "spans": extra,
            }
            docbin.add(doc)
            summary.articles += 1
            summary.spans += len(spans)
    finally:
        if opened:
            store.close()
    n = summary.realigned
    if n and opts.align == "strict":
        raise ExportError(
            f"{n} span{'s' if n != 1 else ''} not on {LANGUAGE!r} token boundaries (--align "
            "strict); nothing was written. For example: " + "; ".join(summary.examples)
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create the directory {path.parent}: {e.strerror or e}") from e
    durable_write(path, docbin.to_bytes())
    from .durable import fsync_dir

    fsync_dir(path.parent)
    if n:
        how = {
            "expand": "grown to the whole tokens they touch",
            "contract": "shrunk to the whole tokens inside them",
        }[opts.align]
        text = (
            f"{n} span{'s' if n != 1 else ''} not on {LANGUAGE!r} token boundaries {how} "
            f"(--align {opts.align})"
        )
        if left_out:
            text += f"; {left_out} inside no whole token left out"
        summary.warnings.append(text + ", for example:")
