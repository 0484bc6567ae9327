"""The quote checker: does the archive hold a quote verbatim, altered, or not at all?

* verbatim: the quote's words stand in one passage (or two adjacent ones) in order,
  whatever the quote marks, dashes, spacing and case; an ellipsis stands for left-out
  words;
* altered: the archive holds the statement the quote stands for, misquoted: most of the
  quote's content words (by weight: rare words count more than names every article
  has) are in the passage, in any order and any form (another inflection, another
  spelling of a name, an alias: KTMT for CSTO), and no negation was added or dropped;
* not_found: anything else. Sharing a few names and topic words is not a statement.

The matches keep the archived text exactly as published; :func:`diff` says word by word
which side (quote or archive) has what.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

from core import data as shipped
from core.aliases import Variant
from core.analysis import WORD, common_words, fold, stem
from core.names import looks_like_name, name_key
from core.records import Document, Passage

VERBATIM, ALTERED, NOT_FOUND = "verbatim", "altered", "not_found"
# Share of the quote's content words (by weight) an altered quote's passage must hold.
ALTERED_SHARE = 0.75
MIN_CONTENT_WORDS = 3  # fewer content words than this cannot be told from chance
# The quote's words must stand within this many times its length (and at least
# MIN_STRETCH words) of each other in the archive.
SPREAD, MIN_STRETCH = 1.5, 12
# Alike enough to be the same statement reported twice (a word or two changed).
SAME_STATEMENT = 0.8
NEGATIONS = frozenset({"not", "no", "never", "nobody", "none", "nothing", "neither", "nor",
                       "t", "cannot", "не", "нет", "никогда", "deyil", "yox"})
_SENTENCE_END = re.compile(r"[.!?]")
_ELLIPSIS = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|…|\.{3}")
# Quoted speech inside a paragraph, six words or more.
_QUOTATION = re.compile(r'[“"«„]([^“”"«»„]{30,}?)[”"»“]')
Weight = Callable[[str], float]


@dataclasses.dataclass(frozen=True)
class Match:
    doc: Document
    passages: tuple[Passage, ...]  # one, or two adjacent ones for a quote that spans them
    similarity: float
    exact: bool

    @property
    def passage(self) -> Passage:
        return self.passages[0]

    @property
    def text(self) -> str:
        """The archived text, exactly as published."""
        return self.doc.text[self.passages[0].start : self.passages[-1].end]


@dataclasses.dataclass(frozen=True)
class Check:
    """A quote's verdict, the passages that carry it (best first), and when it is not
    found the nearest passages, which do not say it."""

    quote: str
    verdict: str
    matches: tuple[Match, ...]
    nearest: tuple[Match, ...] = ()


@functools.cache
def opposites() -> tuple[tuple[str, str], ...]:
    """Pairs of stems that reverse a statement (``data/opposites.toml``), both ways."""
    data = shipped.toml("opposites.toml")
    pairs = [(stem(fold(a)), stem(fold(b))) for a, b in data["pairs"]]
    return tuple(pairs + [(b, a) for a, b in pairs])


def words(text: str) -> list[str]:
    """Folded words: quote-mark style, dashes, spacing and case no longer count."""
    return [fold(w) for w in WORD.findall(unicodedata.normalize("NFKC", text))]


def segments(quote: str) -> list[list[str]]:
    """The quote's runs of words between ellipses (which stand for left-out words)."""
    return [w for w in (words(part) for part in _ELLIPSIS.split(quote)) if w]


def quotations(text: str) -> list[str]:
    """The quoted statements inside ``text`` (long enough to be worth tracing)."""
    return [q for q in _QUOTATION.findall(text) if len(q.split()) >= 6]


# What is left of "don't", "didn't", "can't"... once "'t" is cut off: no content of its own.
_CONTRACTED = frozenset({"don", "doesn", "didn", "isn", "aren", "wasn", "weren", "hasn",
                         "haven", "hadn", "wouldn", "couldn", "shouldn", "ain"})


