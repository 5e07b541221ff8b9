"""Annotation labels: the defaults (claim, agreement, quote on 1, 2, 3) or a TOML labels file.

A labels file (``hamish --labels PATH``) lists up to nine labels::

    [[label]]
    name = "claim"        # required, unique
    key = "1"             # optional: one character; default: the label's position, 1-9
    color = "#4e79a7"     # optional: a colour name or #rrggbb; default: from a fixed palette

Pure Python (no Textual), so the labels can be checked from a script or a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.color import Color, ColorParseError

from hamish.store.jsonl import MAX_DEPTH, depth_of

MAX_LABELS = 9

# Colourblind-safe (Tableau 10 order), readable as backgrounds in dark and light themes.
PALETTE = (
    "#4e79a7",
    "#59a14f",
    "#f28e2b",
    "#b07aa1",
    "#76b7b2",
    "#edc948",
    "#e15759",
    "#9c755f",
    "#bab0ac",
)

# Keys the reader already uses; a label cannot take them.
RESERVED_KEYS = frozenset("/nN[]gGsodmuDaeq?bBy fFrl")


MAX_LABELS_BYTES = 1 << 20


class LabelsError(ValueError):
    """A labels file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    key: str
    color: str  # #rrggbb

    @property
    def text_color(self) -> str:
        """Black or white, whichever reads better on ``color``."""
        r, g, b = Color.parse(self.color).get_truecolor()
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        return "#000000" if luminance > 140 else "#ffffff"


DEFAULT_LABELS: tuple[Label, ...] = (
    Label("claim", "1", PALETTE[0]),
    Label("agreement", "2", PALETTE[1]),
    Label("quote", "3", PALETTE[2]),
)


def _hex(value: str) -> str:
    r, g, b = Color.parse(value).get_truecolor()
    return f"#{r:02x}{g:02x}{b:02x}"


def parse_labels(data: dict, source: str = "labels") -> tuple[Label, ...]:
    """Labels from the parsed TOML document ``data``; LabelsError names ``source`` on a problem."""
    entries = data.get("label")
    if not isinstance(entries, list) or not entries:
        raise LabelsError(f"{source}: no labels: expected one or more [[label]] tables")
    if len(entries) > MAX_LABELS:
        raise LabelsError(f"{source}: {len(entries)} labels; at most {MAX_LABELS} are allowed")
    labels: list[Label] = []
    for n, entry in enumerate(entries, 1):
        where = f"{source}: label {n}"
        if not isinstance(entry, dict):
            raise LabelsError(f"{where}: expected a table")
        unknown = sorted(set(entry) - {"name", "key", "color", "colour"})
        if unknown:
            raise LabelsError(f"{where}: unknown field(s) {', '.join(unknown)}")
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            raise LabelsError(
                f"{where}: name must be a non-empty string without surrounding spaces"
            )
        key = entry.get("key", str(n))
        if not isinstance(key, str) or len(key) != 1 or not key.isprintable():
            raise LabelsError(f"{where} ({name}): key must be one character, got {key!r}")
        if key in RESERVED_KEYS:
            raise LabelsError(f"{where} ({name}): key {key!r} is already used by the reader")
        color = entry.get("color", entry.get("colour", PALETTE[n - 1]))
        try:
            color = _hex(color) if isinstance(color, str) else None
        except ColorParseError:
            color = None
        if color is None:
            raise LabelsError(f"{where} ({name}): color {entry.get('color')!r} is not a colour")
        for other in labels:
            if other.name == name:
                raise LabelsError(f"{where}: the name {name!r} is used twice")
            if other.key == key:
                raise LabelsError(f"{where} ({name}): key {key!r} is already {other.name!r}'s")
        labels.append(Label(name, key, color))
    return tuple(labels)


def load_labels(path: str | Path) -> tuple[Label, ...]:
    """Read a labels file; LabelsError (naming the file) when it cannot be used."""
    import tomllib

    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_LABELS_BYTES + 1)
    except OSError as e:
        raise LabelsError(f"{path}: {e.strerror or e}") from e
    if len(raw) > MAX_LABELS_BYTES:
        raise LabelsError(
            f"{path}: larger than the {MAX_LABELS_BYTES:,} bytes a labels file may be"
        )
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise LabelsError(f"{path}: not UTF-8 (byte {e.start}: {e.reason})") from None
    except RecursionError:
        raise LabelsError(f"{path}: not usable TOML (arrays or tables nested too deeply)") from None
    except ValueError as e:  # TOMLDecodeError, and an integer of more digits than Python reads
        if not isinstance(e, tomllib.TOMLDecodeError):
            raise LabelsError(f"{path}: not usable TOML (a number with too many digits)") from None
        raise LabelsError(f"{path}: not valid TOML ({e})") from None
    if depth_of(data) > MAX_DEPTH:
        raise LabelsError(f"{path}: not usable TOML (nested more than {MAX_DEPTH} deep)")
    return parse_labels(data, str(path))


# Search matches are drawn in one of these, the farthest from every label's colour (and the
# selection's purple): never mistaken for a label.
MATCH_CANDIDATES = ("#ff00ff", "#00e5ff", "#c6ff00", "#ffffff", "#ff1744")
SELECTION_COLOR = "#8e44ad"


def match_color(labels: tuple[Label, ...]) -> str:
    """The search highlight's background: the candidate farthest (RGB distance) from the
    nearest label colour."""

    def rgb(color: str) -> tuple[int, int, int]:
        return Color.parse(color).get_truecolor()

    taken = [rgb(label.color) for label in labels] + [rgb(SELECTION_COLOR)]

    def nearest(candidate: str) -> float:
        r, g, b = rgb(candidate)
        return min(((r - x) ** 2 + (g - y) ** 2 + (b - z) ** 2) ** 0.5 for x, y, z in taken)

    return max(MATCH_CANDIDATES, key=nearest)
