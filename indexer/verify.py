"""The quote checker: is a quote verbatim in the archive, altered, or not there?

Candidates come from the index (documents sharing the quote's rarer words); each of
their passages is then aligned word by word with the quote.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata

from .analysis import fold
from .records import Document, Passage

_ELLIPSIS = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|…|\.{3}")
_WORDS = re.compile(r"\w+")
MIN_SIMILARITY = 0.5
# Alike enough to be the same statement reported twice (a word or two changed).
SAME_STATEMENT = 0.8
# Quoted speech inside a paragraph, six words or more.
_QUOTATION = re.compile(r'[“"«„]([^“”"«»„]{30,}?)[”"»“]')


@dataclasses.dataclass(frozen=True)
class Match:
    doc: Document
    passage: Passage
    similarity: float
    exact: bool

    @property
    def text(self) -> str:
        return self.doc.passage_text(self.passage)


def words(text: str) -> list[str]:
    """Folded words: quote-mark style, dashes, spacing and case no longer count."""
    return [fold(w) for w in _WORDS.findall(unicodedata.normalize("NFKC", text))]


def segments(quote: str) -> list[list[str]]:
    """The quote's runs of words between ellipses (which stand for left-out words)."""
    return [w for w in (words(part) for part in _ELLIPSIS.split(quote)) if w]


def quotations(text: str) -> list[str]:
    """The quoted statements inside ``text`` (long enough to be worth tracing)."""
    return [q for q in _QUOTATION.findall(text) if len(q.split()) >= 6]


def query_words(quote: str, limit: int = 12) -> list[str]:
    """The longest distinct words of the quote: rare enough to find candidates."""
    distinct = list(dict.fromkeys(w for part in segments(quote) for w in part))
    return sorted(distinct, key=len, reverse=True)[:limit]


def compare(quote: str, doc: Document, passage: Passage) -> Match:
    """How closely ``passage`` carries ``quote``."""
    parts = segments(quote)
    target = words(doc.passage_text(passage))
    exact = bool(parts) and _in_order(parts, target)
    flat = [w for part in parts for w in part]
    if exact:
        similarity = 1.0
    else:
        matcher = difflib.SequenceMatcher(None, flat, target, autojunk=False)
        # Single shared words ("the", "and") are chance, not quotation: count runs of two+.
        matched = sum(b.size for b in matcher.get_matching_blocks() if b.size >= min(2, len(flat)))
        similarity = matched / max(1, len(flat))
    return Match(doc, passage, round(similarity, 4), exact)


def _in_order(parts: list[list[str]], target: list[str]) -> bool:
    position = 0
    for part in parts:
        found = _find(target, part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def _find(haystack: list[str], needle: list[str], start: int) -> int:
    n = len(needle)
    for i in range(start, len(haystack) - n + 1):
        if haystack[i : i + n] == needle:
            return i
    return -1


def best_matches(quote: str, documents: list[Document], limit: int = 5) -> list[Match]:
    """The passages of ``documents`` that best carry ``quote``, best first."""
    quoted = [w for part in segments(quote) for w in part]
    # Similarity can be no higher than the share of the quote's words a passage has: a
    # set look-up spares the word alignment for passages that cannot qualify.
    found = [compare(quote, doc, p) for doc in documents for p in doc.passages
             if _could_match(quoted, set(words(doc.passage_text(p))))]
    found = [m for m in found if m.exact or m.similarity >= MIN_SIMILARITY]
    found.sort(key=lambda m: (not m.exact, -m.similarity, m.doc.metadata.date or "9999"))
    return found[:limit]


def _could_match(quoted: list[str], passage_words: set[str]) -> bool:
    return sum(w in passage_words for w in quoted) >= MIN_SIMILARITY * len(quoted)


def diff(quote: str, archived: str) -> list[tuple[str, str]]:
    """Word-level differences: ("=", w), ("-", quoted only), ("+", archived only), and
    ("~", archived words before or after the stretch the quote stands for)."""
    a, b = _WORDS.findall(quote), _WORDS.findall(archived)
    fa, fb = [fold(w) for w in a], [fold(w) for w in b]
    start, stop = _window(fa, fb)
    out: list[tuple[str, str]] = [("~", " ".join(b[:start]))] if start else []
    matcher = difflib.SequenceMatcher(None, fa, fb[start:stop], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(b[start + j1 : start + j2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[start + j1 : start + j2])))
    if stop < len(b):
        out.append(("~", " ".join(b[stop:])))
    return out


def _window(quote: list[str], archived: list[str]) -> tuple[int, int]:
    """The stretch of ``archived`` the quote stands for: from its first to its last run of
    two or more shared words, widened by the quote's words outside those runs."""
    blocks = [m for m in difflib.SequenceMatcher(None, quote, archived, autojunk=False)
              .get_matching_blocks() if m.size >= min(2, len(quote))]
    if not blocks:
        return 0, len(archived)
    first, last = blocks[0], blocks[-1]
    start = max(0, first.b - first.a)
    stop = min(len(archived), last.b + last.size + (len(quote) - last.a - last.size))
    return start, stop
