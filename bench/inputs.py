"""The benchmarks' inputs, all generated from the bundled seeds with fixed random seeds.

* ``tiny.txt``: the first line of seed 000 (what the app costs with next to no text).
* ``small_3kb.txt``: the first ~3,000 bytes of seed 000, cut at a newline.
* ``big_1mb.txt``: the five seeds joined by newlines, that whole repeated until >= 1,000,000
  bytes (10,841 paragraphs, half of them empty lines).
* ``corpus/``: 1,000 articles ``bench_0000.txt`` ... : article ``i`` is seed ``i % 5`` with its
  title numbered and its body paragraphs rotated by ``i // 5``, so no two are the same text.
* 100,000 annotations over those articles, 2,000 of them in ``bench_0000`` and the rest spread
  at random over the other 999: each a random run of 1-4 consecutive words (``\\S+``) of its
  article, so its offsets, ``text`` and ``sha256`` are those of the article, with a random label
  among claim / agreement / quote and a short note on one in five.
* ``store.json``: those annotations in an AnnotationStore (built once with ``restore_many``).

Everything is written under one temporary directory per run and made only when first asked
for (``Inputs`` caches it), so ``--only`` runs do not pay for what they do not use.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LABELS = ("claim", "agreement", "quote")
WORD = re.compile(r"\S+")
SEED = 20240607


def seed_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no seeds in {SEEDS}")
    return texts


def make_articles(
    directory: str | Path, big_bytes: int = 1_000_000, small_bytes: int = 3_000
) -> dict[str, Path]:
    """Write ``tiny.txt``, ``small_3kb.txt`` and ``big_1mb.txt`` (UTF-8) into ``directory``."""
    directory = Path(directory)
    seeds = seed_texts()
    one_round = "\n".join(s.rstrip("\n") for s in seeds) + "\n"
    unit = len(one_round.encode("utf-8"))
    big = one_round * -(-big_bytes // unit)
    first = seeds[0].encode("utf-8")
    cut = first.rfind(b"\n", 0, small_bytes + 1)
    small = first[: cut if cut > 0 else small_bytes].decode("utf-8", errors="ignore") + "\n"
    paths = {
        "tiny": directory / "tiny.txt",
        "3kb": directory / "small_3kb.txt",
        "1mb": directory / "big_1mb.txt",
    }
    paths["tiny"].write_text(seeds[0].splitlines()[0] + "\n", encoding="utf-8")
    paths["3kb"].write_text(small, encoding="utf-8")
    paths["1mb"].write_text(big, encoding="utf-8")
    return paths


@dataclass(frozen=True)
class BenchArticle:
    id: str
    text: str
    sha256: str
    words: list[tuple[int, int]]


def make_corpus(n_articles: int) -> list[BenchArticle]:
    seeds = seed_texts()
    out = []
    for i in range(n_articles):
        lines = seeds[i % len(seeds)].rstrip("\n").split("\n")
        title, body = lines[0], lines[1:]
        k = (i // len(seeds)) % max(1, len(body))
        body = body[k:] + body[:k]
        text = "\n".join([f"{title} {i}", *body]) + "\n"
        out.append(
            BenchArticle(
                id=f"bench_{i:04d}",
                text=text,
                sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                words=[m.span() for m in WORD.finditer(text)],
            )
        )
    return out


def make_annotations(
    articles: list[BenchArticle], n_annotations: int, n_in_first: int, seed: int = SEED
):
    """``n_in_first`` annotations in ``articles[0]``, the rest at random over the others."""
    from hamish.store import Annotation

    rng = random.Random(seed)
    stamp = "2024-06-07T12:00:00.000000+00:00"
    anns = []
    for i in range(n_annotations):
        article = (
            articles[0]
            if i < n_in_first or len(articles) == 1
            else articles[rng.randrange(1, len(articles))]
        )
        w = rng.randrange(len(article.words))
        last = min(len(article.words) - 1, w + rng.randrange(4))
        start, end = article.words[w][0], article.words[last][1]
        anns.append(
            Annotation(
                id=uuid.UUID(int=rng.getrandbits(128)).hex,
                doc_id=article.id,
                start=start,
                end=end,
                label=rng.choice(LABELS),
                text=article.text[start:end],
                sha256=article.sha256,
                annotator="bench",
                note="ملاحظة قصيرة" if rng.random() < 0.2 else None,
                created=stamp,
                updated=stamp,
            )
        )
    return anns


class Inputs:
    """The inputs of one run, made on first use under ``directory``.

    ``quick`` keeps the article sizes (the figures are about them) but uses a smaller store:
    10,000 annotations over 100 articles (still 2,000 in one)."""

    def __init__(self, directory: str | Path, *, quick: bool = False) -> None:
        self.directory = Path(directory)
        self.quick = quick
        self.n_articles = 100 if quick else 1_000
        self.n_annotations = 10_000 if quick else 100_000
        self.n_in_first = 2_000

    @cached_property
    def articles(self) -> dict[str, Path]:
        d = self.directory / "articles"
        d.mkdir(parents=True, exist_ok=True)
        return make_articles(d)

    @cached_property
    def corpus(self) -> list[BenchArticle]:
        return make_corpus(self.n_articles)

    @cached_property
    def corpus_dir(self) -> Path:
        d = self.directory / "corpus"
        d.mkdir(parents=True, exist_ok=True)
        for a in self.corpus:
            (d / f"{a.id}.txt").write_text(a.text, encoding="utf-8")
        return d

    @cached_property
    def annotations(self) -> list:
        return make_annotations(self.corpus, self.n_annotations, self.n_in_first)

    @cached_property
    def store(self) -> Path:
        """The annotations in an AnnotationStore file (closed, journal folded). Do not write to
        it: take a ``store_copy()``."""
        from hamish.store import AnnotationStore

        d = self.directory / "store"
        d.mkdir(parents=True, exist_ok=True)
        path = d / "annotations.json"
        with AnnotationStore(path) as db:
            db.restore_many(self.annotations)
        return path

    def store_copy(self, name: str) -> Path:
        """A private copy of ``store`` (its file only: the journal is empty after a fold)."""
        d = self.directory / name
        d.mkdir(parents=True, exist_ok=True)
        path = d / "annotations.json"
        shutil.copyfile(self.store, path)
        return path
