"""The index's definition: its fields, how a document becomes them, and how a stored
document is read back. The indexing wing writes through this module and the search wing
reads through it; they meet nowhere else but the index folder (``store``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import exact_analyzer, name_analyzer, name_words, pairs_analyzer, stemmed_analyzer
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
# Facet name -> column holding its values.
FACET_COLUMNS = {facet.name: facet.column for facet in FACETS}


def build_schema() -> Schema:
    exact, stemmed = exact_analyzer(), stemmed_analyzer()
    return Schema(
        doc_id=ID(stored=True, unique=True),
        path=ID(stored=True),
        fingerprint=STORED,
        title=TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        # Folded words in place: phrases, wildcards, fuzzy terms, suggestions, and ranking
        # (a plain word searches every word of the vocabulary with its stem: see query.py).
        # One field for both halves what indexing costs against a second, stemmed field.
        exact=TEXT(analyzer=exact, phrase=True),
        # Adjacent word pairs holding a common word ("the government"), for phrases.
        pairs=TEXT(analyzer=pairs_analyzer(), phrase=False),
        # Names under every spelling: one key per capitalised word (indexer/names.py).
        names=TEXT(analyzer=name_analyzer(), phrase=False),
        outlet=TEXT(analyzer=exact, phrase=True),
        outlet_facet=ID(stored=True, sortable=True),
        lang=ID(stored=True, sortable=True),
        date=ID(stored=True, sortable=True),
        month=ID(stored=True, sortable=True),
        speaker=KEYWORD(commas=True, lowercase=True, scorable=False),
        speaker_facet=ID(sortable=True),
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
        "author": " ".join(meta.authors),
        "record": document_to_record(doc),
        "signature": signature.to_json(),
    }


def stored_document(fields: Mapping) -> Document:
    """The :class:`Document` kept in an index hit's stored fields."""
    return document_from_record(fields["record"])
