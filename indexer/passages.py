"""Stage 4: a document's clean text and its passages, one per paragraph.

Ids are content-addressed: a passage's id is its document's id and a hash of its own
text (and of how many identical paragraphs precede it), so re-indexing the same file,
adding other files, or moving a paragraph inside its document keeps the id.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Mapping

from core.ids import passage_id
from core.records import Document, Passage

SEPARATOR = "\n\n"
# A paragraph longer than this (a dump without line breaks) is cited in several passages.
MAX_PASSAGE_CHARS = 3000
# How much of a paragraph's opening finds its page once cleaning changed its end.
PAGE_KEY = 40


def split(doc_id: str, paragraphs: tuple[str, ...], kinds: Mapping[str, str] | None = None,
          said: list[tuple[str, ...]] | None = None, pages: Mapping[str, int] | None = None,
          mentioned: list[tuple[str, ...]] | None = None) -> tuple[str, tuple[Passage, ...]]:
    """The clean text (paragraphs joined by a blank line) and its passages: one per
    paragraph, or several for a paragraph longer than MAX_PASSAGE_CHARS (cut between
    sentences, so the text itself is unchanged). ``kinds`` names paragraphs that are not
    article body (captions, quote boxes); ``said`` the speakers of each paragraph;
    ``pages`` the page each paragraph starts on; ``mentioned`` the names each mentions."""
    kinds = kinds or {}
    mentioned = mentioned or [()] * len(paragraphs)
    page_of = _page_finder(pages or {})
    said = said or [()] * len(paragraphs)
    passages: list[Passage] = []
    seen: Counter[str] = Counter()
    offset = 0
    for para, speakers, names in zip(paragraphs, said, mentioned, strict=True):
        for start, end in _pieces(para):
            piece = para[start:end]
            passages.append(Passage(passage_id(doc_id, piece, seen[piece]), offset + start,
                                    offset + end, kinds.get(para, "body"), speakers,
                                    page_of(para), names))
            seen[piece] += 1
        offset += len(para) + len(SEPARATOR)
    return SEPARATOR.join(paragraphs), tuple(passages)


def _page_finder(pages: Mapping[str, int]):
    """The page of a paragraph, also when cleaning trimmed its end (a sign-off code)."""
    by_start = {text[:PAGE_KEY]: page for text, page in reversed(pages.items())}

    def page_of(para: str) -> int | None:
        return pages.get(para) or by_start.get(para[:PAGE_KEY])

    return page_of


def _pieces(para: str) -> list[tuple[int, int]]:
    if len(para) <= MAX_PASSAGE_CHARS:
        return [(0, len(para))]
    pieces, start = [], 0
    while len(para) - start > MAX_PASSAGE_CHARS:
        window = para[start : start + MAX_PASSAGE_CHARS]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
        cut = cut + 1 if cut > MAX_PASSAGE_CHARS // 3 else window.rfind(" ")
        if cut <= 0:
            cut = MAX_PASSAGE_CHARS
        pieces.append((start, start + cut))
        start += cut
        while start < len(para) and para[start] == " ":
            start += 1
    pieces.append((start, len(para)))
    return pieces


def retire(old: Document, new: Document) -> dict[str, str | None]:
    """Passage ids ``old`` had and ``new`` lost, each with its nearest passage in ``new``.

    A paragraph that only moved keeps its id (ids follow the text), so what is retired
    here was edited or deleted; earlier retirements are carried over and re-pointed.
    """
    current = {p.passage_id for p in new.passages}
    texts = {p.passage_id: new.passage_text(p) for p in new.passages}
    retired: dict[str, str | None] = {}
    for passage in old.passages:
        if passage.passage_id not in current:
            retired[passage.passage_id] = _nearest(old.passage_text(passage), texts)
    for old_id, target in old.retired.items():
        if old_id not in current:
            retired[old_id] = target if target in current else retired.get(target)
    return retired


def _nearest(text: str, candidates: dict[str, str]) -> str | None:
    best, best_ratio = None, 0.5  # below half alike, nothing is "the same passage"
    for pid, other in candidates.items():
        matcher = difflib.SequenceMatcher(None, text, other, autojunk=False)
        if matcher.quick_ratio() > best_ratio and matcher.ratio() > best_ratio:
            best, best_ratio = pid, matcher.ratio()
    return best
