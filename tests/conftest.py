"""Suite-wide fixtures."""

from __future__ import annotations

import os

import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_auto_num_workers(config):
    """``-n auto`` (the default, pyproject.toml): two workers per core, at most 16. About half
    of the suite's time is spent waiting (programs starting, terminals drawing, sleeps in crash
    loops): on 2 cores, 4 workers take 2 min 16 s where 2 take 3 min 5 s.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(16, 2 * (cores or 1))


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """No test touches the real user data directory: the default store lives in a temp dir
    (platformdirs follows XDG_DATA_HOME), for this process and the ``hamish`` it starts."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg-data")))
