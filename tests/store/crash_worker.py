"""Helper process for the store tests (run as a script, not collected by pytest).

    python crash_worker.py random STORE ACKFILE SEED FOLD_BYTES
        Open STORE for writing, write "ready" to ACKFILE, then perform random
        add/update/move/remove/restore/set_article_state calls forever. Before each call an
        "intent" line is appended to ACKFILE, after it returns an "ack" line (os.write on an
        O_APPEND file: it survives SIGKILL of this process, which is what the test does).

    python crash_worker.py sequence STORE ACKFILE FOLD_BYTES
        Add annotations labelled n0, n1, n2, ... (one article) until killed.

    python crash_worker.py hold STORE ACKFILE
        Open STORE for writing, write "ready", sleep until killed.

    python crash_worker.py try STORE
        Try to open STORE for writing; print "opened" or "<ErrorClass>: <message>" and exit.

    python crash_worker.py adds STORE N
        Add N annotations to article "tail", print their ids, and exit WITHOUT closing the store
        (like a crash: the changes stay in the journal, not folded).

    python crash_worker.py move STORE ID START END TEXT SHA256
        Move one annotation, print it as JSON, and exit without closing the store.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time

from pathlib import Path

# The store of this checkout, not whatever `hamish` is installed (nor tests/store itself, which
# as the script's directory would be first on sys.path).
_ROOT = str(Path(__file__).resolve().parents[2])
sys.path[:] = [_ROOT] + [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

from hamish.store.annotations import AnnotationStore, StoreError  # noqa: E402

DOCS = ["doc-a", "doc-b", "doc-c"]
LABELS = ["PER", "LOC", "ORG", "شخص"]
WORDS = "قال وزير الخارجية اللبناني في بيروت اليوم إن الحكومة".split()


class Acks:
    def __init__(self, path: str) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def __call__(self, kind: str, payload: object = None) -> None:
        line = kind if payload is None else f"{kind} {json.dumps(payload, ensure_ascii=False)}"
        os.write(self.fd, (line + "\n").encode("utf-8"))


def random_ops(store: str, ackfile: str, seed: int, fold_bytes: int) -> None:
    rng = random.Random(seed)
    ack = Acks(ackfile)
    db = AnnotationStore(store, fold_bytes=fold_bytes)
    ids = [a.id for a in db.all()]
    removed = []
    ack("ready")
    while True:
        r = rng.random()
        p_add = 0.5 if len(ids) < 150 else 0.2
        if not ids or r < p_add:
            text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
            start = rng.randint(0, 5000)
            args = {
                "doc_id": rng.choice(DOCS), "start": start, "end": start + len(text),
                "label": rng.choice(LABELS), "note": rng.choice([None, "?", "ملاحظة"]), "text": text,
            }
            ack("intent", {"op": "add", **args})
            ann = db.add(args["doc_id"], args["start"], args["end"], args["label"],
                         note=args["note"], text=text, sha256="f" * 64)
            ids.append(ann.id)
            ack("ack", {"op": "add", "ann": ann.to_dict()})
        elif r < p_add + 0.2:
            ann_id = rng.choice(ids)
            label, note = rng.choice(LABELS), rng.choice([None, "x", "تصحيح"])
            ack("intent", {"op": "update", "id": ann_id, "label": label, "note": note})
            ann = db.update(ann_id, label=label, note=note)
            ack("ack", {"op": "update", "ann": ann.to_dict()})
        elif r < p_add + 0.3:
            ann_id = rng.choice(ids)
            old = db.get(ann_id)
            if rng.random() < 0.3:  # a rehash: same place, the article's new hash
                start, text = old.start, old.text
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
                start = rng.randint(0, 5000)
            sha = rng.choice("0123456789abcdef") * 64
            ack("intent", {"op": "move", "id": ann_id, "start": start, "end": start + len(text),
                           "text": text, "sha256": sha})
            ann = db.move(ann_id, start, start + len(text), text=text, sha256=sha)
            ack("ack", {"op": "move", "ann": ann.to_dict()})
        elif r < p_add + 0.45:
            ann_id = ids.pop(rng.randrange(len(ids)))
            ack("intent", {"op": "remove", "id": ann_id})
            removed.append(db.remove(ann_id))
            ack("ack", {"op": "remove", "id": ann_id})
        elif r < p_add + 0.52 and removed:
            ann = removed.pop(rng.randrange(len(removed)))
            ack("intent", {"op": "restore", "ann": ann.to_dict()})
            db.restore(ann)
            ids.append(ann.id)
            ack("ack", {"op": "restore", "ann": ann.to_dict()})
        else:
            doc = rng.choice(DOCS)
            cursor, done = rng.choice([None, rng.randint(0, 5000)]), rng.random() < 0.3
            ack("intent", {"op": "state", "doc_id": doc, "cursor": cursor, "done": done})
            state = db.set_article_state(doc, cursor=cursor, done=done)
            ack("ack", {"op": "state", "doc_id": doc, "state": state})


def sequence(store: str, ackfile: str, fold_bytes: int) -> None:
    ack = Acks(ackfile)
    db = AnnotationStore(store, fold_bytes=fold_bytes)
    n = len(db.annotations("seq"))
    ack("ready")
    while True:
        db.add("seq", n, n + 1, f"n{n}", text="x", sha256="0" * 64)
        n += 1


def main(argv: list[str]) -> int:
    mode = argv[1]
    if mode == "random":
        random_ops(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif mode == "sequence":
        sequence(argv[2], argv[3], int(argv[4]))
    elif mode == "hold":
        db = AnnotationStore(argv[2])
        Acks(argv[3])("ready")
        while True:
            time.sleep(60)
    elif mode == "try":
        try:
            db = AnnotationStore(argv[2])
        except StoreError as e:
            print(f"{type(e).__name__}: {e}", flush=True)
            return 3
        db.close()
        print("opened", flush=True)
    elif mode == "adds":
        db = AnnotationStore(argv[2])
        for i in range(int(argv[3])):
            ann = db.add("tail", i, i + 1, "TAIL", text="t", sha256="0" * 64)
            print(ann.id, flush=True)
        os._exit(0)  # no close(): the changes are only in the journal
    elif mode == "move":
        db = AnnotationStore(argv[2])
        ann = db.move(argv[3], int(argv[4]), int(argv[5]), text=argv[6], sha256=argv[7])
        print(json.dumps(ann.to_dict(), ensure_ascii=False), flush=True)
        os._exit(0)  # no close(): the move is only in the journal
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
