"""Crash safety: SIGKILL a writer at random moments; the store keeps exactly what was acknowledged.

Every iteration compares the whole reopened store (every field of every annotation, and the
article states) with a model built from the worker's acknowledgements; the only difference
allowed is the one call that was in flight when the kill came, applied completely.

One store is reused across all iterations (each worker continues the previous state), with a
small fold threshold so that kills also land in the middle of folds and of the open (replay,
truncation of a torn journal tail).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hamish.store import AnnotationStore

from annstore_helpers import WORKER

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

ITERATIONS = int(os.environ.get("HAMISH_CRASH_ITERATIONS", "200"))
DEFAULT_STATE = {"cursor": None, "done": False}


def _read_log(path: Path) -> list[tuple[str, dict | None]]:
    entries = []
    if not path.exists():
        return entries
    for line in path.read_text("utf-8").splitlines(keepends=True):
        if not line.endswith("\n"):
            break  # cut short by the kill: this call had not been acknowledged
        kind, _, payload = line.rstrip("\n").partition(" ")
        entries.append((kind, json.loads(payload) if payload else None))
    return entries


def _apply(model: dict, states: dict, ack: dict) -> None:
    if ack["op"] in ("add", "update", "move", "restore"):
        model[ack["ann"]["id"]] = ack["ann"]
    elif ack["op"] == "remove":
        del model[ack["id"]]
    else:
        _set_state(states, ack["doc_id"], ack["state"])


def _set_state(states: dict, doc_id: str, state: dict) -> None:
    """Article states, leaving out the default one (as _snapshot does)."""
    if state == DEFAULT_STATE:
        states.pop(doc_id, None)
    else:
        states[doc_id] = state


def _matches_in_flight(model, states, actual, actual_states, intent) -> bool:
    """Is (actual, actual_states) the model with the unacknowledged `intent` applied?"""
    op = intent["op"]
    if op == "state":
        expected = dict(states)
        _set_state(expected, intent["doc_id"], {"cursor": intent["cursor"], "done": intent["done"]})
        return actual == model and actual_states == expected
    if actual_states != states:
        return False
    if op == "add":
        extra = set(actual) - set(model)
        if set(model) - set(actual) or len(extra) != 1:
            return False
        new = actual[extra.pop()]
        same = ("doc_id", "start", "end", "label", "note", "text")
        return (
            all(new[k] == intent[k] for k in same)
            and new["sha256"] == "f" * 64
            and new["created"] == new["updated"]
            and {k: actual[k] for k in model} == model
        )
    if op == "update":
        ann_id = intent["id"]
        if set(actual) != set(model):
            return False
        new, old = actual[ann_id], model[ann_id]
        if (new["label"], new["note"]) != (intent["label"], intent["note"]) or new["updated"] <= old["updated"]:
            return False
        unchanged = {k: v for k, v in new.items() if k not in ("label", "note", "updated")}
        return unchanged == {k: v for k, v in old.items() if k not in ("label", "note", "updated")} and all(
            actual[k] == model[k] for k in model if k != ann_id
        )
    if op == "move":
        ann_id = intent["id"]
        if set(actual) != set(model):
            return False
        new, old = actual[ann_id], model[ann_id]
        moved = ("start", "end", "text", "sha256")
        if any(new[k] != intent[k] for k in moved) or new["updated"] <= old["updated"]:
            return False
        unchanged = [k for k in new if k not in moved and k != "updated"]
        return all(new[k] == old[k] for k in unchanged) and all(
            actual[k] == model[k] for k in model if k != ann_id
        )
    if op == "remove":
        return actual == {k: v for k, v in model.items() if k != intent["id"]}
    if op == "restore":
        return actual == dict(model, **{intent["ann"]["id"]: intent["ann"]})
    raise AssertionError(f"unknown op {op}")


def _snapshot(db: AnnotationStore) -> tuple[dict, dict]:
    states = {doc: s for doc, s in db.article_states().items() if s != DEFAULT_STATE}
    return {a.id: a.to_dict() for a in db.all()}, states


@pytest.mark.slow
def test_sigkill_at_random_moments_keeps_exactly_the_acknowledged_changes(tmp_path):
    seed = int(os.environ.get("HAMISH_CRASH_SEED", random.randrange(2**32)))
    rng = random.Random(seed)
    path = tmp_path / "annotations.json"
    model: dict[str, dict] = {}
    states: dict[str, dict] = {}
    stats = {"acked": 0, "in_flight_landed": 0, "in_flight_lost": 0, "killed_before_ready": 0}
    kinds: dict[str, int] = {}  # acknowledged calls of each kind

    for i in range(ITERATIONS):
        log = tmp_path / f"acks-{i}.log"
        fold_bytes = rng.choice([600, 1500, 4000, 10**9])
        proc = subprocess.Popen(
            [sys.executable, str(WORKER), "random", str(path), str(log), str(rng.randrange(2**32)), str(fold_bytes)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        if rng.random() < 0.15:
            time.sleep(rng.uniform(0.0, 0.2))  # often during start-up or the open itself
        else:
            deadline = time.monotonic() + 20
            while not log.exists() or not log.read_bytes().startswith(b"ready\n"):
                assert proc.poll() is None, f"worker died: {proc.stderr.read().decode()}"
                assert time.monotonic() < deadline, "worker never became ready"
                time.sleep(0.002)
            time.sleep(rng.uniform(0.0, 0.06))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        err = proc.stderr.read().decode()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL, f"seed {seed}, iteration {i}: worker exited early:\n{err}"

        entries = _read_log(log)
        if not entries:
            stats["killed_before_ready"] += 1
        pending = None
        for kind, payload in entries:
            if kind == "intent":
                pending = payload
            elif kind == "ack":
                _apply(model, states, payload)
                stats["acked"] += 1
                kinds[payload["op"]] = kinds.get(payload["op"], 0) + 1
                pending = None

        # Verify, mostly read-only (the next worker then cuts any torn tail); sometimes with a
        # writer, which replays, truncates and folds.
        if i % 10 == 9:
            with AnnotationStore(path) as db:
                actual, actual_states = _snapshot(db)
        else:
            with AnnotationStore(path, readonly=True) as db:
                actual, actual_states = _snapshot(db)

        context = f"seed {seed}, iteration {i}, in flight: {pending}"
        if actual != model or actual_states != states:
            assert pending is not None, f"{context}: store differs from the acknowledged changes"
            assert _matches_in_flight(model, states, actual, actual_states, pending), (
                f"{context}: store is neither the acknowledged state nor that plus the call in flight"
            )
            stats["in_flight_landed"] += 1
            model, states = actual, actual_states
        elif pending is not None:
            stats["in_flight_lost"] += 1
        log.unlink(missing_ok=True)

    # The test exercised what it claims to: many acknowledged calls, and kills mid-call.
    assert stats["acked"] > ITERATIONS, stats
    assert stats["in_flight_landed"] + stats["in_flight_lost"] > ITERATIONS // 4, stats
    assert set(kinds) == {"add", "update", "move", "remove", "restore", "state"}, kinds
    print(f"crash test seed {seed}: {stats}, {kinds}, final store {len(model)} annotations")
