"""The Whoosh schema: the only place that names index fields."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from .analysis import exact_analyzer, name_analyzer, pairs_analyzer, stemmed_analyzer

# Query-syntax names people may type, mapped to the field they search.
FIELD_ALIASES = {
    "language": "lang",
    "speakers": "speaker",
    "authors": "author",
    "body": "exact",
}
# Fields a query may name ("outlet:turan"); anything else is searched as a word.
QUERYABLE = ("title", "exact", "names", "outlet", "lang", "date", "month", "speaker", "author")
FACETS = ("outlet", "language", "month", "speaker")
# Facet name -> column holding its values (several values joined by MULTI).
FACET_COLUMNS = {"outlet": "outlet_facet", "language": "lang", "month": "month",
                 "speaker": "speaker_facet"}
MULTI = "\x1f"


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
