"""The search service: the one door through which the web app and the CLI reach the index.

It keeps the current index generation (``generation``), reopening when the index on
disk changes (a new commit or a swapped-in rebuild), and answers with the records of
``results``, which the JSON API and the HTML pages both render.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import threading
import time
from pathlib import Path

import numpy as np
from whoosh.qparser import QueryParser

from core import dates
from core.aliases import AliasTable
from core.analysis import WORD
from core.facets import BY_NAME, SORTS
from core.ids import doc_id_of
from core.records import Document, Passage
from engines.whoosh import matching, query, store
from engines.whoosh.generation import Generation
from engines.whoosh.query import BadQuery, ParsedQuery
from engines.whoosh.schema import stored_document
from engines.whoosh.words import Corrector
from search import highlight, quotes, snippets, timeline, verify
from search.corrections import Corrections
from search.results import FacetValue, PassageHit, Relaxed, ResultDoc, SearchRequest, SearchResult

CHECK_EVERY = 1.0  # seconds between looks at the disk for a newer index
# Values a facet lists, commonest first (months are all listed, for the chart); the
# selected ones always. Thousands of speakers made a common word's answer 4 ms longer.
FACET_VALUES = 100
# Plain words fewer documents than this hold all together are relaxed to documents with
# some of them. Not the page's size: a count must not change with ``per_page`` (a batch
# row, an export and the page it links to give the same number).
RELAX_BELOW = 10

__all__ = ["BadQuery", "PassageGone", "SearchRequest", "SearchResult", "SearchService"]


class PassageGone(LookupError):
    """A permalink whose passage was edited away when its document changed."""

    def __init__(self, doc: Document, nearest: Passage | None):
        super().__init__(
            "This passage is no longer in its document: the document changed since it was "
            "cited." + (" The nearest passage of the current version is linked." if nearest
                        else "")
        )
        self.doc, self.nearest = doc, nearest


def _top(gen: Generation, scores: np.ndarray, order: np.ndarray, allowed: np.ndarray, sort: str,
         count: int) -> list[tuple[int, float]]:
    """The first ``count`` allowed documents as (document number, score), in ``sort``
    order (``order`` for relevance); ties go to the lower document number, so pages never
    overlap."""
    docs = np.flatnonzero(allowed)
    days = gen.dates[docs]
    first = -order[docs] if sort == "relevance" else -days if sort == "-date" else days
    if len(docs) > count:
        # Only what could make the first ``count`` (ties included) is sorted.
        bound = np.partition(first, count - 1)[count - 1]
        docs, first = docs[first <= bound], first[first <= bound]
    return [(int(d), float(scores[d])) for d in docs[np.lexsort((docs, first))[:count]]]


def _recase(typed: str, corrected: str) -> str:
    """``corrected`` with each word in the case its typed word had ("Tokaev" -> "Tokayev",
    not "tokayev"): the corrector hands back the index's folded words."""
    words = WORD.findall(typed)
    fixed = iter(words if len(words) == len(WORD.findall(corrected)) else [])

    def case(match) -> str:
        word, was = match.group(), next(fixed, "")
        if was.isupper() and len(was) > 1:
            return word.upper()
        return word[:1].upper() + word[1:] if was[:1].isupper() else word
    return WORD.sub(case, corrected)


def _all(mask: np.ndarray, others) -> np.ndarray:
    """``mask`` and every mask of ``others``."""
    for other in others:
        mask = mask & other
    return mask


