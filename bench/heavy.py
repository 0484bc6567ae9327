"""Readers beside heavy requests: does a reader still get answered while others check
long quotes, export everything and run big batches? (issue 35, point 4)

    python bench/heavy.py --index DIR [--readers 8] [--seconds 30] [--rounds 2]
                          [--workers 2] [--quotes 16] [--exports 8] [--batches 1]
                          [--quote-chars 3000] [--batch-queries 300]

Starts `presscut serve` on 127.0.0.1 (its settings from the environment, as a server's),
then alternates, --rounds times: --seconds of readers alone (idle), then --seconds of the
same readers beside the heavy clients (loaded), each heavy client asking again as soon as
it is answered:
- --quotes clients checking quotes of --quote-chars characters of real text (POST /api/verify),
- --exports clients exporting every match of "the" as CSV (GET /export.csv),
- --batches clients each sending --batch-queries wildcard and fuzzy queries (POST /api/batch).
--quote-chars and --batch-queries default to the most the server takes by default
(PRESSCUT_MAX_QUOTE_LENGTH, PRESSCUT_MAX_BATCH): the issue's 20,000 characters and 1,000
queries are refused at once (400).
A heavy client refused with 503 waits as its Retry-After says, and one refused with 400 (too
long) waits a second before asking the same again: a client that resends a refused request
as fast as it can is a flood, which costs the server per request whatever it asks (a rate
limit in front of the server is the answer to that, not a bound on long requests). Between
rounds the heavy requests still running are waited for, so that none spills into an idle
phase.
Readers draw from bench/scale.py's query classes (half API, half pages), each waiting a
random 0 to 2 seconds between requests, as a reader does. Prints reader p50/p95 idle
and loaded, their ratio, and what the heavy requests got (status counts, seconds).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import load
from mix import query_mix

import corpus as synthetic

READER_PAUSE = 1.0  # mean seconds between a reader's requests


def quote_of(chars: int, seed: int) -> str:
    """Real paragraphs of the news corpus run together to ``chars`` characters."""
    _, paragraphs = synthetic.load_news()
    rng = random.Random(seed)
    text = ""
    while len(text) < chars:
        text += rng.choice(paragraphs) + " "
    return text[:chars].strip()


def batch_of(count: int, seed: int) -> list[str]:
    """``count`` wildcard (``econ*``) and fuzzy (``economy~``) queries of corpus words."""
    _, paragraphs = synthetic.load_news()
    words = sorted({w.lower() for p in paragraphs[:3000] for w in p.split()
                    if w.isalpha() and len(w) > 5})
    rng = random.Random(seed)
    return [f"{w[:4]}*" if n % 2 else f"{w}~" for n, w in enumerate(rng.sample(words, count))]


def heavy_client(base: str, until: float, request, outcomes: list) -> None:
    """Ask ``request()`` (a urllib Request) again and again until ``until``."""
    while time.monotonic() < until:
        started = time.perf_counter()
        wait = 0.0
        try:
            with urllib.request.urlopen(request(), timeout=300) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as refused:
            refused.read()
            status = refused.code
            wait = float(refused.headers.get("Retry-After") or (1 if status == 400 else 0))
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            status = "failed"
        outcomes.append((status, time.perf_counter() - started))
        time.sleep(min(wait, max(0.0, until - time.monotonic())))


def heavy_requests(base: str, args) -> list:
    """(name, count, request factory) of each kind of heavy client."""
    quote = json.dumps({"quote": quote_of(args.quote_chars, 1)}).encode()
    batch = json.dumps({"queries": batch_of(args.batch_queries, 2)}).encode()
    post = lambda path, body: lambda: urllib.request.Request(  # noqa: E731
        base + path, data=body, headers={"Content-Type": "application/json"})
    return [("quote check", args.quotes, post("/api/verify", quote)),
            ("export", args.exports, lambda: urllib.request.Request(base + "/export.csv?q=the")),
            ("batch", args.batches, post("/api/batch", batch))]


def phase(base: str, args, mix: list, loaded: bool, seed: int) -> tuple[list, dict]:
    """One phase: the readers' (kind, seconds, ok) and the heavy clients' outcomes."""
    until = time.monotonic() + args.seconds
    readers, outcomes = [], {}
    threads = [threading.Thread(target=load.client, args=(base, until, seed + n, readers,
                                                          READER_PAUSE, mix[n::args.readers]))
               for n in range(args.readers)]
    if loaded:
        for name, count, request in heavy_requests(base, args):
            outcomes[name] = []
            threads += [threading.Thread(target=heavy_client,
                                         args=(base, until, request, outcomes[name]))
                        for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return readers, outcomes


def percentile(times: list[float], q: float) -> float:
    times = sorted(times)
    return round(times[min(len(times) - 1, int(q * len(times)))] * 1000, 1)


def readers_summary(results: list) -> dict:
    times = [t for _, t, _ in results]
    return {"requests": len(times), "errors": sum(not ok for _, _, ok in results),
            "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": percentile(times, 0.95), "max_ms": percentile(times, 1.0)}


def heavy_summary(outcomes: list) -> dict:
    answered = [t for status, t in outcomes if status == 200]
    return {"statuses": dict(Counter(str(s) for s, _ in outcomes)),
            "answered_p50_s": round(statistics.median(answered), 2) if answered else None,
            "answered_max_s": round(max(answered), 2) if answered else None}


def run(args) -> dict:
    port = load.free_port()
    server = load.start_server(args.index, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    mix = query_mix(60, seed=7)
    idle, loaded, heavy = [], [], {}
    try:
        phase(base, args, query_mix(10, seed=8), False, 1000)  # warm up, not counted
        for round_ in range(args.rounds):
            idle += phase(base, args, mix, False, round_ * 100)[0]
            readers, outcomes = phase(base, args, mix, True, round_ * 100 + 50)
            loaded += readers
            for name, got in outcomes.items():
                heavy.setdefault(name, []).extend(got)
    finally:
        server.terminate()
        server.wait(timeout=60)
    figures = {"idle": readers_summary(idle), "loaded": readers_summary(loaded)}
    figures["p95_ratio"] = round(figures["loaded"]["p95_ms"] / figures["idle"]["p95_ms"], 2)
    figures["heavy"] = {name: heavy_summary(got) for name, got in heavy.items()}
    return figures


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--readers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30, help="seconds of each phase")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--quotes", type=int, default=16, help="quote-checking clients")
    parser.add_argument("--exports", type=int, default=8, help="exporting clients")
    parser.add_argument("--batches", type=int, default=1, help="batch clients")
    parser.add_argument("--quote-chars", type=int, default=3000)
    parser.add_argument("--batch-queries", type=int, default=300)
    return parser


def main() -> None:
    print(json.dumps(run(parser().parse_args()), indent=2))


if __name__ == "__main__":
    main()
