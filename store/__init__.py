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
