"""The keys-per-span benchmark's articles and gold annotations (bench/annot/).

``articles()`` loads bench/annot/articles/*.txt as a corpus; ``gold()`` turns bench/annot/
gold.jsonl (``{"doc", "label", "text", "occurrence"?}``: the exact text of each gold span, so
that the file stays readable and cannot drift from the articles) into offsets, and fails loudly
when a gold text is not in its article (or is there more than once without ``occurrence``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hamish.store import Article, load_corpus

HERE = Path(__file__).parent / "annot"
ARTICLES = HERE / "articles"
GOLD = HERE / "gold.jsonl"
PATTERNS = HERE / "patterns.jsonl"


@dataclass(frozen=True, slots=True)
class GoldSpan:
    doc: str
    start: int
    end: int
    label: str

    def text(self, article: Article) -> str:
        return article.text[self.start : self.end]


def articles() -> list[Article]:
    return list(load_corpus([str(ARTICLES)]))


def gold(by_id: dict[str, Article] | None = None) -> list[GoldSpan]:
    by_id = by_id or {a.id: a for a in articles()}
    out = []
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        g = json.loads(line)
        text = by_id[g["doc"]].text
        want = g["text"]
        starts = []
        i = text.find(want)
        while i >= 0:
            starts.append(i)
            i = text.find(want, i + 1)
        k = g.get("occurrence")
        if not starts or (k is None and len(starts) > 1) or (k is not None and k >= len(starts)):
            raise ValueError(f"{GOLD} line {n}: {len(starts)} places for {want[:40]!r}")
        s = starts[k or 0]
        out.append(GoldSpan(g["doc"], s, s + len(want), g["label"]))
    return out
