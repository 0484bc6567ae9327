"""How much of a quote a text holds: the share (by weight) of its content words found
together, in the quote's order, and clause by clause."""

from __future__ import annotations

Wanted = list[tuple[frozenset[str], float]]  # content words: what each stands for, its weight


def every_clause(clauses: list[Wanted], keys: list[frozenset[str]], spare: int = 0) -> bool:
    """Whether the text holds more than half (by weight) of each clause's content words,
    or all but ``spare`` of them."""
    there = frozenset().union(*keys)
    return all(sum(w for k, w in clause if k & there) * 2 > sum(w for _, w in clause)
               or sum(not k & there for k, _ in clause) <= spare
               for clause in clauses if len(clause) >= 2)


def sentence_coverage(sentences: list[Wanted], keys: list[frozenset[str]], ends: set[int],
                      join: int) -> float:
    """The share (by weight) of the quote's content words held sentence by sentence: each
    sentence of the quote in one sentence of the text or ``join`` in a row (``ends``: the
    numbers of the words a sentence of the text ends after). A statement is said in a
    sentence; its words gathered from the ends of three sentences are not it."""
    starts = [0, *sorted(k + 1 for k in ends if k + 1 < len(keys))]
    held = [frozenset().union(*keys[a:b]) for a, b in zip(starts, [*starts[1:], len(keys)],
                                                          strict=True)]
    regions = [frozenset().union(*held[i : i + join]) for i in range(len(held))] or [frozenset()]
    total = got = 0.0
    for sentence in sentences:
        weight = sum(w for _, w in sentence)
        total += weight
        got += max(sum(w for k, w in sentence if k & region) for region in regions)
    return got / total if total else 1.0


def stretch_coverage(wanted: Wanted, tokens: list[frozenset[str]], width: int) -> float:
    """The largest share (by weight) of the quote's content words found together within
    ``width`` words of the text: a statement's words stand close, while words scattered
    over a long paragraph say nothing together."""
    total = sum(w for _, w in wanted) or 1.0
    hits = [[i for i, (keys, _) in enumerate(wanted) if keys & token] for token in tokens]
    present = [0] * len(wanted)
    share = best = 0.0
    for end, found in enumerate(hits):
        for i in found:
            if not present[i]:
                share += wanted[i][1]
            present[i] += 1
        if end >= width:
            for i in hits[end - width]:
                present[i] -= 1
                if not present[i]:
                    share -= wanted[i][1]
        best = max(best, share)
    return best / total


def ordered_coverage(wanted: Wanted, tokens: list[frozenset[str]], width: int) -> float:
    """The largest share (by weight) of the quote's content words found in the quote's
    order within ``width`` words of the text."""
    total = sum(w for _, w in wanted) or 1.0
    best = 0.0
    for start, first in enumerate(tokens):
        if not any(keys & first for keys, _ in wanted):
            continue
        held = [0.0] * (len(wanted) + 1)  # held[k]: the most of wanted[:k] found in order
        for token in tokens[start : start + width]:
            for k in range(len(wanted), 0, -1):
                if wanted[k - 1][0] & token:
                    held[k] = max(held[k], held[k - 1] + wanted[k - 1][1])
            for k in range(1, len(held)):
                held[k] = max(held[k], held[k - 1])
        best = max(best, held[-1])
    return best / total
