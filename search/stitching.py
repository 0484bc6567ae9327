"""A quote stitched from two articles can look like a reversal of a third: "GDP fell by
0.1% in the last three months of 2004, the ONS added" joins the Japan article's words to
the UK article's attribution, and the French article's "GDP rose by 0.8% ... in the last
three months of 2004" seems to say the opposite. When the words the quote reverses stand,
with the words around them, word for word in another passage, the archive does say them:
the quote is not a reversal of anything, it is words from two places."""

from __future__ import annotations

from collections.abc import Iterable

from core.analysis import WORD, fold
from core.records import Document
from search.polarity import Reversal
from search.wording import words

# Words in a row, the reversing ones among them, that make a stretch another article's own
# wording rather than a chance meeting of common words.
RUN = 8


def said_elsewhere(quote: str, reversals: Iterable[Reversal], documents: list[Document],
                   skip: set[str]) -> bool:
    """Whether every reversal's quoted words stand, within RUN words of the quote in a row,
    in a passage of ``documents`` other than those in ``skip`` (passage ids)."""
    said = words(quote)
    wanted = [_stretches(said, words(r.quote)) for r in reversals]
    if not all(wanted):
        return False
    needed = {run for runs in wanted for run in runs}
    held = _held(needed, documents, skip)
    return all(any(run in held for run in runs) for runs in wanted)


def _stretches(said: list[str], phrase: list[str]) -> set[tuple[str, ...]]:
    """The stretches of RUN (or more) words of the quote that hold ``phrase`` with a word
    of the quote on each side (where it has one): a negation dropped before "need" leaves
    "need to cut supply" word for word in the archive's "do not need to cut supply"."""
    n, found = len(phrase), set()
    for i in range(len(said) - n + 1):
        if n and said[i : i + n] == phrase:
            lo, hi = max(0, i - 1), min(len(said), i + n + 1)  # the phrase and its neighbours
            size = max(RUN, hi - lo)
            for start in range(max(0, hi - size), min(lo, len(said) - size) + 1):
                found.add(tuple(said[start : start + size]))
    return found


def _held(needed: set[tuple[str, ...]], documents: list[Document], skip: set[str]
          ) -> set[tuple[str, ...]]:
    """Those of ``needed`` that stand word for word in a passage not skipped."""
    sizes = {len(run) for run in needed}
    held: set[tuple[str, ...]] = set()
    for doc in documents:
        for passage in doc.passages:
            if passage.passage_id in skip:
                continue
            there = [fold(w) for w in WORD.findall(doc.text, passage.start, passage.end)]
            for size in sizes:
                held |= {run for i in range(len(there) - size + 1)
                         if (run := tuple(there[i : i + size])) in needed}
    return held
