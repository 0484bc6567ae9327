"""Batch search at scale: 500 names and terms through `POST /api/batch`, against SQLite
FTS5 doing the same counts (documents, per outlet, first and last date) in the same run.

    python bench/batch.py [--articles 10000] [--terms 500] [--work DIR]

The archive is bench/corpus.py's synthetic one (real BBC text); the terms are its
capitalised words, commonest and rarest mixed, so some match thousands of documents and
some a handful. Prints the wall time of the whole batch (median of 3) for each engine.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sqlite3
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from load import free_port, start_server
from scale import index_fts5, index_presscut

import corpus as synthetic

_CAPITAL = re.compile(r"\b[A-Z][a-z]{3,}\b")


def terms(corpus: Path, count: int) -> list[str]:
    """Capitalised words of the archive: half the commonest, half from the long tail."""
    seen: collections.Counter[str] = collections.Counter()
    for path in sorted(corpus.rglob("*.txt"))[:3000]:
        seen.update(_CAPITAL.findall(path.read_text(encoding="utf-8")))
    ranked = [word for word, _ in seen.most_common()]
    return ranked[: count // 2] + ranked[len(ranked) // 2:][: count - count // 2]


def presscut_batch(port: int, queries: list[str]) -> float:
    body = json.dumps({"queries": queries}).encode()
    started = time.perf_counter()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/batch", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=600) as response:
        results = json.loads(response.read())["results"]
    assert len(results) == len(queries)
    return time.perf_counter() - started


def fts5_batch(database: Path, queries: list[str]) -> float:
    db = sqlite3.connect(database)
    started = time.perf_counter()
    for q in queries:
        match = f'"{q}"'
        db.execute("SELECT COUNT(*), MIN(m.date), MAX(m.date) FROM docs JOIN meta m ON m.id = "
                   "docs.rowid WHERE docs MATCH ?", (match,)).fetchone()
        db.execute("SELECT m.outlet, COUNT(*) FROM docs JOIN meta m ON m.id = docs.rowid WHERE "
                   "docs MATCH ? GROUP BY m.outlet", (match,)).fetchall()
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--terms", type=int, default=500)
    parser.add_argument("--work", type=Path, help="keep the corpus and indexes here")
    args = parser.parse_args()
    if not synthetic.NEWS.exists():
        sys.exit(f"{synthetic.NEWS} is missing")
    work = args.work or Path(tempfile.mkdtemp(prefix="presscut-batch-"))
    corpus = work / f"corpus-{args.articles}"
    if not (corpus / "sources.csv").exists():
        synthetic.build(corpus, args.articles)
    index = work / f"index-{args.articles}"
    built = index_presscut(corpus, index, reuse=args.work is not None)
    database = work / f"fts5-{args.articles}.sqlite"
    if not database.exists():
        index_fts5(corpus, database)
    queries = terms(corpus, args.terms)
    port = free_port()
    server = start_server(index, port)
    try:
        presscut_batch(port, queries[:20])  # warm up
        ours = statistics.median(presscut_batch(port, queries) for _ in range(3))
    finally:
        server.terminate()
        server.wait(10)
    fts = statistics.median(fts5_batch(database, queries) for _ in range(3))
    print(f"{built['documents']:,} articles, {len(queries)} terms in one batch (median of 3):")
    print("| engine | seconds | ms a term |\n|---|---|---|")
    print(f"| Presscut POST /api/batch (HTTP, one request) | {ours:.2f} | {1000 * ours / len(queries):.1f} |")
    print(f"| SQLite FTS5 (count, outlets, first/last date) | {fts:.2f} | {1000 * fts / len(queries):.1f} |")
    print(f"ratio Presscut / FTS5: {ours / fts:.2f}")


if __name__ == "__main__":
    main()
