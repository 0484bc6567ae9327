"""Stage 4: a document's clean text and its passages, one per paragraph.

Ids are content-addressed: a passage's id is its document's id and a hash of its own
text (and of how many identical paragraphs precede it), so re-indexing the same file,
adding other files, or moving a paragraph inside its document keeps the id.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from .records import Passage

SEPARATOR = "\n\n"


def document_id(relpath: str) -> str:
    """A document's id: stable for as long as the file keeps its path in the corpus."""
    return hashlib.blake2b(relpath.encode("utf-8"), digest_size=6).hexdigest()


def split(doc_id: str, paragraphs: tuple[str, ...]) -> tuple[str, tuple[Passage, ...]]:
    """The clean text (paragraphs joined by a blank line) and a passage per paragraph."""
    passages: list[Passage] = []
    seen: Counter[str] = Counter()
    offset = 0
    for para in paragraphs:
        start, end = offset, offset + len(para)
        passages.append(Passage(passage_id(doc_id, para, seen[para]), start, end))
        seen[para] += 1
        offset = end + len(SEPARATOR)
    return SEPARATOR.join(paragraphs), tuple(passages)


def passage_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    """``<doc_id>-<8 hex>``: the document, then the passage's own text."""
    digest = hashlib.blake2b(f"{occurrence}\n{text}".encode(), digest_size=4).hexdigest()
    return f"{doc_id}-{digest}"


def doc_id_of(passage_id_: str) -> str:
    """The document a passage id belongs to."""
    return passage_id_.rsplit("-", 1)[0]
