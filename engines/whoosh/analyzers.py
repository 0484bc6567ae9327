"""Whoosh analyzers that index exactly what :mod:`core.analysis` says a text's terms are
(tests/test_segments.py holds the prepared terms to them, token for token)."""

from __future__ import annotations

from whoosh.analysis import Filter, RegexTokenizer

from core.analysis import WORD, common_words, fold
from core.names import looks_like_name, name_key


class FoldFilter(Filter):
    """Whoosh filter applying :func:`fold` to every token."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = fold(token.text)
            yield token


class NameKeyFilter(Filter):
    """Whoosh filter: each word's spelling-independent key (:mod:`core.names`).

    In documents only capitalised words are keyed (names are written so); in queries
    every word is, since people type names in lower case.
    """

    def __call__(self, tokens):
        for token in tokens:
            if token.mode == "index" and not looks_like_name(token.text):
                continue
            key = name_key(token.text)
            if key:
                token.text = key
                yield token


class CommonPairsFilter(Filter):
    """Whoosh filter: folded words -> the pair terms of :func:`common_pairs`."""

    def __call__(self, tokens):
        common = common_words()
        previous = None
        for token in tokens:
            word = token.text
            if previous is not None and previous in common and word in common:
                token.text = f"{previous} {word}"
                yield token
            previous = word


def pairs_analyzer():
    return RegexTokenizer(WORD) | FoldFilter() | CommonPairsFilter()


def name_analyzer():
    return RegexTokenizer(WORD) | NameKeyFilter()


def exact_analyzer():
    return RegexTokenizer(WORD) | FoldFilter()
