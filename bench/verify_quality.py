"""Quote-checker quality: verdicts against the labelled cases in tests/data/verify_cases.jsonl.

    .venv/bin/python bench/verify_quality.py [--work DIR] [--json FILE] [--show-errors]

Builds an archive of the five seed articles (./corpus) and the first 300 BBC articles of
../shared/data/news-corpus (each as ``<id>.txt``: ``bbc-business-001.txt``..., outlet
"BBC News"), indexes it with the real indexer, then checks every case's quote with
``SearchService.check_quote`` and compares the verdict (verbatim, altered, not_found)
with the case's label. Each case names the archived paragraph its quote stands for
(``passage``; two paragraphs joined by a newline for a quote that spans them); a case
has the "right passage first" when the checker's first match contains it (its first
paragraph for a span), spacing aside.

Prints: the confusion matrix (label x verdict); precision and recall of each verdict;
how many invented quotes (label not_found) were called altered or verbatim (goal: 0);
the share of altered cases found as altered with the right passage first (goal: at
least 90%); accuracy per kind of case; median and p95 time of a check, after one
warm-up check. ``--json FILE`` writes the same figures; ``--show-errors`` lists every
misjudged case (wrong verdict, or right verdict with another passage first). With
``--work DIR`` the corpus and index are kept in DIR (rebuilt on every run).
"""

from __future__ import annotations

import argparse
import collections
import csv
import gzip
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indexer import build  # noqa: E402
from search.service import BadQuery, SearchService  # noqa: E402

CASES = ROOT / "tests" / "data" / "verify_cases.jsonl"
SEEDS = ROOT / "corpus"
NEWS = ROOT.parent / "shared" / "data" / "news-corpus" / "bbc-news-2225.jsonl.gz"
BBC_ARTICLES = 300
VERDICTS = ("verbatim", "altered", "not_found")
MANIFEST = ["file", "url", "outlet", "title", "date", "language", "authors"]

# (verdict, [(archived text, passage id), ...] best first)
Outcome = tuple[str, list[tuple[str, str]]]


def build_corpus(target: Path) -> Path:
    """The seeds and the first BBC_ARTICLES news articles, with one manifest."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy2(seed, target / seed.name)
    with (SEEDS / "sources.csv").open(newline="", encoding="utf-8") as handle:
        rows = [{k: row.get(k, "") for k in MANIFEST} for row in csv.DictReader(handle)]
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n == BBC_ARTICLES:
                break
            article = json.loads(line)
            ident = article["id"]  # "bbc-business-001": already names its source
            name = f"{ident if ident.startswith('bbc-') else 'bbc-' + ident}.txt"
            (target / name).write_text(f"{article['title']}\n\n{article['text']}\n", encoding="utf-8")
            rows.append({"file": name, "url": f"https://example.org/bbc/{ident}",
                         "outlet": "BBC News", "title": article["title"], "date": "2005-01",
                         "language": "en", "authors": ""})
    with (target / "sources.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST)
        writer.writeheader()
        writer.writerows(rows)
    return target


def checker(service: SearchService) -> Callable[[str], Outcome]:
    """The quote checker as a function of the quote."""
    def check(quote: str) -> Outcome:
        result = service.check_quote(quote)
        return result.verdict, [(m.text, m.passage.passage_id) for m in result.matches]
    return check


def normal(text: str) -> str:
    return " ".join(text.split())


def right_first(case: dict, matches: list[tuple[str, str]]) -> bool:
    """Whether the first match holds the case's passage (its first line for a span)."""
    wanted = case.get("passage", "").split("\n")[0]
    return bool(matches and wanted) and normal(wanted) in normal(matches[0][0])


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else 0.0


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def pct(value: float | None) -> str:
    return "   -  " if value is None else f"{value * 100:5.1f}%"


