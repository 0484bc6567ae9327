"""A person (or body) as the archive quotes them, or anyone or anything as the archive
mentions them: every passage attributed to them (or naming them), by date, with the
outlets, the spellings their name takes in those passages, and how many passages each
month (the JSON ``/api/speakers/<name>`` and ``/api/entities/<name>``).

One person has one name, whichever way they appear: a speaker known by surname
("Tokayev") is the person the mentions name in full ("Kasym Jomart Tokayev"), by the
corpus's corrections (:meth:`Corrections.counted_as`), and has one page (:func:`page`)."""

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


@dataclasses.dataclass(frozen=True)
class Page:
    """One person's page: what they are quoted saying, then the other passages naming
    them; ``person`` is all of these together (the counts, timeline and outlets)."""

    person: Person
    quoted: Person | None
    named: Person | None
    spoken_as: tuple[str, ...]  # the speaker names that are this person

    @property
    def others(self) -> tuple[Statement, ...]:
        """The passages naming them that do not quote them."""
        return self.person.statements[len(self.quoted.statements) if self.quoted else 0:]

    @property
    def truncated(self) -> bool:
        return any(p.truncated for p in (self.quoted, self.named) if p)

    @property
    def summary(self) -> str:
        """"Quoted in 2 passages of 1 document; named in 5 more, by 5 outlets"."""
        quoted, named, outlets = self.quoted, self.named, len(self.person.outlets)
        parts = [f"Quoted in {_count(len(quoted.statements), 'passage')} of "
                 f"{_count(quoted.documents, 'document')}"] if quoted else []
        if named and quoted and self.others:
            parts.append(f"named in {len(self.others)} more")
        elif named and not quoted:
            parts.append(f"Named in {_count(len(self.others), 'passage')} of "
                         f"{_count(named.documents, 'document')}")
        return "; ".join(parts) + (f", by {_count(outlets, 'outlet')}" if outlets else "")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def name_of(service: SearchService, name: str) -> str:
    """The one name the archive knows the person (or body) ``name`` by."""
    names = service.names("mentioned")
    known = service.entities.counted_as(name, names)
    # A name the corrections send on again (a chain or a loop in the file) stays as asked.
    return known if service.entities.counted_as(known, names) == known else name


def quoted(service: SearchService, name: str) -> Person | None:
    """Everything the person ``name`` stands for is quoted saying, under any speaker name
    that is theirs, oldest first; None when the archive quotes them nowhere."""
    person = name_of(service, name)
    return _quoted(service, person, _spoken_as(service, person))


def _spoken_as(service: SearchService, person: str) -> tuple[str, ...]:
    mentioned = service.names("mentioned")
    return tuple(s for s in service.names("speaker")
                 if s == person or service.entities.counted_as(s, mentioned) == person)


def _quoted(service: SearchService, person: str, spoken_as: tuple[str, ...]) -> Person | None:
    return _statements(service, "speaker", spoken_as, person,
                       lambda passage: any(s in spoken_as for s in passage.speakers))


def mentioned(service: SearchService, name: str) -> Person | None:
    """Every passage naming ``name`` (a mentioned facet value, under the corpus's
    corrections, or any name of theirs), oldest first; None when no document mentions it."""
    name = name_of(service, name)
    merged = service.entities.merged_into(name)
    found = _statements(service, "mentioned", (name,), name,
                        lambda passage: any(m in merged for m in passage.mentions))
    return dataclasses.replace(found, kind=service.entities.kind(name) or "") if found else None


def page(service: SearchService, name: str) -> Page | None:
    """The page of the person ``name`` is (see :func:`name_of`): None when the archive
    neither quotes nor names them."""
    person = name_of(service, name)
    spoken_as = _spoken_as(service, person)
    said, named = _quoted(service, person, spoken_as), mentioned(service, person)
    if said is None and named is None:
        return None
    seen = {s.passage.passage_id for s in said.statements} if said else set()
    statements = [*(said.statements if said else ()),
                  *(s for s in (named.statements if named else ())
                    if s.passage.passage_id not in seen)]
    everyone = _person(person, "mentioned" if named else "speaker", statements,
                       len({s.doc.doc_id for s in statements}))
    return Page(dataclasses.replace(everyone, kind=named.kind if named else ""), said, named,
                spoken_as)


def _statements(service: SearchService, facet: str, values: tuple[str, ...], name: str,
                holds) -> Person | None:
    if not values:
        return None
    request = SearchRequest(filters=((facet, values),), sort="date", per_page=LIMIT)
    result = service.search(request)
    if not result.total:
        return None
    statements = []
    for hit in result.results:
        doc = service.document(hit.doc_id)
        statements += [Statement(doc, p) for p in doc.passages if holds(p)]
    return _person(name, facet, statements[:LIMIT], result.total)


def _person(name: str, facet: str, statements: list[Statement], documents: int) -> Person:
    months = Counter(s.doc.metadata.month for s in statements if s.doc.metadata.month)
    outlets = Counter(s.doc.metadata.outlet for s in statements)
    return Person(name, facet, tuple(statements), documents, tuple(outlets.most_common()),
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
