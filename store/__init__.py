"""Hamish's data layer: corpus loading, the annotation store, export and import.

Never imports Textual; usable from a script.
"""

from .annotations import (
    Annotation,
    AnnotationError,
    AnnotationStore,
    NotFoundError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    default_store_path,
)
from .corpus import (
    Article,
    Corpus,
    CorpusError,
    default_corpus_dir,
    is_jsonl_corpus,
    load_corpus,
    load_file,
)

__all__ = ["Article", "Corpus", "CorpusError", "default_corpus_dir", "load_corpus", "load_file"]
__all__ += [
    "Annotation",
    "AnnotationError",
    "AnnotationStore",
    "NotFoundError",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "default_store_path",
]
__all__ += ["is_jsonl_corpus"]

# Export and import are loaded when first used (the app starts faster without them).
# (store.export the function is not here: it would shadow the module; import it from there.)
_LAZY = {
    "ExportError": "export",
    "ExportSummary": "export",
    "default_export_path": "export",
    "export_to_path": "export",
    "ImportRejected": "importer",
    "ImportSummary": "importer",
    "import_annotations": "importer",
}
__all__ += list(_LAZY)


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'store' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
