"""What the search service answers, as plain records, and their JSON: the API, the CLI's
``--json``, the exports and the pages all print these objects. (A person, a story and a
collection have theirs beside their records: ``people``, ``story``, ``dossier``.)"""

from __future__ import annotations

import dataclasses

from core.files import format_of
from core.records import Document, Passage
from search.alignment import changed_facts
from search.timeline import Timeline
from search.verify import Check, Match, diff
from search.wording import marked_sentences


@dataclasses.dataclass(frozen=True)
class SearchRequest:
    """Everything that defines one page of results (all of it lives in the URL)."""

    q: str = ""
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    # Dates of any precision (2022, 2022-01, 2022-01-07): documents dated wholly inside.
    date_from: str = ""
    date_to: str = ""
    # The facets to count (None: all of them; a batch asks for the outlets only).
    facets: tuple[str, ...] | None = None

    def selected(self, facet: str) -> tuple[str, ...]:
        return dict(self.filters).get(facet, ())


@dataclasses.dataclass(frozen=True)
class PassageHit:
    passage_id: str
    text: str
    html: str
    start: int
    end: int
    # Words found under another spelling: (as typed, as written).
    variants: tuple[tuple[str, str], ...] = ()
    # A few short stretches around the hits, as HTML (``html`` is the whole passage).
    fragment: str = ""


@dataclasses.dataclass(frozen=True)
class ResultDoc:
    doc_id: str
    title: str
    outlet: str
    url: str | None
    date: str | None
    language: str
    authors: tuple[str, ...]
    score: float
    passages: tuple[PassageHit, ...]
    # Words of the title found under another spelling: (as typed, as written).
    title_variants: tuple[tuple[str, str], ...] = ()

    @property
    def explain(self) -> tuple[str, ...]:
        """Why a differently spelt word matched: "Kerimli matched Kərimli"."""
        pairs = [*self.title_variants, *(pair for p in self.passages for pair in p.variants)]
        return tuple(dict.fromkeys(f"{typed} matched {found}" for typed, found in pairs))


@dataclasses.dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool
    label: str = ""  # what a person reads, when it is not the value itself
    kind: str = ""  # a mentioned name's type: person, organisation or place


@dataclasses.dataclass(frozen=True)
class Relaxed:
    """Too few documents hold every word typed: documents with some of them follow those
    with all of them."""

    words: int  # words that matter (the commonest words typed are left out)
    complete: int  # documents holding all of them

    @property
    def sentence(self) -> str:
        if not self.complete:
            return (f"No document has all {self.words} search words; showing documents with "
                    "some of them.")
        some = f"{self.complete} document has" if self.complete == 1 else f"{self.complete} documents have"
        return f"Only {some} all {self.words} search words; documents with some of them follow."

    def to_json(self) -> dict:
        return {"words": self.words, "all_words": self.complete, "message": self.sentence}


@dataclasses.dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    results: tuple[ResultDoc, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    suggestion: str | None
    seconds: float
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (as typed, names searched)
    relaxed: Relaxed | None = None
    # The earliest and the latest date among all matches (undated ones aside).
    first_date: str | None = None
    last_date: str | None = None
    timeline: Timeline | None = None
    # Words whose "?" was read as a question mark though no document has them: (the
    # word, the query searching the words that begin with it instead).
    questions: tuple[tuple[str, str], ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.per_page))

    @property
    def verb(self) -> str:
        return count_verb(self.total, self.relaxed is not None)

    def to_json(self) -> dict:
        """The ``/api/search`` object of the contract."""
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "sort": self.request.sort,
            "filters": {k: list(v) for k, v in self.request.filters},
            "from": self.request.date_from or None,
            "to": self.request.date_to or None,
            "results": [result_json(r) for r in self.results],
            "facets": {
                name: [{"value": v.value, "label": v.label or v.value, "count": v.count,
                        "selected": v.selected, **({"type": v.kind} if v.kind else {})}
                       for v in values]
                for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "aliases": [{"typed": typed, "searched": list(names)}
                        for typed, names in self.aliases],
            "relaxed": self.relaxed.to_json() if self.relaxed else None,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "timeline": self.timeline.to_json() if self.timeline else None,
            "question_marks": [{"word": word, "instead": instead,
                                "message": question_sentence(word, instead)}
                               for word, instead in self.questions],
        }

    def batch_json(self) -> dict:
        """One row of ``/api/batch``: how much the archive holds of one query, counted as
        its results page counts (``relaxed`` says when that is documents with some of the
        words)."""
        return {"query": self.request.q, "total": self.total,
                "outlets": [{"value": v.value, "count": v.count}
                            for v in self.facets.get("outlet", ()) if v.count],
                "first_date": self.first_date, "last_date": self.last_date,
                "relaxed": self.relaxed.to_json() if self.relaxed else None}


