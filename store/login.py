"""Who is annotating: the login name, the default ``annotator`` of new annotations and imports."""

from __future__ import annotations

import getpass


def login_name() -> str:
    """The user's login name, or "unknown" where there is none (containers)."""
    try:
        name = getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        return "unknown"
    return name or "unknown"
