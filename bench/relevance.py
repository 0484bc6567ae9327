"""Ranking quality against reference engines on test collections with judgments.

Collections:
* ``cranfield``: the Cranfield 1400 collection (../shared/bench/relevance), 225 queries,
  graded judgments; queries typed as a user would type them (their words, lower case);
* ``seeds``: the five seed articles with our own graded judgments of news-like queries
  (``bench/data/seed_qrels.tsv``).

Systems, on the same documents in the same run: Presscut as typed (all words, or the
best partial matches when no document has them all), Presscut with the words OR-ed,
bm25s (BM25, English Snowball stemmer and stop words) and SQLite FTS5 (porter
tokenizer, bm25(), words OR-ed; and AND-ed, its default, for zero-result queries).
Prints nDCG@k (graded), P@k, zero-result queries, median latency, and a paired
randomisation test of Presscut against each reference.

    .venv/bin/python bench/relevance.py [--collections cranfield seeds] [--work DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.ids import document_id  # noqa: E402
from indexer import build  # noqa: E402
from search.results import SearchRequest  # noqa: E402
from search.service import SearchService  # noqa: E402

CRANFIELD = ROOT.parent / "shared" / "bench" / "relevance" / "cranfield"
SEED_QRELS = ROOT / "bench" / "data" / "seed_qrels.tsv"
WORDS = re.compile(r"\w+")
ROUNDS = 10_000


def cranfield() -> tuple[dict[str, str], list[str], dict[int, dict[str, int]]]:
    """Documents (id -> title + text), queries in file order, judgments (gain 4..1)."""
    docs, current, field = {}, None, None
    with gzip.open(CRANFIELD / "cran.all.1400.gz", "rt", encoding="utf-8") as lines:
        parts: dict[str, list[str]] = defaultdict(list)
        for line in lines:
            if line.startswith(".I "):
                if current:
                    docs[current] = (" ".join(parts[".T"]).strip(), " ".join(parts[".W"]).strip())
                current, parts, field = line.split()[1], defaultdict(list), None
            elif line[:2] in (".T", ".A", ".B", ".W") and line.strip() == line[:2]:
                field = line[:2]
            elif field:
                parts[field].append(line.strip())
        docs[current] = (" ".join(parts[".T"]).strip(), " ".join(parts[".W"]).strip())
    queries, text = [], None
    for line in (CRANFIELD / "cran.qry").read_text(encoding="utf-8").splitlines():
        if line.startswith(".I "):
            if text is not None:
                queries.append(" ".join(text))
            text = None
        elif line.strip() == ".W":
            text = []
        elif text is not None:
            text.append(line.strip())
    queries.append(" ".join(text))
    qrels: dict[int, dict[str, int]] = defaultdict(dict)
    for line in (CRANFIELD / "cranqrel").read_text().splitlines():
        q, d, grade = line.split()
        if 1 <= int(grade) <= 4:  # the numbers count queries in file order, from 1
            qrels[int(q) - 1][d] = 5 - int(grade)
    return docs, queries, qrels


def seeds() -> tuple[dict[str, str], list[str], dict[int, dict[str, int]]]:
    docs = {}
    for row in csv.DictReader((ROOT / "corpus" / "sources.csv").open(encoding="utf-8")):
        text = (ROOT / "corpus" / row["file"]).read_text(encoding="utf-8")
        docs[row["file"]] = (row["title"], text)
    queries: dict[str, int] = {}
    qrels: dict[int, dict[str, int]] = defaultdict(dict)
    for line in SEED_QRELS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        q, file, grade = line.split("\t")
        number = queries.setdefault(q, len(queries))
        if int(grade):
            qrels[number][file] = int(grade)
    return docs, list(queries), qrels


def presscut_index(name: str, docs: dict[str, tuple[str, str]], work: Path, rebuild: bool) -> dict:
    """Index ``docs`` as a Presscut corpus; Presscut doc id -> collection doc id."""
    corpus, index = work / name / "corpus", work / name / "index"
    files = {f"{doc}.txt" if name == "cranfield" else doc: doc for doc in docs}
    if rebuild or not index.exists():
        corpus.mkdir(parents=True, exist_ok=True)
        with (corpus / "sources.csv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["file", "url", "outlet", "title", "date", "language", "authors"])
            for file, doc in files.items():
                title, text = docs[doc]
                if name == "cranfield":
                    (corpus / file).write_text(f"{text}\n", encoding="utf-8")
                    writer.writerow([file, f"https://example.org/cranfield/{doc}", "Cranfield",
                                     title, "1962", "en", ""])
        if name == "seeds":
            for file in files:
                (corpus / file).write_bytes((ROOT / "corpus" / file).read_bytes())
            (corpus / "sources.csv").write_bytes((ROOT / "corpus" / "sources.csv").read_bytes())
        build.index_corpus(corpus, index, rebuild=True)
    return index, {document_id(file): doc for file, doc in files.items()}


def typed(query: str) -> list[str]:
    """The query's words as a person types them: lower case, no syntax."""
    return [w.lower() for w in WORDS.findall(query)]


def run_presscut(index: Path, ids: dict, queries: list[str], k: int, join: str):
    service = SearchService(index)
    ranked, times = [], []
    for query in queries:
        started = time.perf_counter()
        result = service.search(SearchRequest(q=join.join(typed(query)), per_page=k))
        times.append(time.perf_counter() - started)
        ranked.append([ids[r.doc_id] for r in result.results])
    return ranked, times


