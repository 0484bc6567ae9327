"""How text becomes index terms, for English, Azerbaijani and Russian alike.

Title and body keep folded words in their positions, nothing dropped, for phrases,
wildcards, spelling suggestions and ranking (a phrase must not match text that is not
there); a plain word is searched as every word of the vocabulary sharing its stem
(Russian rules for Cyrillic words, English rules for Latin ones).

Folding lower-cases with Turkic dotted/dotless i in mind and strips accents, so that
"Ilham" finds "İlham" and "qazaxistan" finds "Qazaxıstan".
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

import Stemmer

from core import data as shipped
from core.names import looks_like_name, name_key

# Words, with inner apostrophes and hyphens kept out: "Russia's" -> "russia", "s".
WORD = re.compile(r"\w+", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Letters NFKD does not take apart, or takes apart into something else.
_LATIN_FOLD = str.maketrans({
    "ı": "i", "ə": "e", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe",
    "þ": "th", "ð": "d", "ŋ": "n",
})


@functools.lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Case- and accent-fold one word (``"İlham"`` -> ``"ilham"``, ``"Ёлка"`` -> ``"елка"``)."""
    lowered = word.lower()
    if _CYRILLIC.search(lowered):
        # NFKD would turn "й" into "и": fold only what Russian spelling itself varies.
        return lowered.replace("ё", "е")
    decomposed = unicodedata.normalize("NFKD", lowered.translate(_LATIN_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _stemmers() -> tuple[Stemmer.Stemmer, Stemmer.Stemmer]:
    return Stemmer.Stemmer("english"), Stemmer.Stemmer("russian")


@functools.lru_cache(maxsize=200_000)
def stem(folded: str) -> str:
    """Stem a folded word: Russian rules for Cyrillic, English for the rest."""
    english, russian = _stemmers()
    if _CYRILLIC.search(folded):
        return russian.stemWord(folded)
    return english.stemWord(folded)



@functools.cache
def common_words() -> frozenset[str]:
    """The commonest words of English, Azerbaijani and Russian news, folded
    (``data/common_words.txt``). A pair of two of them is indexed as one term (the
    ``pairs`` field): a phrase of common words is then found by reading one posting list,
    not by checking positions in every document that holds its words."""
    listed = shipped.text("common_words.txt")
    return frozenset(fold(word) for line in listed.splitlines()
                     if not line.startswith("#") for word in line.split())


def common_pairs(words: Sequence[str]) -> list[tuple[int, str]]:
    """The adjacent pairs of folded ``words`` that are both common, as pair terms, each
    with the index of its second word (where the pairs field puts it). Not pairs of one
    common word and another: their other word's list is short enough to check, and they
    were most of the index's terms (writing them took a third of a first build)."""
    common = common_words()
    return [(k + 1, f"{a} {b}") for k, (a, b) in enumerate(zip(words, words[1:], strict=False))
            if a in common and b in common]


def name_words(text: str) -> list[str]:
    """The words of ``text`` that are keyed by name when indexing."""
    return [word for word in WORD.findall(text) if looks_like_name(word)]


def terms(text: str) -> list[str]:
    """The folded words of ``text``, as the exact analyzer indexes them."""
    return list(map(fold, WORD.findall(text)))


# What each analyzer indexes of a document, as (position, term) pairs made in a few calls
# rather than a token at a time through the filter chain (``schema.Prepared``).

@functools.lru_cache(maxsize=4)
def _folded(text: str) -> tuple[str, ...]:
    # A document's body goes to two fields: it is split and folded once.
    return tuple(terms(text))


def exact_terms(text: str) -> Iterable[tuple[int, str]]:
    """What the exact field indexes of ``text``."""
    return enumerate(_folded(text))


def pair_terms(text: str) -> Iterable[tuple[int, str]]:
    """What the pairs field indexes of ``text``."""
    return common_pairs(_folded(text))


def name_terms(text: str) -> Iterable[tuple[int, str]]:
    """What the names field indexes of ``text``."""
    keys = (name_key(word) if looks_like_name(word) else None for word in WORD.findall(text))
    return [(position, key) for position, key in enumerate(keys) if key]


def idf(documents: int, having: int) -> float:
    """BM25's inverse document frequency (never below zero, as Lucene's): how much a
    word held by ``having`` of ``documents`` says, in ranking and in quote checks alike."""
    return math.log(1 + (documents - having + 0.5) / (having + 0.5))
