"""Words that deny, in English, Azerbaijani and Russian (``data/negations.toml``), and the
clauses of a quote they bear in: a negation in one clause cannot cancel one in another."""

from __future__ import annotations

import dataclasses
import functools
import re

from core import data as shipped
from core.analysis import fold
from search.wording import Token, sentence_ends

MIN_CLAUSE = 3  # a clause shorter than this is read with its neighbour
_CLAUSE_BREAK = re.compile(r"[.!?;:…]")
_COMMA = re.compile(",")


@dataclasses.dataclass(frozen=True)
class _Lexicon:
    strong: frozenset[str]
    weak: frozenset[str]
    concord: frozenset[str]
    idioms: tuple[tuple[str, ...], ...]
    auxiliaries: frozenset[str]
    after_comma: frozenset[str]
    anywhere: frozenset[str]


@functools.cache
def lexicon() -> _Lexicon:
    """The negation words of ``data/negations.toml``, folded."""
    data = shipped.toml("negations.toml")
    folded = {k: frozenset(fold(w) for w in v) for k, v in data.items() if k != "idioms"}
    return _Lexicon(idioms=tuple(tuple(fold(w) for w in i.split()) for i in data["idioms"]),
                    **folded)


def negation_kinds(found: list[Token]) -> list[str | None]:
    """For each word: "strong" (a negation), "weak" (one in other words) or None."""
    lex = lexicon()
    kinds: list[str | None] = []
    for k, t in enumerate(found):
        kind = "strong" if t.word in lex.strong else "weak" if t.word in lex.weak else None
        if t.word == "no" and k + 1 < len(found) and found[k + 1].word.isdigit():
            kind = None  # "No 10", a number
        kinds.append(kind)
    for idiom in lex.idioms:
        for k in range(len(found) - len(idiom) + 1):
            if tuple(t.word for t in found[k : k + len(idiom)]) == idiom:
                kinds[k : k + len(idiom)] = [None] * len(idiom)
    return kinds


def clauses(text: str, found: list[Token]) -> list[list[int]]:
    """The quote's clauses, as lists of word numbers."""
    lex = lexicon()
    spans = [(t.start, t.end) for t in found]
    stops, commas = (sentence_ends(text, spans, marks) for marks in (_CLAUSE_BREAK, _COMMA))
    units: list[list[int]] = [[]]
    for k, t in enumerate(found):
        if units[-1] and (k - 1 in stops or t.word in lex.anywhere
                          or (k - 1 in commas and t.word in lex.after_comma)):
            units.append([])
        units[-1].append(k)
    merged: list[list[int]] = []
    for unit in units:
        if merged and (len(unit) < MIN_CLAUSE or len(merged[-1]) < MIN_CLAUSE):
            merged[-1] = merged[-1] + unit
        else:
            merged.append(unit)
    return merged
