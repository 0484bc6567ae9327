"""Quote-checker quality: verdicts against labelled cases (tests/data/verify_cases.jsonl,
or another file of the same form with ``--cases FILE``).

    .venv/bin/python bench/verify_quality.py [--cases FILE] [--work DIR] [--json FILE]
                                             [--show-errors]

Builds an archive of the five seed articles (./corpus) and the first 300 BBC articles of
../shared/data/news-corpus (each as ``<id>.txt``: ``bbc-business-001.txt``..., outlet
"BBC News"), indexes it with the real indexer, then checks every case's quote with
``SearchService.check_quote`` and compares the verdict (verbatim, altered, contradicted,
not_found) with the case's label. Each case names the archived paragraphs its quote
stands for (``passage``, paragraphs joined by newlines for a span); a case has the
"right passage first" when the checker's first match contains its first paragraph,
spacing aside. A contradicted case lists the words reversed (``reversed``: pairs of
quote words and archive words, as lists or as {"quote", "archive"} objects).

Labels: ``contradicted`` is a sentence of the archive with its meaning reversed word for
word (a negation added or dropped, an opposite swapped in); a reversal in other words
("a wise move" for "another mistake") is a statement the archive does not hold:
``not_found``, like an invented one.

Prints: the confusion matrix (label x verdict); precision and recall of each verdict;
the goals (reversals called altered or verbatim: 0; not_found cases called anything
else: 0; verbatim spans found: all; each altered kind at least 95%); how many
contradicted cases name the expected reversed words; accuracy per kind; median and p95
time of a check, after one warm-up. ``--json FILE`` writes the same figures;
``--show-errors`` lists every misjudged case (wrong verdict, or right verdict with
another passage first). With ``--work DIR`` the corpus and index are kept in DIR
(rebuilt on every run).
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
from search.verify import VERDICTS, QuoteTooLong, words  # noqa: E402

CASES = ROOT / "tests" / "data" / "verify_cases.jsonl"
SEEDS = ROOT / "corpus"
NEWS = ROOT.parent / "shared" / "data" / "news-corpus" / "bbc-news-2225.jsonl.gz"
BBC_ARTICLES = 300
MANIFEST = ["file", "url", "outlet", "title", "date", "language", "authors"]

# (verdict, [(archived text, passage id), ...] best first, [(quote, archive) reversed])
Outcome = tuple[str, list[tuple[str, str]], list[tuple[str, str]]]


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
        return (result.verdict, [(m.text, m.passage.passage_id) for m in result.matches],
                [(r.quote, r.archive) for m in result.matches[:1] for r in m.reversed])
    return check


def normal(text: str) -> str:
    return " ".join(text.split())


def right_first(case: dict, matches: list[tuple[str, str]]) -> bool:
    """Whether the first match holds the case's passage (its first line for a span)."""
    wanted = (case.get("passage") or "").split("\n")[0]
    return bool(matches and wanted) and normal(wanted) in normal(matches[0][0])


