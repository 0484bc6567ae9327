"""The index's definition: its fields, how a document becomes them, and how a stored
document is read back. The indexing wing writes through this module and the search wing
reads through it; they meet nowhere else but the index folder (``store``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import exact_analyzer, name_analyzer, name_words, pairs_analyzer
from .facets import FACETS, MULTI
from .records import Document, document_from_record, document_to_record

if TYPE_CHECKING:
    from .dedup import Signature

# Query-syntax names people may type, mapped to the field they search.
FIELD_ALIASES = {
    "language": "lang",
    "speakers": "speaker",
    "authors": "author",
    "body": "exact",
}
# Fields a query may name ("outlet:turan"); anything else is searched as a word.
QUERYABLE = ("title", "exact", "names", "outlet", "lang", "date", "month", "speaker", "author")
# Changes whenever the fields change: an index of another version is rebuilt, not updated.
VERSION = "5"
# Facet name -> column holding its values.
FACET_COLUMNS = {facet.name: facet.column for facet in FACETS}


def build_schema() -> Schema:
    exact = exact_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),
        path=ID(stored=True),
        fingerprint=STORED,
        # Title and body hold folded words in place: phrases mean exactly what they say,
        # and a plain word is searched as its stem group (words.py), which ranks as a
        # stemmed field would at half the indexing cost of a second, stemmed copy.
        title=TEXT(analyzer=exact, stored=True, field_boost=2.0),
        exact=TEXT(analyzer=exact, phrase=True),
        # Adjacent pairs of common words ("of the"), each at its second word's position:
        # a phrase of common words is checked in the pairs' short lists.
        pairs=TEXT(analyzer=pairs_analyzer(), phrase=True),
        # Names under every spelling: one key per capitalised word (indexer/names.py).
        names=TEXT(analyzer=name_analyzer(), phrase=False),
        outlet=TEXT(analyzer=exact, phrase=True),
        outlet_facet=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        month=ID(stored=True, sortable=True),
        speaker=KEYWORD(commas=True, lowercase=True, scorable=False),
        speaker_facet=ID(sortable=True),
        mentioned_facet=ID(sortable=True),
        author=TEXT(analyzer=exact),
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
