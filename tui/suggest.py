"""Suggestions: spans a suggester proposes, which a person accepts, changes or rejects.

Two suggesters, both pure (no Textual), both giving logical offsets into the article's text:

- ``suggest_quotations``: the quotations found from their marks (``hamish.tui.quotes``), with
  the judgement a person uses: a name or a term in quotation marks (a TV channel, a weapon
  system, a place, one word in scare quotes) is not a quotation of anyone's words, and a mark
  left open is not guessed to close anywhere.
- ``Patterns``: the patterns of a file in the format of Prodigy / spaCy's ``EntityRuler``
  (JSONL, one ``{"label": ..., "pattern": ...}`` a line, ``pattern`` a phrase or a list of
  token patterns), matched with the same Arabic folding as the reader's search
  (``hamish.tui.bidi.search``: hamza forms, ى/ي, ة/ه, harakat, tatweel).

A suggestion's ``origin`` names where it came from (``suggested:quotes``, ``suggested:patterns``);
an annotation made by accepting one keeps that origin. ``key`` identifies a suggestion within
its article (what a rejection remembers).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hamish.tui.bidi.search import fold
from hamish.tui.quotes import Quotation, quotations
from hamish.tui.sentences import ENDS, sentence_of

QUOTE_ORIGIN = "suggested:quotes"
PATTERN_ORIGIN = "suggested:patterns"
MANUAL_ORIGIN = "manual"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """``text[start:end]`` suggested as ``label`` by ``origin``; ``why`` says why in words."""

    start: int
    end: int
    label: str
    origin: str
    text: str
    why: str = ""

    @property
    def key(self) -> str:
        """Identifies the suggestion in its article: origin, label, offsets and a hash of the
        text (so a changed article does not hide a new suggestion at the same offsets)."""
        digest = hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]
        return f"{self.origin}|{self.label}|{self.start}|{self.end}|{digest}"

    def to_span(self) -> dict[str, Any]:
        """The span in the hamish export shape, plus where it came from."""
        return {
            "start": self.start,
            "end": self.end,
            "label": self.label,
            "text": self.text,
            "origin": self.origin,
            "why": self.why,
        }


# --------------------------------------------------------------------------------------------
# words


_MARK_CATS = ("Mn", "Mc", "Me")


def _is_word_char(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "LN" or cat in _MARK_CATS or ch == "\u0640"


def tokens(text: str, lo: int = 0, hi: int | None = None) -> list[tuple[int, int]]:
    """Tokens as spaCy splits them for matching: runs of letters, digits and their marks, and
    every other non-space character on its own."""
    hi = len(text) if hi is None else hi
    out: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif _is_word_char(ch):
            j = i + 1
            while j < hi and _is_word_char(text[j]):
                j += 1
            out.append((i, j))
            i = j
        else:
            out.append((i, i + 1))
            i += 1
    return out


def _folded_word(word: str) -> str:
    """A word as the cue lists hold it: folded, without a leading و or ف (and), a leading
    ب or ل only when the rest still is a word."""
    w = fold(word)
    if len(w) > 3 and w[0] in "وف":
        w = w[1:]
    return w


# --------------------------------------------------------------------------------------------
# quotations with judgement

# Verbs and phrases of saying, folded (see _folded_word): a quotation follows them.
SPEECH_CUES = (
    "قال",
    "يقول",
    "تقول",
    "اضاف",
    "يضيف",
    "تضيف",
    "مضيفا",
    "اكد",
    "يؤكد",
    "تؤكد",
    "مؤكدا",
    "اوضح",
    "يوضح",
    "توضح",
    "موضحا",
    "صرح",
    "تصريح",
    "اعلن",
    "يعلن",
    "تابع",
    "تابعت",
    "متابعا",
    "قائلا",
    "قائله",
    "بقوله",
    "بالقول",
    "كتب",
    "ذكر",
    "اعتبر",
    "شدد",
    "حذر",
    "يحذر",
    "دعا",
    "يدعو",
    "تدعو",
    "داعي",
    "نقل",
    "نقلت",
    "وصف",
    "ردد",
    "هتف",
    "اجاب",
    "رد",
    "اشار",
    "مشيرا",
    "تعهد",
    "وعد",
    "جاء",
)
_CUE_PREFIXES = tuple(sorted({c for c in SPEECH_CUES if len(c) >= 3}, key=len, reverse=True))

# Nouns that name what follows them in quotation marks: «قناة "الجزيرة"», «منظومة "إس-400"».
NAMING_NOUNS = frozenset(
    fold(w)
    for w in (
        "قناة قنوات فضائية تلفزيون تلفزيونية صحيفة صحف جريدة مجلة وكالة إذاعة محطة شبكة موقع منصة تطبيق برنامج مسلسل "
        "فيلم كتاب رواية أغنية منظومة منظومات صاروخ صواريخ طائرة طائرات مسيرة مسيرات دبابة "
        "دبابات سفينة حاملة غواصة نظام أنظمة سلاح مدينة بلدة قرية حي منطقة مخيم محافظة إقليم "
        "ولاية جزيرة جبل وادي نهر ميناء مطار معبر شارع ساحة سجن فندق مستشفى جامعة مدرسة شركة "
        "مجموعة حركة حزب جماعة تنظيم ميليشيا ميليشيات كتائب لواء فصيل جبهة تحالف ائتلاف "
        "عملية عمليات خطة مبادرة مشروع مؤتمر منتدى قمة اتفاق اتفاقية صفقة ملف قضية وثيقة "
        "مصطلح كلمة عبارة شعار لقب اسم وسم هاشتاغ حملة"
    ).split()
)
# The longest quotation suggested, in characters (a few paragraphs' worth): past it, the marks
# pair across what no one quotes at once (in a 67 MB one-line article, quotations of 145,000
# characters, 2.7 GB of suggested text in all).
QUOTE_MAX = 5_000
NAME_MAX_WORDS = 10  # after a naming noun, fewer words than this in quotation marks are a name
CUE_WINDOW = 8  # words before the opening mark in which a verb of saying counts


@dataclass(frozen=True, slots=True)
class _Context:
    before: list[str]  # the folded words before the opening mark, nearest last
    colon: bool  # a colon right before the opening mark


def _context(text: str, q: Quotation, floor: int) -> _Context:
    i = q.open
    while i > floor and text[i - 1].isspace():
        i -= 1
    colon = i > floor and text[i - 1] in ":：؛"
    lo = max(floor, q.open - 200)
    words = [text[s:e] for s, e in tokens(text, lo, q.open) if _is_word_char(text[s])]
    # only this sentence: stop at a sentence end before the mark
    chunk = text[lo : q.open]
    cut = max(chunk.rfind(ch) for ch in ENDS)
    if cut >= 0:
        words = [text[s:e] for s, e in tokens(text, lo + cut + 1, q.open) if _is_word_char(text[s])]
    return _Context([_folded_word(w) for w in words[-CUE_WINDOW:]], colon)


def _names(word: str) -> bool:
    """Whether ``word`` (folded) is a naming noun, also with a leading ل or ب (لقناة، بمدينة)."""
    return word in NAMING_NOUNS or (len(word) > 3 and word[0] in "لب" and word[1:] in NAMING_NOUNS)


def _has_cue(words: Iterable[str]) -> bool:
    return any(w.startswith(_CUE_PREFIXES) for w in words)


def judge_quotation(text: str, q: Quotation, floor: int = 0) -> tuple[bool, str]:
    """Whether a person would tag ``q`` as a quotation of someone's words, and why."""
    inner = text[q.start : q.end]
    n = len(inner.split())
    ctx = _context(text, q, floor)
    previous = ctx.before[-1] if ctx.before else ""
    if _names(previous) and n < NAME_MAX_WORDS:
        return False, f"a name: after «{previous}»"
    if n == 1 and not ctx.colon:
        return False, "one word in quotation marks (a term or scare quotes)"
    if ctx.colon:
        return True, "after a colon"
    if _has_cue(ctx.before) and n >= 2:
        return True, "after a verb of saying"
    if n >= 5:
        return True, f"{n} words in quotation marks"
    return False, f"{n} words, no verb of saying before them: a name or a term"


