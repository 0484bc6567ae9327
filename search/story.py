"""The story of a search: the same statement carried by several outlets, one line each,
earliest first (the same-statement matching of the passage pages, over the best
passages of the top results)."""

from __future__ import annotations

import dataclasses
import time
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
# And no longer than this: a paragraph's check took a second on a busy machine. The page
# says when the time ran out before the passages did.
SECONDS = 2.0
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


@dataclasses.dataclass(frozen=True)
class Story:
    """The lines found, most widely carried first, and how far the following went."""

    lines: tuple[Line, ...]
    followed: int  # passages followed across the archive
    complete: bool  # False when the time allowed ran out before the last of them


def follow(service: SearchService, request: SearchRequest) -> Story:
    """Statements of the top results that stand in more than one outlet: the best passage
    of each result first, then their second best, until PASSAGES or SECONDS are spent."""
    started = time.monotonic()
    result = service.search(dataclasses.replace(request, page=1, per_page=DOCUMENTS))
    most = max((len(hit.passages) for hit in result.results), default=0)
    queue = [(hit.doc_id, hit.passages[rank].passage_id) for rank in range(most)
             for hit in result.results if rank < len(hit.passages)]
    seen: set[str] = set()
    found: list[Line] = []
    followed = 0
    for doc_id, passage_id in queue:
        if passage_id in seen:
            continue
        if followed == PASSAGES or (followed and time.monotonic() - started > SECONDS):
            return Story(_widest_first(found), followed, followed == PASSAGES)
        followed += 1
        doc = service.document(doc_id)
        passage = next(p for p in doc.passages if p.passage_id == passage_id)
        carriers = [Carrier(doc, passage, True)] + [
            Carrier(m.doc, m.passage, m.exact) for m in service.elsewhere(doc, passage)
            if m.passage.passage_id not in seen]
        seen.update(c.passage.passage_id for c in carriers)
        if len({c.doc.metadata.outlet for c in carriers}) > 1:
            carriers.sort(key=lambda c: (c.doc.metadata.date or "9999", c.doc.metadata.outlet))
            found.append(Line(tuple(carriers)))
    return Story(_widest_first(found), followed, True)


def _widest_first(found: list[Line]) -> tuple[Line, ...]:
    return tuple(sorted(found, key=lambda line: -line.outlets))


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


def story_json(story: Story, permalink) -> dict:
    """``/api/story``: statements carried by several outlets, each with its carriers, and
    how many passages were followed (``complete`` false when the time allowed ran out)."""
    return {"lines": [{"outlets": line.outlets, "carriers": [
        {"passage_id": c.passage.passage_id, "text": c.doc.passage_text(c.passage),
         "doc_id": c.doc.doc_id, "outlet": c.doc.metadata.outlet, "date": c.doc.metadata.date,
         "title": c.doc.metadata.title, "language": c.doc.metadata.language, "verbatim": c.exact,
         "permalink": permalink(c.passage.passage_id)} for c in line.carriers]}
        for line in story.lines], "followed": story.followed, "complete": story.complete}