def score(cases: list[dict], check: Callable[[str], Outcome]) -> tuple[dict, list[dict]]:
    """Every case checked: the figures, and one result row per case."""
    rows = []
    for case in cases:
        started = time.perf_counter()
        try:
            verdict, matches = check(case["quote"])
            error = ""
        except BadQuery as exc:  # a quote the checker refuses is a result too
            verdict, matches, error = "error", [], f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        rows.append({**case, "verdict": verdict, "right_first": right_first(case, matches),
                     "first": matches[0][0] if matches else "", "ms": elapsed, "error": error})

    confusion = {label: collections.Counter(r["verdict"] for r in rows if r["label"] == label)
                 for label in VERDICTS}
    columns = [*VERDICTS, *(["error"] if any(r["verdict"] == "error" for r in rows) else [])]
    per_verdict = {}
    for verdict in VERDICTS:
        said = sum(confusion[label][verdict] for label in VERDICTS)
        truly = sum(confusion[verdict].values())
        per_verdict[verdict] = {"precision": ratio(confusion[verdict][verdict], said),
                                "recall": ratio(confusion[verdict][verdict], truly),
                                "said": said, "labelled": truly}
    invented = [r for r in rows if r["label"] == "not_found"]
    altered = [r for r in rows if r["label"] == "altered"]
    verbatim = [r for r in rows if r["label"] == "verbatim"]
    kinds: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        kinds[r["kind"]].append(r)
    times = [r["ms"] for r in rows]
    figures = {
        "cases": len(rows),
        "accuracy": ratio(sum(r["verdict"] == r["label"] for r in rows), len(rows)),
        "confusion": {label: {v: confusion[label][v] for v in columns} for label in VERDICTS},
        "per_verdict": per_verdict,
        "invented_called_found": sum(r["verdict"] in ("verbatim", "altered") for r in invented),
        "invented": len(invented),
        "altered_found_right_first": ratio(
            sum(r["verdict"] == "altered" and r["right_first"] for r in altered), len(altered)),
        "verbatim_found_right_first": ratio(
            sum(r["verdict"] == "verbatim" and r["right_first"] for r in verbatim), len(verbatim)),
        "per_kind": {kind: {"cases": len(group),
                            "accuracy": ratio(sum(r["verdict"] == r["label"] for r in group), len(group))}
                     for kind, group in sorted(kinds.items())},
        "ms_median": round(statistics.median(times), 1) if times else None,
        "ms_p95": round(percentile(times, 0.95), 1),
        "errors": sum(r["verdict"] == "error" for r in rows),
    }
    return figures, rows


def report(figures: dict) -> None:
    print(f"{figures['cases']} cases; verdict accuracy {pct(figures['accuracy'])}")
    columns = list(next(iter(figures["confusion"].values())))
    print("\nconfusion (rows: label, columns: verdict)")
    print(" " * 12 + "".join(f"{c:>11s}" for c in columns))
    for label, counts in figures["confusion"].items():
        print(f"{label:12s}" + "".join(f"{counts[c]:11d}" for c in columns))
    print("\nverdict      precision  recall   (said / labelled)")
    for verdict, f in figures["per_verdict"].items():
        print(f"{verdict:12s} {pct(f['precision']):>9s} {pct(f['recall']):>7s}"
              f"   ({f['said']} / {f['labelled']})")
    print(f"\ninvented quotes called altered or verbatim: {figures['invented_called_found']}"
          f" of {figures['invented']} (goal 0)")
    print(f"altered cases found as altered, right passage first: {pct(figures['altered_found_right_first'])}"
          " (goal >= 90%)")
    print(f"verbatim cases found as verbatim, right passage first: "
          f"{pct(figures['verbatim_found_right_first'])}")
    print("\nper kind                  cases  accuracy")
    for kind, f in figures["per_kind"].items():
        print(f"{kind:25s} {f['cases']:5d}  {pct(f['accuracy'])}")
    print(f"\ncheck time: median {figures['ms_median']} ms, p95 {figures['ms_p95']} ms")
    if figures["errors"]:
        print(f"checker errors: {figures['errors']} (see --show-errors)")


def show_errors(rows: list[dict]) -> None:
    wrong = [r for r in rows if r["verdict"] != r["label"]
             or (r["label"] != "not_found" and not r["right_first"])]
    print(f"\n{len(wrong)} misjudged cases:")
    for r in wrong:
        why = "wrong passage first" if r["verdict"] == r["label"] else f"said {r['verdict']}"
        print(f"- {r['id']} [{r['kind']}] label {r['label']}, {why}")
        print(f"    quote:   {r['quote']}")
        if r["label"] != "not_found":
            print(f"    passage: {normal(r['passage'])[:200]}")
        if r["first"]:
            print(f"    first:   {normal(r['first'])[:200]}")
        if r["error"]:
            print(f"    error:   {r['error']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="keep the corpus and index in DIR")
    parser.add_argument("--cases", type=Path, default=CASES)
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--show-errors", action="store_true", help="list the misjudged cases")
    args = parser.parse_args()
    with args.cases.open(encoding="utf-8") as handle:
        cases = [json.loads(line) for line in handle if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        started = time.perf_counter()
        summary = build.index_corpus(build_corpus(work / "corpus"), work / "index", rebuild=True)
        print(f"indexed {summary.line()} in {time.perf_counter() - started:.1f} s")
        service = SearchService(work / "index")
        check = checker(service)
        check(cases[0]["quote"])  # warm-up: the first check opens the index
        figures, rows = score(cases, check)
    report(figures)
    if args.show_errors:
        show_errors(rows)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
