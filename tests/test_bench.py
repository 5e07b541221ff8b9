"""``python -m bench --quick`` runs end to end and writes every figure in the agreed shape.

Whether the targets are met is the benchmark's business, not the test's: timings on a shared
machine are not pass/fail material.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("value", "unit", "reference", "ratio", "target", "met")
# one figure per measurement of the issue, at least
EXPECTED = ("startup", "open", "keystroke", "layout", "store_add", "store_add_worst", "store_open", "export", "memory", "huge_app_home", "huge_app_end", "huge_app_pagedown", "huge_app_peak_rss", "huge_cat_peak_rss")


@pytest.mark.slow
def test_quick_run_writes_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--json", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(figures, dict)
    for name in EXPECTED:
        assert name in figures, f"{name} missing from {sorted(figures)}"
    assert "| figure |" in proc.stdout  # the table

    export_pending = not (ROOT / "bench" / "export.py").exists()
    for name, f in figures.items():
        for key in KEYS:
            assert key in f, f"{name} has no {key!r}: {f}"
        if f.get("missing"):
            # only a measurement whose module has not landed yet may be missing
            assert name == "export" and export_pending, f"{name} could not be measured: {f['missing']}"
            continue
        assert isinstance(f["unit"], str) and f["unit"]
        assert f["target"] is None or isinstance(f["target"], str)
        assert f["met"] is None or isinstance(f["met"], bool)
        assert (f["met"] is None) == (f["target"] is None), name
        for key in ("value", "reference"):
            v = f[key]
            assert isinstance(v, (int, float)) and not isinstance(v, bool), (name, key, v)
            assert math.isfinite(v) and v > 0, (name, key, v)
        assert math.isclose(f["ratio"], f["value"] / f["reference"], rel_tol=1e-3), name
        if "p95" in f:
            assert f["p95"] >= f["value"] * (1 - 1e-3), name  # p95 is never below the median
