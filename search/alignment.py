"""Word by word: which words of a quote stand for which words of the archive.

The quote checker reads reversals off this alignment (a "not" counts where it stands,
not anywhere in the passage), and the verify page shows it as a diff.
"""

from __future__ import annotations

import dataclasses
import difflib
import re

from core.analysis import WORD, common_words, fold
from core.names import looks_like_name
from search.wording import sentence_ends

# A run of this many words the quote has elsewhere than the archive (a reordered
# clause) is the same words moved, not words added on one side and dropped on the other.
MOVED_RUN = 3
_FIGURE = re.compile(r"\d")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclasses.dataclass(frozen=True)
class Gap:
    """Words of one side with nothing on the other side standing for them, between two
    aligned words (``before`` and ``after``: (quote, archive) numbers, None at an edge)."""

    quote: tuple[int, ...]
    archive: tuple[int, ...]
    before: tuple[int, int] | None
    after: tuple[int, int] | None


def align(quote: list[str], archived: list[str]) -> tuple[list[Gap], set[int]]:
    """The gaps between the words ``quote`` and ``archived`` share in order (stems or
    any other keys), and the numbers of the quote's words that are aligned."""
    ops = difflib.SequenceMatcher(None, quote, archived, autojunk=False).get_opcodes()
    moved_q, moved_a = _moved(ops, quote, archived)
    pairs = [pair for op, i1, i2, j1, j2 in ops if op == "equal"
             for pair in zip(range(i1, i2), range(j1, j2), strict=True)]
    _slide(pairs, archived)
    gaps = []
    for k in range(len(pairs) + 1):
        before = pairs[k - 1] if k else None
        after = pairs[k] if k < len(pairs) else None
        q = tuple(i for i in range(before[0] + 1 if before else 0, after[0] if after else len(quote))
                  if i not in moved_q)
        a = tuple(j for j in range(before[1] + 1 if before else 0,
                                   after[1] if after else len(archived)) if j not in moved_a)
        if q or a:
            gaps.append(Gap(q, a, before, after))
    return gaps, {i for i, _ in pairs} | moved_q


def _slide(pairs: list[tuple[int, int]], archived: list[str]) -> None:
    """Words the archive has in addition are put before the aligned words they repeat:
    in "anywhere, does not have such a model, does not like" read for "anywhere, does
    not like", the added words are "does not have such a model", and the quote's "does
    not" is the one before "like"."""
    for k in range(1, len(pairs)):
        (i, j), (i_next, j_next) = pairs[k - 1], pairs[k]
        width = j_next - j - 1
        if i_next != i + 1 or width <= 0:
            continue
        m = k - 1
        while (m >= 0 and pairs[m] == (i - (k - 1 - m), j - (k - 1 - m))
               and archived[pairs[m][1]] == archived[pairs[m][1] + width]):
            pairs[m] = (pairs[m][0], pairs[m][1] + width)
            m -= 1


def _moved(ops, quote: list[str], archived: list[str]) -> tuple[set[int], set[int]]:
    """Quote and archive words left unaligned that are in fact one run moved elsewhere."""
    left_q = [i for op, i1, i2, _, _ in ops if op != "equal" for i in range(i1, i2)]
    left_a = [j for op, _, _, j1, j2 in ops if op != "equal" for j in range(j1, j2)]
    matcher = difflib.SequenceMatcher(None, [quote[i] for i in left_q],
                                      [archived[j] for j in left_a], autojunk=False)
    moved_q, moved_a = set(), set()
    for block in matcher.get_matching_blocks():
        if block.size >= MOVED_RUN:
            moved_q.update(left_q[block.a : block.a + block.size])
            moved_a.update(left_a[block.b : block.b + block.size])
    return moved_q, moved_a


def stretch(quote: list[str], archived: list[str], ends: frozenset[int] | set[int] = frozenset()
            ) -> tuple[int, int]:
    """The stretch of ``archived`` the quote stands for: from its first to its last run of
    two or more shared words, widened by the quote's words outside those runs, but not
    across the end of a sentence (``ends``: word numbers a sentence ends after)."""
    blocks = [m for m in difflib.SequenceMatcher(None, quote, archived, autojunk=False)
              .get_matching_blocks() if m.size >= min(2, len(quote))]
    if not blocks:
        return 0, len(archived)
    first, last = blocks[0], blocks[-1]
    start = max(0, first.b - first.a)
    while start < first.b and any(k in ends for k in range(start, first.b)):
        start += 1
    stop = min(len(archived), last.b + last.size + (len(quote) - last.a - last.size))
    while stop > last.b + last.size and any(k in ends for k in range(last.b + last.size - 1, stop - 1)):
        stop -= 1
    return start, stop


def diff(quote: str, archived: str, cut: bool = False) -> list[tuple[str, str]]:
    """Word by word: ("=", in both), ("-", in the quote only), ("+", in the archive only),
    ("~", archive text before or after the stretch the quote stands for). Archive pieces
    are the archived text as published, punctuation and spacing included: joined, the
    "=", "+" and "~" pieces give back ``archived`` exactly. A quote ``cut`` short (it ends a
    sentence the archive goes on with) stands for the whole sentence: the rest is "+"."""
    a = list(WORD.finditer(quote))
    b = list(WORD.finditer(archived))
    fa, fb = [fold(m.group()) for m in a], [fold(m.group()) for m in b]
    ends = sentence_ends(archived, [m.span() for m in b])
    start, stop = stretch(fa, fb, ends)
    if cut:
        while stop < len(fb) and stop - 1 not in ends:
            stop += 1

    def piece(i: int, j: int) -> str:  # archive words i..j with what follows them
        first = 0 if i == 0 else b[i].start()
        last = len(archived) if j >= len(b) else b[j].start()
        return archived[first:last]

    out: list[tuple[str, str]] = [("~", piece(0, start))] if start else []
    matcher = difflib.SequenceMatcher(None, fa, fb[start:stop], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", piece(start + j1, start + j2)))
            continue
        if i2 > i1:
            out.append(("-", quote[a[i1].start() : a[i2 - 1].end()]))
        if j2 > j1:
            out.append(("+", piece(start + j1, start + j2)))
    if stop < len(b):
        out.append(("~", piece(stop, len(b))))
    return out



def changed_facts(quote: str, pieces: list[tuple[str, str]]
                  ) -> tuple[dict[int, str], list[tuple[str, str, str]]]:
    """The changed figures and names in the :func:`diff` of ``quote`` (what a fact-checker
    looks for first): the numbers of the pieces that carry them ("figure" or "name"), and
    each change as (kind, the quote's, the archive's; "" when it has none)."""
    marks: dict[int, str] = {}
    names = []
    for k, (op, text) in enumerate(pieces):
        if op != "-":
            continue
        other = k + 1 if k + 1 < len(pieces) and pieces[k + 1][0] == "+" else None
        archived = pieces[other][1] if other is not None else ""
        kind = ("figure" if _FIGURE.search(text + archived)
                else "name" if other is not None and _names(text) and _names(archived) else None)
        if kind:
            marks.update({n: kind for n in (k, other) if n is not None})
        if kind == "name":
            names.append(("name", text, archived.strip()))
    quoted = _NUMBER.findall(quote)
    held = _NUMBER.findall("".join(text for op, text in pieces if op in "+="))
    said = [n for n in quoted if n not in held]
    archived = [n for n in held if n not in quoted]
    figures = [("figure", q, archived[i] if i < len(archived) else "") for i, q in enumerate(said)]
    return marks, figures + names


def _names(text: str) -> bool:
    return any(looks_like_name(w) and fold(w) not in common_words() for w in WORD.findall(text))
