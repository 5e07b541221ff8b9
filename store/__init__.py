"""Hamish's data layer: corpus loading, the annotation store, export and import.

Never imports Textual; usable from a script.
"""

from .corpus import Article, Corpus, CorpusError, default_corpus_dir, load_corpus, load_file
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

from .corpus import is_jsonl_corpus
# (not the function export itself: it would shadow the module store.export; import it from there)
from .export import ExportError, ExportSummary, default_export_path, export_to_path
from .importer import ImportRejected, ImportSummary, import_annotations

__all__ += ["is_jsonl_corpus"]
__all__ += ["ExportError", "ExportSummary", "default_export_path", "export_to_path"]
__all__ += ["ImportRejected", "ImportSummary", "import_annotations"]
