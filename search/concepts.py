"""What a word stands for, as the quote checker compares a quote's words with the
archive's: its stem or synonyms' key, its name key, its alias group, its opposites."""

from __future__ import annotations

from collections.abc import Iterable

from core.aliases import Variant
from core.analysis import fold
from core.names import looks_like_name, name_key
from search import opposites, senses


class Concepts:
    """What a word stands for, whatever its form: its stem or its synonyms' key
    (:mod:`senses`), its name key if it is written as a name, its alias group (CSTO, KTMT
    and ОДКБ are one), and its opposites (a passage that says the opposite holds the
    statement, reversed)."""

    def __init__(self, groups: Iterable[list[Variant]]):
        self.exact: dict[str, int] = {}
        self.prefixes: list[tuple[str, int]] = []
        for number, group in enumerate(groups):
            for variant in group:
                if len(variant.words) == 1:
                    if variant.prefix:
                        self.prefixes.append((variant.words[0], number))
                    else:
                        self.exact[variant.words[0]] = number
        self._known: dict[tuple[str, bool], frozenset[str]] = {}

    def of(self, word: str, quoted: bool = False) -> frozenset[str]:
        """The keys of ``word`` as the archive has it, or as a ``quoted`` word: the two
        share a key when they stand for each other, or for opposites."""
        found = self._known.get((word, quoted))
        if found is None:
            folded = fold(word)
            keys = {"s:" + senses.key(folded), *opposites.kin(folded, quoted)}
            if looks_like_name(word) and (key := name_key(word)):
                keys.add("n:" + key)
            group = self.exact.get(folded)
            if group is None:
                group = next((n for prefix, n in self.prefixes if folded.startswith(prefix)), None)
            if group is not None:
                keys.add(f"a:{group}")
            found = self._known[word, quoted] = frozenset(keys)
        return found
