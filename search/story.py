"""The story of a search: the same statement carried by several outlets, one line each,
earliest first (the same-statement matching of the passage pages, over the best
passages of the top results)."""

from __future__ import annotations

import dataclasses

from core.records import Document, Passage
from search.results import SearchRequest
from search.service import SearchService

# Results whose passages are followed across the archive (each costs a quote check).
DOCUMENTS = 20


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
    for hit in result.results:
        doc = service.document(hit.doc_id)
        for shown in hit.passages:
            passage = next(p for p in doc.passages if p.passage_id == shown.passage_id)
            if passage.passage_id in seen:
                continue
            others = service.elsewhere(doc, passage)
            carriers = [Carrier(doc, passage, True)] + [
                Carrier(m.doc, m.passage, m.exact) for m in others if m.passage.passage_id not in seen]
            seen.update(c.passage.passage_id for c in carriers)
            if len({c.doc.metadata.outlet for c in carriers}) > 1:
                carriers.sort(key=lambda c: (c.doc.metadata.date or "9999", c.doc.metadata.outlet))
                found.append(Line(tuple(carriers)))
    return sorted(found, key=lambda line: -line.outlets)
