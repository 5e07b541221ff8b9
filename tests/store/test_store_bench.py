"""bench/store_add.py stays runnable and its run() importable (python -m bench will call it)."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def _load_bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "store_add.py"
    spec = importlib.util.spec_from_file_location("hamish_bench_store_add", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_run_measures_a_small_store(tmp_path):
    bench = _load_bench()
    r = bench.run(300, 100, samples=20, tinydb_samples=1, directory=tmp_path)
    assert r["n_annotations"] == 300 and r["in_article_after"] == 100 + 20
    for key in ("add_p50_ms", "add_p95_ms", "open_s", "tinydb_insert_p50_ms", "close_fold_s"):
        assert r[key] > 0
    assert r["add_p50_ms"] <= r["add_p95_ms"] <= r["add_max_ms"]
    table = bench.format_table(r)
    assert "durable add p95" in table and "plain TinyDB insert" in table
    assert list(tmp_path.iterdir()) == []  # cleans up after itself
