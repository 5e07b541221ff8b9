"""Small modal screens: choose one of several annotations, edit a note, a message with choices."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from hamish.store import Annotation
from hamish.tui.bidi import fit_line
from hamish.tui.labels import Label
from hamish.tui.widgets.bidi_label import BidiLabel, visual_line

CHOICE_WIDTH = 70


def label_of(labels: tuple[Label, ...], name: str) -> Label | None:
    return next((label for label in labels if label.name == name), None)


def describe(ann: Annotation, labels: tuple[Label, ...], width: int) -> Text:
    """``■ label · annotator · “note” · «text»`` in at most ``width`` cells: the text is what
    gets cut when it is long; Arabic is laid out by the engine."""
    label = label_of(labels, ann.label)
    mark = Text("■ ", style=label.color if label else "")
    head = Text(visual_line(ann.label), style="bold")
    about = f"· {ann.annotator}"
    if ann.note:
        about += f" · “{' '.join(ann.note.split())}”"
    room = max(1, width - mark.cell_len - head.cell_len - 4)
    about = " " + fit_line(about, room, "ltr").rstrip() + " · "
    room = max(1, width - mark.cell_len - head.cell_len - cell_len(about))
    body = fit_line(f"«{' '.join(ann.text.split())}»", room, "ltr").rstrip()
    return Text.assemble(mark, head, about, body)


class ChooseAnnotation(ModalScreen[Annotation | None]):
    """Pick one of several annotations (the cursor is on more than one). Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

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
            yield Static(self.title_text, classes="dialog-title")
            options = [
                Option(Text.assemble(f"{n}  ", describe(a, self.labels, CHOICE_WIDTH - 4)), id=a.id)
                for n, a in enumerate(self.annotations, 1)
            ]
            yield OptionList(*options, id="choices")
            yield Static("↑/↓ and Enter, or the number; Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        ids = [a.id for a in self.annotations]
        choices.highlighted = ids.index(self.preselect) if self.preselect in ids else 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(next(a for a in self.annotations if a.id == event.option.id))

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            n = int(event.character)
            if 1 <= n <= len(self.annotations):
                event.stop()
                self.dismiss(self.annotations[n - 1])

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class EditNote(ModalScreen[str | None]):
    """Edit an annotation's note. Enter saves (empty removes the note), Esc cancels. The line
    under the box shows the note laid out right to left when it is Arabic (the input box itself
    shows characters in the order they are typed)."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, ann: Annotation, labels: tuple[Label, ...]) -> None:
        super().__init__(classes="dialog")
        self.ann = ann
        self.labels = labels

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static("Note (Enter saves, empty removes, Esc cancels)", classes="dialog-title")
            yield Static(describe(self.ann, self.labels, CHOICE_WIDTH), classes="dialog-about")
            yield Input(
                self.ann.note or "", placeholder="who is quoted, why this is a claim…", id="note"
            )
            yield BidiLabel(self.ann.note or "", id="note-preview")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#note-preview", BidiLabel).text = event.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class Message(ModalScreen[str]):
    """A message and a few one-key choices; dismisses with the key of the choice made."""

    def __init__(self, title: str, body: str, choices: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.body = body
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            yield Static(
                "   ".join(f"[b]{key}[/b] {what}" for key, what in self.choices),
                classes="dialog-hint",
            )

    def on_key(self, event) -> None:
        for key, _ in self.choices:
            if event.key == key or event.character == key:
                event.stop()
                self.dismiss(key)
                return
