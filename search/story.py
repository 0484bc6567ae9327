"""The story of a search: the same statement carried by several outlets, one line each,
earliest first (the same-statement matching of the passage pages, over the best
passages of the top results)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from core.analysis import WORD
from core.records import Document, Passage
from search.results import ResultDoc, SearchRequest
from search.service import SearchService

# Results whose passages are followed across the archive, and passages at most: each is a
# quote check of a paragraph (a tenth of a second or more), and a fuzzy query's twenty
# results of three passages took seconds.
DOCUMENTS = 10
PASSAGES = 12
# Words in a row that a passage (in its middle, where a quotation it carries mostly is)
# and another outlet's document must share for the results page to link the story.
RUN = 6


@dataclasses.dataclass(frozen=True)
class Carrier:
    doc: Document
    passage: Passage
    exact: bool


@dataclasses.dataclass(frozen=True)
class Line:
    """One statement and every outlet that carried it, earliest first."""

    carriers: tuple[Carrier, ...]

    @property
    def first(self) -> Carrier:
        return self.carriers[0]

    @property
    def outlets(self) -> int:
        return len({c.doc.metadata.outlet for c in self.carriers})


def lines(service: SearchService, request: SearchRequest) -> list[Line]:
    """Statements of the top results that stand in more than one outlet, the most widely
    carried first."""
    result = service.search(dataclasses.replace(request, page=1, per_page=DOCUMENTS))
    seen: set[str] = set()
    found: list[Line] = []
    followed = 0
    for hit in result.results:
        doc = service.document(hit.doc_id)
        for shown in hit.passages:
            passage = next(p for p in doc.passages if p.passage_id == shown.passage_id)
            if passage.passage_id in seen or followed == PASSAGES:
                continue
            followed += 1
            others = service.elsewhere(doc, passage)
            carriers = [Carrier(doc, passage, True)] + [
                Carrier(m.doc, m.passage, m.exact) for m in others if m.passage.passage_id not in seen]
            seen.update(c.passage.passage_id for c in carriers)
            if len({c.doc.metadata.outlet for c in carriers}) > 1:
                carriers.sort(key=lambda c: (c.doc.metadata.date or "9999", c.doc.metadata.outlet))
                found.append(Line(tuple(carriers)))
    return sorted(found, key=lambda line: -line.outlets)


def likely(service: SearchService, hits: Sequence[ResultDoc]) -> bool:
    """Whether a story of these results (a page's first five) is worth a link: the best
    passage of one of them shares RUN words in a row with a document of another outlet.
    One search (the runs as phrases), where the story is a quote check of each passage."""
    runs: dict[str, str] = {}  # run of words, lowercased -> outlet of the passage holding it
    for hit in hits:
        words = WORD.findall(hit.passages[0].text) if hit.passages else []
        if len(words) >= RUN:
            start = len(words) // 2 - RUN // 2
            runs.setdefault(" ".join(words[start : start + RUN]).lower(), hit.outlet)
    phrases = [f'"{run}"' for run in runs]
    while len(" OR ".join(phrases)) > service.max_query_length:
        phrases.pop()
    if not phrases:
        return False
    holding = service.search(SearchRequest(q=" OR ".join(phrases), per_page=0, facets=()))
    if holding.total > len(hits):
        return True  # a document besides the results' own holds one of their runs
    # Or one of the results holds another's run.
    for hit in hits:
        text = " ".join(WORD.findall(service.document(hit.doc_id).text)).lower()
        if any(run in text and outlet != hit.outlet for run, outlet in runs.items()):
            return True
    return False
