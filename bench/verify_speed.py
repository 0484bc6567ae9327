"""Quote-checker speed on a synthetic archive (bench/corpus.py).

    python bench/verify_speed.py [--articles 20000] [--index DIR]

Checks verbatim quotes, altered ones (two words changed) and absent ones drawn from the
archive itself, and prints the median and p95 per kind next to a plain search of the same
words, measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import corpus
from indexer import build
from search.service import SearchRequest, SearchService


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--index", type=Path, help="reuse an index built from bench/corpus.py")
    parser.add_argument("--quotes", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        index = args.index or Path(tmp) / "index"
        if not args.index:
            started = time.perf_counter()
            summary = build.index_corpus(corpus.build(Path(tmp) / "corpus", args.articles), index)
            print(f"indexed {summary.line()} in {time.perf_counter() - started:.0f} s")
        service = SearchService(index)
        rng = random.Random(3)
        _, paragraphs = corpus.load_news()
        timings: dict[str, list[float]] = {"verbatim": [], "altered": [], "absent": [],
                                           "search (same words)": []}
        right = {"verbatim": 0, "altered": 0, "absent": 0}
        for _ in range(args.quotes):
            words = rng.choice(paragraphs).split()
            start = rng.randrange(max(1, len(words) - 15))
            quote = words[start : start + 15]
            altered = list(quote)
            for i in rng.sample(range(len(altered)), 2):
                altered[i] = "zebra"
            absent = " ".join(rng.sample(["moon", "violin", "glacier", "pepper", "orbit",
                                          "saddle", "lantern", "quartz", "meadow", "cobalt"], 8))
            for kind, text in (("verbatim", " ".join(quote)), ("altered", " ".join(altered)),
                               ("absent", absent)):
                started = time.perf_counter()
                verdict = service.check_quote(text).verdict
                timings[kind].append(time.perf_counter() - started)
                right[kind] += verdict == {"absent": "not_found"}.get(kind, kind)
            started = time.perf_counter()
            service.search(SearchRequest(q=" OR ".join(w.strip(".,\"'") for w in quote[:12]
                                                       if w.strip(".,\"'").isalnum())))
            timings["search (same words)"].append(time.perf_counter() - started)
        reference = statistics.median(timings["search (same words)"])
        for kind, values in timings.items():
            median = statistics.median(values)
            verdicts = f"  right {right[kind]}/{args.quotes}" if kind in right else ""
            print(f"{kind:20s} median {median * 1000:7.1f} ms  p95 {percentile(values, .95) * 1000:7.1f} ms"
                  f"  ({median / reference:.2f}x search){verdicts}")


if __name__ == "__main__":
    main()