def content_words(quote: str) -> list[str]:
    """The quote's words as typed, less the commonest words of its language."""
    common = common_words() | _CONTRACTED
    # Numbers are content only as years: "in 2019" says something, "3" rarely alone.
    return [w for w in WORD.findall(unicodedata.normalize("NFKC", quote))
            if (fold(w) not in common and not w.isdigit()) or (w.isdigit() and len(w) == 4)]


class Concepts:
    """What a word stands for, whatever its form: its stem, its name key if it is
    written as a name, and its alias group (CSTO, KTMT and ОДКБ are one)."""

    def __init__(self, groups: Iterable[list[Variant]]):
        self.exact: dict[str, int] = {}
        self.prefixes: list[tuple[str, int]] = []
        for number, group in enumerate(groups):
            for variant in group:
                if len(variant.words) == 1:
                    if variant.prefix:
                        self.prefixes.append((variant.words[0], number))
                    else:
                        self.exact[variant.words[0]] = number
        self._known: dict[str, frozenset[str]] = {}

    def of(self, word: str) -> frozenset[str]:
        found = self._known.get(word)
        if found is None:
            folded = fold(word)
            keys = {"s:" + stem(folded)}
            if looks_like_name(word) and (key := name_key(word)):
                keys.add("n:" + key)
            group = self.exact.get(folded)
            if group is None:
                group = next((n for prefix, n in self.prefixes if folded.startswith(prefix)), None)
            if group is not None:
                keys.add(f"a:{group}")
            found = self._known[word] = frozenset(keys)
        return found


def judge(quote: str, documents: list[Document], concepts: Concepts, weight: Weight,
          limit: int = 5) -> Check:
    """The verdict on ``quote`` over the passages of ``documents``."""
    parts = segments(quote)
    wanted = [(concepts.of(w), weight(fold(w))) for w in content_words(quote)]
    negated = bool(NEGATIONS & {w for part in parts for w in part})
    found: list[Match] = []
    for doc in documents:
        for window in _windows(doc):
            found.append(_compare(parts, wanted, negated, doc, window, concepts))
    found.sort(key=lambda m: (not m.exact, -m.similarity, m.doc.metadata.date or "9999",
                              len(m.passages)))
    found = _distinct(found)
    exact = [m for m in found if m.exact]
    if exact:
        return Check(quote, VERBATIM, tuple(exact[:limit]))
    altered = [m for m in found if m.similarity >= ALTERED_SHARE] if len(wanted) >= MIN_CONTENT_WORDS else []
    if altered:
        return Check(quote, ALTERED, tuple(altered[:limit]))
    return Check(quote, NOT_FOUND, (), tuple(m for m in found[:3] if m.similarity > 0))


def _windows(doc: Document) -> Iterable[tuple[Passage, ...]]:
    for i, passage in enumerate(doc.passages):
        yield (passage,)
        if i + 1 < len(doc.passages):
            yield (passage, doc.passages[i + 1])


def _compare(parts, wanted, negated: bool, doc: Document, window: tuple[Passage, ...],
             concepts: Concepts) -> Match:
    text = doc.text[window[0].start : window[-1].end]
    target = words(text)
    if parts and _in_order(parts, target):
        return Match(doc, window, 1.0, True)
    quoted = [w for p in parts for w in p]
    covered = _stretch_coverage(wanted, [concepts.of(w) for w in WORD.findall(text)],
                                max(MIN_STRETCH, round(SPREAD * len(quoted))))
    stretch = set(_stretch(quoted, target))
    if negated != bool(NEGATIONS & stretch) or _reversed(quoted, stretch):
        covered = min(covered, ALTERED_SHARE - 0.01)  # "did not" for "did" is another statement
    return Match(doc, window, round(covered, 4), False)


