"""Keys per gold span: a scripted annotator tags the gold spans of bench/annot/ through the app
(Textual's Pilot, the real key bindings), with and without suggestions; and the suggesters'
precision and recall on the same gold.

    python -m bench.annot_keys            # the table of figures, and one line per gold span
    python -m bench --only annot          # the figures in the benchmark's table

The articles (bench/annot/articles/*.txt, written for this benchmark: Arabic news-style text
with quotations, claims, agreements, and names, places, a weapon system and scare quotes in
quotation marks) and their gold spans (bench/annot/gold.jsonl) are described in
bench/annot_gold.py; the patterns file is bench/annot/patterns.jsonl.

The annotator, for each gold span in text order, **without suggestions**: the cursor is put on
the span's first word (not counted: the figures are keys *once the cursor is inside the span*);
then, for a quotation, ``q`` until the selection is the quotation (at most 3 times), for a
claim or an agreement ``s``; when that does not give the gold span (an unclosed quotation, a
span that is not a sentence), Esc (when something is selected) and the general way: Shift+↓ a
screen line at a time while the word below still ends inside the span (the annotator sees the
screen), then Shift+arrow word by word to the span's end, Alt+Shift+arrow by characters to fix
the end, ``o`` and Alt+Shift+arrow to fix the start; then the label key. Every key pressed counts, failed attempts too.

**With suggestions** (quotations, and the patterns file): from the article's start, ``f`` once,
then for each suggestion the reader goes to: Enter when it is a gold span; the gold label's key
when its span is gold but its label is not; ``d`` (reject) otherwise. Enter and ``d`` go on to the
next suggestion by themselves. The gold spans no suggestion gave are then tagged as without
suggestions (cursor placed, not counted). Keys are charged to a label: a suggestion's keys to
the gold span it gave, or to its own label when it was wrong (rejecting a wrong quotation
suggestion costs the quotations); the first ``f`` to the first suggestion.

After each run the store must hold exactly the gold spans (else the run fails). Suggester
precision and recall are exact matches of (start, end, label).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.annot_gold import PATTERNS, GoldSpan, articles, gold
from bench.common import figure

SIZE = (100, 40)
LABEL_KEYS = {"claim": "1", "agreement": "2", "quote": "3"}


@dataclass
class SpanCost:
    doc: str
    label: str
    start: int
    end: int
    keys: int
    how: str  # "q", "s", "manual", "suggestion", "relabel"


@dataclass
class Run:
    spans: list[SpanCost] = field(default_factory=list)
    charged: dict[str, int] = field(default_factory=dict)  # label -> keys (incl. rejections)
    rejected: int = 0

    def charge(self, label: str, keys: int) -> None:
        self.charged[label] = self.charged.get(label, 0) + keys


class _Keys:
    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.count = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.count += 1
            await self.pilot.press(key)


async def _manual(keys: _Keys, screen: Any, g: GoldSpan) -> str:
    """Tag ``g`` with the cursor on its first word; returns how it was done."""
    view = screen.view
    target = (g.start, g.end)
    if g.label == "quote":
        last = None
        for _ in range(3):
            await keys.press("q")
            if view.selection == target:
                await keys.press(LABEL_KEYS[g.label])
                return "q"
            if view.selection == last:
                break
            last = view.selection
    else:
        await keys.press("s")
        if view.selection == target:
            await keys.press(LABEL_KEYS[g.label])
            return "s"
    if view.selection is not None:
        await keys.press("escape")
    view.move_to_index(g.start)
    await keys.pilot.pause()
    rtl = view.navigator.forward_on_screen(view.cursor, -1)
    forward, back = ("left", "right") if rtl else ("right", "left")
    for _ in range(100):  # a screen line at a time while the line below still ends inside
        below = view.navigator.above_below(view.cursor, 1, view._goal())
        if below is None or below[1] > g.end:
            break
        await keys.press("shift+down")
    for _ in range(500):  # then a word at a time
        if view.target[1] >= g.end:
            break
        await keys.press(f"shift+{forward}")
    for _ in range(200):
        if view.target[1] <= g.end:
            break
        await keys.press(f"alt+shift+{back}")
    if view.target[0] < g.start:
        await keys.press("o")
        for _ in range(200):
            if view.target[0] >= g.start:
                break
            await keys.press(f"alt+shift+{forward}")
    if view.target != target:
        raise RuntimeError(f"{g.doc}: could not select {target}, got {view.target}")
    await keys.press(LABEL_KEYS[g.label])
    return "manual"


async def _annotate(article: Any, spans: list[GoldSpan], suggest: bool, db: Path) -> Run:
    from hamish.store import AnnotationStore, Corpus
    from hamish.tui.app import HamishApp
    from hamish.tui.suggest import Patterns, Suggesters

    suggesters = (
        Suggesters(patterns=[Patterns.load(PATTERNS)]) if suggest else Suggesters(quotes=False)
    )
    app = HamishApp(
        Corpus([article]),
        db_path=str(db),
        open_first=True,
        annotator="bench",
        suggesters=suggesters,
    )
    run = Run()
    todo = {(g.start, g.end, g.label): g for g in spans}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        keys = _Keys(pilot)
        if suggest and screen.suggestions:
            charged = keys.count  # the f goes with the first suggestion
            await keys.press("f")
            for _ in range(200):
                s = screen.focused_suggestion
                if s is None:
                    break
                exact = todo.pop((s.start, s.end, s.label), None)
                other = next((g for k, g in todo.items() if k[:2] == (s.start, s.end)), None)
                if exact is not None:
                    await keys.press("enter")
                    cost = SpanCost(exact.doc, exact.label, exact.start, exact.end, 0, "suggestion")
                elif other is not None:
                    del todo[(other.start, other.end, other.label)]
                    await keys.press(LABEL_KEYS[other.label])
                    cost = SpanCost(other.doc, other.label, other.start, other.end, 0, "relabel")
                else:
                    await keys.press("d")
                    run.rejected += 1
                    run.charge(s.label, keys.count - charged)
                    charged = keys.count
                    continue
                cost.keys = keys.count - charged
                charged = keys.count
                run.charge(cost.label, cost.keys)
                run.spans.append(cost)
        for g in sorted(todo.values(), key=lambda g: g.start):
            screen.view.clear_selection()
            screen.view.move_to_index(g.start)
            await pilot.pause()
            before = keys.count
            how = await _manual(keys, screen, g)
            cost = SpanCost(g.doc, g.label, g.start, g.end, keys.count - before, how)
            run.charge(g.label, cost.keys)
            run.spans.append(cost)
        await pilot.pause()
    with AnnotationStore(db, readonly=True) as store:
        got = sorted((a.start, a.end, a.label) for a in store.annotations(article.id))
    want = sorted((g.start, g.end, g.label) for g in spans)
    if got != want:
        raise RuntimeError(f"{article.id}: the store holds {got}, the gold is {want}")
    return run


def precision_recall() -> dict[str, dict[str, float]]:
    """Per suggester (and all together): true positives, suggestions, gold, precision, recall."""
    from hamish.tui.suggest import Patterns, Suggesters

    arts = {a.id: a for a in articles()}
    spans = gold(arts)
    suggesters = Suggesters(patterns=[Patterns.load(PATTERNS)])
    out: dict[str, dict[str, float]] = {}
    found = [(doc, s) for doc, a in arts.items() for s in suggesters.suggest(a.text)]
    groups: dict[str, tuple[Callable[[str], bool], Callable[[str], bool]]] = {
        "quotes": (lambda origin: origin.endswith("quotes"), lambda label: label == "quote"),
        "patterns": (
            lambda origin: origin.endswith("patterns"),
            lambda label: label in ("claim", "agreement"),
        ),
        "all": (lambda origin: True, lambda label: True),
    }
    gold_keys = {(g.doc, g.start, g.end, g.label) for g in spans}
    for name, (by_origin, by_label) in groups.items():
        mine = {(doc, s.start, s.end, s.label) for doc, s in found if by_origin(s.origin)}
        relevant = {k for k in gold_keys if by_label(k[3])}
        tp = len(mine & relevant)
        out[name] = {
            "tp": tp,
            "suggested": len(mine),
            "gold": len(relevant),
            "precision": tp / len(mine) if mine else 0.0,
            "recall": tp / len(relevant) if relevant else 0.0,
        }
    return out


def measure(log: Callable[[str], None] = lambda s: None) -> dict[str, Any]:
    arts = articles()
    by_id = {a.id: a for a in arts}
    spans = gold(by_id)
    runs: dict[str, list[Run]] = {"without": [], "with": []}
    with tempfile.TemporaryDirectory(prefix="hamish-annot-") as tmp:
        for mode in ("without", "with"):
            for a in arts:
                log(f"annot: {a.id} {mode} suggestions")
                mine = [g for g in spans if g.doc == a.id]
                db = Path(tmp) / f"{mode}-{a.id}.json"
                runs[mode].append(asyncio.run(_annotate(a, mine, mode == "with", db)))
    gold_count: dict[str, int] = {}
    for g in spans:
        gold_count[g.label] = gold_count.get(g.label, 0) + 1
    result: dict[str, Any] = {"gold": gold_count, "runs": {}, "spans": {}}
    for mode, rs in runs.items():
        charged: dict[str, int] = {}
        for r in rs:
            for label, n in r.charged.items():
                charged[label] = charged.get(label, 0) + n
        per_label = {label: charged.get(label, 0) / n for label, n in gold_count.items()}
        total = sum(charged.values()) / len(spans)
        result["runs"][mode] = {
            "per_label": per_label,
            "all": total,
            "rejected": sum(r.rejected for r in rs),
        }
        result["spans"][mode] = [c for r in rs for c in r.spans]
    # quotations with matching marks, the cursor inside, no suggestions: what q costs
    inside = [c.keys for c in result["spans"]["without"] if c.label == "quote" and c.how == "q"]
    result["quote_inside_max"] = max(inside)
    result["quote_inside_mean"] = statistics.mean(inside)
    result["quote_inside_n"] = len(inside)
    manual_quotes = [
        c.keys for c in result["spans"]["without"] if c.label == "quote" and c.how != "q"
    ]
    result["quote_manual"] = manual_quotes
    result["pr"] = precision_recall()
    return result


def figures(m: dict[str, Any]) -> dict[str, dict[str, Any]]:
    without, with_ = m["runs"]["without"], m["runs"]["with"]
    pr = m["pr"]
    out = {
        "keys_quote_inside": figure(
            m["quote_inside_max"],
            "keys",
            m["quote_inside_mean"],
            target="value <= 2 (the most keys for a quotation, cursor inside it)",
            met=m["quote_inside_max"] <= 2,
            n=m["quote_inside_n"],
            measures="keys to tag a quotation whose marks match, the cursor on its first "
            "word, no suggestions: the maximum (reference: the mean)",
        ),
        "keys_quote_suggested": figure(
            with_["per_label"]["quote"],
            "keys/span",
            without["per_label"]["quote"],
            target="value <= 1.5",
            met=with_["per_label"]["quote"] <= 1.5,
            measures="keys per gold quotation with suggestions (reference: without, cursor "
            "placed for free)",
        ),
        "keys_span_suggested": figure(
            with_["all"],
            "keys/span",
            without["all"],
            target=None,
            met=None,
            measures="keys per gold span of every label, with suggestions (reference: without)",
        ),
    }
    for name in ("quotes", "patterns"):
        p = pr[name]
        out[f"suggest_{name}_precision"] = figure(
            max(p["precision"], 1e-9),
            "ratio",
            1.0,
            target=None,
            met=None,
            measures=f"{name} suggester: {p['tp']} of {p['suggested']} suggestions are gold",
        )
        out[f"suggest_{name}_recall"] = figure(
            max(p["recall"], 1e-9),
            "ratio",
            1.0,
            target=None,
            met=None,
            measures=f"{name} suggester: {p['tp']} of {p['gold']} gold spans suggested",
        )
    return out


def report(m: dict[str, Any]) -> str:
    lines = [
        "| | claim | agreement | quote | all | rejected |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for mode in ("without", "with"):
        r = m["runs"][mode]
        pl = r["per_label"]
        lines.append(
            f"| keys per gold span, {mode} suggestions | {pl['claim']:.2f} | "
            f"{pl['agreement']:.2f} | {pl['quote']:.2f} | {r['all']:.2f} | {r['rejected']} |"
        )
    lines += [
        "",
        "| suggester | suggested | gold | correct | precision | recall |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, p in m["pr"].items():
        lines.append(
            f"| {name} | {p['suggested']} | {p['gold']} | {p['tp']} | {p['precision']:.2f} | "
            f"{p['recall']:.2f} |"
        )
    lines += [
        "",
        f"quotations with matching marks, cursor inside, no suggestions: {m['quote_inside_n']}, "
        f"at most {m['quote_inside_max']} keys, {m['quote_inside_mean']:.2f} on average; "
        f"the others (no matching marks): {m['quote_manual']} keys",
        "",
        "| mode | doc | label | keys | how |",
        "| --- | --- | --- | --- | --- |",
    ]
    for mode in ("without", "with"):
        for c in m["spans"][mode]:
            lines.append(f"| {mode} | {c.doc} | {c.label} | {c.keys} | {c.how} |")
    return "\n".join(lines)


if __name__ == "__main__":
    from bench.common import table

    result = measure(lambda s: print(s, file=sys.stderr, flush=True))
    print(table(figures(result)))
    print()
    print(report(result))