def run_bm25s(docs: dict[str, tuple[str, str]], queries: list[str], k: int):
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    names = list(docs)
    retriever = bm25s.BM25()  # k1=1.5, b=0.75 (Lucene's BM25 variant)
    retriever.index(bm25s.tokenize([f"{t}\n{x}" for t, x in docs.values()], stopwords="en",
                                   stemmer=stemmer, show_progress=False), show_progress=False)
    ranked, times = [], []
    for query in queries:
        started = time.perf_counter()
        tokens = bm25s.tokenize([query], stopwords="en", stemmer=stemmer, show_progress=False)
        if not tokens.vocab:
            ranked.append([])
        else:
            found, scores = retriever.retrieve(tokens, k=min(k, len(names)), show_progress=False)
            ranked.append([names[i] for i, s in zip(found[0], scores[0], strict=True) if s > 0])
        times.append(time.perf_counter() - started)
    return ranked, times


def run_fts5(docs: dict[str, tuple[str, str]], queries: list[str], k: int, op: str):
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(name UNINDEXED, body, tokenize='porter unicode61')")
    db.executemany("INSERT INTO t VALUES (?, ?)", ((n, f"{t}\n{x}") for n, (t, x) in docs.items()))
    ranked, times = [], []
    for query in queries:
        words = typed(query)
        started = time.perf_counter()
        match = f" {op} ".join(f'"{w}"' for w in words)
        rows = db.execute("SELECT name FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?",
                          (match, k)).fetchall() if words else []
        times.append(time.perf_counter() - started)
        ranked.append([name for (name,) in rows])
    return ranked, times


def ndcg(ranked: list[str], gains: dict[str, int], k: int) -> float:
    dcg = sum(gains.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains.values(), reverse=True)[:k]))
    return dcg / ideal if ideal else 0.0


def precision(ranked: list[str], gains: dict[str, int], k: int) -> float:
    return sum(1 for d in ranked[:k] if gains.get(d, 0) > 0) / k


def paired_p(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided paired randomisation test (sign flips), fixed seed."""
    diff = a - b
    observed = abs(diff.mean())
    flips = np.random.default_rng(7).choice([-1.0, 1.0], size=(ROUNDS, len(diff)))
    return float((np.abs((flips * diff).mean(axis=1)) >= observed - 1e-12).mean())


def evaluate(name: str, work: Path, rebuild: bool, k: int) -> dict:
    docs, queries, qrels = cranfield() if name == "cranfield" else seeds()
    judged = [q for q in range(len(queries)) if qrels.get(q)]
    asked = [queries[q] for q in judged]
    index, ids = presscut_index(name, docs, work, rebuild)
    runs = {
        "presscut": run_presscut(index, ids, asked, k, " "),
        "presscut-or": run_presscut(index, ids, asked, k, " OR "),
        "bm25s": run_bm25s(docs, asked, k),
        "fts5-or": run_fts5(docs, asked, k, "OR"),
        "fts5-and": run_fts5(docs, asked, k, "AND"),
    }
    figures = {"queries": len(judged), "k": k, "systems": {}}
    per_query = {}
    for system, (ranked, times) in runs.items():
        scores = np.array([ndcg(r, qrels[q], k) for r, q in zip(ranked, judged, strict=True)])
        per_query[system] = scores
        figures["systems"][system] = {
            f"ndcg@{k}": round(float(scores.mean()), 4),
            f"p@{k}": round(statistics.mean(precision(r, qrels[q], k)
                                            for r, q in zip(ranked, judged, strict=True)), 4),
            "zero_results": sum(1 for r in ranked if not r),
            "p50_ms": round(1000 * statistics.median(times), 2),
        }
    mine = per_query["presscut"]
    figures["paired"] = {f"presscut vs {ref}": {
        "mean_difference": round(float((mine - per_query[ref]).mean()), 4),
        "p": round(paired_p(mine, per_query[ref]), 4)} for ref in ("bm25s", "fts5-or")}
    return figures


def show(name: str, figures: dict) -> None:
    k = figures["k"]
    print(f"\n{name}: {figures['queries']} judged queries")
    print(f"{'system':14s} {'nDCG@' + str(k):>9s} {'P@' + str(k):>7s} {'zero':>5s} {'p50 ms':>8s}")
    for system, f in figures["systems"].items():
        print(f"{system:14s} {f[f'ndcg@{k}']:9.4f} {f[f'p@{k}']:7.4f} {f['zero_results']:5d} "
              f"{f['p50_ms']:8.2f}")
    for pair, f in figures["paired"].items():
        print(f"{pair}: mean nDCG difference {f['mean_difference']:+.4f}, p = {f['p']:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--collections", nargs="+", default=["cranfield", "seeds"],
                        choices=["cranfield", "seeds"])
    parser.add_argument("--work", type=Path, help="keep corpora and indexes here (reused)")
    parser.add_argument("--rebuild", action="store_true", help="index again even if kept")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="presscut-relevance-"))
    out = {}
    for name in args.collections:
        out[name] = evaluate(name, work, args.rebuild, 10 if name == "cranfield" else 5)
        show(name, out[name])
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
