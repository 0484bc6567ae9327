"""Speed at scale: the real indexer and server against SQLite FTS5, on one archive, in one run.

    python bench/scale.py [--articles 10000 100000] [--queries 40] [--work DIR]
                          [--engine opensearch [--replicas 1]]

For each size it builds a synthetic archive from ../shared/data/news-corpus
(bench/corpus.py: real headlines, 3-8 real paragraphs each, 12 outlets, two years),
indexes it with `presscut index` into an empty folder (articles/s, peak memory of the
process tree, index size, how soon the build in progress first answers, an unchanged
re-run, one changed file), serves it with `presscut serve` and sends a fixed mix of
queries over HTTP one at a time, each with facets and highlighted passages. SQLite FTS5
does the same work on the same articles as the reference: bm25 top 10 with snippets,
and the outlet and month counts over all matches. Prints p50/p95/p99 per query class
and the ratios. With --work, corpora and indexes are kept and reused between runs; with
--engine opensearch the archive is also built and queried on the cluster (scale_cluster.py).
"""

from __future__ import annotations

import argparse
import collections
import csv
import http.client
import json
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from first_result import emptied, first_answer
from load import PRESSCUT, free_port, proc_kb, process_tree, start_server, tree_memory_kb
from mix import CLASSES, query_mix

import corpus as synthetic


# -- presscut ------------------------------------------------------------------------
def run_measured(args: list[str], watch=None) -> tuple[float, tuple[int, int], str]:
    """Seconds, peak memory (KB: RSS sum, PSS sum of the process tree) and output;
    ``watch(process, started)`` runs beside it (in a thread)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = (0, 0)
    done = threading.Event()
    if watch:
        threading.Thread(target=watch, args=(proc, time.monotonic()), daemon=True).start()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            rss, pss = tree_memory_kb(proc.pid)
            peak = (max(peak[0], rss), max(peak[1], pss))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output = proc.communicate()[0]
    # Timed before the sampler is joined: it may be asleep for another 0.2 s.
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{output}")
    return seconds, peak, output


def folder_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.resolve().rglob("*") if f.is_file()) / 2**20


def index_presscut(corpus: Path, index: Path, reuse: bool) -> dict:
    if reuse and (index / "presscut-report.json").exists():
        report = json.loads((index / "presscut-report.json").read_text())
        again, _, _ = run_measured([str(PRESSCUT), "index", "--corpus", str(corpus),
                                    "--index", str(index)])
        return {"seconds": float("nan"), "rss_mb": float("nan"), "pss_mb": float("nan"),
                "index_mb": folder_mb(index), "unchanged_seconds": again,
                "one_changed_seconds": one_changed(corpus, index), "first_answer": {},
                "documents": report["documents"], "reused": True}
    first: dict = {}

    def watch(build: subprocess.Popen, started: float) -> None:
        first.update(first_answer(index, "government", build, started) or {})

    # Into an empty folder: a first build, searchable in part while it runs.
    seconds, peak, _ = run_measured([str(PRESSCUT), "index", "--corpus", str(corpus), "--index",
                                     str(emptied(index)), "--json"], watch)
    again, _, output = run_measured([str(PRESSCUT), "index", "--corpus", str(corpus),
                                     "--index", str(index), "--json"])
    summary = json.loads(output[output.index("{"):])
    return {"seconds": seconds, "rss_mb": peak[0] / 1024, "pss_mb": peak[1] / 1024,
            "index_mb": folder_mb(index), "reused": False,
            "unchanged_seconds": again, "documents": summary["documents"],
            "one_changed_seconds": one_changed(corpus, index), "first_answer": first}


def one_changed(corpus: Path, index: Path) -> float:
    """Seconds to re-index after a paragraph is added to one article (then taken back,
    and re-indexed again, so the corpus is left as it was)."""
    article = sorted(corpus.rglob("*.txt"))[len(list(corpus.rglob("*.txt"))) // 2]
    original = article.read_bytes()
    article.write_bytes(original + b"\nA paragraph added to time one changed file.\n")
    try:
        seconds, _, output = run_measured([str(PRESSCUT), "index", "--corpus", str(corpus),
                                           "--index", str(index), "--json"])
        if json.loads(output[output.index("{"):])["updated"] != 1:
            raise RuntimeError(f"one changed file should update one document:\n{output}")
    finally:
        article.write_bytes(original)
        run_measured([str(PRESSCUT), "index", "--corpus", str(corpus), "--index", str(index)])
    return seconds


def time_http(index: Path, mix: list, warmup: list) -> tuple[dict[str, list[float]], dict]:
    """Seconds per query by class, and the server's memory (MB) after the mix."""
    port = free_port()
    started = time.perf_counter()
    server = start_server(index, port, workers=1)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    times: dict[str, list[float]] = collections.defaultdict(list)
    try:
        # Measure the server as people meet it once it has read its common words ahead.
        while not get_json(connection, "/api/status")["warm"]:
            time.sleep(0.5)
        times["warm-up"] = [time.perf_counter() - started]
        for kind, params in warmup + mix:
            started = time.perf_counter()
            connection.request("GET", "/api/search?" + urllib.parse.urlencode(params))
            response = connection.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            if response.status != 200:
                raise RuntimeError(f"{params} answered {response.status}: {body[:200]!r}")
            times[kind].append(elapsed)
        # The server is gunicorn's arbiter and its worker: count them all.
        processes = process_tree(server.pid)
        memory = {field: sum(proc_kb(pid, "status", field) for pid in processes) / 1024
                  for field in ("VmHWM", "RssAnon", "RssFile")}
    finally:
        connection.close()
        server.terminate()
        server.wait(timeout=30)
    return times, memory


