"""What a word stands for when a quote is compared with the archive: its stem, read from
the base of an irregular verb ("made" is "make", ``data/irregular_verbs.toml``), and the
group of words news reports use for one another ("plunged" is "fell",
``data/synonyms.toml``)."""

from __future__ import annotations

import functools

from core import data as shipped
from core.analysis import fold, stem


@functools.cache
def _bases() -> dict[str, str]:
    """Each irregular form, folded, and its base."""
    bases = {}
    for line in shipped.toml("irregular_verbs.toml")["verbs"]:
        base, *forms = line.split()
        bases.update((fold(form), fold(base)) for form in forms)
    return bases


@functools.cache
def _groups() -> tuple[dict[str, str], dict[str, str]]:
    """The key of each listed word's group (its first word's, "~" and a stem): by stem, and
    for an adverb in -ly by the word itself, since its stem is often an adjective of
    another sense ("generally" is "general", "largely" is "large")."""
    stems: dict[str, str] = {}
    adverbs: dict[str, str] = {}
    for group in shipped.toml("synonyms.toml")["groups"]:
        first = "~" + stem(fold(group[0]))
        for word in map(fold, group):
            if word.endswith("ly"):
                adverbs[word] = first
            else:
                stems[stem(word)] = first
    return stems, adverbs


@functools.lru_cache(maxsize=100_000)
def key(folded: str) -> str:
    """The key a folded word shares with every form of it and with its synonyms."""
    stems, adverbs = _groups()
    if folded in adverbs:
        return adverbs[folded]
    root = stem(_bases().get(folded, folded))
    return stems.get(root, root)
