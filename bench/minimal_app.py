"""The reference app for startup and memory: a minimal Textual app showing a DataTable of five
rows (the bundled articles' titles, as stored, and ids). Started exactly like ``hamish``:

    python -c "import sys; from bench.minimal_app import main; sys.exit(main())"
"""

from __future__ import annotations

import os
import sys

from textual.app import App, ComposeResult
from textual.widgets import DataTable

SEEDS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "seeds")


def rows() -> list[tuple[str, str]]:
    out = []
    for name in sorted(os.listdir(SEEDS)):
        if name.endswith(".txt"):
            with open(os.path.join(SEEDS, name), encoding="utf-8") as f:
                out.append((f.readline().strip()[:32], name[:-4]))
    return out[:5]


class MinimalApp(App):
    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Title", "Id")
        table.add_rows(rows())


def main() -> int:
    MinimalApp().run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
