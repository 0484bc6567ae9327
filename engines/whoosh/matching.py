"""Every document a query of words matches, with its BM25F score, as numpy arrays.

Facet counts and totals need every match, not only the page shown, and ranking needs
a score for each. Whoosh walks matches one document at a time in Python: about 1 µs a
posting for a word, ten times that through nested AND/OR matchers, so at 100,000
articles a common word took 70 ms to count and a pair of them 400 ms to rank. Here
each word's postings (document numbers and weights) are read from Whoosh once per
index version and kept within a memory budget, and a query made of words, AND, OR and
NOT becomes array operations: BM25 applied to whole columns, with the textbook idf
(Whoosh's own adds 1 to every idf, so that "of" and "the" weigh almost as much as rare
words in a long query; :class:`Bm25` gives Whoosh the same idf for what it ranks itself).
A word's stem group is one term, as if the index were stemmed: its forms' frequencies
add up in each document and its document frequency is that of any form, while a form
other than the one typed counts for VARIANT_WEIGHT of an occurrence.

A phrase is looked for only in the documents holding all its words (from the same
postings), its words' positions read there directly: half what Whoosh's span matchers
cost. Its matches rank by the BM25F of its words. Other query shapes (wildcards, fuzzy
terms, ranges, phrases with slop) answer None, and the caller lets Whoosh find and rank
their matches.
"""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F, bm25

from core.analysis import common_pairs, idf
from engines.whoosh import positions
from engines.whoosh.postings import Postings
from engines.whoosh.words import StemGroup, Word, Words, fuzzy_forms

# What an occurrence of another form of a word ("protests" for "protesting") counts for.
VARIANT_WEIGHT = 0.8
# Words of the vocabulary a wildcard may stand for and still be matched as arrays.
MAX_FORMS = 2000



class Bm25(BM25F):
    """Whoosh's BM25F with the textbook idf."""

    def idf(self, searcher, fieldname, text):
        parent = searcher.get_parent()
        return idf(parent.doc_count_all(), parent.doc_frequency(fieldname, text))


@dataclasses.dataclass(frozen=True)
class Matches:
    """Which documents match (a mask over document numbers) and how well."""

    mask: np.ndarray
    scores: np.ndarray


def matches(q: wq.Query, searcher, postings: Postings, live: np.ndarray) -> Matches | None:
    """The live documents ``q`` matches with their scores, or None when ``q`` is not
    made of words."""
    found = _matches(q, searcher, postings, live)
    if found is None:
        return None
    return Matches(found.mask & live, np.where(live, found.scores, 0))


def _none(size: int) -> Matches:
    return Matches(np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float32))


def _matches(q, searcher, postings: Postings, live: np.ndarray) -> Matches | None:
    size = live.shape[0]
    if type(q) is wq.Term:
        return _term(q, searcher, postings, size)
    if isinstance(q, StemGroup):
        return _group(q, searcher, postings, size)
    if isinstance(q, (wq.Prefix, wq.Wildcard)) and q.fieldname in ("title", "exact"):
        # The words a pattern stands for ("Qazaxıstan*": every case form), as one term.
        forms = [b.decode("utf-8") for b in itertools.islice(q._btexts(searcher.reader()),
                                                             MAX_FORMS + 1)]
        if len(forms) > MAX_FORMS:
            return None  # too wide to hold as arrays: Whoosh walks it
        return _group(StemGroup(q.fieldname, "", forms, q.boost), searcher, postings, size)
    if isinstance(q, wq.FuzzyTerm) and q.fieldname in ("title", "exact"):
        forms = fuzzy_forms(q, postings.words(searcher, q.fieldname), MAX_FORMS)
        return _group(StemGroup(q.fieldname, "", forms, q.boost), searcher, postings, size)
    if isinstance(q, Word):
        return _word(q, searcher, postings, live)
    if isinstance(q, wq.Every):
        return Matches(live, np.zeros(size, dtype=np.float32))
    if isinstance(q, type(wq.NullQuery)):
        return _none(size)
    if isinstance(q, wq.Not):
        inner = _matches(q.query, searcher, postings, live)
        if inner is None:
            return None
        # Whoosh scores a NOT as its boost wherever it holds; so do we, for one ranking.
        return Matches(~inner.mask, np.where(inner.mask, 0, q.boost).astype(np.float32))
    if isinstance(q, (wq.AndNot, wq.AndMaybe, wq.Require)):
        a = _matches(q.a, searcher, postings, live)
        b = _matches(q.b, searcher, postings, live)
        if a is None or b is None:
            return None
        if isinstance(q, wq.AndNot):
            return Matches(a.mask & ~b.mask, a.scores)
        if isinstance(q, wq.Require):
            return Matches(a.mask & b.mask, a.scores)
        return Matches(a.mask, a.scores + np.where(a.mask, b.scores, 0))
    if type(q) is wq.Phrase and q.slop == 1 and q.words:
        return _phrase(q, searcher, postings, live)
    if type(q) in (wq.And, wq.Or, wq.DisjunctionMax, Words) and q.subqueries:
        children = [_matches(child, searcher, postings, live) for child in q.subqueries]
        if any(child is None for child in children):
            return None
        scores = np.stack([child.scores for child in children])
        if type(q) is wq.And:
            mask = np.logical_and.reduce([child.mask for child in children])
            total = np.where(mask, scores.sum(axis=0), 0)
        else:
            mask = np.logical_or.reduce([child.mask for child in children])
            total = scores.max(axis=0) if type(q) is wq.DisjunctionMax else scores.sum(axis=0)
        return Matches(mask, total * q.boost)
    return None


