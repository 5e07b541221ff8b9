"""Recovery: what to tell a person whose store file or journal is damaged, and how to get back.

Nothing here writes: the store refuses to open a damaged store, and the message says exactly
which command restores the last known-good state (``P.bak`` plus the journal is the whole store).
"""

from __future__ import annotations

from pathlib import Path

from ..durable import read_bytes
from .dbfile import parse_db
from .errors import Bad, StoreCorruptError


def shell_quote(path: Path) -> str:
    return "'" + str(path).replace("'", "'\\''") + "'"


def corrupt_error(
    store_path: Path,
    journal_path: Path,
    backup_path: Path,
    file: Path,
    problem: str,
    bad_line: int | None = None,
) -> StoreCorruptError:
    """The error for a damaged ``file`` (the store file or its journal), with recovery advice;
    ``bad_line``: the number of the journal's damaged line, when one is."""
    if file == journal_path:
        aside = f"mv {shell_quote(file)} {shell_quote(file.with_name(file.name + '.damaged'))}"
        msg = (
            f"The journal of annotation store {store_path} ({file}) is corrupt: {problem}. "
            "Hamish has not changed it. "
        )
        if bad_line is not None and bad_line > 1:
            good = shell_quote(file.with_name(file.name + ".good"))
            keep = bad_line - 1
            msg += (
                f"The {keep} line{'s' if keep != 1 else ''} before line {bad_line} "
                f"{'are' if keep != 1 else 'is'} intact. To keep {'them' if keep != 1 else 'it'} "
                f"(losing the changes from line {bad_line} on), quit Hamish and cut the journal "
                f"there: head -n {keep} {shell_quote(file)} > {good} && {aside} && "
                f"mv {good} {shell_quote(file)}. Or, to open the store as of its last fold "
                f"(losing every change in the journal), move the journal aside: {aside}"
            )
        else:
            msg += (
                "To open the store as of its last fold (losing the changes recorded in the "
                f"journal), quit Hamish and move the journal aside: {aside}"
            )
        return StoreCorruptError(msg, file, problem, None)
    msg = f"Annotation store {file} is corrupt: {problem}. Hamish has not changed it. "
    backup = read_bytes(backup_path)
    if backup is None:
        msg += (
            f"There is no backup ({backup_path} does not exist). To start a new, empty "
            f"store, move the damaged file aside: mv {shell_quote(file)} "
            f"{shell_quote(file.with_name(file.name + '.damaged'))}"
        )
    else:
        try:
            snap = parse_db(backup)
        except Bad as e:
            msg += (
                f"The backup {backup_path} is damaged too ({e}); the file must be repaired by hand."
            )
        else:
            msg += (
                f"A backup of the last good state ({len(snap.annotations)} annotations, "
                f"saved {snap.folded_at or 'at an unknown time'}) is at {backup_path}. "
                f"To recover, quit Hamish and copy it over the store: cp {shell_quote(backup_path)} "
                f"{shell_quote(file)} (changes made since then are in {journal_path} "
                "and are replayed on the next open)."
            )
    return StoreCorruptError(msg, file, problem, backup_path)
