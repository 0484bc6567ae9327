"""Mark the hits of a query in passage text: escape everything, add our own <mark>s.

Phrases are strict: a phrase lights up only where all its words stand in a row,
never its words elsewhere.
"""

from __future__ import annotations

import dataclasses

from markupsafe import Markup, escape

from .analysis import WORD, fold, stem
from .names import looks_like_name, name_key
from .query import Highlight


@dataclasses.dataclass(frozen=True)
class Marked:
    html: str
    hits: int  # marked spans
    matched: int  # distinct query parts found (words, patterns, phrases)
    # Words found only under another spelling: (as typed, as written in the text).
    variants: tuple[tuple[str, str], ...] = ()


def spans(text: str, spec: Highlight
          ) -> tuple[list[tuple[int, int]], int, list[tuple[str, str]]]:
    """Character spans to mark in ``text``, how many query parts were found, and the
    words found under another spelling."""
    tokens = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(text)]
    names = dict(spec.names)
    found: list[tuple[int, int]] = []
    parts: set[object] = set()
    variants: list[tuple[str, str]] = []
    known: dict[str, object | None] = {}  # a passage repeats its words: judge each once
    for start, end, word in tokens:
        if word not in known:
            known[word] = _word_part(word, spec)
        part = known[word]
        original = text[start:end]
        key = name_key(original) if names and looks_like_name(original) else None
        if key in names:
            part = part or ("name", key)
            if names[key].casefold() != original.casefold():
                variants.append((names[key], original))
        if part is not None:
            found.append((start, end))
            parts.add(part)
    for phrase in spec.phrases:
        n = len(phrase)
        for i in range(len(tokens) - n + 1):
            if all(tokens[i + k][2] == phrase[k] for k in range(n)):
                found.append((tokens[i][0], tokens[i + n - 1][1]))
                parts.add(phrase)
    return merge(found), len(parts), variants


def _word_part(word: str, spec: Highlight) -> object | None:
    if spec.stems:
        stemmed = stem(word)
        if stemmed in spec.stems:
            return ("stem", stemmed)
    if word in spec.words:
        return ("word", word)
    for pattern in spec.patterns:
        if pattern.match(word):
            return pattern.pattern
    return None


def merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order, overlapping and touching ones made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _may_hit(text: str, spec: Highlight) -> bool:
    """False when no word of ``text`` can be a hit: most passages of a result, cheaply
    told apart from the few worth marking word by word."""
    if spec.patterns:
        return True
    words = set(WORD.findall(text))
    folded = set(map(fold, words))
    names = dict(spec.names)
    return bool(
        not spec.words.isdisjoint(folded)
        or (spec.stems and (not spec.stem_words.isdisjoint(folded) if spec.stem_words is not None
                            else any(stem(word) in spec.stems for word in folded)))
        or (names and any(name_key(w) in names for w in words if looks_like_name(w)))
        or any(folded.issuperset(phrase) for phrase in spec.phrases)
    )


@dataclasses.dataclass(frozen=True)
class Found:
    """The hits of a query in one text, before they are rendered."""

    spans: list[tuple[int, int]]
    matched: int
    variants: tuple[tuple[str, str], ...] = ()


def find(text: str, spec: Highlight) -> Found:
    """Where ``text`` holds the query: enough to rank passages before rendering any."""
    if not _may_hit(text, spec):
        return Found([], 0)
    found, matched, variants = spans(text, spec)
    return Found(found, matched, tuple(dict.fromkeys(variants)))


def mark(text: str, spec: Highlight) -> Marked:
    """``text`` as HTML: escaped, with each hit in ``<mark>``."""
    found = find(text, spec)
    return Marked(render(text, found), len(found.spans), found.matched, found.variants)


def render(text: str, found: Found) -> str:
    """``text`` escaped, with the spans of ``found`` in ``<mark>``."""
    out: list[str] = []
    last = 0
    for start, end in found.spans:
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(text[last:]))
    return str(Markup("").join(out))
