"""What a word stands for when a quote is compared with the archive: its stem, read from
the base of an irregular verb ("made" is "make", ``data/irregular_verbs.toml``), and the
group of words and phrases news reports use for one another ("plunged" is "fell",
"pulled out" is "withdrew", ``data/synonyms.toml``)."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable

from core import data as shipped
from core.analysis import fold, stem


@dataclasses.dataclass(frozen=True)
class _Table:
    stems: dict[str, str]  # a listed word's stem: its group's key
    adverbs: dict[str, str]  # an adverb in -ly, as written: its group's key
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]  # by first root: (roots, key)


@functools.cache
def _bases() -> dict[str, str]:
    """Each irregular form, folded, and its base."""
    bases = {}
    for line in shipped.toml("irregular_verbs.toml")["verbs"]:
        base, *forms = line.split()
        bases.update((fold(form), fold(base)) for form in forms)
    return bases


def _root(folded: str) -> str:
    """The stem of a folded word's base."""
    return stem(_bases().get(folded, folded))


@functools.cache
def _table() -> _Table:
    """``data/synonyms.toml`` by what a word or phrase of a group is read as. A group's key
    is "~" and its first word's stem. An adverb in -ly is keyed by the word itself, since
    its stem is often an adjective of another sense ("generally" is "general")."""
    table = _Table({}, {}, {})
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for group in shipped.toml("synonyms.toml")["groups"]:
        key_ = "~" + stem(fold(group[0]))
        for entry in map(fold, group):
            if " " in entry:
                roots = tuple(_root(w) for w in entry.split())
                phrases.setdefault(roots[0], []).append((roots, key_))
            elif entry.endswith("ly"):
                table.adverbs[entry] = key_
            else:
                table.stems[stem(entry)] = key_
    table.phrases.update((first, tuple(sorted(found, key=lambda p: -len(p[0]))))
                         for first, found in phrases.items())
    return table


@functools.lru_cache(maxsize=100_000)
def key(folded: str) -> str:
    """The key a folded word shares with every form of it and with its synonyms."""
    table = _table()
    if folded in table.adverbs:
        return table.adverbs[folded]
    root = _root(folded)
    return table.stems.get(root, root)


def phrase_groups() -> frozenset[str]:
    """The keys of the groups that have phrases."""
    return frozenset(key_ for found in _table().phrases.values() for _, key_ in found)


def phrase_keys(folded: list[str], wanted: Iterable[str] | None = None) -> dict[int, str]:
    """The words of ``folded`` that stand in a listed phrase ("pulled out", "at once"),
    each with its group's key (only the groups ``wanted``, when given)."""
    table = _table()
    if not table.phrases:
        return {}
    wanted = None if wanted is None else frozenset(wanted)
    found: dict[int, str] = {}
    for i, word in enumerate(folded):
        for roots, key_ in table.phrases.get(_root(word), ()):
            if ((wanted is None or key_ in wanted) and i + len(roots) <= len(folded)
                    and all(_root(w) == r for w, r in zip(folded[i + 1 :], roots[1:],
                                                        strict=False))):
                found.update((k, key_) for k in range(i, i + len(roots)))
                break
    return found
