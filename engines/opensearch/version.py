"""One version of the OpenSearch index (the alias's index at one commit) answering the
engine protocol: one ``_search`` per question (a second when plain words are relaxed),
facets as aggregations, documents from ``_source`` (docs/opensearch.md §4)."""

from __future__ import annotations

import functools
import threading
from pathlib import Path

from opensearchpy import OpenSearch
from whoosh import qparser
from whoosh.query import Term

from core import dates
from core.aliases import AliasTable
from core.analysis import WORD, fold, stem
from core.errors import BadQuery
from core.marks import Highlight
from core.records import Document
from engines import folder
from engines.opensearch import facets, mapping
from engines.opensearch.client import whole
from engines.opensearch.translate import fuzzy_leaves, translate
from engines.protocol import Ask, Found, ValueMap
from engines.whoosh import query
from engines.whoosh.query import ParsedQuery
from engines.whoosh.schema import build_schema

ALL_WORDS = 1000.0  # added to documents holding every relaxed word (float32 keeps 4 decimals)
WINDOW = 10_000  # OpenSearch's max_result_window: results past it are not listed
FUZZY_DOCUMENTS = 200  # documents read for the forms a fuzzy word found


@functools.cache
def schema():
    """Whoosh's schema, for its query parser only (no Whoosh index is opened)."""
    return build_schema()


