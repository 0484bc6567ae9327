"""Indexing speed through the whole pipeline: the seed corpus and ../shared/data/news-corpus.

    python bench/index_speed.py [--limit N] [--repeat R]

Writes the news articles as plain-text dumps with a manifest into a temporary corpus,
then times `build.index_corpus` (a fresh build, then an unchanged incremental run).
Prints medians over the repeats.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import statistics
import tempfile
import time
from pathlib import Path

from indexer import build

ROOT = Path(__file__).resolve().parent.parent
NEWS = ROOT.parent / "shared" / "data" / "news-corpus" / "bbc-news-2225.jsonl.gz"


def news_corpus(target: Path, limit: int | None) -> int:
    target.mkdir(parents=True)
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines, \
            (target / "sources.csv").open("w", newline="", encoding="utf-8") as manifest:
        writer = csv.writer(manifest)
        writer.writerow(["file", "url", "outlet", "title", "date", "language", "authors"])
        count = 0
        for count, line in enumerate(lines, start=1):
            article = json.loads(line)
            name = f"{article['id']}.txt"
            (target / name).write_text(article["title"] + "\n\n" + article["text"], encoding="utf-8")
            day = 1 + count % 28
            writer.writerow([name, f"https://news.example/{article['id']}", "BBC News",
                             article["title"], f"2005-{1 + count % 12:02d}-{day:02d}", "", ""])
            if limit and count >= limit:
                break
    return count


def timed(corpus: Path, index: Path, rebuild: bool) -> tuple[float, build.Summary]:
    started = time.perf_counter()
    summary = build.index_corpus(corpus, index, rebuild=rebuild)
    return time.perf_counter() - started, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N news articles")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpora = {"seed": ROOT / "corpus"}
        if NEWS.exists():
            news_corpus(tmp / "news", args.limit)
            corpora["news-corpus"] = tmp / "news"
        else:
            print(f"{NEWS} is missing: timing the seed corpus only")
        for name, corpus in corpora.items():
            full, again = [], []
            for run in range(args.repeat):
                seconds, summary = timed(corpus, tmp / f"{name}-{run}", rebuild=True)
                full.append(seconds)
                again.append(timed(corpus, tmp / f"{name}-{run}", rebuild=False)[0])
            docs = summary.documents
            print(f"{name}: {docs} documents, {summary.passages} passages, "
                  f"{len(summary.skipped)} skipped | full build median {statistics.median(full):.2f} s "
                  f"({docs / statistics.median(full):.0f} docs/s) | unchanged re-run median "
                  f"{statistics.median(again):.2f} s")


if __name__ == "__main__":
    main()
