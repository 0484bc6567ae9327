"""Which of Presscut's own extraction rules hold up on pages they were not tuned on.

    python bench/extraction_cv.py [--folds 5]

The DEV pages of ../shared/bench/extraction are split into folds (page ids sorted, the
i-th page in fold i mod k). For each fold, the variant with the best F1 on the other
folds is chosen ("tuned") and scored on the fold itself; trafilatura alone is scored
beside it. A rule is kept when it helps on every fold, not only on all pages together.

Variants: trafilatura's precision or default mode, each with or without the indexer's
two own steps on top of it: dropping blocks that repeat the headline, and the cleaner's
line rules (photo credits, follow-us lines, sign-off codes). Scorer: the shared
``evaluate.py`` (word 4-gram P/R/F1, per-page means).
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import sys
from pathlib import Path

import trafilatura

from indexer import cleaner, htmlmeta, htmlpage

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench" / "extraction"


def scorer():
    spec = importlib.util.spec_from_file_location("evaluate", SHARED / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def variants(html: str) -> dict[tuple[str, bool, bool], str]:
    """Every variant's text for one page: (mode, headline dropped, line rules) -> text."""
    headline = htmlpage.headlines(htmlmeta.page_meta(html))
    texts = {}
    for mode in ("precision", "default"):
        blocks = [text for text, _ in htmlpage.trafilatura_blocks(html, mode == "precision")]
        for drop_headline, rules in itertools.product((False, True), repeat=2):
            kept = [b for b in blocks if not (drop_headline and htmlpage._key(b) in headline)]
            if rules:
                kept = list(cleaner.clean("\n".join(kept), footer=False).paragraphs)
            texts[(mode, drop_headline, rules)] = "\n".join(kept)
        # trafilatura's own plain-text output: the reference of the shared README.
        plain = trafilatura.extract(html, favor_precision=mode == "precision", include_comments=False)
        texts[(mode + " text", False, False)] = plain or ""
        lines = [line for line in (plain or "").split("\n")
                 if htmlpage._key(line) not in headline]
        texts[(mode + " text", True, True)] = "\n".join(
            cleaner.clean("\n".join(lines), footer=False).paragraphs)
    page = htmlpage.parse(html)
    texts[("presscut as indexed", False, False)] = "\n".join(
        cleaner.clean(page.text, footer=False).paragraphs)
    return texts


def name(variant: tuple[str, bool, bool]) -> str:
    mode, drop_headline, rules = variant
    if mode == "presscut as indexed":
        return mode
    steps = [s for s, on in (("headline dropped", drop_headline), ("line rules", rules)) if on]
    return f"trafilatura {mode}" + (" + " + " + ".join(steps) if steps else " alone")


def report(folds: int = 5) -> str:
    """The tables of the module's docstring, as Markdown."""
    evaluate = scorer()
    gold = {page: entry["articleBody"] for page, entry in evaluate.load_gold(SHARED).items()}
    ids = sorted(gold)
    counts: dict[tuple, dict[str, tuple]] = {}
    for number, page_id in enumerate(ids, 1):
        for variant, text in variants(evaluate.read_html(SHARED, page_id)).items():
            counts.setdefault(variant, {})[page_id] = evaluate.page_counts(gold[page_id], text)
        print(f"\r{number}/{len(ids)} pages", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    split = [[p for i, p in enumerate(ids) if i % folds == k] for k in range(folds)]

    def f1(variant, pages) -> float:
        return evaluate.aggregate([counts[variant][p] for p in pages])["f1"]

    alone = ("precision text", False, False)
    lines = [f"All {len(ids)} DEV pages:", "", "| variant | F1 |", "|---|---|"]
    lines += [f"| {name(v)} | {f1(v, ids):.4f} |" for v in sorted(counts, key=lambda v: -f1(v, ids))]
    lines += ["", f"{folds} folds (page ids sorted, the i-th page in fold i mod {folds}); the variant "
              "best on the other folds, scored on the fold:", "",
              "| fold | pages | chosen on the other folds | its F1 | trafilatura precision text |"
              " presscut as indexed | headline drop gain | line rules gain |",
              "|---|---|---|---|---|---|---|---|"]
    for k, held in enumerate(split):
        rest = [p for p in ids if p not in set(held)]
        chosen = max(counts, key=lambda v: f1(v, rest))
        headline_gain = f1(("precision", True, False), held) - f1(("precision", False, False), held)
        rules_gain = f1(("precision", True, True), held) - f1(("precision", True, False), held)
        lines.append(f"| {k + 1} | {len(held)} | {name(chosen)} | {f1(chosen, held):.4f} | "
                     f"{f1(alone, held):.4f} | {f1(('presscut as indexed', False, False), held):.4f} | "
                     f"{headline_gain:+.4f} | {rules_gain:+.4f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if not (SHARED / "evaluate.py").exists():
        sys.exit(f"{SHARED} is missing: this benchmark needs the shared extraction pages")
    print(report(args.folds))


if __name__ == "__main__":
    main()
