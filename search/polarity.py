"""Reversals: where a quote says the opposite of the archive it otherwise follows.

Each clause of the quote is aligned word by word with the stretch of the archive it
stands for (:mod:`alignment`); what reverses it is then read where it stands:

* a negation on one side only, in a short gap of the alignment or right against an
  aligned word (an unrelated "not" elsewhere in the passage is aligned or far away, and
  cancels nothing; a long dropped clause with a "not" in it reverses nothing);
* a word aligned with its opposite (``data/opposites.toml``, or a prefix: legal /
  illegal), or an Azerbaijani verb aligned with its -ma/-mə form (olub / olmayıb).

Two negations in one clause cancel ("did not make" for "never made"), and so do a
negation and an opposite ("I consider it wrong" for "I do not consider it right");
words that say "not" in other words ("unlikely", "refused") only ever cancel. Two
opposites do not cancel each other: each reverses a statement.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

from core.analysis import common_words
from search import alignment
from search.negation import clauses, lexicon, negation_kinds
from search.opposites import opposed, turkic_keys, turkic_negated
from search.wording import Token, sentence_ends, tokens

SHORT_GAP = 3  # a gap this short is one changed phrase: any negation in it counts
# A negation one word before the aligned word bears on it ("do not consider | it right"),
# and two when the second leads into a clause ("did not mean that | the firms admitted").
_INTO_CLAUSE = frozenset({"that", "whether", "if", "to"})
JOINED = 2  # words a second archive sentence must add to be read with the first
_TURKIC = re.compile("[əƏı]")
# Words that lead to the word a negation bears on ("not a member"): shown with it.
_LEADING = frozenset({"a", "an", "the", "to", "of", "be", "been", "any"})
_PAUSE = re.compile(r"[,;:.!?()—–]")


@dataclasses.dataclass(frozen=True)
class Reversal:
    """What the quote says (``quote``) where the archive says the opposite (``archive``,
    standing at ``start``..``end`` of the archived text)."""

    quote: str
    archive: str
    start: int
    end: int


@dataclasses.dataclass(frozen=True)
class Reading:
    """A quote read against an archived text: what it reverses, and the share of its
    words that stand in the archive's order, clause by clause (a few synonyms apart, a
    quote that keeps the archive's wording word for word is the archive's statement)."""

    reversed: tuple[Reversal, ...]
    aligned: float


def read(quote: str, archived: str) -> Reading:
    """``quote`` word by word against ``archived``."""
    said, there = tokens(quote), tokens(archived)
    if not said or not there:
        return Reading((), 0.0)
    turkic = bool(_TURKIC.search(quote))
    if turkic:  # Azerbaijani: "qanunsuz" stands for "qanunsuzdur"
        said, there = turkic_keys(said), turkic_keys(there)
    ends = sentence_ends(archived, [(t.start, t.end) for t in there])
    sentences = _sentences(ends, len(there))
    keys = [t.key for t in there]
    found: list[Reversal] = []
    aligned = 0
    for unit in clauses(quote, said):
        words = [said[k] for k in unit]
        start, stop = _locate([t.key for t in words], keys, sentences)
        reversed_, held = _clause(words, there[start:stop], (quote, archived), turkic)
        found += reversed_
        aligned += held
    return Reading(tuple(found), aligned / len(said))


def _sentences(ends: set[int], size: int) -> list[tuple[int, int]]:
    """The archive's sentences as (first word, word after the last)."""
    starts = [0] + sorted(k + 1 for k in ends)
    return list(zip(starts, starts[1:] + [size], strict=True))


def _locate(clause: list[str], keys: list[str], sentences: list[tuple[int, int]]
            ) -> tuple[int, int]:
    """The archive sentence (or two in a row) sharing most words in order with a clause:
    a clause is read against its own sentence, never against a "not" of the one before."""
    best, where = -1, (0, 0)
    for n, (start, _) in enumerate(sentences):
        for extra, last in enumerate(sentences[n : n + 2]):
            region = keys[start : last[1]]
            shared = sum(b.size for b in difflib.SequenceMatcher(
                None, clause, region, autojunk=False).get_matching_blocks())
            shared -= extra * JOINED  # a second sentence must bring words of its own
            if shared > best:
                best, where = shared, (start, last[1])
    return where


