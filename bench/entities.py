"""Mentioned entities against hand labels (tests/data/entities_gold.toml).

    python bench/entities.py [--misses]

Per set of texts (the seeds the rules were written against; BBC and a Russian page that
were not looked at; Azerbaijani and Russian news in tests/data/entities_texts, not looked at
either), per set and language, and per document: precision and recall of the names found,
and how many of the names found right got the right type. A name matches when its words have
the same name keys (Kasym/Kassym/Qasım, Kerimli/Karimli), or when it is a surname alone
and the labels have that person's full name (the facet merges the two). Labels name
each entity once a document, by the spelling Presscut shows (an alias group's first name).

The news texts are split by document into a development half and a held-out half (per
language, the file names sorted, every other one: ``half()``); rules are improved looking
at the development half's errors only (``--misses`` prints those and the seeds'), and the
held-out half says whether the improvement carries to text nobody looked at.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

from core import entities
from core.names import name_key
from indexer import mentions, pipeline
from indexer.pipeline import Context

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "entities_gold.toml"
TEXTS = ROOT / "tests" / "data" / "entities_texts"
SHARED = ROOT.parent / "shared"


def texts(doc: dict) -> list[str]:
    """The paragraphs of a labelled text, as the indexer would see them."""
    kind, _, ref = doc["text"].partition(":")
    if kind == "file":
        lines = (TEXTS / ref).read_text(encoding="utf-8").splitlines()
        return [line for line in lines if line.strip()]
    if kind == "seed":
        found = pipeline.extract(ROOT / "corpus" / ref)[0]
        return [found.metadata.title, *(found.passage_text(p) for p in found.passages)]
    if kind == "bbc":
        with gzip.open(SHARED / "data/news-corpus/bbc-news-2225.jsonl.gz", "rt", encoding="utf-8") as rows:
            row = next(r for r in map(json.loads, rows) if r["id"] == ref)
        return row["text"].split("\n")
    gold = json.loads((SHARED / "bench/extraction/ground-truth.json").read_text(encoding="utf-8"))
    page = next(v for k, v in gold.items() if k.startswith(ref))
    return page["articleBody"][: doc.get("chars")].split("\n")


def half(doc: dict) -> str | None:
    """``dev`` or ``held-out`` for a news text (the 1st, 3rd, 5th... of its language's
    sorted file names are dev), None for the rest."""
    if doc.get("set") != "unseen news":
        return None
    return "dev" if _NEWS_ORDER[doc["text"]] % 2 == 0 else "held-out"


def _news_order(docs: list[dict]) -> dict[str, int]:
    by_language: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        if doc.get("set") == "unseen news":
            by_language[doc["language"]].append(doc["text"])
    return {text: n for texts_ in by_language.values() for n, text in enumerate(sorted(texts_))}


DOCS = tomllib.loads(GOLD.read_text(encoding="utf-8"))["doc"]
_NEWS_ORDER = _news_order(DOCS)


def _key(name: str) -> tuple[str, ...]:
    return tuple(name_key(w) or w.casefold() for w in name.replace("-", " ").split())


def score(finder: mentions.Finder, doc: dict) -> dict:
    found = finder.find(texts(doc))
    gold = {_key(name): kind for name, kind in doc["entities"]}
    surnames = {k[-1]: k for k, kind in gold.items() if kind == "person" and len(k) > 1}
    right = typed = 0
    matched = set()
    for name in found:
        key = _key(name)
        key = surnames.get(key[0], key) if len(key) == 1 else key
        if key in gold and key not in matched:
            matched.add(key)
            right += 1
            typed += entities.kind_of(name) == gold[key]
    return {"found": len(found), "gold": len(gold), "right": right, "typed": typed,
            "missed": sorted(n for n, _ in doc["entities"] if _key(n) not in matched),
            "wrong": sorted(n for n in found if (surnames.get(_key(n)[0], _key(n))
                                                 if len(_key(n)) == 1 else _key(n)) not in gold)}


def evaluate() -> dict[str, dict]:
    """Totals per set (``seeds``, ``unseen``, or the doc's own ``set``) and per set and
    language (``unseen news, az``); the news also per half (``unseen news dev, az``,
    ``unseen news held-out, ru``)."""
    context = Context.for_corpus(ROOT / "corpus")
    finder = mentions.Finder(context.alias_groups, context.speakers.canonical)
    totals: dict[str, dict] = defaultdict(lambda: {"found": 0, "gold": 0, "right": 0, "typed": 0,
                                                   "docs": []})
    for doc in DOCS:
        result = score(finder, doc)
        name = doc.get("set") or ("seeds" if doc["text"].startswith("seed:") else "unseen")
        names = [name, f"{name}, {doc['language']}"]
        if half(doc):
            names += [f"{name} {half(doc)}", f"{name} {half(doc)}, {doc['language']}"]
        for group in (totals[n] for n in names):
            for field in ("found", "gold", "right", "typed"):
                group[field] += result[field]
        totals[names[-1] if half(doc) else name]["docs"].append((doc["text"], doc["language"], result))
    return dict(totals)


def _row_order(name: str) -> tuple:
    # A set, then its languages; the news as a whole, then its dev half, then held-out.
    base, _, language = name.partition(", ")
    part = next((n for n, h in enumerate((" dev", " held-out"), 1) if base.endswith(h)), 0)
    base = base.removesuffix(" dev").removesuffix(" held-out")
    return ("news" in base, base, part, language)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true",
                        help="each seed and development text's missed and wrong names "
                             "(never the held-out half's)")
    args = parser.parse_args()
    if not (SHARED / "data").exists():
        sys.exit("../shared is missing: this benchmark reads its BBC and extraction texts")
    print("| texts | names labelled | found | right | precision | recall | type right |")
    print("|---|---|---|---|---|---|---|")
    totals = evaluate()
    for name in sorted(totals, key=_row_order):
        t = totals[name]
        print(f"| {name} | {t['gold']} | {t['found']} | {t['right']} | {t['right'] / t['found']:.2f} "
              f"| {t['right'] / t['gold']:.2f} | {t['typed'] / max(1, t['right']):.2f} |")
        shown = args.misses and (name == "seeds" or name.startswith("unseen news dev"))
        for text, language, result in t["docs"] if shown else ():
            print(f"|   {text} ({language}) | {result['gold']} | {result['found']} | {result['right']} "
                  f"| missed: {', '.join(result['missed']) or '-'} | wrong: "
                  f"{', '.join(result['wrong']) or '-'} | |")


if __name__ == "__main__":
    main()
