"""Mentioned entities against hand labels (tests/data/entities_gold.toml).

    python bench/entities.py

Per set of texts (the seeds the rules were written against; BBC and a Russian page that
were not looked at), per set and language, and per document: precision and recall of the names found, and how
many of the names found right got the right type. A name matches when its words have
the same name keys (Kasym/Kassym/Qasım, Kerimli/Karimli), or when it is a surname alone
and the labels have that person's full name (the facet merges the two). Labels name
each entity once a document, by the spelling Presscut shows (an alias group's first name).
"""

from __future__ import annotations

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
SHARED = ROOT.parent / "shared"


def texts(doc: dict) -> list[str]:
    """The paragraphs of a labelled text, as the indexer would see them."""
    kind, _, ref = doc["text"].partition(":")
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
    """Totals per set, ``seeds`` and ``unseen``, and per set and language
    (``unseen, ru``)."""
    context = Context.for_corpus(ROOT / "corpus")
    finder = mentions.Finder(context.alias_groups, context.speakers.canonical)
    totals: dict[str, dict] = defaultdict(lambda: {"found": 0, "gold": 0, "right": 0, "typed": 0,
                                                   "docs": []})
    for doc in tomllib.loads(GOLD.read_text(encoding="utf-8"))["doc"]:
        result = score(finder, doc)
        name = "seeds" if doc["text"].startswith("seed:") else "unseen"
        for group in (totals[name], totals[f"{name}, {doc['language']}"]):
            for field in ("found", "gold", "right", "typed"):
                group[field] += result[field]
        totals[name]["docs"].append((doc["text"], doc["language"], result))
    return dict(totals)


def main() -> None:
    if not (SHARED / "data").exists():
        sys.exit("../shared is missing: this benchmark reads its BBC and extraction texts")
    print("| texts | names labelled | found | right | precision | recall | type right |")
    print("|---|---|---|---|---|---|---|")
    for name, t in evaluate().items():
        print(f"| {name} | {t['gold']} | {t['found']} | {t['right']} | {t['right'] / t['found']:.2f} "
              f"| {t['right'] / t['gold']:.2f} | {t['typed'] / max(1, t['right']):.2f} |")
        for text, language, result in t["docs"]:
            print(f"|   {text} ({language}) | {result['gold']} | {result['found']} | {result['right']} "
                  f"| missed: {', '.join(result['missed']) or '-'} | wrong: "
                  f"{', '.join(result['wrong']) or '-'} | |")


if __name__ == "__main__":
    main()
