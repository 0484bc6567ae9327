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
    for start, end, word in tokens:
        part = _word_part(word, spec)
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
    return _merge(found), len(parts), variants


def _word_part(word: str, spec: Highlight) -> object | None:
    if spec.stems and stem(word) in spec.stems:
        return ("stem", stem(word))
    if word in spec.words:
        return ("word", word)
    for pattern in spec.patterns:
        if pattern.match(word):
            return pattern.pattern
    return None


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def mark(text: str, spec: Highlight) -> Marked:
    """``text`` as HTML: escaped, with each hit in ``<mark>``."""
    found, matched, variants = spans(text, spec)
    out: list[str] = []
    last = 0
    for start, end in found:
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(text[last:]))
    return Marked(str(Markup("").join(out)), len(found), matched,
                  tuple(dict.fromkeys(variants)))
