"""The query mix of the benchmarks: seven classes of queries drawn from the paragraphs of
the synthetic archive (bench/corpus.py), the same for every engine and size."""

from __future__ import annotations

import collections
import random
import re

import corpus as synthetic

CLASSES = ("common term", "rare term", "two terms", "three terms", "phrase", "outlet filter",
           "date sort")
WORD = re.compile(r"[A-Za-z]{5,}")


def query_mix(per_class: int, seed: int = 11) -> list[tuple[str, dict[str, str]]]:
    """(class, API parameters) for every query, the same for every engine and size."""
    rng = random.Random(seed)
    _, paragraphs = synthetic.load_news()
    df = collections.Counter(w for p in paragraphs for w in {w.lower() for w in WORD.findall(p)})
    common = [w for w, _ in df.most_common(300)]
    rare = sorted(w for w, n in df.items() if 2 <= n <= 4)

    def words_of(paragraph: str) -> list[str]:
        return list(dict.fromkeys(w.lower() for w in WORD.findall(paragraph)))

    def phrase() -> str:
        while True:
            words = re.findall(r"[A-Za-z]+", rng.choice(paragraphs))
            if len(words) > 6:
                start = rng.randrange(len(words) - 3)
                return '"' + " ".join(words[start : start + rng.choice((2, 3))]) + '"'

    def together(n: int) -> str:
        while True:
            words = words_of(rng.choice(paragraphs))
            if len(words) >= n:
                return " ".join(rng.sample(words, n))

    mix = []
    for _ in range(per_class):
        mix += [
            ("common term", {"q": rng.choice(common)}),
            ("rare term", {"q": rng.choice(rare)}),
            ("two terms", {"q": together(2)}),
            ("three terms", {"q": together(3)}),
            ("phrase", {"q": phrase()}),
            ("outlet filter", {"q": rng.choice(common), "outlet": rng.choice(synthetic.OUTLETS)}),
            ("date sort", {"q": together(2), "sort": "-date"}),
        ]
    return mix
