"""Suite-wide fixtures."""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (the default, pyproject.toml): three workers per core, at most 16. Much of the
    suite's time is spent waiting (programs starting, terminals drawing, sleeps in crash loops):
    on 2 cores, with ``--dist worksteal``, 6 workers took 1 min 49 s to 1 min 56 s, 8 took
    2 min 3 s, and 4 took 2 min 12 s (2 min 24 s without work stealing).
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(16, 3 * (cores or 1))


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """No test touches the real user data directory: the default store lives in a temp dir
    (platformdirs follows XDG_DATA_HOME), for this process and the ``hamish`` it starts."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))


def _snapshots_compare_without_rich_ids() -> None:
    """pytest-textual-snapshot 1.1.0 (which wrote tests/tui/__snapshots__) strips the random id
    Rich puts in every SVG class name (``terminal-1234-r1`` -> ``terminal-r1``) before comparing
    and saving; it also pins syrupy 4.8.0, which pins pytest < 9, and pytest before 9.0.3 has a
    temporary-directory CVE (GHSA-6w46-j5rx-g56g). With pytest >= 9.0.3 pip takes 1.0.0 and a
    current syrupy instead: 1.0.0 compares the raw ids, so every snapshot differs, and it names
    its file suffix the way syrupy 4 read it (``_file_extension``), so syrupy >= 5 looks for
    ``.raw`` files. Until a release carries the fix (Textualize/pytest-textual-snapshot PR #24,
    issue #28), give 1.0.0's extension 1.1.0's normalisation, on syrupy's public read method,
    and its suffix under syrupy's public name."""
    import re

    import pytest_textual_snapshot as plugin

    if hasattr(plugin, "normalize_svg"):  # 1.1.0 and later do it themselves
        return
    extension = plugin.SVGImageExtension
    extension.file_extension = "svg"
    rich_id = re.compile(r"\bterminal-\d+-([\w-]+)")

    def normalize(svg):
        return rich_id.sub(r"terminal-\1", svg) if isinstance(svg, str) else svg

    read, serialize = extension.read_snapshot_data_from_location, extension.serialize

    def read_normalized(self, *args, **kwargs):
        return normalize(read(self, *args, **kwargs))

    def serialize_normalized(self, *args, **kwargs):
        return normalize(serialize(self, *args, **kwargs))

    extension.read_snapshot_data_from_location = read_normalized
    extension.serialize = serialize_normalized


_snapshots_compare_without_rich_ids()