def suggest_quotations(text: str, label: str = "quote") -> list[Suggestion]:
    """The quotations of ``text`` a person would tag, as suggestions of ``label``."""
    out = []
    for q in quotations(text):
        if q.end - q.start > QUOTE_MAX:  # marks paired across pages, not a quotation
            continue
        ok, why = judge_quotation(text, q)
        if ok:
            out.append(Suggestion(q.start, q.end, label, QUOTE_ORIGIN, text[q.start : q.end], why))
    return out


# --------------------------------------------------------------------------------------------
# patterns files (Prodigy / spaCy EntityRuler)


class PatternsError(ValueError):
    """A patterns file that cannot be used; the message names the file, the line and why."""


def shown(name: str) -> str:
    """A file name as a message shows it: control, format (bidi override) and other invisible
    characters written as escapes, so a hostile name cannot drive the terminal."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in name)


_STRING_ATTRS = ("ORTH", "TEXT", "LOWER", "NORM")
_BOOL_ATTRS = ("IS_ALPHA", "IS_DIGIT", "IS_PUNCT", "IS_SPACE")
_OPS = ("?", "*", "+", "!", "1")


@dataclass(frozen=True, slots=True)
class _TokenSpec:
    tests: tuple[tuple[str, Any], ...]  # (attribute, folded value or predicate spec)
    op: str

    def matches(self, word: str) -> bool:
        folded = fold(word)
        for attr, value in self.tests:
            if attr in _STRING_ATTRS:
                if not _value_matches(value, folded):
                    return False
            elif attr == "LENGTH":
                if not _value_matches(value, len(word), numeric=True):
                    return False
            elif attr == "IS_ALPHA":
                if (
                    word.isalpha()
                    or all(_is_word_char(c) for c in word)
                    and not any(c.isdigit() for c in word)
                ) != value:
                    return False
            elif attr == "IS_DIGIT":
                if word.isdigit() != value:
                    return False
            elif attr == "IS_PUNCT":
                if all(unicodedata.category(c)[0] == "P" for c in word) != value:
                    return False
            elif attr == "IS_SPACE":
                if word.isspace() != value:
                    return False
        return True


def _value_matches(value: Any, got: Any, numeric: bool = False) -> bool:
    if isinstance(value, dict):
        for pred, arg in value.items():
            if pred == "IN" and got not in arg:
                return False
            if pred == "NOT_IN" and got in arg:
                return False
            if pred == "REGEX" and not (isinstance(got, str) and arg.search(got)):
                return False
            if pred in ("==", ">=", "<=", ">", "<", "!="):
                ok = {
                    "==": got == arg,
                    "!=": got != arg,
                    ">=": got >= arg,
                    "<=": got <= arg,
                    ">": got > arg,
                    "<": got < arg,
                }[pred]
                if not ok:
                    return False
        return True
    return bool(got == value)


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str
    specs: tuple[_TokenSpec, ...]
    id: str | None = None
    scope: str = "match"  # or "sentence": the suggestion is the sentence holding the match
    line: int = 0


def _compile_value(attr: str, value: Any, where: str) -> Any:
    numeric = attr == "LENGTH"
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for pred, arg in value.items():
            if pred in ("IN", "NOT_IN"):
                if not isinstance(arg, list):
                    raise PatternsError(f"{where}: {attr} {pred} needs a list")
                out[pred] = [a if numeric else fold(str(a)) for a in arg]
            elif pred == "REGEX" and not numeric:
                try:
                    out[pred] = re.compile(str(arg))
                except re.error as e:
                    raise PatternsError(f"{where}: {attr} REGEX {arg!r}: {e}") from None
            elif pred in ("==", ">=", "<=", ">", "<", "!=") and numeric:
                if type(arg) is not int:
                    raise PatternsError(f"{where}: {attr} {pred} needs an integer")
                out[pred] = arg
            else:
                raise PatternsError(f"{where}: {attr} does not take {pred!r}")
        return out
    if numeric:
        if type(value) is not int:
            raise PatternsError(f"{where}: LENGTH needs an integer, not {value!r}")
        return value
    if not isinstance(value, str):
        raise PatternsError(f"{where}: {attr} needs a string, not {value!r}")
    return fold(value)


def _compile_token(spec: Any, where: str) -> _TokenSpec:
    if not isinstance(spec, dict):
        raise PatternsError(f"{where}: a token pattern is an object, not {spec!r}")
    op = "1"
    tests: list[tuple[str, Any]] = []
    for attr, value in spec.items():
        key = str(attr).upper()
        if key == "OP":
            if value not in _OPS:
                raise PatternsError(f"{where}: OP must be one of ? * + ! 1, not {value!r}")
            op = value
        elif key in _STRING_ATTRS or key == "LENGTH":
            tests.append((key, _compile_value(key, value, where)))
        elif key in _BOOL_ATTRS:
            if type(value) is not bool:
                raise PatternsError(f"{where}: {key} needs true or false")
            tests.append((key, value))
        else:
            raise PatternsError(
                f"{where}: token attribute {attr!r} is not supported (Hamish has no tagger): "
                f"use ORTH, TEXT, LOWER, NORM, LENGTH, {', '.join(_BOOL_ATTRS)}, OP"
            )
    return _TokenSpec(tuple(tests), op)


def _phrase_specs(phrase: str) -> tuple[_TokenSpec, ...]:
    return tuple(_TokenSpec((("ORTH", fold(phrase[s:e])),), "1") for s, e in tokens(phrase))


class Patterns:
    """The patterns of one file; ``suggest(text)`` matches them."""

    def __init__(self, patterns: Sequence[Pattern], source: str = "") -> None:
        self.patterns = list(patterns)
        self.source = source

    def __len__(self) -> int:
        return len(self.patterns)

    @classmethod
    def from_lines(cls, lines: Iterable[str], source: str = "patterns") -> Patterns:
        out = []
        for n, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line or line.startswith("//"):
                continue
            where = f"{source} line {n}"
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as e:
                raise PatternsError(f"{where}: not JSON ({e.msg})") from None
            if not isinstance(entry, dict):
                raise PatternsError(f"{where}: expected an object with label and pattern")
            label = entry.get("label")
            if not isinstance(label, str) or not label.strip():
                raise PatternsError(f"{where}: 'label' must be a non-empty string")
            if not label.isprintable():
                raise PatternsError(
                    f"{where}: the label {shown(label)!r} holds control or invisible characters"
                )
            pattern = entry.get("pattern")
            if isinstance(pattern, str):
                specs = _phrase_specs(pattern)
                if not specs:
                    raise PatternsError(f"{where}: the phrase is empty")
            elif isinstance(pattern, list) and pattern:
                specs = tuple(_compile_token(p, where) for p in pattern)
                if all(s.op in "?*!" for s in specs):
                    raise PatternsError(f"{where}: the pattern can match nothing")
            else:
                raise PatternsError(
                    f"{where}: 'pattern' must be a phrase (a string) or a list of token patterns"
                )
            scope = entry.get("scope", "match")
            if scope not in ("match", "sentence"):
                raise PatternsError(f'{where}: \'scope\' must be "match" or "sentence"')
            pid = entry.get("id")
            out.append(Pattern(label, specs, None if pid is None else shown(str(pid)), scope, n))
        return cls(out, source)

    @classmethod
    def load(cls, path: str | Path) -> Patterns:
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as e:
            raise PatternsError(f"{shown(str(path))}: {e.strerror or e}") from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise PatternsError(
                f"{shown(str(path))}: not UTF-8 (byte {e.start}: {e.reason})"
            ) from None
        return cls.from_lines(text.splitlines(), shown(str(path)))

    def suggest(self, text: str) -> list[Suggestion]:
        toks = tokens(text)
        words = [text[s:e] for s, e in toks]
        found: list[tuple[int, int, Pattern]] = []
        for pattern in self.patterns:
            for i in range(len(toks)):
                k = _match(pattern.specs, words, i)
                if k is not None and k > i:
                    found.append((toks[i][0], toks[k - 1][1], pattern))
        # like the EntityRuler: the longest of overlapping matches wins, then the earliest
        found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
        taken: list[tuple[int, int]] = []
        out: dict[tuple[int, int, str], Suggestion] = {}
        for start, end, pattern in found:
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            if pattern.scope == "sentence":
                start, end = sentence_around(text, start, end)
            why = f"pattern on line {pattern.line}" + (f" ({pattern.id})" if pattern.id else "")
            key = (start, end, pattern.label)
            if key not in out:
                out[key] = Suggestion(
                    start, end, pattern.label, PATTERN_ORIGIN, text[start:end], why
                )
        return sorted(out.values(), key=lambda s: (s.start, s.end, s.label))


def _match(specs: Sequence[_TokenSpec], words: Sequence[str], i: int) -> int | None:
    """The end (token index) of the longest match of ``specs`` at token ``i``, or None."""
    best: int | None = None

    def go(p: int, t: int) -> None:
        nonlocal best
        if p == len(specs):
            if best is None or t > best:
                best = t
            return
        spec = specs[p]
        ok = t < len(words) and spec.matches(words[t])
        if spec.op == "1":
            if ok:
                go(p + 1, t + 1)
        elif spec.op == "!":
            if t < len(words) and not spec.matches(words[t]):
                go(p + 1, t + 1)
        elif spec.op == "?":
            if ok:
                go(p + 1, t + 1)
            go(p + 1, t)
        else:  # * and +
            n = 0
            while t + n < len(words) and spec.matches(words[t + n]) and n < 64:
                n += 1
            for m in range(n, -1 if spec.op == "*" else 0, -1):
                go(p + 1, t + m)

    go(0, i)
    return best


_BREAKS = "\n\r\u2029\u2028\x0b\x0c\x1c\x1d\x1e\x85"
_WORD = re.compile(r"\S+")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) holding ``[start, end)`` as the reader's ``s`` selects them
    (``hamish.tui.sentences``): from the first word to the last, within the paragraph."""
    p0 = start
    while p0 > 0 and text[p0 - 1] not in _BREAKS:
        p0 -= 1
    p1 = end
    while p1 < len(text) and text[p1] not in _BREAKS:
        p1 += 1
    words = [(m.start(), m.end()) for m in _WORD.finditer(text, p0, p1)]
    first = next(k for k, w in enumerate(words) if w[1] > start)
    last = max(k for k, w in enumerate(words) if w[0] < end)
    a, _ = sentence_of(text, words, first)
    _, b = sentence_of(text, words, last)
    return words[a][0], words[b][1]