@dataclasses.dataclass(frozen=True)
class _Event:
    gap: alignment.Gap
    said: int | None  # the quote's word that reverses (None: the archive has it alone)
    there: int | None
    kind: str  # "opposite", "strong" or "weak"


def _clause(said: list[Token], there: list[Token], texts: tuple[str, str], turkic: bool
            ) -> tuple[list[Reversal], int]:
    """The reversals of one clause against the stretch of the archive it stands for, and
    how many of its words are aligned there (``texts``: the quote's and the archive's)."""
    gaps, aligned = alignment.align([t.key for t in said], [t.key for t in there])
    pauses = tuple(sentence_ends(text, [(t.start, t.end) for t in toks], _PAUSE)
                   for text, toks in zip(texts, (said, there), strict=True))
    events: list[_Event] = []
    for gap in gaps:
        if gap.before is not None or gap.after is not None:
            events += _events(gap, said, there, pauses, turkic)
    aligned |= {e.said for e in events if e.there is not None}  # aligned with its opposite
    kinds, lex = negation_kinds(said), lexicon()
    content = [k for k, t in enumerate(said)
               if t.word not in common_words() | lex.auxiliaries and not kinds[k]]
    there_keys = {t.key for t in there}
    held = aligned | {k for k in content if said[k].key in there_keys}  # in order or not
    if len(held.intersection(content)) * 2 < len(content):
        return [], len(aligned)  # the clause is not in this stretch: it reverses nothing there
    return [_named(e, said, there) for e in _uncancelled(events)], len(aligned)


def _events(gap: alignment.Gap, said: list[Token], there: list[Token],
            pauses: tuple[set[int], set[int]], turkic: bool) -> list[_Event]:
    """What reverses in one gap: opposites aligned, then negations where they bear
    (``pauses``: the words of each side a comma or a stop follows)."""
    q = _near(gap.quote, gap, len(gap.archive), set())
    a = _near(gap.archive, gap, len(gap.quote), pauses[1])
    found, used_q, used_a = [], set(), set()
    for i in q:
        for j in a:
            pair = (said[i].word, there[j].word)
            if j in used_a or i in used_q:
                continue
            if opposed(*pair) or (turkic and turkic_negated(*pair)):
                found.append(_Event(gap, i, j, "opposite" if opposed(*pair) else "strong"))
                used_q.add(i)
                used_a.add(j)
    for members, toks, used, quoted, paused in ((q, said, used_q, True, pauses[0]),
                                                (a, there, used_a, False, pauses[1])):
        kinds = negation_kinds(toks)
        for n, k in enumerate(members):
            if kinds[k] and k not in used and _bears(n, members, gap, paused, toks):
                found.append(_Event(gap, k if quoted else None, None if quoted else k, kinds[k]))
    return found


def _near(members: tuple[int, ...], gap: alignment.Gap, other: int, pauses: set[int]
          ) -> tuple[int, ...]:
    """A gap's words that can bear on the aligned words: at an edge of the stretch, only
    those next to the aligned word, and not past a comma."""
    keep = max(2, other)
    kept: list[int] = []
    if gap.before is None:  # before the first aligned word: the words just before it
        for k in reversed(members[-keep:]):
            if k in pauses:
                break
            kept.insert(0, k)
        return tuple(kept)
    if gap.after is None:  # after the last one: the words just after it
        for k in members[:keep]:
            if k - 1 in pauses:
                break
            kept.append(k)
        return tuple(kept)
    return members

