"""The index's definition: its fields, how a document becomes them, and how a stored
document is read back. The indexing wing writes through this module and the search wing
reads through it; they meet nowhere else but the index folder (``store``).
"""

from __future__ import annotations

import functools
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from core.analysis import exact_terms, name_terms, name_words, pair_terms
from core.facets import FACETS, MULTI
from core.records import Document, document_from_record, document_to_record
from engines.whoosh.analyzers import exact_analyzer, name_analyzer, pairs_analyzer

if TYPE_CHECKING:
    from core.records import Signature

# Query-syntax names people may type, mapped to the field they search.
FIELD_ALIASES = {
    "language": "lang",
    "speakers": "speaker",
    "authors": "author",
    "body": "exact",
}
# Fields a query may name ("outlet:turan"); another name before a colon is refused.
QUERYABLE = ("title", "exact", "names", "outlet", "lang", "date", "month", "speaker", "author")
# Changes whenever the fields change: an index of another version is rebuilt, not updated.
VERSION = "5"
# Facet name -> column holding its values.
FACET_COLUMNS = {facet.name: facet.column for facet in FACETS}


class Prepared(TEXT):
    """A TEXT field whose documents are split by ``terms`` (text -> (position, term)
    pairs, the same as ``analyzer`` gives) in a few calls, not a token at a time through
    Whoosh's filter chain: that was a fifth of a first build's CPU. Its postings are
    those Whoosh writes, byte for byte (``tests/test_segments.py``); queries still go
    through ``analyzer``."""

    def __init__(self, analyzer, terms: Callable[[str], Iterable[tuple[int, str]]], **kwargs):
        super().__init__(analyzer=analyzer, **kwargs)
        self.terms = terms

    def index(self, value, **kwargs):
        if not isinstance(value, str):
            yield from super().index(value, **kwargs)
            return
        found = defaultdict(list)
        for position, term in self.terms(value):
            found[term].append(position)
        boost = self.format.field_boost
        positional = isinstance(self.format, Positions)
        for term, at in found.items():
            yield (term.encode("utf-8"), len(at), len(at) * boost,
                   _positions(at) if positional else pack_uint(len(at)))


def _positions(at: list[int]) -> bytes:
    # Whoosh's Positions.encode, in one comprehension: the gaps between positions.
    if len(at) == 1:
        return _position(at[0])
    return pack_uint(len(at)) + pickle.dumps([b - a for a, b in zip([0, *at], at, strict=False)], 2)


@functools.lru_cache(maxsize=65_536)
def _position(at: int) -> bytes:
    # Most terms occur once in a document: their encodings repeat from one to the next.
    return pack_uint(1) + pickle.dumps([at], 2)


def build_schema() -> Schema:
    exact = exact_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),
        path=ID(stored=True),
        fingerprint=STORED,
        # Title and body hold folded words in place: phrases mean exactly what they say,
        # and a plain word is searched as its stem group (words.py), which ranks as a
        # stemmed field would at half the indexing cost of a second, stemmed copy.
        title=Prepared(exact, exact_terms, stored=True, field_boost=2.0),
        exact=Prepared(exact, exact_terms, phrase=True),
        # Adjacent pairs of common words ("of the"), each at its second word's position:
        # a phrase of common words is checked in the pairs' short lists.
        pairs=Prepared(pairs_analyzer(), pair_terms, phrase=True),
        # Names under every spelling: one key per capitalised word (indexer/names.py).
        names=Prepared(name_analyzer(), name_terms, phrase=False),
        outlet=Prepared(exact, exact_terms, phrase=True),
        outlet_facet=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        month=ID(stored=True, sortable=True),
        speaker=KEYWORD(commas=True, lowercase=True, scorable=False),
        speaker_facet=ID(sortable=True),
        mentioned_facet=ID(sortable=True),
        author=Prepared(exact, exact_terms),
        # The whole document (text, passages, removed lines, metadata), as a dict.
        record=STORED,
        # Exact hash and MinHash of the text, to recognise copies in later runs.
        signature=STORED,
    )


def index_fields(doc: Document, signature: Signature) -> dict:
    """The index fields of one document."""
    meta = doc.metadata
    return {
        "doc_id": doc.doc_id,
        "path": doc.relpath,
        "fingerprint": doc.fingerprint,
        "title": meta.title,
        "exact": doc.text,
        "pairs": doc.text,
        # Only capitalised words get a name key: hand over just those (a third of the cost).
        "names": " ".join(name_words(f"{meta.title}\n{doc.text}")),
        "outlet": meta.outlet,
        "outlet_facet": meta.outlet,
        "lang": meta.language,
        "date": meta.date or "",
        "month": meta.month or "",
        "speaker": ",".join(doc.speakers),
        "speaker_facet": MULTI.join(doc.speakers),
        "mentioned_facet": MULTI.join(doc.mentions),
        "author": " ".join(meta.authors),
        "record": document_to_record(doc),
        "signature": signature.to_json(),
    }


def stored_document(fields: Mapping) -> Document:
    """The :class:`Document` kept in an index hit's stored fields."""
    return document_from_record(fields["record"])
