"""The patterns file is spaCy's own format: spaCy's EntityRuler (the consumer nobody here wrote)
takes the same files and, on text where folding changes nothing, finds the same spans.
(spaCy is the ``nlp`` extra; these tests need it, as the spaCy export's tests do.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hamish.tui.suggest import Patterns

spacy = pytest.importorskip("spacy")

BENCH_PATTERNS = Path(__file__).resolve().parents[2] / "bench" / "annot" / "patterns.jsonl"

# no harakat, no hamza on alef, no ى or ة in the words the patterns touch
TEXT = (
    "وزعم مسؤول في الحكومة ان الاتفاق انهار. واتفق الطرفان على وقف القتال. "
    "ووقع البلدان مذكرة تفاهم جديدة. وتشير تقارير محلية الى تراجع الاسعار. "
    "زعم ثم زعم. قال المتحدث: لا تعليق."
)
PATTERNS = [
    {"label": "claim", "pattern": "زعم"},
    {"label": "agreement", "pattern": "مذكرة تفاهم"},
    {"label": "agreement", "pattern": [{"LOWER": {"IN": ["واتفق", "اتفق"]}}, {"LOWER": "الطرفان"}]},
    {
        "label": "claim",
        "pattern": [
            {"LOWER": {"IN": ["تشير", "وتشير"]}},
            {"LOWER": "تقارير"},
            {"IS_ALPHA": True, "OP": "?"},
        ],
    },
    {"label": "other", "pattern": [{"ORTH": "قال"}, {"ORTH": "المتحدث"}, {"IS_PUNCT": True}]},
    {"label": "claim", "pattern": [{"TEXT": {"REGEX": "^و?زعم$"}}, {"LOWER": "مسؤول"}]},
]


def spacy_spans(patterns: list[dict], text: str) -> list[tuple[int, int, str]]:
    nlp = spacy.blank("ar")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(patterns)
    return sorted((e.start_char, e.end_char, e.label_) for e in nlp(text).ents)


def test_same_spans_as_spacys_entity_ruler() -> None:
    ours = Patterns.from_lines(json.dumps(p, ensure_ascii=False) for p in PATTERNS)
    got = sorted((s.start, s.end, s.label) for s in ours.suggest(TEXT))
    assert got == spacy_spans(PATTERNS, TEXT)
    assert len(got) >= 6


def test_spacy_takes_the_benchmarks_patterns_file_as_it_is() -> None:
    entries = [json.loads(line) for line in BENCH_PATTERNS.read_text(encoding="utf-8").splitlines()]
    nlp = spacy.blank("ar")
    nlp.add_pipe("entity_ruler").add_patterns(entries)  # "scope" is Hamish's; spaCy ignores it
    assert len(Patterns.load(BENCH_PATTERNS)) == len(entries)
