"""An article's annotations as a list: label, text, annotator, note and origin; Enter goes to
one, Esc closes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from hamish.store import Annotation
from hamish.tui import display
from hamish.tui.display import Field
from hamish.tui.labels import Label
from hamish.tui.screens.dialogs import describe_parts
from hamish.tui.widgets.bidi_label import BidiLabel, DisplayBlock

ROW_WIDTH = 90  # at most


def origin_text(ann: Annotation) -> str:
    return "manual" if ann.origin == "manual" else ann.origin.removeprefix("suggested:")


class AnnotationList(ModalScreen[Annotation | None]):
    """Every annotation of the article in text order. Enter: go to it; Esc: close."""

    BINDINGS = [Binding("escape,l", "close", "Close")]

    DEFAULT_CSS = """
    AnnotationList > Vertical { width: 96; max-width: 100%; max-height: 100%; }
    AnnotationList OptionList { height: auto; max-height: 30; }
    """

    def __init__(
        self,
        title: str,
        annotations: list[Annotation],
        labels: tuple[Label, ...],
        preselect: str | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.annotations = annotations
        self.labels = labels
        self.preselect = preselect

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            title = BidiLabel(classes="dialog-title")
            title.show(
                f"{len(self.annotations)} annotation(s) of ", Field(self.title_text, flex=True)
            )
            yield title
            width = max(10, min(ROW_WIDTH, min(96, self.app.size.width) - 8))
            options = []
            for n, a in enumerate(self.annotations, 1):
                row = display.line(
                    f"{n:>3} ",
                    *describe_parts(a, self.labels),
                    Field(f" · {origin_text(a)}", "dim"),
                    width=width,
                )
                options.append(Option(row, id=a.id))
            yield OptionList(*options, id="annotation-list")
            yield DisplayBlock("↑/↓ and Enter goes there; Esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        rows = self.query_one(OptionList)
        ids = [a.id for a in self.annotations]
        rows.highlighted = ids.index(self.preselect) if self.preselect in ids else 0
        rows.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(a for a in self.annotations if a.id == event.option.id))

    def action_close(self) -> None:
        self.dismiss(None)
