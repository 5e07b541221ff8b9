"""bench/export.py stays runnable and its run() importable (python -m bench calls it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _load_bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "export.py"
    spec = importlib.util.spec_from_file_location("hamish_bench_export", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_quick_finishes_and_reports_the_figures(tmp_path):
    bench = _load_bench()
    r = bench.run(quick=True, directory=tmp_path)  # about a second
    e = r["export"]
    assert e["unit"] == "s" and e["value"] > 0 and e["reference"] > 0
    assert e["ratio"] == e["value"] / e["reference"] and isinstance(e["met"], bool)
    assert e["annotations"] == 10_000 and e["articles"] == 200
    assert r["export_end_to_end"]["value"] > 0
    assert "ratio (medians)" in bench.format_table(r)
    assert list(tmp_path.iterdir()) == []  # cleans up after itself


def test_the_articles_are_distinct():
    bench = _load_bench()
    corpus = bench.make_corpus(40)
    assert len({a.text for a in corpus}) == 40 and len({a.sha256 for a in corpus}) == 40
