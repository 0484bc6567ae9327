"""The OpenSearch index's definition: analyzers that cut and fold words exactly as
``core.analysis`` does, the fields (docs/opensearch.md §2), and a document as sent.

Words are ``[\\p{L}\\p{N}_]+`` (Python's ``\\w``). Folding is a mapping char filter made
from ``core.analysis.fold`` itself, one rule per word character it changes, so the two
cannot drift apart. Stems are made here by ``core.analysis.stem`` and sent one per word
(``title_stem``, ``exact_stem``, positions as the words'): Lucene's Snowball English is an
older release than PyStemmer's, and stemmed 51 of the 33,828 distinct words of the seed
and BBC corpora otherwise ("added" -> "ad", "university" -> "univers"), so a plain word
would not have found the same documents on both engines. Name keys (``core.names``) are
made here too and sent as words.
"""

from __future__ import annotations

import functools

from core.analysis import WORD, fold, name_terms, name_words, stem, terms
from core.records import Document, Signature, document_from_record, document_to_record

# Changes whenever the fields or analyzers change: a new index is built, not updated.
VERSION = "2"


@functools.cache
def folding_rules() -> tuple[str, ...]:
    """``c => fold(c)`` for every word character that folding changes. Left out (and so
    only lower-cased by nothing): the few whose fold is not one word (``½`` -> ``1⁄2``),
    which Python folds after cutting words and a char filter would cut apart."""
    rules = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if not WORD.fullmatch(char):
            continue
        folded = fold(char)
        if folded != char and folded and WORD.fullmatch(folded):
            rules.append(f"\\u{code:04x} => {folded}" if code < 0x10000 else f"{char} => {folded}")
    return tuple(rules)


def index_settings(shards: int, replicas: int) -> dict:
    """A new index's settings: its shards, BM25 as Whoosh's, and the analyzers."""
    words = {"type": "pattern", "pattern": "[\\p{L}\\p{N}_]+", "group": 0}
    folded = {"type": "custom", "char_filter": ["presscut_fold"], "tokenizer": "presscut_words"}
    return {
        "number_of_shards": shards, "number_of_replicas": replicas,
        # Nothing written is searchable before the writer's commit refreshes it.
        "refresh_interval": "-1",
        "similarity": {"default": {"type": "BM25", "k1": 1.2, "b": 0.75}},
        "analysis": {
            "char_filter": {"presscut_fold": {"type": "mapping", "mappings": list(folding_rules())}},
            "tokenizer": {"presscut_words": words},
            "normalizer": {"presscut_lower": {"type": "custom", "filter": ["lowercase"]}},
            "analyzer": {"presscut_exact": folded},
        },
    }


_TEXT = {"type": "text", "analyzer": "presscut_exact", "index_phrases": True}
_STEMS = {"type": "text", "analyzer": "whitespace", "index_options": "freqs"}


MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        "doc_id": {"type": "keyword"}, "path": {"type": "keyword"},
        "fingerprint": {"type": "keyword", "index": False, "doc_values": False},
        "title": _TEXT, "exact": _TEXT, "title_stem": _STEMS, "exact_stem": _STEMS,
        "names": {"type": "text", "analyzer": "whitespace", "index_options": "freqs"},
        "outlet": {"type": "text", "analyzer": "presscut_exact"},
        "author": {"type": "text", "analyzer": "presscut_exact"},
        "outlet_facet": {"type": "keyword"}, "lang": {"type": "keyword"},
        "month": {"type": "keyword"}, "date": {"type": "keyword"},
        "speaker": {"type": "keyword", "normalizer": "presscut_lower"},
        "speaker_facet": {"type": "keyword"}, "mentioned_facet": {"type": "keyword"},
        "record": {"type": "object", "enabled": False},
        "signature": {"type": "object", "enabled": False},
    },
}
# Facet name -> the keyword field holding its values.
FACET_FIELDS = {"outlet": "outlet_facet", "language": "lang", "month": "month",
                "speaker": "speaker_facet", "mentioned": "mentioned_facet"}


def stems(text: str) -> str:
    """The stem of each word of ``text``, in order, as a stem field indexes them."""
    return " ".join(stem(term) for term in terms(text))


def source(doc: Document, signature: Signature) -> dict:
    """What is indexed of ``doc``: its fields, and the record (without the text, which is
    ``exact``) from which :func:`stored` gives the same Document back."""
    meta = doc.metadata
    record = document_to_record(doc)
    del record["text"]
    keys = name_terms(" ".join(name_words(f"{meta.title}\n{doc.text}")))
    fields = {
        "doc_id": doc.doc_id, "path": doc.relpath, "fingerprint": doc.fingerprint,
        # Twice: a title word counts as two occurrences, as Whoosh's field_boost=2 does,
        # and every title's length doubles, so BM25's length ratio is unchanged.
        "title": [meta.title, meta.title], "exact": doc.text,
        "title_stem": [stems(meta.title)] * 2, "exact_stem": stems(doc.text),
        "names": " ".join(key for _, key in keys),
        "outlet": meta.outlet, "outlet_facet": meta.outlet, "lang": meta.language,
        "date": meta.date or "",
        "speaker": list(doc.speakers), "speaker_facet": list(doc.speakers),
        "mentioned_facet": list(doc.mentions), "author": " ".join(meta.authors),
        "record": record, "signature": signature.to_json(),
    }
    if meta.month:
        fields["month"] = meta.month
    return fields


def stored(hit_source: dict) -> Document:
    """The Document of a hit's ``_source`` (which must hold ``record`` and ``exact``)."""
    return document_from_record({**hit_source["record"], "text": hit_source["exact"]})

