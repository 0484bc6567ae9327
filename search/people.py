"""A person (or body) as the archive quotes them, or anyone or anything as the archive
mentions them: every passage attributed to them (or naming them), by date, with the
outlets, the spellings their name takes in those passages, and how many passages each
month (the JSON ``/api/speakers/<name>`` and ``/api/entities/<name>``).

One person has one name, whichever way they appear: a speaker known by surname
("Tokayev") is the person the mentions name in full ("Kasym Jomart Tokayev"), by the
corpus's corrections (:meth:`Corrections.counted_as`), and has one page (``/entity/<name>``,
rendered from these objects' JSON: :func:`person_json`)."""

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
    # The facet's values that are this person: a search for them is ``<facet>=<value>``.
    values: tuple[str, ...]
    kind: str = ""

    @property
    def truncated(self) -> bool:
        return len(self.statements) >= LIMIT



def name_of(service: SearchService, name: str) -> str:
    """The one name the archive knows the person (or body) ``name`` by."""
    names = service.names("mentioned")
    known = service.entities.counted_as(name, names)
    if known not in names:
        known = _written_otherwise(service, known, names)
    # A name the corrections send on again (a chain or a loop in the file) stays as asked.
    return known if service.entities.counted_as(known, names) == known else name


def _written_otherwise(service: SearchService, name: str, names: tuple[str, ...]) -> str:
    """The one name among ``names`` that ``name`` writes another way: in another script or
    spelling ("Əli Kərimli", "Али Керимли": Ali Karimli), or as an alias (KTMT: CSTO)."""
    key = name_key(name)
    found = _by_key(names).get(key, []) if key else []
    if len(found) != 1:
        listed = frozenset(names)
        found = [v.text for v in service.aliases.group_of(name)
                 if not v.prefix and v.text in listed]
    return found[0] if len(found) == 1 else name


# The last names asked about, by name key: a page asks for one name among thousands.
_KEYED: list = [None, {}]


def _by_key(names: tuple[str, ...]) -> dict[str, list[str]]:
    if _KEYED[0] is not names:
        keyed: dict[str, list[str]] = {}
        for n in names:
            keyed.setdefault(name_key(n) or "", []).append(n)
        _KEYED[:] = [names, keyed]
    return _KEYED[1]


def quoted(service: SearchService, name: str) -> Person | None:
    """Everything the person ``name`` stands for is quoted saying, under any speaker name
    that is theirs, oldest first; None when the archive quotes them nowhere."""
    person = name_of(service, name)
    return _quoted(service, person, service.spoken_as(person))


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
    statements = statements[:LIMIT]
    months = Counter(s.doc.metadata.month for s in statements if s.doc.metadata.month)
    outlets = Counter(s.doc.metadata.outlet for s in statements)
    return Person(name, facet, tuple(statements), result.total, tuple(outlets.most_common()),
                  tuple(sorted(months.items())), spellings(name, [s.text for s in statements]),
                  values)


def spellings(name: str, texts: list[str]) -> tuple[tuple[str, int], ...]:
    """How the name's last word is written in these passages ("Kərimli", "Kerimli",
    "Керимли"), most frequent first."""
    words = _WORD.findall(name)
    if not 1 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return ()  # a body ("National Council of Democratic Forces"), not a person's name
    key = name_key(words[-1])
    if key is None:
        return ()
    seen = Counter(word for text in texts for word in _WORD.findall(text)
                   if word[:1].isupper() and name_key(word) == key)
    return tuple(seen.most_common())


def person_json(person: Person, permalink) -> dict:
    """``/api/speakers/<name>`` and ``/api/entities/<name>``: every passage quoting (or
    naming) them, oldest first; ``values`` are the facet's values that are them."""
    return {
        "name": person.name, "facet": person.facet, "type": person.kind or None,
        "values": list(person.values), "documents": person.documents,
        "truncated": person.truncated,
        "outlets": [{"value": v, "count": n} for v, n in person.outlets],
        "months": [{"value": v, "count": n} for v, n in person.months],
        "spellings": [{"value": v, "count": n} for v, n in person.spellings],
        "passages": [{"passage_id": s.passage.passage_id, "text": s.text, "doc_id": s.doc.doc_id,
                      "title": s.doc.metadata.title, "outlet": s.doc.metadata.outlet,
                      "date": s.doc.metadata.date, "url": s.doc.metadata.url,
                      "language": s.doc.metadata.language,
                      "permalink": permalink(s.passage.passage_id)} for s in person.statements],
    }
