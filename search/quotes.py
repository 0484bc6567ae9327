"""Where the archive holds a quote: the documents that share most of its words, in any
form or spelling, found through the index; the verdict is :mod:`verify`'s."""

from __future__ import annotations

import numpy as np

from core.aliases import AliasTable
from core.analysis import fold, stem
from engines.whoosh import matching, query
from engines.whoosh.generation import Generation
from engines.whoosh.query import BadQuery
from engines.whoosh.schema import stored_document
from search import verify

CANDIDATE_WORDS = 40  # words of a quote that look for it in the index
CANDIDATES = 20  # documents whose passages a quote is compared with


def check(quote: str, gen: Generation, searcher, aliases: AliasTable, concepts: verify.Concepts,
          limit: int) -> verify.Check:
    """The verdict on ``quote`` in the index version ``gen`` (``concepts`` of ``aliases``)."""
    content = list(dict.fromkeys(fold(w) for w in verify.content_words(quote)))[:CANDIDATE_WORDS]
    if not content:
        content = list(dict.fromkeys(verify.words(quote)))[:CANDIDATE_WORDS]
    if not content:
        raise BadQuery("The quote has no words to look for.")
    # The documents that hold most of its words, in any form or spelling, by BM25.
    parsed = query.parse(" OR ".join(content), searcher.schema, aliases=aliases,
                         variants=gen.variants)
    found = matching.matches(parsed.query, searcher, gen.postings, gen.live)
    if found is None:  # an alias written with a wildcard ("Qazaxıstan*"): Whoosh ranks
        docnums = [hit.docnum for hit in searcher.search(parsed.query, limit=CANDIDATES)]
    else:
        having = np.flatnonzero(found.mask)
        docnums = having[np.argsort(-found.scores[having], kind="stable")][:CANDIDATES].tolist()
    documents = [stored_document(searcher.stored_fields(d)) for d in docnums]
    return verify.judge(quote, documents, concepts, _weight(gen, searcher), limit)


def _weight(gen: Generation, searcher):
    """A word's weight in a quote: the idf of its stem group (a word the archive does not
    have weighs most: leaving it out of a statement changes the statement)."""
    size = max(1, int(np.count_nonzero(gen.live)))

    def weight(folded: str) -> float:
        forms = gen.variants.get(stem(folded), (folded,))
        having = max(searcher.doc_frequency("exact", form) for form in forms)
        return matching.idf(size, having)
    return weight
