"""Where the archive holds a quote: the documents that share most of its words, in any
form or spelling, found through the engine; the verdict is :mod:`verify`'s."""

from __future__ import annotations

from core.aliases import AliasTable
from core.analysis import fold, idf
from core.errors import BadQuery
from engines.protocol import Ask, Version
from search import verify

CANDIDATE_WORDS = 40  # words of a quote that look for it in the index
CANDIDATES = 20  # documents whose passages a quote is compared with


def check(quote: str, version: Version, aliases: AliasTable, concepts: verify.Concepts,
          limit: int) -> verify.Check:
    """The verdict on ``quote`` in ``version`` of the index (``concepts`` of ``aliases``)."""
    content = list(dict.fromkeys(fold(w) for w in verify.content_words(quote)))[:CANDIDATE_WORDS]
    if not content:
        content = list(dict.fromkeys(verify.words(quote)))[:CANDIDATE_WORDS]
    if not content:
        raise BadQuery("The quote has no words to look for.")
    # The documents that hold most of its words, in any form or spelling, by BM25.
    parsed = version.parse(" OR ".join(content), aliases, max_length=2**31)
    found = version.find(Ask(parsed=parsed, first=0, last=CANDIDATES, timeline=False))
    documents = [doc for doc, _ in found.page]
    return verify.judge(quote, documents, concepts, _weight(version), limit)


def _weight(version: Version):
    """A word's weight in a quote: the idf of its stem group (a word the archive does not
    have weighs most: leaving it out of a statement changes the statement)."""
    size = max(1, version.documents())

    def weight(folded: str) -> float:
        return idf(size, version.frequency(folded))
    return weight
