"""Small modal screens: choose one of several annotations, edit a note, a message with choices
(``ChoiceDialog``; not called Message, which is Textual's event class).

They size to the screen (at most 80 columns, never more than it has) and wrap their text; every
string goes through ``hamish.tui.display``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from hamish.store import Annotation
from hamish.tui import display
from hamish.tui.display import Display, Field, Part
from hamish.tui.labels import Label
from hamish.tui.widgets.bidi_label import BidiLabel, DisplayBlock
from hamish.tui.widgets.text_input import TextInput

DIALOG_WIDTH = 80  # at most; the box's border and padding take 4 of it


def label_of(labels: tuple[Label, ...], name: str) -> Label | None:
    return next((label for label in labels if label.name == name), None)


def describe_parts(ann: Annotation, labels: tuple[Label, ...]) -> tuple[Part, ...]:
    """``■ label · annotator · “note” · «text»``: each piece of data a field of its own
    (an Arabic text reads right to left between its guillemets); the text, then the note, are
    what get cut when the line is too long, at their reading end."""
    label = label_of(labels, ann.label)
    parts: list[Part] = [
        display.field("■ ", label.color if label else ""),
        Field(ann.label, "bold"),
        " · ",
        Field(ann.annotator or "", flex=True),
    ]
    if ann.note:
        parts += [" · “", Field(" ".join(ann.note.split()), flex=True), "”"]
    parts += [" · «", Field(" ".join(ann.text.split()), flex=True), "»"]
    return tuple(parts)


def describe(ann: Annotation, labels: tuple[Label, ...], width: int) -> Display:
    """``describe_parts`` as one line of at most ``width`` cells."""
    return display.line(*describe_parts(ann, labels), width=width)


def dialog_text_width(app_width: int) -> int:
    """Cells for text inside a dialog box on a screen ``app_width`` wide."""
    return max(10, min(DIALOG_WIDTH, app_width) - 4)


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

    def _options(self) -> list[Option]:
        width = dialog_text_width(self.app.size.width) - 4  # the list's padding and scrollbar
        return [
            Option(display.line(f"{n}  ", *describe_parts(a, self.labels), width=width), id=a.id)
            for n, a in enumerate(self.annotations, 1)
        ]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield DisplayBlock(self.title_text, classes="dialog-title")
            yield OptionList(*self._options(), id="choices")
            yield DisplayBlock("↑/↓ and Enter, or the number; Esc cancels", classes="dialog-hint")

    def on_mount(self) -> None:
        choices = self.query_one(OptionList)
        ids = [a.id for a in self.annotations]
        choices.highlighted = ids.index(self.preselect) if self.preselect in ids else 0
        choices.focus()

    def on_resize(self) -> None:
        choices = self.query_one(OptionList)
        for option, fresh in zip(list(choices.options), self._options(), strict=True):
            if option.id is not None:
                choices.replace_option_prompt(option.id, fresh.prompt)

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
    """Edit an annotation's note. Enter saves (empty removes the note), Esc cancels. The input
    lays the note out as it is typed (Arabic shaped, right to left)."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, ann: Annotation, labels: tuple[Label, ...]) -> None:
        super().__init__(classes="dialog")
        self.ann = ann
        self.labels = labels

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield DisplayBlock(
                "Note (Enter saves, empty removes, Esc cancels)", classes="dialog-title"
            )
            about = BidiLabel(classes="dialog-about")
            about.show(*describe_parts(self.ann, self.labels))
            yield about
            yield TextInput(
                self.ann.note or "", placeholder="who is quoted, why this is a claim…", id="note"
            )

    def on_mount(self) -> None:
        self.query_one(TextInput).focus()

    def on_text_input_submitted(self, event: TextInput.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ChoiceDialog(ModalScreen[str]):
    """A message and a few one-key choices; dismisses with the key of the choice made. The
    body is pieces for ``DisplayBlock``: text, or ``("path", p)`` for a path that breaks at
    its separators."""

    def __init__(self, title: str, body: str | tuple, choices: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.pieces = body if isinstance(body, tuple) else (body,)
        self.body = "\n".join(p if isinstance(p, str) else p[1] for p in self.pieces)
        self.choices = choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield DisplayBlock(self.title_text, classes="dialog-title")
            with VerticalScroll(classes="dialog-scroll"):
                yield DisplayBlock(*self.pieces, classes="dialog-body")
            hint = display.Display(end="")
            for n, (key, what) in enumerate(self.choices):
                hint.append_text(
                    display.line("   " if n else "", Field(key, "bold", base="ltr"), " ", what)
                )
            yield DisplayBlock(hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """The body scrolls when the screen is too low for it: the title and the choices
        stay in view (box border 2, title 2, hint 2)."""
        scroll = self.query_one(".dialog-scroll", VerticalScroll)
        scroll.styles.max_height = max(1, (self.app.size.height or 24) - 6)

    def on_key(self, event) -> None:
        for key, _ in self.choices:
            if event.key == key or event.character == key:
                event.stop()
                self.dismiss(key)
                return
