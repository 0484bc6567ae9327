"""A person (or body) as the archive quotes them, or anyone or anything as the archive
mentions them: every passage attributed to them (or naming them), by date, with the
outlets, the spellings their name takes in those passages, and how many passages each
month (the pages ``/speaker/<name>`` and ``/entity/<name>`` and their JSON twins)."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from core.names import name_key
from core.records import Document, Passage
from search.results import SearchRequest
from search.service import SearchService

# Passages listed on one page: a person quoted more often is narrowed by date or outlet.
LIMIT = 500
_WORD = re.compile(r"\w+")


@dataclasses.dataclass(frozen=True)
class Statement:
    doc: Document
    passage: Passage

    @property
    def text(self) -> str:
        return self.doc.passage_text(self.passage)


@dataclasses.dataclass(frozen=True)
class Person:
    name: str
    # "speaker" (quoted) or "mentioned"; for a mentioned name, its type.
    facet: str
    statements: tuple[Statement, ...]
    # Documents quoting them, all of them (``statements`` may stop at LIMIT).
    documents: int
    outlets: tuple[tuple[str, int], ...]
    months: tuple[tuple[str, int], ...]
    spellings: tuple[tuple[str, int], ...]
    kind: str = ""

    @property
    def truncated(self) -> bool:
        return len(self.statements) >= LIMIT

    @property
    def when(self) -> str:
        """When its passages are dated, at the dates' own precision: "on 2022-01-08" once
        when the first and the last agree (they said "2022-01 to 2022-01"), "in 2022-01"
        for a month, else "2022-01-07 to 2022-01-10"; empty when none is dated."""
        dated = sorted(s.doc.metadata.date for s in self.statements if s.doc.metadata.date)
        if not dated:
            return ""
        first, last = dated[0], dated[-1]
        if first != last:
            return f"{first} to {last}"
        return f"on {first}" if len(first) == 10 else f"in {first}"


def quoted(service: SearchService, name: str) -> Person | None:
    """Everything ``name`` (a speaker facet value) is quoted saying, oldest first; None when
    the archive quotes no one by that name."""
    return _statements(service, "speaker", name, lambda passage: name in passage.speakers)


def mentioned(service: SearchService, name: str) -> Person | None:
    """Every passage naming ``name`` (a mentioned facet value, under the corpus's
    corrections), oldest first; None when no document mentions it."""
    merged = service.entities.merged_into(name)
    found = _statements(service, "mentioned", name,
                        lambda passage: any(m in merged for m in passage.mentions))
    return dataclasses.replace(found, kind=service.entities.kind(name) or "") if found else None


def _statements(service: SearchService, facet: str, name: str, holds) -> Person | None:
    request = SearchRequest(filters=((facet, (name,)),), sort="date", per_page=LIMIT)
    result = service.search(request)
    if not result.total:
        return None
    statements = []
    for hit in result.results:
        doc = service.document(hit.doc_id)
        statements += [Statement(doc, p) for p in doc.passages if holds(p)]
    statements = statements[:LIMIT]
    months = Counter(s.doc.metadata.month for s in statements if s.doc.metadata.month)
    outlets = Counter(s.doc.metadata.outlet for s in statements)
    return Person(name, facet, tuple(statements), result.total, tuple(outlets.most_common()),
                  tuple(sorted(months.items())), _spellings(name, statements))


def _spellings(name: str, statements: list[Statement]) -> tuple[tuple[str, int], ...]:
    """How the name's last word is written in the passages quoting them ("Kərimli",
    "Kerimli", "Керимли"), most frequent first."""
    words = _WORD.findall(name)
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return ()  # a body ("National Council of Democratic Forces"), not a person's name
    key = name_key(words[-1])
    if key is None:
        return ()
    seen = Counter(word for s in statements for word in _WORD.findall(s.text)
                   if word[:1].isupper() and name_key(word) == key)
    return tuple(seen.most_common())