def get_json(connection: http.client.HTTPConnection, path: str) -> dict:
    connection.request("GET", path)
    return json.loads(connection.getresponse().read())


# -- SQLite FTS5, the reference ------------------------------------------------------
def index_fts5(corpus: Path, database: Path) -> dict:
    """The reference as SQLite is best used: text in FTS5, metadata in a narrow indexed
    table beside it (grouping FTS5's own columns reads each match's whole row)."""
    started = time.perf_counter()
    database.unlink(missing_ok=True)
    db = sqlite3.connect(database)
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, "
               "tokenize='porter unicode61 remove_diacritics 2')")
    db.execute("CREATE TABLE meta (id INTEGER PRIMARY KEY, outlet TEXT, month TEXT, date TEXT)")
    for manifest in sorted(corpus.rglob("sources.csv")):
        with manifest.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                text = (manifest.parent / row["file"]).read_text(encoding="utf-8")
                title, _, body = text.partition("\n")
                rowid = db.execute("INSERT INTO docs (title, body) VALUES (?, ?)",
                                   (title, body)).lastrowid
                db.execute("INSERT INTO meta VALUES (?, ?, ?, ?)",
                           (rowid, row["outlet"], row["date"][:7], row["date"]))
    db.execute("CREATE INDEX meta_outlet ON meta (outlet)")
    db.execute("CREATE INDEX meta_date ON meta (date)")
    db.commit()
    db.close()
    return {"seconds": time.perf_counter() - started, "index_mb": database.stat().st_size / 2**20}


def fts5_query(params: dict[str, str]) -> str:
    """The API query as FTS5 syntax: every term required, phrases kept."""
    parts = re.findall(r'"[^"]+"|\S+', params["q"])
    return " AND ".join(p if p.startswith('"') else f'"{p}"' for p in parts)


def time_fts5(database: Path, mix: list, warmup: list) -> dict[str, list[float]]:
    db = sqlite3.connect(database)
    times: dict[str, list[float]] = collections.defaultdict(list)
    matched = "SELECT rowid FROM docs WHERE docs MATCH ?"
    for kind, params in warmup + mix:
        match = fts5_query(params)
        outlet = params.get("outlet")
        only = " AND m.outlet = ?" if outlet else ""
        args = (match, outlet) if outlet else (match,)
        order = "m.date DESC" if params.get("sort") == "-date" else "docs.rank"
        started = time.perf_counter()
        db.execute(f"SELECT docs.rowid, title, m.outlet, m.date, snippet(docs, 1, '<mark>', "
                   f"'</mark>', '…', 32) FROM docs JOIN meta m ON m.id = docs.rowid "
                   f"WHERE docs MATCH ?{only} ORDER BY {order} LIMIT 10", args).fetchall()
        # Each facet's counts with the other facets' filters, as the API counts them.
        db.execute(f"SELECT outlet, count(*) FROM meta WHERE id IN ({matched}) GROUP BY outlet",
                   (match,)).fetchall()
        db.execute(f"SELECT month, count(*) FROM meta m WHERE id IN ({matched}){only} "
                   f"GROUP BY month", args).fetchall()
        times[kind].append(time.perf_counter() - started)
    db.close()
    return times


# -- report --------------------------------------------------------------------------
def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return statistics.median(ordered) * 1000, at(0.95), at(0.99)