class OpenSearchVersion:
    """The index behind the alias as it stood at one commit."""

    def __init__(self, client: OpenSearch, alias: str, key: str, path: Path, guard):
        self.client, self.alias, self.key, self.path, self.guard = client, alias, key, path, guard
        self.lock = threading.Lock()
        self.frequencies: dict[str, int] = {}
        self.forms: dict[str, bool] = {}
        self.raw: dict[str, tuple[str, ...]] = {}
        self.grouped: dict[tuple, dict[str, list[str]]] = {}

    def _search(self, body: dict) -> dict:
        # A shard that cannot be read (its node stopping) fails the search rather than
        # leaving its documents out of the answer.
        with self.guard():
            return whole(self.client.search(index=self.alias, body=body,
                                            allow_partial_search_results=False))

    def _count(self, query: dict | None = None) -> int:
        with self.guard():
            found = self.client.count(index=self.alias, body={"query": query} if query else None)
        return int(whole(found)["count"])

    @functools.cached_property
    def date_values(self) -> tuple[str, ...]:
        """The index's distinct dates ("" for undated), which date queries pick from."""
        aggs = self._search({"size": 0, "aggs": {"d": {"terms": {"field": "date", "size": 100_000}}}})
        return tuple(sorted(b["key"] for b in aggs["aggregations"]["d"]["buckets"]))

    def documents(self) -> int:
        return self._count()

    def warm(self) -> bool:
        return True  # nothing to read ahead: the cluster holds it

    def parse(self, text: str, aliases: AliasTable | None = None, max_length: int = 1000) -> ParsedQuery:
        # No stem variants: a plain word's group is its stem in the _stem fields.
        return query.parse(text, schema(), max_length, aliases, {}, self.date_values, self._holds)

    def _holds(self, folded: str) -> bool:
        """Whether a title or text holds the folded word in this very form."""
        if folded not in self.forms:
            either = [{"term": {field: folded}} for field in ("title", "exact")]
            self.forms[folded] = self._count({"bool": {"should": either}}) > 0
        return self.forms[folded]

    def find(self, ask: Ask) -> Found:
        parsed: ParsedQuery = ask.parsed
        having = self._filters(ask)
        dated = [having.pop("date")] if "date" in having else []
        matched = translate(parsed.query)
        answer = self._find(ask, matched, dated, having)
        relaxed = None
        parts = query.plain_words(parsed)
        total = answer["hits"]["total"]["value"]
        if len(parts) > 1 and total < ask.relax_below:
            # Any of the words, documents with all of them first (WhooshVersion._relax).
            each = [translate(part) for part in parts]
            every = {"constant_score": {"filter": {"bool": {"must": each}}, "boost": ALL_WORDS,
                                        "_name": "all_words"}}
            answer = self._find(ask, {"bool": {"should": [*each, every], "minimum_should_match": 1}},
                                dated, having)
            relaxed = (len(parts), total)
        aggs = answer["aggregations"]
        counted = facets.date_counts(aggs)
        first, last = facets.span(counted)
        return Found(total=answer["hits"]["total"]["value"],
                     page=tuple(self._hit(hit) for hit in answer["hits"]["hits"]),
                     facets={name: facets.read(name, aggs, ask, self.groups) for name in ask.facets},
                     relaxed=relaxed, first_date=first, last_date=last,
                     date_counts=counted if ask.timeline else {})

    def _find(self, ask: Ask, matched: dict, dated: list, having: dict) -> dict:
        sort = ({"relevance": ["_score"], "-date": [{"date": "desc"}], "date": [{"date": "asc"}]}
                [ask.sort] + [{"doc_id": "asc"}])
        first = min(ask.first, WINDOW)
        body = {"track_total_hits": True, "track_scores": True, "from": first,
                "size": max(0, min(ask.last, WINDOW) - first), "_source": ["record", "exact"],
                "query": {"bool": {"must": [matched], "filter": dated}},
                "post_filter": {"bool": {"filter": list(having.values())}},
                "sort": sort, "aggs": facets.aggregations(ask, having, self.groups)}
        return self._search(body)

    def _hit(self, hit: dict) -> tuple[Document, float]:
        score = hit.get("_score") or 0.0
        if "all_words" in hit.get("matched_queries", ()):
            score -= ALL_WORDS
        return mapping.stored(hit["_source"]), round(score, 6)

    def _filters(self, ask: Ask) -> dict[str, dict]:
        """A filter clause per facet filtered (OR within, AND across) and for the dates."""
        having = {}
        for name, values in ask.filters.items():
            if values:
                raw = facets.raw_selected(name, values, ask.corrections.get(name), self.groups)
                having[name] = {"terms": {mapping.FACET_FIELDS[name]: sorted(raw)}}
        if ask.date_from or ask.date_to:
            try:
                inside = dates.within(self.date_values, ask.date_from, ask.date_to)
            except dates.BadDate as exc:
                raise BadQuery(str(exc)) from None
            having["date"] = {"terms": {"date": inside}}
        return having

    def raw_values(self, name: str) -> tuple[str, ...]:
        """Every value a facet holds (the corrections map them), read once a version."""
        with self.lock:
            if name not in self.raw:
                every = {"terms": {"field": mapping.FACET_FIELDS[name], "size": facets.ALL}}
                aggs = self._search({"size": 0, "aggs": {"v": every}})
                self.raw[name] = tuple(sorted(b["key"] for b in aggs["aggregations"]["v"]["buckets"]))
            return self.raw[name]

    def values(self, facet: str, corrections: ValueMap | None = None) -> tuple[str, ...]:
        """Every value of ``facet``, or every name ``corrections`` count its values as."""
        raw = self.raw_values(facet)
        return raw if corrections is None else corrections.mapping(raw)[1]

    def groups(self, name: str, corrections: ValueMap) -> dict[str, list[str]]:
        """Each name ``corrections`` count in facet ``name``, with the raw values counted as
        it (worked out once while the corrections' stamp stays: a search needs it twice)."""
        stamp = (name, corrections.stamp)
        with self.lock:
            found = self.grouped.get(stamp)
        if found is None:
            found = facets.merged(self.raw_values(name), corrections)
            with self.lock:
                self.grouped = {key: value for key, value in self.grouped.items() if key[0] != name}
                self.grouped[stamp] = found
        return found

    def highlight(self, parsed: ParsedQuery) -> Highlight:
        fuzzy = fuzzy_leaves(parsed.query)
        return query.highlight_for(parsed, lambda field: self._near_words(fuzzy))

    def _near_words(self, fuzzy) -> list[str]:
        """The folded words of the documents a fuzzy word finds: the vocabulary its forms
        are taken from (the index's own vocabulary is not listed by OpenSearch)."""
        if not fuzzy:
            return []
        hits = self._search({"size": FUZZY_DOCUMENTS, "_source": ["record.metadata.title", "exact"],
                             "query": {"bool": {"should": [translate(q) for q in fuzzy]}}})
        found = {fold(w) for hit in hits["hits"]["hits"] for w in WORD.findall(
            f"{hit['_source']['record']['metadata']['title']}\n{hit['_source']['exact']}")}
        return sorted(found)

    def suggest(self, parsed: ParsedQuery, total: int) -> str | None:
        if not parsed.has_terms:
            return None
        try:
            typed = qparser.QueryParser("exact", schema()).parse(parsed.text)
        except Exception:  # a suggestion is a nicety; never fail a search for it
            return None
        terms = [t for t in typed.leaves() if type(t) is Term and t.fieldname == "exact"
                 and getattr(t, "startchar", None) is not None]
        if not terms:
            return None
        spec = {f"w{n}": {"text": t.text, "term": {
            "field": "exact", "suggest_mode": "missing", "max_edits": 2, "prefix_length": 0,
            "min_word_length": 1, "sort": "frequency", "size": 1}} for n, t in enumerate(terms)}
        answer = self._search({"size": 0, "suggest": spec})["suggest"]
        text = parsed.text
        for n, term in sorted(enumerate(terms), key=lambda nt: -nt[1].startchar):
            options = [o for entry in answer[f"w{n}"] for o in entry["options"]]
            if options:
                text = text[:term.startchar] + options[0]["text"] + text[term.endchar:]
        if text == parsed.text:
            return None
        try:
            better = self.parse(text)
        except BadQuery:
            return None
        return text if self._count(translate(better.query)) > total else None

    def document(self, doc_id: str) -> Document | None:
        found = self._search({"size": 1, "query": {"term": {"doc_id": doc_id}},
                              "_source": ["record", "exact"]})["hits"]["hits"]
        return mapping.stored(found[0]["_source"]) if found else None

    def copies_of(self, relpath: str) -> list[str]:
        return sorted(copy for copy, known in folder.copies(self.path.resolve()).items()
                      if known.get("original") == relpath)

    def frequency(self, folded: str) -> int:
        if folded not in self.frequencies:
            self.frequencies[folded] = self._count({"term": {"exact_stem": stem(folded)}})
        return self.frequencies[folded]

