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
# The figures each measurement must write, one per measurement of the issues at least. Each runs
# as its own test, so that the suite's workers share them out. `annot` is smoke-tested with its
# gold in tests/test_bench_annot.py.
EXPECTED = {
    "startup": ("startup",),
    "open": ("open",),
    "keystroke": ("keystroke",),
    "layout": ("layout",),
    "store": ("store_add", "store_add_worst", "store_open"),
    "memory": ("memory",),
    "export": ("export",),
    "huge": (
        "huge_app_home",
        "huge_app_end",
        "huge_app_pagedown",
        "huge_app_peak_rss",
        "huge_cat_peak_rss",
    ),
}


def test_every_measurement_is_smoke_tested():
    from bench.__main__ import NAMES

    assert sorted([*EXPECTED, "annot"]) == sorted(NAMES)


@pytest.mark.slow
@pytest.mark.parametrize("measurement", list(EXPECTED))
def test_quick_run_writes_every_figure(tmp_path, measurement):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--only", measurement, "--json", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert isinstance(figures, dict)
    for name in EXPECTED[measurement]:
        assert name in figures, f"{name} missing from {sorted(figures)}"
    assert "| figure |" in proc.stdout  # the table

    for name, f in figures.items():
        for key in KEYS:
            assert key in f, f"{name} has no {key!r}: {f}"
        assert not f.get("missing"), f"{name} could not be measured: {f['missing']}"
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
