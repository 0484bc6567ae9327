"""Checks bench/data/verify_fresh.jsonl against the archive it assumes (the first 300 BBC
articles of ../shared/data/news-corpus): each passage is paragraphs of its source, each
verbatim quote (each piece between ellipses) stands in its passage, no other quote stands
word for word in any article, and the reversed words are in the quote. Exit 0 when all hold.

    python bench/data/verify_fresh_check.py
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
NEWS = HERE.parents[2] / "shared" / "data" / "news-corpus" / "bbc-news-2225.jsonl.gz"


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower().replace("’", "'")))


def main() -> int:
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines:
        articles = {a["id"]: a["text"] for a in map(json.loads, (next(lines) for _ in range(300)))}
    archive = [_norm(text) for text in articles.values()]
    cases = [json.loads(line) for line in (HERE / "verify_fresh.jsonl").open(encoding="utf-8")]
    wrong = []
    for c in cases:
        quote, passage = c["quote"], c.get("passage") or ""
        paragraphs = [p for p in articles.get(c["source"] or "", "").split("\n") if p.strip()]
        if passage and not all(p in paragraphs for p in passage.split("\n")):
            wrong.append((c["id"], "passage is not paragraphs of its source"))
        if c["label"] == "verbatim":
            if not all(_norm(p) in _norm(passage) for p in re.split(r"\.\.\.|…", quote)):
                wrong.append((c["id"], "verbatim quote not in its passage"))
        elif any(_norm(quote) in text for text in archive):
            wrong.append((c["id"], "stands word for word in the archive"))
        for said, _ in c.get("reversed") or []:
            if _norm(said) not in _norm(quote):
                wrong.append((c["id"], f"reversed words {said!r} not in the quote"))
    for ident, why in wrong:
        print(f"{ident}: {why}")
    print(f"{len(cases)} cases, {len(wrong)} problems")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
