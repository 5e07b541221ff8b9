"""Export for INCEpTION (and WebAnno, and any UIMA tool): UIMA CAS XMI through dkpro-cassis.

``DIR/typesystem.xml`` declares the layer, a custom span layer ``webanno.custom.Span`` (INCEpTION's
naming for custom layers) with the string features ``label``, ``note``, ``annotator``,
``created``, ``updated`` and ``hamishId``, and DKPro Core's ``DocumentMetaData``. One
``DIR/ID.xmi`` per article holds its text as the sofa, its document metadata and one
``webanno.custom.Span`` per span. Offsets are set in code points and written by cassis in UTF-16
code units, as Java (UIMA, INCEpTION) counts them; cassis converts them back when it loads the
file. dkpro-cassis is an optional dependency: ``pip install 'hamish[xmi]'``.

XML 1.0 cannot hold most C0 control characters (the text of an article with a vertical tab or a
form feed, say, or such a label or note): such an article cannot be written as XMI and the
export says which, writing nothing.
"""

from __future__ import annotations

import re
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
    check_file_ids,
    durable_write,
    open_store_readonly,
    prepare_directory,
    sync_directory,
)

__all__ = ["METADATA_TYPE", "SPAN_TYPE", "export_xmi", "xmi_typesystem"]

SPAN_TYPE = "webanno.custom.Span"
METADATA_TYPE = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
SPAN_FEATURES = ("label", "note", "annotator", "created", "updated", "hamishId")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _cassis() -> Any:
    try:
        import cassis
    except ImportError:
        raise ExportError("format xmi needs dkpro-cassis: pip install 'hamish[xmi]'") from None
    return cassis


def xmi_typesystem() -> Any:
    """The cassis TypeSystem of Hamish's XMI files."""
    cassis = _cassis()
    ts = cassis.TypeSystem()
    span = ts.create_type(name=SPAN_TYPE, supertypeName="uima.tcas.Annotation")
    for name in SPAN_FEATURES:
        ts.create_feature(domainType=span, name=name, rangeType="uima.cas.String")
    meta = ts.create_type(name=METADATA_TYPE, supertypeName="uima.tcas.DocumentAnnotation")
    for name in ("documentTitle", "documentId", "documentUri", "collectionId"):
        ts.create_feature(domainType=meta, name=name, rangeType="uima.cas.String")
    return ts


def export_xmi(
    corpus: Iterable[Article],
    db,
    directory: Path,
    summary: ExportSummary,
    opts: _Options,
    progress: Progress | None,
) -> None:
    cassis = _cassis()
    corpus = list(corpus)
    check_file_ids(corpus, "xmi", ".xmi")
    ts = xmi_typesystem()
    Span = ts.get_type(SPAN_TYPE)
    Meta = ts.get_type(METADATA_TYPE)
    store, opened = open_store_readonly(db)
    files: list[tuple[str, bytes]] = []
    unwritable: list[str] = []
    try:
        for item in _articles_with_spans(corpus, store, opts, summary, progress):
            article = item.article
            if _NOT_XML.search(article.text) or any(
                _NOT_XML.search(s[key] or "")
                for s in item.spans
                for key in ("label", "note", "annotator")
            ):
                unwritable.append(article.id)
                continue
            cas = cassis.Cas(typesystem=ts)
            cas.sofa_string = article.text
            cas.add(
                Meta(
                    begin=0,
                    end=len(article.text),
                    documentTitle=article.title,
                    documentId=article.id,
                    documentUri=article.source or None,
                    collectionId="hamish",
                )
            )
            for s in item.spans:
                cas.add(
                    Span(
                        begin=s["start"],
                        end=s["end"],
                        label=s["label"],
                        note=s["note"],
                        annotator=s["annotator"],
                        created=s["created"],
                        updated=s["updated"],
                        hamishId=s["id"],
                    )
                )
            files.append((article.id, cas.to_xmi().encode("utf-8")))
            summary.articles += 1
            summary.spans += len(item.spans)
    finally:
        if opened:
            store.close()
    if unwritable:
        shown = ", ".join(repr(i) for i in unwritable[:5])
        raise ExportError(
            f"{len(unwritable)} article{'s' if len(unwritable) != 1 else ''} cannot be written "
            f"as XMI: their text, or a label, note or annotator of theirs, has control "
            f"characters XML 1.0 cannot hold ({shown}); nothing "
            "was written (export them without those articles, or in another format)"
        )
    prepare_directory(directory, "xmi")
    durable_write(directory / "typesystem.xml", ts.to_xml().encode("utf-8"))
    for article_id, data in files:
        durable_write(directory / f"{article_id}.xmi", data)
    sync_directory(directory)