def report_index(articles: int, built: dict) -> None:
    print(f"\n## {articles:,} articles ({built['documents']:,} indexed)\n")
    if built["reused"]:
        print(f"presscut index: an earlier build reused, index {built['index_mb']:.0f} MB,", end="")
    else:
        print(f"presscut index: {built['seconds']:.1f} s ({articles / built['seconds']:.0f} "
              f"articles/s), peak memory of the process tree {built['rss_mb']:.0f} MB RSS / "
              f"{built['pss_mb']:.0f} MB PSS, index {built['index_mb']:.0f} MB,", end="")
    print(f" unchanged re-run {built['unchanged_seconds']:.1f} s,"
          f" one changed file {built['one_changed_seconds']:.1f} s", flush=True)
    if first := built["first_answer"]:
        far = first["progress"] or {"done": built["documents"], "total": built["documents"]}
        print(f"first answer while it ran: after {first['seconds']:.1f} s, "
              f"{far['done']:,} of {far['total']:,} articles searchable", flush=True)


def report(fts_built: dict, ours: dict, server: dict, fts: dict, mix: list) -> None:
    print(f"SQLite FTS5 build (no cleaning, no metadata): {fts_built['seconds']:.1f} s, "
          f"{fts_built['index_mb']:.0f} MB")
    print(f"presscut server: up and common words read ahead in {ours['warm-up'][0]:.1f} s")
    print(f"presscut server (arbiter and worker) after the mix: peak RSS {server['VmHWM']:.0f} "
          f"MB; now heap {server['RssAnon']:.0f} MB and mapped index files "
          f"{server['RssFile']:.0f} MB\n")
    table(("presscut HTTP", "FTS5"), ours, fts, mix)


def table(names: tuple[str, str], first: dict, second: dict, mix: list,
          ratio_of_second: bool = False) -> None:
    """A markdown table of two sets of timings per query class (the last of each class's
    runs in ``mix``), with the ratio of the first to the second (or the second to the
    first)."""
    print(f"| query class | n | {names[0]} p50 / p95 / p99 ms | {names[1]} p50 / p95 / p99 ms "
          "| ratio p50 | ratio p95 |")
    print("|---|---|---|---|---|---|")
    measured = {kind: (first[kind][-sum(k == kind for k, _ in mix):],
                       second[kind][-sum(k == kind for k, _ in mix):]) for kind in CLASSES}
    measured["all"] = ([t for kind in CLASSES for t in measured[kind][0]],
                       [t for kind in CLASSES for t in measured[kind][1]])
    for kind, (left, right) in measured.items():
        a, b = percentiles(left), percentiles(right)
        top, bottom = (b, a) if ratio_of_second else (a, b)
        print(f"| {kind} | {len(left)} | {a[0]:.1f} / {a[1]:.1f} / {a[2]:.1f} "
              f"| {b[0]:.1f} / {b[1]:.1f} / {b[2]:.1f} | {top[0] / bottom[0]:.2f} "
              f"| {top[1] / bottom[1]:.2f} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=40, help="queries per class")
    parser.add_argument("--work", type=Path, help="keep corpora and indexes here")
    parser.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh")
    parser.add_argument("--replicas", type=int, default=1, help="of the OpenSearch index")
    parser.add_argument("--reuse-index", action="store_true",
                        help="no build: time an unchanged re-run, one changed file and the "
                             "queries on indexes an earlier run left in --work")
    args = parser.parse_args()
    if not synthetic.NEWS.exists():
        sys.exit(f"{synthetic.NEWS} is missing: the benchmark needs ../shared/data/news-corpus")
    work = args.work or Path(tempfile.mkdtemp(prefix="presscut-bench-"))
    mix = query_mix(args.queries)
    warmup = query_mix(5, seed=99)
    print(f"{len(mix)} queries ({args.queries} a class) after {len(warmup)} warm-up queries; "
          f"work folder {work}")
    try:
        for articles in args.articles:
            corpus = work / f"corpus-{articles}"
            if not corpus.exists():
                synthetic.build(corpus, articles)
            built = index_presscut(corpus, work / f"index-{articles}", args.reuse_index)
            report_index(articles, built)
            fts_built = index_fts5(corpus, work / f"fts5-{articles}.sqlite")
            ours, server = time_http(work / f"index-{articles}", mix, warmup)
            fts = time_fts5(work / f"fts5-{articles}.sqlite", mix, warmup)
            report(fts_built, ours, server, fts, mix)
            if args.engine == "opensearch":  # (its client is an optional dependency)
                import scale_cluster
                scale_cluster.measure(corpus, work, articles, mix, warmup, ours, args.replicas)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