def _stretch_coverage(wanted: list[tuple[frozenset[str], float]], tokens: list[frozenset[str]],
                      width: int) -> float:
    """The largest share (by weight) of the quote's content words found together within
    ``width`` words of the text: a statement's words stand close, while words scattered
    over a long paragraph say nothing together."""
    total = sum(w for _, w in wanted) or 1.0
    hits = [[i for i, (keys, _) in enumerate(wanted) if keys & token] for token in tokens]
    present = [0] * len(wanted)
    share = best = 0.0
    for end, found in enumerate(hits):
        for i in found:
            if not present[i]:
                share += wanted[i][1]
            present[i] += 1
        if end >= width:
            for i in hits[end - width]:
                present[i] -= 1
                if not present[i]:
                    share -= wanted[i][1]
        best = max(best, share)
    return best / total


def _reversed(quoted: list[str], stretch: set[str]) -> bool:
    """Whether the quote puts a word where the archive has its opposite ("admitted" where
    it says "denied"): the same words then make another statement."""
    said = {stem(w) for w in quoted}
    archived = {stem(w) for w in stretch}
    return any(a in said and b in archived and b not in said and a not in archived
               for a, b in opposites())


def _distinct(matches: list[Match]) -> list[Match]:
    """Best first, each passage once (a pair is left out when its first passage alone
    carries the quote as well)."""
    seen: set[str] = set()
    kept = []
    for m in matches:
        ids = {p.passage_id for p in m.passages}
        if ids & seen:
            continue
        seen |= ids
        kept.append(m)
    return kept


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


def _stretch(quote: list[str], archived: list[str]) -> list[str]:
    start, stop = _window(quote, archived)
    return archived[start:stop]


def diff(quote: str, archived: str) -> list[tuple[str, str]]:
    """Word by word: ("=", in both), ("-", in the quote only), ("+", in the archive only),
    ("~", archive text before or after the stretch the quote stands for). Archive pieces
    are the archived text as published, punctuation and spacing included: joined, the
    "=", "+" and "~" pieces give back ``archived`` exactly."""
    a = list(WORD.finditer(quote))
    b = list(WORD.finditer(archived))
    fa, fb = [fold(m.group()) for m in a], [fold(m.group()) for m in b]
    ends = {k for k in range(len(b) - 1) if _SENTENCE_END.search(archived[b[k].end() : b[k + 1].start()])}
    start, stop = _window(fa, fb, ends)

    def piece(i: int, j: int) -> str:  # archive words i..j with what follows them
        first = 0 if i == 0 else b[i].start()
        last = len(archived) if j >= len(b) else b[j].start()
        return archived[first:last]

    out: list[tuple[str, str]] = [("~", piece(0, start))] if start else []
    matcher = difflib.SequenceMatcher(None, fa, fb[start:stop], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", piece(start + j1, start + j2)))
            continue
        if i2 > i1:
            out.append(("-", quote[a[i1].start() : a[i2 - 1].end()]))
        if j2 > j1:
            out.append(("+", piece(start + j1, start + j2)))
    if stop < len(b):
        out.append(("~", piece(stop, len(b))))
    return out


def _window(quote: list[str], archived: list[str], ends: frozenset[int] | set[int] = frozenset()
            ) -> tuple[int, int]:
    """The stretch of ``archived`` the quote stands for: from its first to its last run of
    two or more shared words, widened by the quote's words outside those runs, but not
    across the end of a sentence (``ends``: word numbers a sentence ends after)."""
    blocks = [m for m in difflib.SequenceMatcher(None, quote, archived, autojunk=False)
              .get_matching_blocks() if m.size >= min(2, len(quote))]
    if not blocks:
        return 0, len(archived)
    first, last = blocks[0], blocks[-1]
    start = max(0, first.b - first.a)
    while start < first.b and any(k in ends for k in range(start, first.b)):
        start += 1
    stop = min(len(archived), last.b + last.size + (len(quote) - last.a - last.size))
    while stop > last.b + last.size and any(k in ends for k in range(last.b + last.size - 1, stop - 1)):
        stop -= 1
    return start, stop
