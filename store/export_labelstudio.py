"""Export for Label Studio: ``DIR/tasks.json`` and ``DIR/config.xml``.

``tasks.json`` is a JSON array of tasks as Label Studio imports them: ``data`` holds the
article (``text``, ``id``, ``title``, ``source``, ``sha256``) and ``annotations`` one annotation
per annotator, whose ``result`` regions are ``{"id", "from_name": "label", "to_name": "text",
"type": "labels", "origin": "manual", "value": {"start", "end", "text", "labels": [label]},
"annotator"}`` (a note as ``meta.text``, the region metadata Label Studio shows). Offsets are
code points, as Label Studio counts them. ``config.xml`` is the labelling configuration: a
``<Text>`` of ``$text`` and a ``<Labels>`` with every configured label (and every label in use)
and its colour, overlapping spans allowed. ``hamish import`` reads tasks.json back, and a Label
Studio JSON export of a project made from it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from .corpus import Article
from .export import (
    ExportError,
    ExportSummary,
    Progress,
    _articles_with_spans,
    _Options,
    all_labels,
    durable_write,
    escape_json_text,
    open_store_readonly,
    prepare_directory,
    sync_directory,
)

__all__ = ["export_labelstudio", "labelstudio_config"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

FROM_NAME = "label"
TO_NAME = "text"


def labelstudio_config(labels: list[tuple[str, str | None]]) -> str:
    """The labelling configuration for these labels (name, colour)."""
    lines = [
        "<View>",
        f"  <Labels name={quoteattr(FROM_NAME)} toName={quoteattr(TO_NAME)}>",
    ]
    for name, color in labels:
        attrs = f"value={quoteattr(name)}"
        if color:
            attrs += f" background={quoteattr(color)}"
        lines.append(f"    <Label {attrs}/>")
    lines += [
        "  </Labels>",
        f'  <Text name={quoteattr(TO_NAME)} value="$text" granularity="symbol"/>',
        "</View>",
        "",
    ]
    return "\n".join(lines)


def _task(article: Article, spans: list[dict[str, Any]]) -> dict[str, Any]:
    by_annotator: dict[str, list[dict[str, Any]]] = {}
    for s in spans:
        region: dict[str, Any] = {
            "id": s["id"][:10],  # Label Studio's region ids are short; unique within a task
            "from_name": FROM_NAME,
            "to_name": TO_NAME,
            "type": "labels",
            "origin": "manual",
            "value": {
                "start": s["start"],
                "end": s["end"],
                "text": s["text"],
                "labels": [s["label"]],
            },
            "annotator": s["annotator"],
        }
        if s["note"]:
            region["meta"] = {"text": [s["note"]]}
        by_annotator.setdefault(s["annotator"], []).append(region)
    _unique_region_ids(by_annotator)
    return {
        "data": {
            "text": article.text,
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "sha256": article.sha256,
        },
        "annotations": [
            {"result": regions, "ground_truth": False, "was_cancelled": False}
            for _name, regions in sorted(by_annotator.items())
        ],
    }


def _unique_region_ids(by_annotator: dict[str, list[dict[str, Any]]]) -> None:
    seen: set[str] = set()
    for regions in by_annotator.values():
        for region in regions:
            rid = region["id"]
            n = 1
            while rid in seen:
                n += 1
                rid = f"{region['id']}_{n}"
            region["id"] = rid
            seen.add(rid)


def export_labelstudio(
    corpus: Iterable[Article],
    db,
    directory: Path,
    summary: ExportSummary,
    opts: _Options,
    progress: Progress | None,
) -> None:
    corpus = list(corpus)
    if directory.exists() and not directory.is_dir():
        raise ExportError(f"{directory} is a file; format labelstudio writes a directory")
    store, opened = open_store_readonly(db)
    try:
        used = {label for doc in store.counts().values() for label in doc}
        tasks = []
        for item in _articles_with_spans(corpus, store, opts, summary, progress):
            tasks.append(_task(item.article, item.spans))
            summary.articles += 1
            summary.spans += len(item.spans)
    finally:
        if opened:
            store.close()
    labels = all_labels(opts, used)
    bad = [name for name, _ in labels if _NOT_XML.search(name)]
    if bad:
        shown = ", ".join(escape_json_text(json.dumps(name)) for name in bad[:5])
        raise ExportError(
            f"{len(bad)} label name{'s' if len(bad) != 1 else ''} cannot go into Label Studio's "
            f"XML configuration: control characters XML 1.0 cannot hold ({shown}); nothing was "
            "written"
        )
    config = labelstudio_config(labels)
    prepare_directory(directory, "labelstudio")
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    body = "[\n" + ",\n".join(escape_json_text(dumps(t)) for t in tasks) + "\n]\n"
    durable_write(directory / "tasks.json", body.encode("utf-8"))
    durable_write(directory / "config.xml", config.encode("utf-8"))
    sync_directory(directory)