def count_verb(total: int, relaxed: bool) -> str:
    """What the count says of the query: "match", or when relaxed, that the documents
    have some of its words (never that they match every word)."""
    one = total == 1
    if relaxed:
        return f"{'has' if one else 'have'} some of the words of"
    return "matches" if one else "match"


def question_sentence(word: str, instead: str) -> str:
    """Why a "?" read as punctuation may not be what was meant, and what to type instead."""
    return (f"The “?” after {word} was read as a question mark, and no document has the "
            f"word {word}; for the words that begin with it, search {instead}.")


def result_json(r: ResultDoc) -> dict:
    """One document of ``/api/search``'s results."""
    return {
        "doc_id": r.doc_id, "title": r.title, "outlet": r.outlet, "url": r.url,
        "date": r.date, "language": r.language, "authors": list(r.authors),
        "score": r.score, "explain": list(r.explain),
        "passages": [{"passage_id": p.passage_id, "text": p.text, "html": p.html,
                      "fragment": p.fragment, "start": p.start, "end": p.end}
                     for p in r.passages],
    }


def document_json(doc: Document, copies: list[str] = ()) -> dict:
    """``/api/documents/<id>``, and ``presscut extract --json``."""
    meta = doc.metadata
    return {
        "doc_id": doc.doc_id, "title": meta.title, "outlet": meta.outlet, "url": meta.url,
        "date": meta.date, "language": meta.language, "authors": list(meta.authors),
        "text": doc.text,
        "passages": [{"passage_id": p.passage_id, "start": p.start, "end": p.end}
                     for p in doc.passages],
        "removed": list(doc.removed),
        "file": doc.relpath, "encoding": doc.encoding, "cleaner_version": doc.cleaner_version,
        "metadata_sources": meta.sources, "speakers": list(doc.speakers),
        "copies": list(copies),
    }


def passage_json(doc: Document, p: Passage, permalink: str, elsewhere: list[Match]) -> dict:
    """``/api/passages/<id>``."""
    meta = doc.metadata
    return {
        "passage_id": p.passage_id, "doc_id": doc.doc_id, "text": doc.passage_text(p),
        "start": p.start, "end": p.end, "title": meta.title, "outlet": meta.outlet,
        "url": meta.url, "date": meta.date, "language": meta.language,
        "speakers": list(p.speakers), "kind": p.kind, "document_speakers": list(doc.speakers),
        "page": p.page, "format": format_of(doc.relpath), "permalink": permalink,
        "other_places": [match_json(m) for m in elsewhere],
    }


def match_json(m: Match, diff: list[tuple[str, str]] | None = None, quote: str = "") -> dict:
    """One entry of ``/api/verify``'s ``matches``; ``text`` is the archived text as
    published, and ``diff`` says which side has which words (``-`` the quote only,
    ``+`` the archive only, ``=`` both, ``~`` archive text around the quoted stretch;
    ``fact``: a changed figure or name; ``cut``: the quote ends the sentence where the
    archive's goes on); ``dropped_negation``: an ellipsis of the quote stands for a
    "not"; ``skipped_passages``: one stands for whole paragraphs). A match the quote reverses says what it
    reverses (``reversed``) and gives the sentence as published with those words marked."""
    meta = m.doc.metadata
    found = {"passage_id": m.passage.passage_id, "doc_id": m.doc.doc_id,
             "passage_ids": [p.passage_id for p in m.passages],
             "outlet": meta.outlet, "title": meta.title, "date": meta.date, "url": meta.url,
             "similarity": m.similarity, "exact": m.exact, "cut": m.cut,
             "dropped_negation": m.dropped, "skipped_passages": m.skipped, "text": m.text,
             "reversed": [{"quote": r.quote, "archive": r.archive} for r in m.reversed]}
    if m.reversed:
        found["sentences"] = [[{"text": text, "reversed": marked} for text, marked in sentence]
                              for sentence in marked_sentences(m.text, [(r.start, r.end)
                                                                        for r in m.reversed])]
    if diff is not None:
        marks, changes = changed_facts(quote, diff)
        found["diff"] = [{"op": op, "text": text, **({"fact": marks[k]} if k in marks else {})}
                         for k, (op, text) in enumerate(diff)]
        found["changes"] = [{"kind": kind, "quote": quoted, "archive": archived}
                            for kind, quoted, archived in changes]
    return found


def verify_json(check: Check) -> dict:
    """``POST /api/verify``, ``GET /verify`` and ``presscut verify --json``."""
    return {"quote": check.quote, "verdict": check.verdict,
            "matches": [match_json(m, diff(check.quote, m.text, m.cut), check.quote) for m in check.matches],
            "nearest": [match_json(m) for m in check.nearest]}
