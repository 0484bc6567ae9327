"""The quote checker: does the archive hold a quote verbatim, altered, contradicted, or
not at all?

* verbatim: the quote's words stand in order in one passage or any number of consecutive
  ones, whatever the quote marks, dashes, spacing and case; an ellipsis stands for
  left-out words (within a passage or across into the next);
* contradicted: the archive holds the statement with its meaning reversed: a negation
  added or dropped, an opposite swapped in (read word by word where it stands, by
  :mod:`polarity`);
* altered: the archive holds the statement the quote stands for, misquoted: most of the
  quote's content words (by weight: rare words count more than names every article
  has) are in the passage, in any order and any form (another inflection, another
  spelling of a name, an alias: KTMT for CSTO), or the passage keeps the quote's
  wording with a few words changed (synonyms); the passage holds every clause of the
  quote (or keeps its wording: one word of a two-word clause may be the one changed);
  and nothing reverses it;
* not_found: anything else. Sharing a few names and topic words is not a statement, and
  a quote stitched from two articles is not held by either (nor a reversal of a third
  where the words it seems to reverse stand word for word in one of them: :mod:`stitching`).

A quote that is not verbatim and longer than MAX_WORDS is refused with that reason
(:class:`QuoteTooLong`), never judged on part of it. The matches keep the archived text
exactly as published; :func:`diff` says word by word which side has what.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator

from core.analysis import WORD, fold
from core.records import Document, Passage
from search import coverage, negation, polarity, senses, stitching, wording
from search.alignment import diff
from search.concepts import Concepts
from search.polarity import Reversal
from search.wording import closes_sentence, content_words, is_content, quotations, segments, tokens, words

__all__ = ["Check", "Concepts", "Match", "QuoteTooLong", "Reversal", "content_words", "diff",
           "judge", "quotations", "segments", "words"]

VERBATIM, ALTERED, CONTRADICTED, NOT_FOUND = "verbatim", "altered", "contradicted", "not_found"
VERDICTS = (VERBATIM, ALTERED, CONTRADICTED, NOT_FOUND)
# Share of the quote's content words (by weight) an altered quote's passage must hold.
ALTERED_SHARE = 0.75
MIN_CONTENT_WORDS = 3  # fewer content words than this cannot be told from chance
# A quote with fewer content words than this says what it says by their order ("Rosneft
# sued Yukos" is not "Yukos sued Rosneft"): its words must stand in that order.
ORDERED_BELOW = 4
# The quote's words must stand within this many times its length (and at least
# MIN_STRETCH words) of each other in the archive.
SPREAD, MIN_STRETCH = 1.5, 12
# A passage that keeps the quote's wording (this share of its words in the archive's order,
# clause by clause) holds its statement with fewer of its content words: synonyms.
KEPT_WORDING, KEPT_WORDING_SHARE = 0.8, 0.5
# A sentence of the quote must stand in this many sentences of the archive in a row.
JOINED = 2
# Alike enough to be the same statement reported twice (a word or two changed).
SAME_STATEMENT = 0.8
# An ellipsis standing for a negation among this many words has dropped it ("will …
# reconcile" for "will not reconcile"); one for a longer stretch leaves out a passage.
DROPPED_WORDS = 3
# Whole passages an ellipsis may leave out between two parts of a quote (they are shown).
SKIPPED_PASSAGES, SKIPPED_PIECE = 3, 6  # the pieces on either side: at least 6 words
# The longest quote compared word by word (about eight long paragraphs); a longer one is
# still found verbatim, or refused with that reason.
MAX_WORDS = 1500
Weight = Callable[[str], float]


class QuoteTooLong(ValueError):
    """The quote is not verbatim in the archive and too long to compare word by word."""


@dataclasses.dataclass(frozen=True)
class Match:
    doc: Document
    passages: tuple[Passage, ...]  # consecutive passages the quote stands in
    similarity: float
    exact: bool
    reversed: tuple[Reversal, ...] = ()  # what the quote says the opposite of
    holds: bool = False  # the passage holds the quote's statement (verbatim, altered, reversed)
    aligned: float = 0.0  # share of the quote's words standing in the passage's order
    cut: bool = False  # word for word, but the quote ends a sentence the archive goes on with
    dropped: bool = False  # word for word, but an ellipsis stands for a negation
    skipped: bool = False  # word for word, but an ellipsis stands for whole passages

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


def judge(quote: str, documents: list[Document], concepts: Concepts, weight: Weight,
          limit: int = 5) -> Check:
    """The verdict on ``quote`` over the passages of ``documents``."""
    parts = segments(quote)
    closes = closes_sentence(quote)
    exact = sorted((m for doc in documents for m in _verbatim(quote, parts, doc, closes)),
                   key=lambda m: (not m.exact, m.doc.metadata.date or "9999", len(m.passages)))
    clean = [m for m in exact if not m.reversed]
    if exact and not clean:  # "will … reconcile" for "will not reconcile", in every article
        return Check(quote, CONTRADICTED, tuple(_distinct(exact)[:limit]))
    exact = clean
    if exact:
        # A quote that puts a full stop where the archive's sentence goes on ("... to an
        # ally." for "... to an ally, while continuing to wield influence") has dropped
        # the end of a statement, and one whose ellipsis stands for a "not" has dropped
        # the negation ("and … only in Kazakhstan"): altered, with what was left out shown.
        verdict = VERBATIM if exact[0].exact else ALTERED
        return Check(quote, verdict, tuple(_distinct(exact)[:limit]))
    size = sum(map(len, parts))
    if size > MAX_WORDS:
        raise QuoteTooLong(f"The quote has {size:,} words and is not in the archive word for "
                           f"word; a quote that is not is compared word by word up to "
                           f"{MAX_WORDS:,} words. Check it a few paragraphs at a time.")
    said = tokens(quote)

    def wanted(units: list[list[int]]) -> list[coverage.Wanted]:
        return [[(concepts.of(said[k].raw, True) | {"s:" + said[k].key}, weight(said[k].word))
                 for k in unit if is_content(said[k].raw)] for unit in units]
    want = _Wanted(quote, wanted([list(range(len(said)))])[0],
                   wanted(polarity.clauses(quote, said)), wanted(wording.sentences(quote, said)),
                   frozenset(t.key for t in said) & senses.phrase_groups(),
                   max(MIN_STRETCH, round(SPREAD * size)))
    found = [_compare(want, doc, window, concepts)
             for doc in documents for window in _windows(doc, size)]
    # Between passages that hold as much of the quote, the one worded most like it is the
    # statement quoted: "GDP rose by 0.1% in 2004" reverses "GDP fell by 0.1% in 2004",
    # though another article's "growth accelerated in 2004 ... GDP rose by 0.8%" has its words.
    found.sort(key=lambda m: (not m.holds, -m.similarity, -m.aligned, bool(m.reversed),
                              m.doc.metadata.date or "9999", len(m.passages)))
    found = _distinct(found)
    held = [m for m in found if m.holds] if len(want.words) >= MIN_CONTENT_WORDS else []
    if held and held[0].reversed and stitching.said_elsewhere(
            quote, held[0].reversed, documents, {p.passage_id for p in held[0].passages}):
        # The "reversed" words are another article's own: a stitched quote.
        held = [m for m in held if not m.reversed]
    if held:
        reversed_ = bool(held[0].reversed)
        same = [m for m in held if bool(m.reversed) == reversed_]
        return Check(quote, CONTRADICTED if reversed_ else ALTERED, tuple(same[:limit]))
    return Check(quote, NOT_FOUND, (), tuple(m for m in found[:3] if m.similarity > 0))


@dataclasses.dataclass(frozen=True)
class _Wanted:
    """What a passage must hold of a quote: its content words (concepts, weight), the same
    clause by clause and sentence by sentence, and how close together they must stand."""

    quote: str
    words: coverage.Wanted
    clauses: list[coverage.Wanted]
    sentences: list[coverage.Wanted]
    groups: frozenset[str]  # the synonym groups it has that have phrases (:mod:`senses`)
    width: int


def _verbatim(quote: str, parts: list[list[str]], doc: Document, ends: bool = False
              ) -> Iterator[Match]:
    """Each place ``doc`` holds the quote's words in order: each part (between ellipses)
    word for word, a part starting in the passage the one before ended in, or the next
    (or, leaving out whole passages, a few passages on: not ``exact``). When the quote
    ``ends`` a sentence, a place where the archive's sentence goes on is marked ``cut``;
    where an ellipsis leaves out a negation, what that reverses is read."""
    if not parts:
        return
    stream = [(fold(w.group()), n, w.end()) for n, p in enumerate(doc.passages)
              for w in WORD.finditer(doc.text, p.start, p.end)]
    folded = [w for w, _, _ in stream]
    denials = negation.lexicon().strong
    start = _find(folded, parts[0], 0)
    while start >= 0:
        end, left_out, skipped = _follow(parts, folded, stream, start)
        if end is None:
            start = _find(folded, parts[0], start + 1)
            continue
        first, last = stream[start][1], stream[end - 1][1]
        cut = ends and wording.goes_on(doc.text[stream[end - 1][2] : doc.passages[last].end])
        denying = [gap for gap in left_out if denials & set(gap)]
        dropped = any(len(gap) <= DROPPED_WORDS for gap in denying)
        match = Match(doc, tuple(doc.passages[first : last + 1]), 1.0,
                      not (cut or dropped or skipped), holds=True, cut=cut, dropped=dropped,
                      skipped=skipped)
        if denying and (turned := polarity.read(quote, match.text).reversed):
            match = dataclasses.replace(match, exact=False, reversed=turned)
        yield match
        start = _find(folded, parts[0], end)


def _follow(parts, folded: list[str], stream: list[tuple[str, int, int]], start: int
            ) -> tuple[int | None, list[list[str]], bool]:
    """Where the quote ends when its first part stands at ``start`` (None: it does not),
    the words each ellipsis stands for, and whether one leaves out whole passages
    (altered: the words are the archive's, their paragraphs apart)."""
    end, left_out, skipped = start + len(parts[0]), [], False
    for before, part in zip(parts, parts[1:], strict=False):
        found = _find(folded, part, end)
        apart = max(0, stream[found][1] - stream[end - 1][1] - 1) if found >= 0 else 0
        # Paragraphs apart, short pieces are names and attributions, not a statement.
        if found < 0 or apart > SKIPPED_PASSAGES or (
                apart and min(len(before), len(part)) < SKIPPED_PIECE):
            return None, [], False
        skipped |= apart > 0
        left_out.append(folded[end:found])
        end = found + len(part)
    return end, left_out, skipped


def _find(haystack: list[str], needle: list[str], start: int) -> int:
    n = len(needle)
    for i in range(start, len(haystack) - n + 1):
        if haystack[i] == needle[0] and haystack[i : i + n] == needle:
            return i
    return -1


def _windows(doc: Document, size: int) -> Iterable[tuple[Passage, ...]]:
    """Runs of consecutive passages: each passage, each pair, and longer runs while they
    hold fewer words than the quote."""
    counts = [len(WORD.findall(doc.text[p.start : p.end])) for p in doc.passages]
    for i in range(len(doc.passages)):
        held = 0
        for j in range(i, len(doc.passages)):
            yield tuple(doc.passages[i : j + 1])
            held += counts[j]
            if j > i and held >= size:
                break


def _compare(want: _Wanted, doc: Document, window: tuple[Passage, ...], concepts: Concepts
             ) -> Match:
    """How much of the quote the window holds, and whether it holds the statement: most
    of its content words together, or its wording kept with a few words changed, and
    every clause of it (a quote stitched from two articles holds one half here)."""
    text = doc.text[window[0].start : window[-1].end]
    found = WORD.findall(text)
    keys = [concepts.of(w) for w in found]
    if want.groups:  # "pulled out" in the archive holds the quote's "withdrew"
        for k, group in senses.phrase_keys(list(map(fold, found)), want.groups).items():
            keys[k] = keys[k] | {"s:" + group}
    covered = coverage.stretch_coverage(want.words, keys, want.width)
    if len(want.words) < ORDERED_BELOW and covered >= ALTERED_SHARE:
        covered = min(covered, coverage.ordered_coverage(want.words, keys, want.width))
    if covered >= KEPT_WORDING_SHARE:
        ends = wording.sentence_ends(text, [m.span() for m in WORD.finditer(text)])
        covered = min(covered, coverage.sentence_coverage(want.sentences, keys, ends, JOINED))
    if covered < KEPT_WORDING_SHARE:
        return Match(doc, window, round(covered, 4), False)
    reading = polarity.read(want.quote, text)
    # Kept wording may have changed one word of a short clause ("His verdict was simple:"
    # for "His conclusion was simple:"), not a clause from another article.
    kept = reading.aligned >= KEPT_WORDING
    if not ((kept or covered >= ALTERED_SHARE)
            and coverage.every_clause(want.clauses, keys, spare=int(kept))):
        return Match(doc, window, round(covered, 4), False)
    return Match(doc, window, round(covered, 4), False, reading.reversed, True,
                 round(reading.aligned, 4))


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