class SearchService:
    """Search, documents and passages of the index at ``path``."""

    def __init__(self, path: Path, passages_per_result: int = 3, max_query_length: int = 1000,
                 aliases: AliasTable | None = None, entities: Corrections | None = None):
        self.path = path
        self.aliases = aliases or AliasTable()
        self.entities = entities or Corrections()
        self.passages_per_result = passages_per_result
        self.max_query_length = max_query_length
        self._lock = threading.Lock()
        self._generation: Generation | None = None
        self._concepts: tuple[list, verify.Concepts] | None = None
        self._checked = 0.0

    # -- the index behind it -------------------------------------------------------------
    def _current(self) -> Generation:
        now = time.monotonic()
        with self._lock:
            gen = self._generation
            if gen is None or now - self._checked > CHECK_EVERY:
                self._checked = now
                if gen is None or store.generation_of(self.path) != gen.key:
                    if gen is not None:
                        gen.retired.set()
                    gen = self._generation = Generation(self.path)
            return gen

    def open(self) -> None:
        """Open the index and start reading ahead now, not on the first request (a server
        process does this as it starts); an index not written yet is opened later."""
        with contextlib.suppress(store.IndexMissing):
            # The mentioned names as the corrections count them too (a second at 100,000).
            self.facet_arrays(self._current(), "mentioned")

    def status(self) -> dict:
        """How many documents are searchable, whether common words are read ahead, and
        what the last indexing run did (per format: indexed, skipped with why, copies)."""
        gen = self._current()
        return {"documents": int(np.count_nonzero(gen.live)), "warm": gen.warmed.is_set(),
                "last_run": store.last_run(self.path), "indexing": self.indexing()}

    def indexing(self) -> dict | None:
        """``{"done", "total"}`` articles while a first build is still running, else None."""
        return store.progress(self.path)

    # -- search --------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """One page of results for ``request``, with facet counts over all matches."""
        started = time.perf_counter()
        if request.sort not in SORTS:
            raise BadQuery(f"Sort must be one of {', '.join(SORTS)}, not {request.sort!r}.")
        gen = self._current()
        searcher = gen.searcher()
        parsed = query.parse(request.q, searcher.schema, self.max_query_length, self.aliases,
                             gen.variants, gen.date_values)
        having = self._filters(gen, request)
        found = matching.matches(parsed.query, searcher, gen.postings, gen.live)
        ranked = relaxed = None
        if found is None:
            # Not a query of words: one pass of Whoosh finds and orders every match.
            ranked = self._ranked(searcher, parsed, request)
            matched = gen.mask(docnum for _, docnum in ranked.top_n)
        else:
            order = found.scores
            parts = query.plain_words(parsed)
            if len(parts) > 1 and np.count_nonzero(_all(found.mask, having.values())) < RELAX_BELOW:
                found, order, relaxed = self._relax(gen, searcher, parts, having)
            matched = found.mask
        allowed = _all(matched, having.values())
        total = int(np.count_nonzero(allowed))
        if relaxed is not None and relaxed.complete == total:
            relaxed = None  # no document has only some of the words: nothing was relaxed
        facets = {name: self._facet(gen, name, _all(matched, [m for f, m in having.items()
                                                              if f != name]), request)
                  for name in (BY_NAME if request.facets is None else request.facets)}
        first, last = (request.page - 1) * request.per_page, request.page * request.per_page
        if ranked is not None:
            page = [(docnum, score if isinstance(score, float) else 0.0)
                    for score, docnum in ranked.top_n if allowed[docnum]][first:last]
        else:
            page = _top(gen, found.scores, order, allowed, self._sort(parsed, request), last)[first:]
        marker = highlight.Marker(query.highlight_for(
            parsed, functools.partial(gen.postings.words, searcher)))
        results = tuple(self._result(searcher.stored_fields(docnum), score, marker)
                        for docnum, score in page)
        suggestion = self._suggestion(searcher, gen, parsed, total) if request.per_page else None
        return SearchResult(request, total, results, facets, suggestion,
                            time.perf_counter() - started, parsed.aliases, relaxed,
                            *gen.span(allowed),
                            timeline.build(gen.date_counts(allowed)) if request.per_page else None,
                            parsed.questions)

    def batch(self, queries: list[str], template: SearchRequest) -> list[SearchResult | BadQuery]:
        """Each query's count, outlets and first and last date under ``template``'s
        filters (no page of results, no spelling suggestion, no timeline, the outlets the
        only facet), or why it is not a query."""
        found: list[SearchResult | BadQuery] = []
        for q in queries:
            try:
                found.append(self.search(dataclasses.replace(template, q=q, page=1, per_page=0,
                                                             facets=("outlet",))))
            except BadQuery as exc:
                found.append(exc)
        return found

    @classmethod
    def for_settings(cls, settings) -> SearchService:
        """The service the settings describe (the app factory's and the CLI's)."""
        return cls(settings.index, settings.passages_per_result, settings.max_query_length,
                   AliasTable(settings.alias_files()),
                   Corrections([settings.corpus / "entities.toml"]))

    def facet_arrays(self, gen: Generation, name: str):
        """A facet's values of ``gen``; the mentioned names as the corpus's corrections
        count them (re-read when the corrections file changes, no re-indexing)."""
        if name != "mentioned":
            return gen.facets[name]
        stamp = self.entities.stamp
        if stamp not in gen.corrected:
            raw = gen.facets[name]
            gen.corrected = {stamp: {name: raw.merged(*self.entities.mapping(raw.values))}}
        return gen.corrected[stamp][name]

    def names(self, facet: str) -> tuple[str, ...]:
        """Every value of ``facet``: the people pages resolve a name against them."""
        return self.facet_arrays(self._current(), facet).values

    def _filters(self, gen: Generation, request: SearchRequest) -> dict[str, np.ndarray]:
        """A mask of the documents each filter of ``request`` lets through."""
        having = {facet: self.facet_arrays(gen, facet).having(frozenset(values), gen.size)
                  for facet, values in request.filters if values}
        if request.date_from or request.date_to:
            try:
                inside = dates.within(gen.date_values, request.date_from, request.date_to)
            except dates.BadDate as exc:
                raise BadQuery(str(exc)) from None
            having["date"] = gen.dated(inside)
        return having

    @staticmethod
    def _relax(gen: Generation, searcher, parts, having) -> tuple[matching.Matches, np.ndarray,
                                                                  Relaxed]:
        """Documents with any of the words, those with all of them first, then by score."""
        each = [matching.matches(part, searcher, gen.postings, gen.live) for part in parts]
        held = np.sum([m.mask for m in each], axis=0)
        scores = np.sum([m.scores for m in each], axis=0).astype(np.float32)
        complete = held == len(parts)
        found = matching.Matches(held > 0, scores)
        # Scores stay BM25 for display; the order puts documents with every word first.
        order = scores + np.where(complete, scores.max(initial=0) + 1, 0)
        return found, order, Relaxed(len(parts), int(np.count_nonzero(_all(complete,
                                                                            having.values()))))

    def _suggestion(self, searcher, gen: Generation, parsed: ParsedQuery, total: int) -> str | None:
        if total >= 3:
            return None
        # Spelling correction walks the vocabulary (tens of ms): once per query and index.
        key = (parsed.text, total)
        if key not in gen.suggestions:
            with gen.suggesting:
                if key not in gen.suggestions:
                    if len(gen.suggestions) > 4096:
                        gen.suggestions.clear()
                    gen.suggestions[key] = self._suggest(searcher, gen, parsed, total)
        return gen.suggestions[key]

    def _facet(self, gen: Generation, name: str, docs: np.ndarray, request: SearchRequest):
        arrays = self.facet_arrays(gen, name)
        selected = request.selected(name)
        if BY_NAME[name].chronological:
            counts = arrays.counts(docs)
            order = sorted({**dict.fromkeys(selected, 0), **counts}.items())
        else:
            counted = arrays.counted(docs)
            order = arrays.top(counted, FACET_VALUES)
            shown = {value for value, _ in order}
            order += sorted(((value, arrays.count_of(counted, value)) for value in selected
                             if value not in shown), key=lambda kv: (-kv[1], kv[0]))
        label = BY_NAME[name].label_of
        kind = self.entities.kinds() if name == "mentioned" else (lambda value: "")
        return tuple(FacetValue(value, count, value in selected, label(value), kind(value) or "")
                     for value, count in order)

    @staticmethod
    def _sort(parsed: ParsedQuery, request: SearchRequest) -> str:
        return "-date" if request.sort == "relevance" and not parsed.has_terms else request.sort

    def _ranked(self, searcher, parsed: ParsedQuery, request: SearchRequest):
        """Every match, ordered by Whoosh."""
        sort = self._sort(parsed, request)
        if sort == "relevance":
            return searcher.search(parsed.query, limit=None)
        return searcher.search(parsed.query, limit=None, sortedby="date", reverse=sort == "-date")

    def _result(self, fields: dict, score: float, marker: highlight.Marker) -> ResultDoc:
        doc = stored_document(fields)
        meta = doc.metadata
        return ResultDoc(
            doc_id=doc.doc_id, title=meta.title, outlet=meta.outlet, url=meta.url,
            date=meta.date, language=meta.language, authors=meta.authors,
            score=round(float(score), 4),
            passages=snippets.best(doc, marker, self.passages_per_result),
            title_variants=marker.find(meta.title).variants,
        )

    def marked_passages(self, doc: Document, q: str) -> tuple[PassageHit, ...]:
        """Every passage of ``doc`` as HTML, with ``q``'s hits marked."""
        gen = self._current()
        searcher = gen.searcher()
        parsed = query.parse(q, searcher.schema, self.max_query_length, self.aliases,
                             gen.variants, gen.date_values)
        words = functools.partial(gen.postings.words, searcher)
        return snippets.marked(doc, highlight.Marker(query.highlight_for(parsed, words)))

    def _suggest(self, searcher, gen: Generation, parsed: ParsedQuery, total: int) -> str | None:
        if not parsed.has_terms:
            return None
        try:
            typed = QueryParser("exact", searcher.schema).parse(parsed.text)
            vocabulary = gen.postings.words(searcher, "exact")
            corrected = searcher.correct_query(typed, parsed.text, correctors={
                "exact": Corrector(searcher.reader(), "exact", vocabulary)})
        except Exception:  # a suggestion is a nicety; never fail a search for it
            return None
        if corrected.query == typed or corrected.string.strip() == parsed.text:
            return None
        try:
            better = query.parse(corrected.string, searcher.schema, variants=gen.variants,
                                 date_values=gen.date_values)
        except BadQuery:
            return None
        found = matching.matches(better.query, searcher, gen.postings, gen.live)
        count = (int(np.count_nonzero(found.mask)) if found is not None
                 else len(set(searcher.docs_for_query(better.query))))
        return _recase(parsed.text, corrected.string) if count > total else None

    # -- documents and passages ----------------------------------------------------------
    def document(self, doc_id: str) -> Document | None:
        """The stored document ``doc_id``, or None."""
        fields = self._current().searcher().document(doc_id=doc_id)
        return stored_document(fields) if fields else None

    def passage(self, passage_id: str) -> tuple[Document, Passage] | None:
        """The passage and its document, or None; :class:`PassageGone` when the passage
        was in an earlier version of its document."""
        doc = self.document(doc_id_of(passage_id))
        if doc is None:
            return None
        for passage in doc.passages:
            if passage.passage_id == passage_id:
                return doc, passage
        if passage_id in doc.retired:
            nearest = next((p for p in doc.passages if p.passage_id == doc.retired[passage_id]),
                           None)
            raise PassageGone(doc, nearest)
        return None

    def copies_of(self, doc: Document) -> list[str]:
        """Corpus files that hold the same article as ``doc`` and were not indexed apart."""
        return sorted(self._current().copies.get(doc.relpath, ()))

    def elsewhere(self, doc: Document, passage: Passage) -> list[verify.Match]:
        """Other documents carrying this passage, or a quotation in it, earliest first."""
        text = doc.passage_text(passage)
        found: dict[str, verify.Match] = {}
        for piece in (text, *verify.quotations(text)):
            for match in self.check_quote(piece, limit=10).matches:
                pid = match.passage.passage_id
                if match.doc.doc_id == doc.doc_id or match.similarity < verify.SAME_STATEMENT:
                    continue
                if pid not in found or found[pid].similarity < match.similarity:
                    found[pid] = match
        return sorted(found.values(),
                      key=lambda m: (m.doc.metadata.date or "9999", m.doc.metadata.outlet))

    def check_quote(self, quote: str, limit: int = 5) -> verify.Check:
        """Whether ``quote`` stands in the archive verbatim, altered, or not at all."""
        if not quote.strip():
            raise BadQuery("Paste a quote to check.")
        if len(quote) > 20 * self.max_query_length:
            raise BadQuery("The quote is too long to check; paste one paragraph at most.")
        gen = self._current()
        groups = self.aliases.groups()
        known = self._concepts
        if known is None or known[0] is not groups:  # the same list until alias files change
            known = self._concepts = (groups, verify.Concepts(groups))
        return quotes.check(quote, gen, gen.searcher(), self.aliases, known[1], limit)
