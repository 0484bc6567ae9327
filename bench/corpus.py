"""Synthetic archives at any size from ../shared/data/news-corpus.

Each article is a real headline with 3-8 real paragraphs drawn from the whole collection,
one of 12 outlets, a date within two years. No two articles share two paragraphs, so no
two are near-duplicates and a deduplicating indexer keeps them all.

    python bench/corpus.py TARGET_DIR --articles 10000
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import json
import random
from pathlib import Path

NEWS = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "news-corpus" / \
    "bbc-news-2225.jsonl.gz"
OUTLETS = ["Caspian Herald", "Baku Observer", "Steppe Times", "Almaty Daily", "Turan Wire",
           "Region Review", "Eurasia Post", "Silk Road News", "Caucasus Monitor",
           "Central Asia Today", "The Kazakh Ledger", "Novator Digest"]
START = dt.date(2021, 1, 1)


def load_news() -> tuple[list[str], list[str]]:
    """Headlines and paragraphs of the BBC collection."""
    headlines, paragraphs = [], []
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines:
        for line in lines:
            article = json.loads(line)
            headlines.append(article["title"])
            paragraphs += [p.strip() for p in article["text"].split("\n\n") if len(p.split()) > 5]
    return headlines, paragraphs


def build(target: Path, articles: int, seed: int = 7) -> Path:
    """Write ``articles`` text dumps and a manifest per folder of 1,000 under ``target``."""
    rng = random.Random(seed)
    headlines, paragraphs = load_news()
    target.mkdir(parents=True, exist_ok=True)
    writers: dict[Path, csv.writer] = {}
    handles = []
    used: set[tuple[int, int]] = set()
    try:
        for n in range(articles):
            folder = target / f"part-{n // 1000:04d}"
            if folder not in writers:
                folder.mkdir(exist_ok=True)
                handle = (folder / "sources.csv").open("w", newline="", encoding="utf-8")
                handles.append(handle)
                writers[folder] = csv.writer(handle)
                writers[folder].writerow(["file", "url", "outlet", "title", "date", "language",
                                          "authors"])
            title = headlines[n % len(headlines)]
            body = [paragraphs[i] for i in _draw(rng, len(paragraphs), used)]
            name = f"a{n:07d}.txt"
            (folder / name).write_text(title + "\n" + "\n".join(body) + "\n", encoding="utf-8")
            outlet = OUTLETS[n % len(OUTLETS)]
            date = START + dt.timedelta(days=rng.randrange(730))
            writers[folder].writerow([name, f"https://example.org/{n}", outlet, title,
                                      date.isoformat(), "en", ""])
    finally:
        for handle in handles:
            handle.close()
    return target


def _draw(rng: random.Random, population: int, used: set[tuple[int, int]]) -> list[int]:
    """3-8 paragraph numbers, no two of which were drawn together before."""
    while True:
        drawn = rng.sample(range(population), rng.randint(3, 8))
        pairs = {(a, b) for a in drawn for b in drawn if a < b}
        if used.isdisjoint(pairs):
            used.update(pairs)
            return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args()
    build(args.target, args.articles)
    print(f"{args.articles} articles in {args.target}")


if __name__ == "__main__":
    main()
