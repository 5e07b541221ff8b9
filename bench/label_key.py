"""What one label key costs the reader: ``python -m bench.label_key``.

A seed article opens in the reader (100x40, headless); some words are tagged first so the
article has annotations. Then, for each of a few label keys (``2`` on a new word: an add; ``3``
on a tagged word: a relabel; ``d`` there: a delete), counted with ``sys.setprofile`` while the key is pressed and the app
settles:

* ``calls``: calls into Hamish's code from another layer (Textual, the store, the application
  layer, the app, the screens, the widgets, the text model, the layout engine): how many hand-offs one key makes,
  not counting the painting of lines (counted apart).
* ``layers``: how many of those layers the key went through.
* ``hamish_calls``: every call of a Hamish function (within layers too), painting left out.
* ``repainted``: screen lines of the text painted again (``ArticleView._paint_line``), of
  ``lines`` on screen.

Then the article gets ``ANNOTATIONS`` annotations and one word is relabelled back and forth
``ROUNDS`` times: the process CPU time of each key (``pilot.press`` + ``pilot.pause``), p50/p95.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

ANNOTATIONS = 40
ROUNDS = 30
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_1724ff0518829684.txt"


def layer_of(module: str) -> str:
    if module.startswith("hamish.store"):
        return "store"
    if module.startswith("hamish.tui.bidi"):
        return "engine"
    if module.startswith("hamish.tui.textmodel"):
        return "textmodel"
    if module.startswith("hamish.tui.widgets"):
        return "widgets"
    if module.startswith("hamish.tui.screens"):
        return "screens"
    if module == "hamish.tui.app":
        return "app"
    if module.startswith("hamish.tui"):
        return "application"  # session, workspace, labels, text model: no Textual
    return "other"


async def measure() -> dict[str, Any]:
    from hamish.store import Corpus, load_file
    from hamish.tui.app import HamishApp
    from hamish.tui.widgets.article_view import ArticleView

    with tempfile.TemporaryDirectory() as tmp:
        app = HamishApp(
            Corpus([load_file(SEED)]), db_path=str(Path(tmp) / "db.json"), open_first=True
        )
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            view = app.screen.query_one(ArticleView)
            for _ in range(3):  # some annotations on screen already
                await pilot.press("1", "right", "right")
            await pilot.pause()
            painted = Counter[str]()
            original = ArticleView._paint_line

            def counting(self, line, width):  # type: ignore[no-untyped-def]
                painted["lines"] += 1
                return original(self, line, width)

            ArticleView._paint_line = counting  # type: ignore[method-assign]
            results = []
            for keys in (("2",), ("home",), ("3",), ("d",)):
                label_key = keys[0] != "home"
                crossings = Counter[str]()
                layers: set[str] = set()

                def profile(  # type: ignore[no-untyped-def]
                    frame, event, arg, crossings=crossings, layers=layers
                ):
                    if event != "call":
                        return
                    module = frame.f_globals.get("__name__", "")
                    if not module.startswith("hamish."):
                        return
                    caller = frame.f_back
                    up = caller
                    for _ in range(12):  # painting is counted apart (``repainted``)
                        if up is None:
                            break
                        if up.f_code.co_name in ("render_line", "_paint_line"):
                            return
                        up = up.f_back
                    if frame.f_code.co_name == "render_line":
                        return
                    crossings["total"] += 1
                    cmod = caller.f_globals.get("__name__", "") if caller else ""
                    a, b = layer_of(cmod), layer_of(module)
                    if a != b:
                        crossings[f"{a}->{b}"] += 1
                        layers.update((a, b))

                painted.clear()
                if label_key:
                    sys.setprofile(profile)
                await pilot.press(*keys)
                await pilot.pause()
                await pilot.pause()
                sys.setprofile(None)
                if label_key:
                    results.append(
                        {
                            "key": keys[0],
                            "calls": sum(n for k, n in crossings.items() if k != "total"),
                            "hamish_calls": crossings.pop("total", 0),
                            "layers": len(layers - {"other"}),
                            "repainted": painted["lines"],
                            "lines": view.size.height,
                            "by_crossing": dict(crossings.most_common()),
                        }
                    )
            ArticleView._paint_line = original  # type: ignore[method-assign]
            # CPU time of a label key, the whole Textual path (press + settle), on an article
            # with ANNOTATIONS annotations: relabel the same word back and forth.
            doc = app.corpus[0].id
            for _ in range(3 * ANNOTATIONS):
                if app.store is None or len(app.store.annotations(doc)) >= ANNOTATIONS:
                    break
                await pilot.press("right", "1")
            await pilot.press("home")
            await pilot.pause()
            times = []
            for n in range(ROUNDS):
                t0 = time.process_time()
                await pilot.press("2" if n % 2 else "3")
                await pilot.pause()
                times.append((time.process_time() - t0) * 1000)
            times.sort()
    return {"keys": results, "cpu_ms_p50": times[len(times) // 2], "cpu_ms_p95": times[-2]}


def main() -> int:
    result = asyncio.run(measure())
    for r in result["keys"]:
        print(
            f"key {r['key']}: {r['calls']} calls across {r['layers']} layers, "
            f"{r['repainted']} of {r['lines']} lines repainted; "
            f"{r['hamish_calls']} calls of Hamish functions in all"
        )
        for crossing, n in r["by_crossing"].items():
            print(f"    {crossing}: {n}")
    print(
        f"label key, CPU time (press + settle) with {ANNOTATIONS} annotations: "
        f"p50 {result['cpu_ms_p50']:.2f} ms, p95 {result['cpu_ms_p95']:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