def names_reversal(case: dict, said: list[tuple[str, str]]) -> bool:
    """Whether the reversed words the checker names include each pair the case expects
    (a word of its quote side and a word of its archive side, in one named pair)."""
    expected = [(p["quote"], p["archive"]) if isinstance(p, dict) else tuple(p)
                for p in case.get("reversed") or []]
    folded = [(set(words(q)), set(words(a))) for q, a in said]
    return bool(expected) and all(
        any(set(words(q)) & fq and set(words(a)) & fa for fq, fa in folded) for q, a in expected)


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
            verdict, matches, said = check(case["quote"])
            error = ""
        except (BadQuery, QuoteTooLong) as exc:  # a quote the checker refuses is a result too
            verdict, matches, said, error = "error", [], [], f"{type(exc).__name__}: {exc}"
        elapsed = (time.perf_counter() - started) * 1000
        rows.append({**case, "verdict": verdict, "right_first": right_first(case, matches),
                     "named": names_reversal(case, said), "said": said,
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
    kinds: dict[str, list[dict]] = collections.defaultdict(list)
    for r in rows:
        kinds[r["kind"]].append(r)
    times = [r["ms"] for r in rows]
    labelled = {label: [r for r in rows if r["label"] == label] for label in VERDICTS}
    spans = [r for r in labelled["verbatim"] if "span" in r["kind"]]
    figures = {
        "cases": len(rows),
        "accuracy": ratio(sum(r["verdict"] == r["label"] for r in rows), len(rows)),
        "confusion": {label: {v: confusion[label][v] for v in columns} for label in VERDICTS},
        "per_verdict": per_verdict,
        "reversals_called_altered_or_verbatim": sum(
            r["verdict"] in ("verbatim", "altered") for r in labelled["contradicted"]),
        "contradicted": len(labelled["contradicted"]),
        "not_found_called_found": sum(r["verdict"] != "not_found" for r in labelled["not_found"]),
        "not_found": len(labelled["not_found"]),
        "verbatim_spans_found": sum(r["verdict"] == "verbatim" for r in spans),
        "verbatim_spans": len(spans),
        "reversed_words_named": sum(r["verdict"] == "contradicted" and r["named"]
                                    for r in labelled["contradicted"] if r.get("reversed")),
        "right_passage_first": {label: ratio(
            sum(r["verdict"] == label and r["right_first"] for r in group), len(group))
            for label, group in labelled.items() if label != "not_found"},
        "per_kind": {kind: {"cases": len(group),
                            "accuracy": ratio(sum(r["verdict"] == r["label"] for r in group), len(group)),
                            "verdicts": dict(collections.Counter(r["verdict"] for r in group))}
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
    print(" " * 13 + "".join(f"{c:>13s}" for c in columns))
    for label, counts in figures["confusion"].items():
        print(f"{label:13s}" + "".join(f"{counts[c]:13d}" for c in columns))
    print("\nverdict        precision  recall   (said / labelled)")
    for verdict, f in figures["per_verdict"].items():
        print(f"{verdict:14s} {pct(f['precision']):>9s} {pct(f['recall']):>7s}"
              f"   ({f['said']} / {f['labelled']})")
    altered_kinds = {k: f for k, f in figures["per_kind"].items() if k.startswith("altered")}
    below = [k for k, f in altered_kinds.items() if (f["accuracy"] or 0) < 0.95]
    print("\ngoals")
    print(f"  reversals called altered or verbatim: {figures['reversals_called_altered_or_verbatim']}"
          f" of {figures['contradicted']} (goal 0)")
    print(f"  not_found cases called found: {figures['not_found_called_found']}"
          f" of {figures['not_found']} (goal 0)")
    print(f"  verbatim spans found verbatim: {figures['verbatim_spans_found']}"
          f" of {figures['verbatim_spans']} (goal all)")
    print(f"  altered kinds at 95% or more: {len(altered_kinds) - len(below)} of {len(altered_kinds)}"
          + (f" (below: {', '.join(below)})" if below else ""))
    print(f"contradicted cases naming the expected reversed words: {figures['reversed_words_named']}")
    print("right passage first: " + ", ".join(
        f"{label} {pct(value).strip()}" for label, value in figures["right_passage_first"].items()))
    print("\nper kind                       cases  accuracy  verdicts")
    for kind, f in figures["per_kind"].items():
        said = " ".join(f"{v}:{n}" for v, n in sorted(f["verdicts"].items()))
        print(f"{kind:30s} {f['cases']:5d}  {pct(f['accuracy'])}   {said}")
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
        if r.get("passage"):
            print(f"    passage: {normal(r['passage'])[:200]}")
        if r["first"]:
            print(f"    first:   {normal(r['first'])[:200]}")
        if r["said"] or r.get("reversed"):
            print(f"    reversed: said {r['said']}, expected {r.get('reversed')}")
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
