"""An article's annotations as a list: label, text, annotator, note and origin; Enter goes to
one, Esc closes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from hamish.store import Annotation
from hamish.tui import display
from hamish.tui.display import Field
from hamish.tui.screens.dialogs import ChooseAnnotation, describe_parts
from hamish.tui.widgets.bidi_label import BidiLabel, DisplayBlock

ROW_WIDTH = 90  # at most


def origin_text(ann: Annotation) -> str:
    return "manual" if ann.origin == "manual" else ann.origin.removeprefix("suggested:")


class AnnotationList(ChooseAnnotation):
    """Every annotation of the article in text order. Enter: go to it; Esc: close. (A choice of
    annotations like ChooseAnnotation, with a row per annotation that also gives its origin.)"""

    BINDINGS = [Binding("escape,l", "close", "Close")]

    DEFAULT_CSS = """
    AnnotationList > Vertical { width: 96; max-width: 100%; max-height: 100%; }
    AnnotationList OptionList { height: auto; max-height: 30; }
    """

    def _options(self) -> list[Option]:
        width = max(10, min(ROW_WIDTH, min(96, self.app.size.width) - 8))
        return [
            Option(
                display.line(
                    f"{n:>3} ",
                    *describe_parts(a, self.labels),
                    Field(f" · {origin_text(a)}", "dim"),
                    width=width,
                ),
                id=a.id,
            )
            for n, a in enumerate(self.annotations, 1)
        ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            title = BidiLabel(classes="dialog-title")
            title.show(
                f"{len(self.annotations)} annotation(s) of ", Field(self.title_text, flex=True)
            )
            yield title
            yield OptionList(*self._options(), id="annotation-list")
            yield DisplayBlock("↑/↓ and Enter goes there; Esc closes", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
