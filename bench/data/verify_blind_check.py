#!/usr/bin/env python3
# ruff: noqa: E741, UP031, B023  -- the set maker's script, kept as written (only its paths changed)
"""Check verify_blind.jsonl (beside this file, or the file named) against the archive.  Exit 0 if all pass.

Checks:
  * every line is a JSON object with the required fields, ids are unique,
    label/kind agree, source/passage are null exactly for not_found;
  * every passage is 1..4 consecutive paragraphs (non-empty lines) of its source,
    copied exactly and joined by "\n";
  * every verbatim quote, split at ellipses (… or ...), is found piece by piece, in
    order, in its passage after normalising quotes, dashes, whitespace and case;
  * no altered / contradicted / not_found quote occurs verbatim (normalised) in any
    archive document (nor, for multi-paragraph passages, in the passage itself);
  * contradicted cases carry "reversed" = [quote words, archive words]: the quote
    words occur in the quote, the archive words in the passage, and at least one
    side is non-empty;
  * not_found-outside quotes occur in a BBC article of line >= 1000 (so they are real
    sentences from outside the archive).
Usage: python3 check_blind.py [path-to-jsonl]
"""
import glob
import gzip
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared")
SEED_DIR = os.path.join(SHARED, "corpus-seed")
BBC = os.path.join(SHARED, "data", "news-corpus", "bbc-news-2225.jsonl.gz")
PATH = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "verify_blind.jsonl")
LABELS = {"verbatim", "altered", "contradicted", "not_found"}

ARCHIVE, OUTSIDE = {}, []
for p in sorted(glob.glob(os.path.join(SEED_DIR, "0*.txt"))):
    with open(p, encoding="utf-8") as f:
        ARCHIVE[os.path.basename(p)] = f.read()
with gzip.open(BBC, "rt", encoding="utf-8") as f:
    for i, line in enumerate(f):
        d = json.loads(line)
        if i < 300:
            ARCHIVE[d["id"] + ".txt"] = d["text"]
        elif i >= 1000:
            OUTSIDE.append(d["text"])

QUOTES = dict.fromkeys(map(ord, "\"'“”„‟«»‹›‘’‚‛′″`´"), '"')
QUOTES.update({ord("’"): "'", ord("‘"): "'", ord("‚"): "'", ord("‛"): "'",
               ord("'"): "'", ord("`"): "'", ord("´"): "'", ord("′"): "'"})
DASHES = dict.fromkeys(map(ord, "‐‑‒–—―−"), "-")
ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")


def norm(s):
    s = unicodedata.normalize("NFC", s)
    s = s.translate(QUOTES).translate(DASHES)
    s = re.sub(r"\s+", " ", s.replace("\xa0", " "))
    return s.strip().casefold()


def norm_dash_free(s):
    """Normalise and also drop spacing differences around dashes."""
    return re.sub(r"\s*-\s*", "-", norm(s))


NARCH = {k: norm_dash_free(v) for k, v in ARCHIVE.items()}


def paragraphs(text):
    return [l for l in text.split("\n") if l.strip()]


def in_order(pieces, hay):
    pos = 0
    for p in pieces:
        if not p:
            continue
        i = hay.find(p, pos)
        if i < 0:
            return False
        pos = i + len(p)
    return True


def words(s):
    return re.findall(r"\w+", s.casefold())


def contains_words(hay, ws):
    hw = words(hay)
    n = len(ws)
    return n == 0 or any(hw[i:i + n] == [w.casefold() for w in ws] for i in range(len(hw) - n + 1))


def main():
    errors, counts, ids = [], {}, set()
    with open(PATH, encoding="utf-8") as f:
        lines = [l for l in f if l.strip()]
    for n, line in enumerate(lines, 1):
        try:
            c = json.loads(line)
        except ValueError as e:
            errors.append("line %d: bad JSON (%s)" % (n, e))
            continue
        cid = c.get("id", "line %d" % n)

        def err(msg):
            errors.append("{} [{}]: {}".format(cid, c.get("kind"), msg))

        for k in ("id", "quote", "label", "kind", "source", "passage"):
            if k not in c:
                err("missing field " + k)
        if cid in ids:
            err("duplicate id")
        ids.add(cid)
        label, kind, quote = c.get("label"), c.get("kind", ""), c.get("quote") or ""
        counts[kind] = counts.get(kind, 0) + 1
        if label not in LABELS or not kind.startswith(label + "-"):
            err("label/kind mismatch")
        if not quote.strip():
            err("empty quote")
        src, passage = c.get("source"), c.get("passage")
        if label == "not_found":
            if src is not None or passage is not None:
                err("not_found must have null source and passage")
        else:
            if src not in ARCHIVE:
                err(f"unknown source {src!r}")
                continue
            if not passage:
                err("missing passage")
                continue
            ps, pp = paragraphs(ARCHIVE[src]), passage.split("\n")
            if not 1 <= len(pp) <= 4:
                err("passage has %d paragraphs" % len(pp))
            if not any(ps[i:i + len(pp)] == pp for i in range(len(ps))):
                err(f"passage is not consecutive paragraphs of {src}")
        if label == "contradicted":
            # stored as bench/verify_quality.py reads it: [["quote words", "archive words"]]
            rev = [side.split() for side in c["reversed"][0]] if c.get("reversed") else None
            ok = (isinstance(rev, list) and len(rev) == 2 and all(isinstance(x, list) for x in rev)
                  and (rev[0] or rev[1]))
            if not ok:
                err(f"bad reversed {rev!r}")
            else:
                if not contains_words(quote, rev[0]):
                    err(f"reversed quote words {rev[0]!r} not in quote")
                if passage and not contains_words(passage, rev[1]):
                    err(f"reversed archive words {rev[1]!r} not in passage")
        elif "reversed" in c:
            err("reversed only for contradicted")

        if label == "verbatim":
            pieces = [norm_dash_free(p) for p in ELLIPSIS.split(quote)]
            if not in_order(pieces, norm_dash_free(passage or "")):
                err("verbatim quote not found in order in passage")
        else:
            nq = norm_dash_free(quote)
            hits = [k for k, v in NARCH.items() if nq in v]
            if hits:
                err(f"quote occurs verbatim in archive: {hits}")
            if label in ("altered", "contradicted") and passage and nq in norm_dash_free(passage):
                err("quote occurs verbatim in its passage")
            if kind == "not_found-outside" and not any(nq in norm_dash_free(t) for t in OUTSIDE):
                err("outside quote not found in BBC lines >= 1000")

    for k in sorted(counts):
        print("%-32s %3d" % (k, counts[k]))
    print("total", sum(counts.values()))
    if errors:
        print("\n%d problem(s):" % len(errors))
        for e in errors:
            print("  " + e)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
