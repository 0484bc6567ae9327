"""The search service: the one door through which the web app and the CLI reach the index.

It asks the settings' engine (:mod:`engines`) for its newest version of the index, and
answers with the records of ``results``, which the JSON API and the HTML pages both
render.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

from core.aliases import AliasTable
from core.analysis import WORD, common_words, fold
from core.errors import BadQuery
from core.facets import BY_NAME, SORTS
from core.ids import doc_id_of
from core.records import Document, Passage
from engines import open_engine
from engines.protocol import Ask, Engine, Found, Version
from search import highlight, identical, quotes, snippets, timeline, verify
from search.corrections import Corrections
from search.results import FacetValue, PassageHit, Relaxed, ResultDoc, SearchRequest, SearchResult

# Values a facet lists, commonest first (months are all listed, for the chart); the
# selected ones always. Thousands of speakers made a common word's answer 4 ms longer.
FACET_VALUES = 100
# Plain words fewer documents than this hold all together are relaxed to documents with
# some of them. Not the page's size: a count must not change with ``per_page`` (a batch
# row, an export and the page it links to give the same number).
RELAX_BELOW = 10

__all__ = ["BadQuery", "PassageGone", "PassageMoved", "SearchRequest", "SearchResult", "SearchService"]


class PassageGone(LookupError):
    """A permalink whose passage was edited away when its document changed."""

    def __init__(self, doc: Document, nearest: Passage | None):
        super().__init__(
            "This passage is no longer in its document: the document changed since it was "
            "cited." + (" The nearest passage of the current version is linked." if nearest
                        else "")
        )
        self.doc, self.nearest = doc, nearest


class PassageMoved(LookupError):
    """A permalink whose document left the archive, while the very same paragraph stands
    in it under another id (its file moved or was renamed): ``passage`` of ``doc``."""

    def __init__(self, doc: Document, passage: Passage):
        super().__init__("This passage's document is no longer in the archive under this "
                         "address (its file moved or was renamed); the same paragraph, word "
                         "for word, is linked under its new id.")
        self.doc, self.passage = doc, passage


def _worth_offering(typed: str, corrected: str) -> bool:
    """Whether a spelling suggestion says something: one that turns a word into one of
    the commonest ("x" into "in", "title" into "time" beside it) would find everything
    or nothing the person meant."""
    had = {fold(w) for w in WORD.findall(typed)}
    new = {fold(w) for w in WORD.findall(corrected)} - had
    return bool(new) and not new & common_words()


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


class SearchService:
    """Search, documents and passages of the index in the folder ``index``, held by
    ``engine`` (the settings' engine; Whoosh when none is given)."""

    def __init__(self, index: Path, passages_per_result: int = 3, max_query_length: int = 1000,
                 aliases: AliasTable | None = None, entities: Corrections | None = None,
                 engine: Engine | None = None):
        self.path = index
        self.engine = engine or open_engine(index)
        self.aliases = aliases or AliasTable()
        self.entities = entities or Corrections()
        self.passages_per_result = passages_per_result
        self.max_query_length = max_query_length
        self._concepts: tuple[list, verify.Concepts] | None = None

    def _current(self) -> Version:
        return self.engine.version()

    def open(self) -> None:
        """Open the index and start reading ahead now, not on the first request (a server
        process does this as it starts); an index not written yet is opened later."""
        # The mentioned names as the corrections count them too (a second at 100,000).
        self.engine.prepare(self._corrections())

    def _corrections(self) -> dict[str, Corrections]:
        return {"mentioned": self.entities}

    def status(self) -> dict:
        """How many documents are searchable, whether common words are read ahead, and
        what the last indexing run did (per format: indexed, skipped with why, copies)."""
        version = self._current()
        return {"documents": version.documents(), "warm": version.warm(),
                "last_run": self.engine.last_run(), "indexing": self.indexing()}

    def indexing(self) -> dict | None:
        """``{"done", "total"}`` articles while a first build is still running, else None."""
        return self.engine.progress()

    # -- search --------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        """One page of results for ``request``, with facet counts over all matches."""
        started = time.perf_counter()
        if request.sort not in SORTS:
            raise BadQuery(f"Sort must be one of {', '.join(SORTS)}, not {request.sort!r}.")
        version = self._current()
        parsed = version.parse(request.q, self.aliases, self.max_query_length)
        # Kasym Jomart Tokayev is quoted as "Tokayev": the request says the values filtered.
        request = dataclasses.replace(request, filters=tuple(
            (f, self._as_quoted(v) if f == "speaker" else v) for f, v in request.filters))
        found = version.find(Ask(
            parsed=parsed, filters={f: frozenset(v) for f, v in request.filters if v},
            date_from=request.date_from, date_to=request.date_to,
            sort="-date" if request.sort == "relevance" and not parsed.has_terms else request.sort,
            first=(request.page - 1) * request.per_page, last=request.page * request.per_page,
            facets=tuple(BY_NAME if request.facets is None else request.facets),
            facet_values=FACET_VALUES, relax_below=RELAX_BELOW,
            corrections=self._corrections(), timeline=bool(request.per_page)))
        marker = highlight.Marker(version.highlight(parsed))
        results = tuple(self._result(doc, score, marker) for doc, score in found.page)
        suggestion = None
        if request.per_page and found.total < 3:
            better = version.suggest(parsed, found.total)
            suggestion = (_recase(parsed.text, better)
                          if better and _worth_offering(parsed.text, better) else None)
        # No document with only some of the words: nothing was relaxed.
        relaxed = (Relaxed(*found.relaxed) if found.relaxed and found.relaxed[1] != found.total
                   else None)
        return SearchResult(request, found.total, results, self._facets(found, request),
                            suggestion, time.perf_counter() - started, parsed.aliases, relaxed,
                            found.first_date, found.last_date,
                            timeline.build(found.date_counts) if request.per_page else None,
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
                   Corrections([settings.corpus / "entities.toml"]),
                   open_engine(settings.index, settings.engine, settings))

    def _facets(self, found: Found, request: SearchRequest) -> dict[str, tuple[FacetValue, ...]]:
        """Each counted facet's values as the pages show them: labelled, typed, selected."""
        facets = {}
        for name, counts in found.facets.items():
            selected = request.selected(name)
            label = BY_NAME[name].label_of
            kind = self.entities.kinds() if name == "mentioned" else (lambda value: "")
            facets[name] = tuple(FacetValue(value, count, value in selected, label(value),
                                            kind(value) or "") for value, count in counts)
        return facets

    def _as_quoted(self, wanted: tuple[str, ...]) -> tuple[str, ...]:
        """The speaker values a speaker filter stands for: a value the facet has as it is,
        another name of a person as the values they are quoted under (so that the facet
        counts and selects what is filtered)."""
        known = frozenset(self.names("speaker"))
        found = (s for v in wanted for s in ((v,) if v in known else self.spoken_as(v) or (v,)))
        return tuple(dict.fromkeys(found))

    def spoken_as(self, name: str) -> tuple[str, ...]:
        """Every speaker value that is ``name`` or the person it counts as (by the
        corpus's corrections, or a surname as the one full name it belongs to)."""
        mentioned = self.names("mentioned")
        person = self.entities.counted_as(name, mentioned)
        return tuple(s for s in self.names("speaker") if s in (name, person)
                     or self.entities.counted_as(s, mentioned) == person)

    def names(self, facet: str) -> tuple[str, ...]:
        """Every value of ``facet``: the people pages resolve a name against them."""
        return self._current().values(facet, self._corrections().get(facet))

    def _result(self, doc: Document, score: float, marker: highlight.Marker) -> ResultDoc:
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
        version = self._current()
        parsed = version.parse(q, self.aliases, self.max_query_length)
        return snippets.marked(doc, highlight.Marker(version.highlight(parsed)))

    # -- documents and passages ----------------------------------------------------------
    def document(self, doc_id: str) -> Document | None:
        """The stored document ``doc_id``, or None."""
        return self._current().document(doc_id)

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

    def identical(self, text: str) -> list[tuple[Document, Passage]]:
        """Every passage holding exactly ``text`` now, under whatever id: where a passage
        whose document left the archive (a file moved or renamed) stands now."""
        return identical.passages(self._current(), text)

    def copies_of(self, doc: Document) -> list[str]:
        """Corpus files that hold the same article as ``doc`` and were not indexed apart."""
        return list(self._current().copies_of(doc.relpath))

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
        """Whether ``quote`` stands in the archive verbatim, altered, contradicted, or not at all."""
        if not quote.strip():
            raise BadQuery("Paste a quote to check.")
        if len(quote) > 20 * self.max_query_length:
            raise BadQuery(f"The quote has {len(quote):,} characters; the check takes at most "
                           f"{20 * self.max_query_length:,}. Check it a few paragraphs at a time.")
        groups = self.aliases.groups()
        known = self._concepts
        if known is None or known[0] is not groups:  # the same list until alias files change
            known = self._concepts = (groups, verify.Concepts(groups))
        return quotes.check(quote, self._current(), self.aliases, known[1], limit)
