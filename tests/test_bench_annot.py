"""The keys-per-span benchmark (bench/annot_keys.py) runs through the app and leaves exactly
the gold spans in the store; its figures have the benchmark's shape. (Whether the targets are
met is the benchmark's business.)"""

from __future__ import annotations

import json
import math

import pytest

from bench import annot_gold, annot_keys


def test_gold_spans_are_in_their_articles() -> None:
    arts = {a.id: a for a in annot_gold.articles()}
    spans = annot_gold.gold(arts)
    assert len(spans) == 30
    assert {g.label for g in spans} == {"quote", "claim", "agreement"}
    for g in spans:
        text = g.text(arts[g.doc])
        assert text == text.strip() and text


def test_bad_gold_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "gold.jsonl"
    bad.write_text(json.dumps({"doc": "a1_karabakh", "label": "quote", "text": "ليس هنا"}) + "\n")
    monkeypatch.setattr(annot_gold, "GOLD", bad)
    with pytest.raises(ValueError, match="0 places"):
        annot_gold.gold()


@pytest.mark.slow
def test_the_scripted_annotator_leaves_the_gold_and_figures_have_their_shape() -> None:
    result = annot_keys.measure()  # raises if a run's store is not exactly the gold
    figures = annot_keys.figures(result)
    assert set(figures) >= {"keys_quote_inside", "keys_quote_suggested", "keys_span_suggested"}
    for name, f in figures.items():
        assert f["unit"] and f["value"] > 0 and f["reference"] > 0, name
        assert math.isclose(f["ratio"], f["value"] / f["reference"], rel_tol=1e-3), name
        assert (f["met"] is None) == (f["target"] is None), name
    n = sum(result["gold"].values())
    assert len(result["spans"]["without"]) == len(result["spans"]["with"]) == n
    assert "| keys per gold span" in annot_keys.report(result)
