"""Every key Hamish answers to, in one table: the help screen and the README are made from it."""

from __future__ import annotations

READER_KEYS: list[tuple[str, str]] = [
    ("← / →", "previous / next word on screen (in right-to-left lines ← goes forward); past a line's end, the next line"),
    ("↑ / ↓", "the word on the line above / below, nearest in column"),
    ("PgUp / PgDn", "a screenful up / down"),
    ("Home / End, g / G", "first / last word of the article"),
    ("click", "put the cursor on the word clicked"),
    ("/", "search the article (ignores harakat and tatweel; أ إ آ ٱ ا, ى ي and ة ه match each other)"),
    ("n / N", "next / previous match"),
    ("] / [", "next / previous article"),
    ("Esc / Backspace", "back to the library"),
]

LIBRARY_KEYS: list[tuple[str, str]] = [
    ("↑ / ↓, k / j", "move between articles"),
    ("Enter", "open the article"),
    ("/", "filter by title (Esc clears the filter)"),
]

GLOBAL_KEYS: list[tuple[str, str]] = [
    ("? / F1", "this help"),
    ("Ctrl+Q", "quit"),
]
