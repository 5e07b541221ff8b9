"""What every benchmark shares: summaries of samples and the figure format.

A *figure* is one line of ``python -m bench``'s table and one entry of its JSON:

    {"value": ..., "unit": ..., "reference": ..., "ratio": ..., "target": ..., "met": ...}

``value`` is Hamish's median, ``reference`` the peer's median on the same work, ``ratio`` is
``value / reference``; ``target`` says in words what is checked and ``met`` whether it held
(``None`` when the figure is only reported). Extra keys (``p95``, ``reference_p95``, ``n``,
``note`` ...) say more; readers of the JSON may ignore them.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from typing import Any

FIGURE_KEYS = ("value", "unit", "reference", "ratio", "target", "met")


def percentile(values: Iterable[float], q: float) -> float:
    """The nearest-rank ``q`` quantile (0..1) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no samples")
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def summary(samples: Iterable[float], scale: float = 1.0) -> dict[str, float]:
    """Median, p95, min, max and count of ``samples`` (each multiplied by ``scale``)."""
    values = [s * scale for s in samples]
    return {
        "p50": statistics.median(values),
        "p95": percentile(values, 0.95),
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def _round(x: float | None, digits: int = 4) -> float | None:
    if x is None:
        return None
    if x == 0:
        return 0.0
    # keep about five significant figures, whatever the magnitude
    from math import floor, log10

    return round(x, max(digits, 4 - floor(log10(abs(x)))))


def figure(
    value: float,
    unit: str,
    reference: float | None,
    *,
    target: str | None,
    met: bool | None,
    p95: float | None = None,
    reference_p95: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One figure; ``ratio`` is computed here from the rounded value and reference."""
    value_r = _round(value)
    reference_r = _round(reference)
    ratio = value_r / reference_r if reference_r else None
    out: dict[str, Any] = {
        "value": value_r,
        "unit": unit,
        "reference": reference_r,
        "ratio": _round(ratio),
        "target": target,
        "met": met,
    }
    if p95 is not None:
        out["p95"] = _round(p95)
    if reference_p95 is not None:
        out["reference_p95"] = _round(reference_p95)
        if p95 is not None and reference_p95:
            out["ratio_p95"] = _round(p95 / reference_p95)
    for key, v in extra.items():
        out[key] = _round(v) if isinstance(v, float) else v
    return out


def paired(
    mine: dict[str, float],
    peer: dict[str, float],
    unit: str,
    *,
    target: str | None,
    max_ratio: float | None = None,
    max_p95: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A figure from two ``summary()`` dicts: Hamish's median against the peer's median.

    ``met`` holds when every limit given holds: ``ratio <= max_ratio`` (of the medians) and
    ``p95 <= max_p95`` (Hamish's own p95, in ``unit``)."""
    checks: list[bool] = []
    if max_ratio is not None:
        checks.append(mine["p50"] / peer["p50"] <= max_ratio)
    if max_p95 is not None:
        checks.append(mine["p95"] <= max_p95)
    return figure(
        mine["p50"],
        unit,
        peer["p50"],
        target=target,
        met=all(checks) if checks else None,
        p95=mine["p95"],
        reference_p95=peer["p95"],
        n=mine["n"],
        reference_n=peer["n"],
        **extra,
    )


def missing(reason: str, target: str | None = None, unit: str = "") -> dict[str, Any]:
    """A figure that could not be measured: every key present, ``value`` None, ``met`` False."""
    return {
        "value": None,
        "unit": unit,
        "reference": None,
        "ratio": None,
        "target": target,
        "met": False,
        "missing": reason,
    }


def _fmt(x: Any) -> str:
    if x is None:
        return "—"
    if isinstance(x, bool):
        return "yes" if x else "**no**"
    if isinstance(x, float):
        if abs(x) >= 100:
            return f"{x:,.0f}"
        if abs(x) >= 10:
            return f"{x:.1f}"
        if abs(x) >= 1:
            return f"{x:.2f}"
        if abs(x) >= 0.01:
            return f"{x:.3f}"
        return f"{x:.2g}"
    return str(x)


def table(figures: dict[str, dict[str, Any]]) -> str:
    """The figures as a Markdown table (what README's Performance section shows)."""
    head = ["figure", "Hamish p50", "p95", "reference p50", "p95", "unit", "ratio", "target", "met"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, f in figures.items():
        if f.get("missing"):
            cells = [
                name,
                "missing",
                "",
                "",
                "",
                f.get("unit", ""),
                "",
                f.get("target") or "",
                "**no**",
            ]
            rows.append("| " + " | ".join(cells) + " |")
            continue
        cells = [
            name,
            _fmt(f["value"]),
            _fmt(f.get("p95")),
            _fmt(f["reference"]),
            _fmt(f.get("reference_p95")),
            f["unit"],
            _fmt(f["ratio"]),
            f["target"] or "report",
            "—" if f["met"] is None else _fmt(f["met"]),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)
