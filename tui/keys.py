"""Every key Hamish answers to, in one table: the help screen and the README are made from it
(``python -m tui.keys`` prints the README's tables; a test checks that the README has them)."""

from __future__ import annotations

READER_KEYS: list[tuple[str, str]] = [
    (
        "← / →",
        "previous / next word on screen (in right-to-left lines ← goes forward); past a line's end, the next line",
    ),
    ("↑ / ↓", "the word on the line above / below, nearest in column"),
    ("PgUp / PgDn", "a screenful up / down"),
    ("Home / End, g / G", "first / last word of the article"),
    ("click", "put the cursor on the word clicked; a double click selects it"),
    (
        "/",
        "search the article (ignores harakat and tatweel; أ إ آ ٱ ا, ى ي and ة ه match each other)",
    ),
    (
        "n / N",
        "next / previous match; with a selection, the selection stays and its moving end goes to the match",
    ),
    ("] / [", "next / previous article"),
    ("a", "the next article with no annotations yet"),
    (
        "b",
        "show / hide bidi formatting characters (LRE RLE LRO RLO PDF LRI RLI FSI PDI LRM RLM ALM) as marks, to see a spoofed line for what it is",
    ),
    ("Esc", "clear the selection; with none, the search; with neither, back to the library"),
    ("Backspace", "back to the library"),
]

SELECT_KEYS: list[tuple[str, str]] = [
    (
        "Shift+← / Shift+→",
        "grow or shrink the selection by a word on screen (in right-to-left lines Shift+← extends forward)",
    ),
    ("Shift+↑ / Shift+↓", "extend the selection by a screen line"),
    ("s", "select the sentence around the cursor (ends at . ! ? ؟ … and at the paragraph's end)"),
    (
        "q",
        'select the quotation around the cursor, without its marks (“ ” « » " ‹ › „ ″, matched within the paragraph); again: the quotation around that one',
    ),
    (
        "Alt+Shift+← / Alt+Shift+→",
        "move the selection's moving end by one character, for spans that start or end inside a word (و in وكان, the article ال)",
    ),
    (
        "Ctrl+C / y",
        "copy the selection (or the cursor's word) to the clipboard as the article holds it: logical order, unshaped",
    ),
    (
        "o",
        "swap which end of the selection moves (with no selection: select the cursor's word, its start moving)",
    ),
]

ANNOTATE_KEYS: list[tuple[str, str]] = [
    (
        "1 / 2 / 3",
        "tag the selection (or the cursor's word) as claim / agreement / quote; on an annotation's exact span, relabel it (a labels file sets other keys)",
    ),
    (
        "Tab / Shift+Tab",
        "next / previous annotation; a label key right after it relabels that annotation",
    ),
    (
        "r",
        "change the boundaries of the annotation under the cursor: it becomes the selection; Shift/Alt+Shift+arrows and o change it, Enter (or a label key, which also relabels) saves, Esc cancels",
    ),
    ("l", "the article's annotations as a list (label, text, note, origin); Enter goes to one"),
    ("Ctrl+↓ / Ctrl+↑", "scroll the annotation panel under the text when it has more lines"),
    (
        "d, Delete",
        "delete the annotation under the cursor (asks which when there are several); on a suggestion, reject it",
    ),
    ("m", "add or edit the note of the annotation under the cursor"),
    (
        "f / F",
        "next / previous suggestion (underlined in its label's colour); its span becomes the selection",
    ),
    (
        "Enter",
        "accept the suggestion with its label (on the selection if its boundaries were changed), then go to the next one",
    ),
    (
        "u, Ctrl+Z / Ctrl+Y",
        "undo / redo (add, delete, relabel, note, boundaries, accept, reject), across articles, for the whole session",
    ),
    ("D", "mark the article done (again: not done)"),
]

LIBRARY_KEYS: list[tuple[str, str]] = [
    ("↑ / ↓, k / j", "move between articles"),
    ("Enter", "open the article"),
    ("/", "filter by title (Esc clears the filter)"),
    ("a", "open the next article with no annotations yet"),
    ("D", "mark the article under the cursor done (again: not done)"),
]

INPUT_KEYS: list[tuple[str, str]] = [
    (
        "typing",
        "shown as the reader shows text: Arabic joined and right to left as you type; the cursor sits on the character after it, past the end at an Arabic text's left",
    ),
    ("← / →", "the next cell on screen that way (in Arabic ← goes forward)"),
    ("Ctrl+← / Ctrl+→", "the next word start on screen that way"),
    ("Home / End, Ctrl+A / Ctrl+E", "start / end of the text (an Arabic text starts at the right)"),
    (
        "Backspace / Delete",
        "the character before the cursor (a haraka first) / under it, with its marks",
    ),
    ("Ctrl+W / Ctrl+U", "delete the word before the cursor / everything before it"),
    ("paste", "inserted at the cursor; line breaks become spaces, controls are dropped"),
    ("Enter / Esc", "search, keep the filter, save the note / cancel"),
]

GLOBAL_KEYS: list[tuple[str, str]] = [
    ("? / F1", "this help"),
    ("u, Ctrl+Z / Ctrl+Y", "undo / redo"),
    (
        "e",
        "export every annotation beside the store, in a format chosen from a list (or --export-format); the notification says where",
    ),
    ("Ctrl+Q", "quit"),
]

SECTIONS: list[tuple[str, list[tuple[str, str]]]] = [
    ("Reader", READER_KEYS),
    ("Selecting", SELECT_KEYS),
    ("Annotating", ANNOTATE_KEYS),
    ("Library", LIBRARY_KEYS),
    ("Text input (search, filter, note)", INPUT_KEYS),
    ("Everywhere", GLOBAL_KEYS),
]


def markdown() -> str:
    """The README's key tables."""
    out = []
    for title, keys in SECTIONS:
        out.append(f"### {title} keys\n\n| key | what it does |\n| --- | --- |")
        out.extend(f"| {key.replace('|', chr(92) + '|')} | {what} |" for key, what in keys)
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(markdown())
