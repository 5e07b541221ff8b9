"""The reader's text model: words, where the word cursor goes on screen, and the selection.

Pure (no Textual), beside the layout engine (``hamish.tui.bidi``) whose lines it reads, as
Textual's ``document/_document_navigator.py`` and its ``Selection`` sit beside ``TextArea``:

* ``words``: the words of a text (runs of non-space characters), per paragraph, found on use.
* ``navigator``: the word beside (left / right on screen), above, below, a page away, in
  visual terms: in a right-to-left line, left goes forward in reading order.
* ``selection``: a selection value: anchor word, cursor (moving) word, one-character nudges of
  its ends; every change returns a new value.
* ``ranges``: ranges a key selects at once: the sentence around the cursor (``s``); quotations
  (``hamish.tui.quotes``) go here too.

Offsets are logical (``str`` indices into the text as loaded, end exclusive), as everywhere.
"""

from .navigator import Navigator, WordOnLine
from .ranges import sentence_range
from .selection import Selection
from .words import WORD, Word, Words

__all__ = ["WORD", "Navigator", "Selection", "Word", "WordOnLine", "Words", "sentence_range"]
