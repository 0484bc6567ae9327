"""What to mark in a passage for a query: the engine that parsed the query says it, the
highlighter (search/highlight.py) marks it in the text as archived."""

from __future__ import annotations

import dataclasses
import re


@dataclasses.dataclass(frozen=True)
class Highlight:
    """What to mark in passage text: stems of plain words, exact words, word patterns,
    and phrases (which light up only where the whole phrase stands)."""

    stems: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    patterns: tuple[re.Pattern[str], ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    # Name keys, each with the word typed for it: "karimli" <- "Kerimli".
    names: tuple[tuple[str, str], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.stems or self.words or self.patterns or self.phrases or self.names)