def unanswered(suggestions: Iterable[Suggestion], annotations: Iterable[Any]) -> list[Suggestion]:
    """The suggestions no annotation answers yet: none over it with its label, none accepted
    from its suggester over it (an accepted one, even as another label or with other
    boundaries). ``annotations``: anything with start, end, label and origin."""
    anns = list(annotations)
    return [
        s
        for s in suggestions
        if not any(
            a.start < s.end and s.start < a.end and (a.label == s.label or a.origin == s.origin)
            for a in anns
        )
    ]


# --------------------------------------------------------------------------------------------
# all suggesters of a run


@dataclass
class Suggesters:
    """What ``hamish suggest`` and the reader run on an article."""

    quotes: bool = True
    quote_label: str = "quote"
    patterns: list[Patterns] = field(default_factory=list)

    def suggest(
        self, text: str, rejected: frozenset[str] | set[str] = frozenset()
    ) -> list[Suggestion]:
        return self.select(self.candidates(text), rejected)

    def candidates(self, text: str) -> list[Suggestion]:
        """Every suggester's suggestions for ``text``, in order: the costly part (a minute on
        a 67 MB article), which depends on the text alone, so it can be kept."""
        out: list[Suggestion] = []
        if self.quotes:
            out += suggest_quotations(text, self.quote_label)
        for p in self.patterns:
            out += p.suggest(text)
        return sorted(out, key=lambda s: (s.start, s.end, s.label, s.origin))

    @staticmethod
    def select(
        candidates: list[Suggestion], rejected: frozenset[str] | set[str] = frozenset()
    ) -> list[Suggestion]:
        """The ``candidates`` to show: none rejected, one per span and label."""
        seen: set[tuple[int, int, str]] = set()
        result = []
        for s in candidates:
            if (s.start, s.end, s.label) in seen or s.key in rejected:
                continue
            seen.add((s.start, s.end, s.label))
            result.append(s)
        return result


