"""Mark the hits of a query in passage text: escape everything, add our own <mark>s.

Phrases are strict: a phrase lights up only where all its words stand in a row,
never its words elsewhere.
"""

from __future__ import annotations

import dataclasses
import functools
import re

from markupsafe import escape

from core.analysis import WORD, fold, stem
from core.marks import Highlight
from core.names import looks_like_name, name_key


@dataclasses.dataclass(frozen=True)
class Found:
    """The hits of a query in one text, before they are rendered."""

    spans: tuple[tuple[int, int], ...]
    matched: int  # distinct query parts found (words, patterns, phrases, names)
    # Words found only under another spelling: (as typed, as written in the text).
    variants: tuple[tuple[str, str], ...] = ()


NOTHING = Found((), 0)


class Marker:
    """Finds one query's hits in the texts of one answer.

    A page of results repeats most of its words from passage to passage, so each
    distinct word as written is judged once (folded, stemmed, keyed as a name), and a
    text is read word by word only when its set of words holds a hit: most passages of
    a result hold none. Not shared between threads: one answer, one marker.
    """

    def __init__(self, spec: Highlight):
        self.spec = spec
        self._names = dict(spec.names)
        self._phrase_words = frozenset(word for phrase in spec.phrases for word in phrase)
        # Any of the patterns, in one expression (each is a whole-word fnmatch translation).
        self._patterns = (re.compile("|".join(f"(?:{p.pattern})" for p in spec.patterns))
                          if spec.patterns else None)
        self._judged: set[str] = set()
        # Word as written -> (the query part it finds, (typed, written) if a variant).
        self._hits: dict[str, tuple[object, tuple[str, str] | None]] = {}
        # Word as written -> its folded form, for the words the phrases are made of.
        self._folded: dict[str, str] = {}

    def find(self, text: str) -> Found:
        """Where ``text`` holds the query: enough to rank passages before rendering any."""
        words = set(WORD.findall(text))
        new = words - self._judged
        if new:
            self._judge(new)
        hit = words & self._hits.keys()
        phrases = ()
        if self.spec.phrases:
            present = {self._folded[w] for w in words & self._folded.keys()}
            phrases = [p for p in self.spec.phrases if present.issuperset(p)]
        if not hit and not phrases:
            return NOTHING
        found: list[tuple[int, int]] = []
        parts: set[object] = set()
        variants: list[tuple[int, tuple[str, str]]] = []  # (where, variant)
        for written in hit:
            part, variant = self._hits[written]
            parts.add(part)
            # Where the word stands as a whole word (str.find, not a walk over every
            # word of the text): the characters either side are not word characters.
            at = text.find(written)
            while at >= 0:
                end = at + len(written)
                if not (at and _word_char(text[at - 1]) or end < len(text) and _word_char(text[end])):
                    found.append((at, end))
                    if variant is not None:
                        variants.append((at, variant))
                at = text.find(written, at + 1)
        if phrases:
            tokens = [(m.start(), m.end(), self._folded.get(m.group()))
                      for m in WORD.finditer(text)]
            for phrase in phrases:
                n = len(phrase)
                for i in range(len(tokens) - n + 1):
                    if all(tokens[i + k][2] == phrase[k] for k in range(n)):
                        found.append((tokens[i][0], tokens[i + n - 1][1]))
                        parts.add(("phrase", phrase))
        return Found(tuple(merge(found)), len(parts),
                     tuple(dict.fromkeys(v for _, v in sorted(variants))))

    def _judge(self, words: set[str]) -> None:
        # An answer meets a thousand new words or more and few of them hit: whether any
        # does is asked of all at once (sets, and the cached forms called from C); only
        # then is each judged on its own.
        spec = self.spec
        self._judged |= words
        written = list(words)
        forms = list(map(_forms, written))
        folds, stems, keys = zip(*forms, strict=True)
        some = (self._patterns is not None and any(map(self._patterns.match, folds))
                or not spec.words.isdisjoint(folds) or not self._phrase_words.isdisjoint(folds)
                or not spec.stems.isdisjoint(stems))
        named = not self._names.keys().isdisjoint(keys)
        if not (some or named):
            return
        for original, (word, stemmed, key) in zip(written, forms, strict=True):
            part = self._word_part(word, stemmed)
            variant = None
            if key in self._names:
                part = part or ("name", key)
                if self._names[key].casefold() != original.casefold():
                    variant = (self._names[key], original)
            if part is not None:
                self._hits[original] = (part, variant)
            if word in self._phrase_words:
                self._folded[original] = word

    def _word_part(self, word: str, stemmed: str) -> object | None:
        spec = self.spec
        if stemmed in spec.stems:
            return ("stem", stemmed)
        if word in spec.words:
            return ("word", word)
        for pattern in spec.patterns:
            if pattern.match(word):
                return pattern.pattern
        return None


@functools.lru_cache(maxsize=200_000)
def _forms(word: str) -> tuple[str, str, str | None]:
    """A word as written: folded, its stem, and its name key if it is written as names
    are (capitalised). One cached call a word, where three cost three times as much."""
    folded = fold(word)
    return folded, stem(folded), name_key(word) if looks_like_name(word) else None


def _word_char(char: str) -> bool:
    """What ``WORD`` (``\\w``) matches, for one character."""
    return char.isalnum() or char == "_"


def merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping and touching ones made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def render(text: str, found: Found) -> str:
    """``text`` escaped, with the spans of ``found`` in ``<mark>``."""
    # Plain strings joined once: markupsafe's Markup concatenation cost more than the escaping.
    out: list[str] = []
    last = 0
    for start, end in found.spans:
        out += (escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>")
        last = end
    out.append(escape(text[last:]))
    return "".join(out)
