"""Words that reverse each other: opposites (``data/opposites.toml``, and words made
opposite by a prefix: legal / illegal, законный / незаконный) and Azerbaijani verbs with
and without their negation (olub / olmayıb)."""

from __future__ import annotations

import dataclasses
import functools
import re

from core import data as shipped
from core.analysis import fold, stem
from search.wording import Token

_PREFIXES = ("un", "non", "in", "im", "il", "ir", "dis", "не")
_BASE_PREFIXES = ("un", "non", "il", "ir", "не")
_VOWELS = frozenset("aeiouöü")
_COPULA = re.compile(r"(d[iu]r)?(l[ae]r)?$")
_PREDICATE = re.compile(r"[dt][iu]r(l[ae]r)?$")  # -dır, -dir, -dur, -dür: "is"


@functools.cache
def _groups() -> tuple[dict[str, frozenset[tuple[int, int]]], tuple[tuple[str, int, int], ...]]:
    """``data/opposites.toml`` as stem -> (group, side) and (prefix, group, side)."""
    stems: dict[str, set[tuple[int, int]]] = {}
    prefixes = []
    for group, sides in enumerate(shipped.toml("opposites.toml")["groups"]):
        for side, listed in enumerate(sides):
            for word in listed:
                if word.endswith("*"):
                    prefixes.append((fold(word[:-1]), group, side))
                else:
                    stems.setdefault(stem(fold(word)), set()).add((group, side))
    return {k: frozenset(v) for k, v in stems.items()}, tuple(prefixes)


def sides(word: str) -> frozenset[tuple[int, int]]:
    """The (group, side) of the opposites a folded word stands on."""
    stems, prefixes = _groups()
    found = stems.get(stem(word), frozenset())
    return found | {(g, s) for prefix, g, s in prefixes if word.startswith(prefix)}


def opposed(a: str, b: str) -> bool:
    """Whether folded words ``a`` and ``b`` are opposites."""
    if any((g, 1 - s) in sides(b) for g, s in sides(a)):
        return True
    short, long_ = sorted((a, b), key=len)
    return len(short) >= 4 and any(long_ == p + short for p in _PREFIXES)


def turkic_negated(a: str, b: str) -> bool:
    """Whether one folded Azerbaijani verb is the other with the negation -ma/-mə (-mı/-mi
    before -r) in it: olub / olmayıb, gedir / getmir, etməli / etməməlidir."""
    short, long_ = sorted((a, b), key=len)
    for i in range(2, len(short) + 1):
        if not _same_root(long_[:i], short[:i]):
            break
        if (long_[i : i + 1] == "m" and long_[i + 1 : i + 2] in _VOWELS
                and _skeleton(long_[i + 1 :]) == _skeleton(short[i:])):
            return True
    return False


def turkic_keys(found: list[Token]) -> list[Token]:
    """Azerbaijani words keyed without the ending that makes them a predicate ("is"):
    "qanunsuzdur" and "qanunsuz" stand for each other."""
    return [dataclasses.replace(t, key=stem(_PREDICATE.sub("", t.word)))
            if len(_PREDICATE.sub("", t.word)) >= 4 else t for t in found]


def _same_root(a: str, b: str) -> bool:
    # Azerbaijani roots voice their last consonant before a vowel (get- / ged-).
    return a == b or (a[:-1] == b[:-1] and {a[-1], b[-1]} == {"d", "t"})


def _skeleton(ending: str) -> str:
    """An ending's consonants, less the buffer y and a copula: what tense and person it
    says, whatever vowel harmony made of it."""
    return "".join(c for c in _COPULA.sub("", ending) if c not in _VOWELS and c != "y")


def kin(word: str, quoted: bool = False) -> frozenset[str]:
    """Keys a folded word shares with its opposites, for weighing how much of a statement
    a passage holds: the passage that says "denied" holds the statement "admitted" (which
    it reverses). A ``quoted`` word's keys are those of the other side, so a word of the
    same side ("sent" for "stay") holds nothing of it. Only the prefixes that rarely begin
    a word otherwise give a base."""
    keys = {f"o:{group}:{1 - side if quoted else side}" for group, side in sides(word)}
    keys.update("s:" + stem(word[len(p) :]) for p in _BASE_PREFIXES
                if word.startswith(p) and len(word) - len(p) >= 4)
    return frozenset(keys)