def _bears(n: int, members: tuple[int, ...], gap: alignment.Gap, pauses: set[int],
           toks: list[Token]) -> bool:
    """Whether the n-th word of a gap side bears on the aligned words: the gap is one
    phrase put for another, or a short one, or the word stands right against an aligned
    word, or one word before the aligned word it leads to ("do not consider | it right"),
    or two when the second opens a clause ("did not mean that | the firms"), with no comma
    between. A clause dropped or added whole ("which did not matter,", "we did not
    disclose them and") bears on nothing."""
    replaced = gap.quote and gap.archive and gap.before is not None and gap.after is not None
    between = len(members) - 1 - n
    leads = (gap.after is not None and not any(k in pauses for k in members[n:])
             and (between <= 1 or (between == 2 and toks[members[-1]].word in _INTO_CLAUSE)))
    return bool(replaced or leads or len(members) <= SHORT_GAP
                or (n == 0 and gap.before is not None))


def _uncancelled(events: list[_Event]) -> list[_Event]:
    """What still reverses once a negation on one side has cancelled one on the other
    ("did not make" for "never made") or an opposite ("wrong" for "not right"). Words
    that say "not" in other words only cancel; two negations added on one side are two
    reversals, and so are two opposites."""
    swaps = [e for e in events if e.said is not None and e.there is not None]
    def side(kind: str, quoted: bool) -> list[_Event]:
        return [e for e in events if e.kind == kind and e not in swaps
                and (e.said is not None) == quoted]
    strong_q, strong_a, weak_q, weak_a = (side("strong", True), side("strong", False),
                                          side("weak", True), side("weak", False))
    for one, other in ((strong_q, strong_a), (strong_q, weak_a), (strong_a, weak_q),
                       (swaps, strong_q), (swaps, strong_a), (swaps, weak_q), (swaps, weak_a)):
        while one and other:
            one.pop()
            other.pop()
    return swaps + strong_q + strong_a


def _named(event: _Event, said: list[Token], there: list[Token]) -> Reversal:
    """The reversal in words: the reversing words with the words they bear on."""
    gap = event.gap
    if event.kind == "opposite" or (event.said is not None and event.there is not None):
        q, a = said[event.said], there[event.there]
        return Reversal(q.raw, a.raw, a.start, a.end)
    toks, members, at = ((said, gap.quote, event.said) if event.said is not None
                         else (there, gap.archive, event.there))
    lex = lexicon()
    # A bare "not" (or "does not") is shown with the words it bears on, on both sides.
    bare = all(toks[k].word in lex.strong | lex.weak | lex.auxiliaries
               for k in (members if len(members) <= SHORT_GAP else (at,)))
    q_lo, q_hi = _phrase(said, gap.quote, event.said, gap, 0, bare)
    a_lo, a_hi = _phrase(there, gap.archive, event.there, gap, 1, bare)
    quote = " ".join(t.raw for t in said[q_lo : q_hi + 1])
    start, end = there[a_lo].start, there[a_hi].end
    return Reversal(quote, " ".join(t.raw for t in there[a_lo : a_hi + 1]), start, end)


def _phrase(toks: list[Token], members: tuple[int, ...], at: int | None, gap: alignment.Gap,
            side: int, bare: bool) -> tuple[int, int]:
    """First and last word of a side's phrase: the gap's words (those from the reversing
    word ``at`` to the aligned word, in a long gap), with the auxiliary before them; for a
    ``bare`` negation, the aligned word it bears on too ("not a member")."""
    before = gap.before[side] if gap.before else None
    after = gap.after[side] if gap.after else None
    whole = members
    if len(members) > SHORT_GAP:
        members = () if at is None else tuple(
            k for k in members if (k >= at if after is not None else k <= at))
    lo = members[0] if members else (after if after is not None else before)
    hi = members[-1] if members else lo
    if (bare or not members) and after is not None:
        hi = max(hi, after)
        while hi + 1 < len(toks) and hi < after + 2 and toks[hi].word in _LEADING:
            hi += 1
    elif (bare or not members) and before is not None:
        lo = min(lo, before)
    while lo > 0 and (lo - 1 in whole or lo - 1 == before) and \
            toks[lo - 1].word in lexicon().auxiliaries:
        lo -= 1
    return lo, hi
