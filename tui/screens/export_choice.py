"""The in-app export (``e``): which format to write. Enter or the number chooses, Esc cancels."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from hamish.tui import display
from hamish.tui.widgets.bidi_label import DisplayBlock

# (format, what it is for): the order of the numbers 1-7. Pure data, also used by the help text.
EXPORT_CHOICES: tuple[tuple[str, str], ...] = (
    ("hamish", "backup: everything, re-importable (JSONL)"),
    ("prodigy", "Prodigy / spaCy training JSONL"),
    ("doccano", "doccano sequence labelling JSONL (UTF-16 offsets)"),
    ("brat", "brat standoff files (a directory)"),
    ("labelstudio", "Label Studio tasks.json + config.xml (a directory)"),
    ("xmi", "INCEpTION: UIMA CAS XMI (a directory; needs hamish[xmi])"),
    ("spacy", "spaCy DocBin .spacy (needs hamish[nlp])"),
)


class ChooseExport(ModalScreen[str | None]):
    """Pick an export format; dismisses with its name, or None (Esc)."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield DisplayBlock("Export the annotations as", classes="dialog-title")
            yield OptionList(
                *(
                    Option(display.field(f"{n}  {fmt:<11} {what}", base="ltr"), id=fmt)
                    for n, (fmt, what) in enumerate(EXPORT_CHOICES, 1)
                ),
                id="formats",
            )
            yield DisplayBlock(
                "↑/↓ and Enter, or the number; Esc cancels. Files go to exports/ beside the store.",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        formats = self.query_one(OptionList)
        formats.highlighted = 0
        formats.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(EXPORT_CHOICES):
                event.stop()
                self.dismiss(EXPORT_CHOICES[n - 1][0])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
