"""One version of a Whoosh index answering the engine protocol: matches as arrays over
document numbers, ranked by BM25, filtered and counted by facet in a few array
operations."""

from __future__ import annotations

import numpy as np
from whoosh.qparser import QueryParser

from core import dates
from core.aliases import AliasTable
from core.analysis import stem
from core.errors import BadQuery
from core.facets import BY_NAME
from core.marks import Highlight
from core.records import Document
from engines.protocol import Ask, Found, ValueMap
from engines.whoosh import matching, query
from engines.whoosh.generation import FacetArrays, Generation
from engines.whoosh.query import ParsedQuery
from engines.whoosh.schema import stored_document
from engines.whoosh.words import Corrector


def _all(mask: np.ndarray, others) -> np.ndarray:
    """``mask`` and every mask of ``others``."""
    for other in others:
        mask = mask & other
    return mask


class WhooshVersion(Generation):
    """The index folder's Whoosh index as it is now."""

    def documents(self) -> int:
        return int(np.count_nonzero(self.live))

    def warm(self) -> bool:
        return self.warmed.is_set()

    def parse(self, text: str, aliases: AliasTable | None = None,
              max_length: int = 1000) -> ParsedQuery:
        return query.parse(text, self.searcher().schema, max_length, aliases, self.variants,
                           self.date_values)

    def highlight(self, parsed: ParsedQuery) -> Highlight:
        searcher = self.searcher()
        return query.highlight_for(parsed, lambda field: self.postings.words(searcher, field))

    def document(self, doc_id: str) -> Document | None:
        fields = self.searcher().document(doc_id=doc_id)
        return stored_document(fields) if fields else None

    def copies_of(self, relpath: str) -> list[str]:
        return sorted(self.copies.get(relpath, ()))

    def frequency(self, folded: str) -> int:
        searcher = self.searcher()
        forms = self.variants.get(stem(folded), (folded,))
        return max(searcher.doc_frequency("exact", form) for form in forms)

    def values(self, facet: str, corrections: ValueMap | None = None) -> tuple[str, ...]:
        return self.facet(facet, corrections).values

    def facet(self, name: str, corrections: ValueMap | None = None) -> FacetArrays:
        """A facet's values; counted as ``corrections`` say when given (the mapping is
        kept while its stamp stays)."""
        if corrections is None:
            return self.facets[name]
        stamp = (name, corrections.stamp)
        if stamp not in self.corrected:
            raw = self.facets[name]
            self.corrected = {key: value for key, value in self.corrected.items()
                              if key[0] != name}
            self.corrected[stamp] = raw.merged(*corrections.mapping(raw.values))
        return self.corrected[stamp]

    # -- find ----------------------------------------------------------------------------
    def find(self, ask: Ask) -> Found:
        searcher = self.searcher()
        parsed: ParsedQuery = ask.parsed
        having = self._filters(ask)
        found = matching.matches(parsed.query, searcher, self.postings, self.live)
        ranked = relaxed = None
        if found is None:
            # Not a query of words: one pass of Whoosh finds and orders every match.
            ranked = self._ranked(parsed, ask.sort)
            matched = self.mask(docnum for _, docnum in ranked.top_n)
        else:
            order = found.scores
            parts = query.plain_words(parsed)
            if len(parts) > 1 and np.count_nonzero(_all(found.mask, having.values())) < ask.relax_below:
                found, order, relaxed = self._relax(parts, having)
            matched = found.mask
        allowed = _all(matched, having.values())
        facets = {name: self._count(name, _all(matched, [m for f, m in having.items()
                                                         if f != name]), ask)
                  for name in ask.facets}
        if ranked is not None:
            page = [(docnum, score if isinstance(score, float) else 0.0)
                    for score, docnum in ranked.top_n if allowed[docnum]][ask.first:ask.last]
        else:
            page = self._top(found.scores, order, allowed, ask.sort, ask.last)[ask.first:]
        first, last = self.span(allowed)
        return Found(total=int(np.count_nonzero(allowed)),
                     page=tuple((stored_document(searcher.stored_fields(d)), s) for d, s in page),
                     facets=facets, relaxed=relaxed, first_date=first, last_date=last,
                     date_counts=self.date_counts(allowed) if ask.timeline else {})

    def _filters(self, ask: Ask) -> dict[str, np.ndarray]:
        """A mask of the documents each filter of ``ask`` lets through."""
        having = {facet: self.facet(facet, ask.corrections.get(facet)).having(values, self.size)
                  for facet, values in ask.filters.items() if values}
        if ask.date_from or ask.date_to:
            try:
                inside = dates.within(self.date_values, ask.date_from, ask.date_to)
            except dates.BadDate as exc:
                raise BadQuery(str(exc)) from None
            having["date"] = self.dated(inside)
        return having

    def _relax(self, parts, having) -> tuple[matching.Matches, np.ndarray, tuple[int, int]]:
        """Documents with any of the words, those with all of them first, then by score."""
        searcher = self.searcher()
        each = [matching.matches(part, searcher, self.postings, self.live) for part in parts]
        held = np.sum([m.mask for m in each], axis=0)
        scores = np.sum([m.scores for m in each], axis=0).astype(np.float32)
        complete = held == len(parts)
        found = matching.Matches(held > 0, scores)
        # Scores stay BM25 for display; the order puts documents with every word first.
        order = scores + np.where(complete, scores.max(initial=0) + 1, 0)
        return found, order, (len(parts), int(np.count_nonzero(_all(complete, having.values()))))

    def _count(self, name: str, docs: np.ndarray, ask: Ask) -> tuple[tuple[str, int], ...]:
        """A facet's values among ``docs`` with their counts: months all, in order; other
        facets the commonest first; the selected values always."""
        arrays = self.facet(name, ask.corrections.get(name))
        selected = ask.filters.get(name, frozenset())
        if BY_NAME[name].chronological:
            return tuple(sorted({**dict.fromkeys(selected, 0), **arrays.counts(docs)}.items()))
        counted = arrays.counted(docs)
        order = arrays.top(counted, ask.facet_values)
        shown = {value for value, _ in order}
        order += sorted(((value, arrays.count_of(counted, value)) for value in selected
                         if value not in shown), key=lambda kv: (-kv[1], kv[0]))
        return tuple(order)

    def _top(self, scores: np.ndarray, order: np.ndarray, allowed: np.ndarray, sort: str,
             count: int) -> list[tuple[int, float]]:
        """The first ``count`` allowed documents as (document number, score), in ``sort``
        order (``order`` for relevance); ties go to the lower document number, so pages
        never overlap."""
        docs = np.flatnonzero(allowed)
        days = self.dates[docs]
        first = -order[docs] if sort == "relevance" else -days if sort == "-date" else days
        if len(docs) > count:
            # Only what could make the first ``count`` (ties included) is sorted.
            bound = np.partition(first, count - 1)[count - 1]
            docs, first = docs[first <= bound], first[first <= bound]
        return [(int(d), float(scores[d])) for d in docs[np.lexsort((docs, first))[:count]]]

    def _ranked(self, parsed: ParsedQuery, sort: str):
        """Every match, ordered by Whoosh."""
        searcher = self.searcher()
        if sort == "relevance":
            return searcher.search(parsed.query, limit=None)
        return searcher.search(parsed.query, limit=None, sortedby="date", reverse=sort == "-date")

    # -- spelling ------------------------------------------------------------------------
    def suggest(self, parsed: ParsedQuery, total: int) -> str | None:
        # Spelling correction walks the vocabulary (tens of ms): once per query and index.
        key = (parsed.text, total)
        if key not in self.suggestions:
            with self.suggesting:
                if key not in self.suggestions:
                    if len(self.suggestions) > 4096:
                        self.suggestions.clear()
                    self.suggestions[key] = self._suggest(parsed, total)
        return self.suggestions[key]

    def _suggest(self, parsed: ParsedQuery, total: int) -> str | None:
        if not parsed.has_terms:
            return None
        searcher = self.searcher()
        try:
            typed = QueryParser("exact", searcher.schema).parse(parsed.text)
            vocabulary = self.postings.words(searcher, "exact")
            corrected = searcher.correct_query(typed, parsed.text, correctors={
                "exact": Corrector(searcher.reader(), "exact", vocabulary)})
        except Exception:  # a suggestion is a nicety; never fail a search for it
            return None
        if corrected.query == typed or corrected.string.strip() == parsed.text:
            return None
        try:
            better = self.parse(corrected.string)
        except BadQuery:
            return None
        found = matching.matches(better.query, searcher, self.postings, self.live)
        count = (int(np.count_nonzero(found.mask)) if found is not None
                 else len(set(searcher.docs_for_query(better.query))))
        return corrected.string if count > total else None