def _term(q: wq.Term, searcher, postings: Postings, size: int) -> Matches:
    found = _none(size)
    docs, weights = postings.of(searcher, q.fieldname, q.text)
    if not len(docs):
        return found
    found.mask[docs] = True
    model = searcher.weighting
    if searcher.schema[q.fieldname].scorable and isinstance(model, BM25F):
        lengths = postings.lengths(searcher, q.fieldname)[docs]
        avg = searcher.avg_field_length(q.fieldname) or 1
        found.scores[docs] = bm25(searcher.idf(q.fieldname, q.text), weights, lengths, avg,
                                  model.B, model.K1)
    else:
        found.scores[docs] = weights
    found.scores[docs] *= q.boost
    return found


def _held(searcher, postings: Postings, field: str, text: str, size: int) -> np.ndarray:
    """The mask of the documents holding a term (no scores: a pair only narrows)."""
    mask = np.zeros(size, dtype=bool)
    mask[postings.of(searcher, field, text)[0]] = True
    return mask


def _group(q: StemGroup, searcher, postings: Postings, size: int) -> Matches:
    found = _none(size)
    frequency = np.zeros(size, dtype=np.float32)
    for form in q.forms:
        docs, weights = postings.of(searcher, q.fieldname, form)
        frequency[docs] += weights if form == q.typed or not q.typed else VARIANT_WEIGHT * weights
        found.mask[docs] = True
    docs = np.flatnonzero(found.mask)
    if not len(docs):
        return found
    model = searcher.weighting
    lengths = postings.lengths(searcher, q.fieldname)[docs]
    avg = searcher.avg_field_length(q.fieldname) or 1
    found.scores[docs] = q.boost * bm25(idf(searcher.doc_count_all(), len(docs)), frequency[docs],
                                        lengths, avg, model.B, model.K1)
    return found


def _word(q: Word, searcher, postings: Postings, live: np.ndarray) -> Matches:
    """Title and body as typed (stem groups); the name key only where they are not."""
    groups = [_matches(group, searcher, postings, live) for group in q.groups]
    mask = np.logical_or.reduce([g.mask for g in groups])
    scores = np.sum([g.scores for g in groups], axis=0)
    if q.name is not None:
        name = _term(q.name, searcher, postings, live.shape[0])
        scores = np.where(mask, scores, name.scores)
        mask = mask | name.mask
    return Matches(mask, (scores * q.boost).astype(np.float32))


def _phrase(q: wq.Phrase, searcher, postings: Postings, live: np.ndarray) -> Matches:
    size = live.shape[0]
    words = [_term(wq.Term(q.fieldname, word), searcher, postings, size) for word in q.words]
    found = postings.phrase(q.fieldname, tuple(q.words),
                            lambda: _in_a_row(q, searcher, postings, live, words))
    scores = sum(w.scores for w in words)
    return Matches(found, np.where(found, scores, 0).astype(np.float32) * q.boost)


def _in_a_row(q: wq.Phrase, searcher, postings: Postings, live: np.ndarray,
              words: list[Matches]) -> np.ndarray:
    """The mask of the live documents where the phrase's words stand in a row."""
    size = live.shape[0]
    candidates = np.logical_and.reduce([w.mask for w in words]) & live
    pairs = _pair_units(q, searcher)
    if len(q.words) == 2 and pairs:
        # The pair term stands exactly where the two words do, in that order.
        return candidates & _held(searcher, postings, "pairs", pairs[0][1], size)
    # Each unit is a term and where it stands from the phrase's start: a pair term stands
    # at its second word, so a phrase of common words is checked in the short lists of its
    # pairs rather than in those of "the" and "of"; a word no pair holds is checked alone.
    covered = {k for _, _, at in pairs for k in (at - 1, at)}
    units = pairs + [(q.fieldname, word, k) for k, word in enumerate(q.words) if k not in covered]
    counts = [searcher.doc_frequency("pairs", term) for _, term, _ in pairs] + [
        int(np.count_nonzero(w.mask)) for k, w in enumerate(words) if k not in covered]
    # The rarest first: its positions are the fewest starts to carry along.
    order = sorted(range(len(units)), key=counts.__getitem__)
    units = [units[n] for n in order]
    for n in (n for n in order if n < len(pairs)):
        # A pair no commoner than the candidates narrows them; a common one ("in the") is
        # only looked up for the few left (reading its whole list cost more than that).
        if counts[n] <= 4 * np.count_nonzero(candidates):
            candidates &= _held(searcher, postings, "pairs", pairs[n][1], size)
    found = np.zeros(live.shape, dtype=bool)
    docnums = np.flatnonzero(candidates)
    for reader, offset in searcher.reader().leaf_readers():
        inside = docnums[(docnums >= offset) & (docnums < offset + reader.doc_count_all())]
        if not len(inside):
            continue  # (an index without documents has a reader without a segment)
        sidecar = postings.sidecar(reader)
        begun: np.ndarray | None = None
        for field, term, shift in units:
            if (field, term) not in reader:
                # A common pair that did not narrow the candidates may stand in no
                # document of this segment (one added by a later run).
                inside = inside[:0]
            if not len(inside):
                break
            here = positions.starts(reader, sidecar, field, term, inside - offset, shift)
            begun = here if begun is None else np.intersect1d(begun, here, assume_unique=True)
            inside = offset + np.unique(begun >> 32)
        found[inside] = True
    return found


def _pair_units(q: wq.Phrase, searcher) -> list[tuple[str, str, int]]:
    """The pair terms of a body phrase, each as ("pairs", term, where it stands from the
    phrase's start); none for another field, or an index without pairs in place."""
    if q.fieldname != "exact" or "pairs" not in searcher.schema \
            or not searcher.schema["pairs"].format.supports("positions"):
        return []
    return [("pairs", term, at) for at, term in common_pairs(list(q.words))]