def candidates_apart(suggesters: Suggesters, text: str) -> list[Suggestion]:
    """``suggesters.candidates(text)`` worked out in a child Python process, the caller only
    waiting on its pipes (which leaves its interpreter lock to its other threads: a minute of
    Python in a thread of the reader's process held the lock against its keys, 3 s each); in
    place if the child cannot run or fails. A new interpreter (not a fork of one with
    Textual's threads, not multiprocessing, which imports the caller's main module again)."""
    import pickle
    import subprocess
    import sys

    found = None
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", "from hamish.tui.suggest import _candidates_child as c; c()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except (OSError, ValueError):
        return suggesters.candidates(text)
    _children_stopped_at_exit(child)
    try:
        out, _ = child.communicate(pickle.dumps((suggesters, text), protocol=5))
        if child.returncode == 0:
            found = pickle.loads(out)
    except (OSError, ValueError, pickle.UnpicklingError, EOFError):
        found = None
    finally:
        _CHILDREN.discard(child)
    if not isinstance(found, list):
        return suggesters.candidates(text)
    return found


_CHILDREN: set[Any] = set()  # candidates_apart's children still at work


def _children_stopped_at_exit(child: Any) -> None:
    """Stop ``child`` when this process ends (quitting the reader does not leave a minute of
    work behind, writing to nobody)."""
    if not _CHILDREN:
        import atexit

        atexit.unregister(_stop_children)
        atexit.register(_stop_children)
    _CHILDREN.add(child)


def _stop_children() -> None:
    for child in list(_CHILDREN):
        try:
            child.kill()
        except OSError:
            pass


def _candidates_child() -> None:
    """The child of ``candidates_apart``: (suggesters, text) pickled on stdin, the candidates
    pickled on stdout (from its own parent only)."""
    import pickle
    import sys

    suggesters, text = pickle.loads(sys.stdin.buffer.read())
    sys.stdout.buffer.write(pickle.dumps(suggesters.candidates(text), protocol=5))
    sys.stdout.flush()
