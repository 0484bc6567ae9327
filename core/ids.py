"""The ids that permalinks carry: a document's from its path in the corpus, a passage's
from its document and its own text, so both survive re-indexing."""

from __future__ import annotations

import hashlib


def document_id(relpath: str) -> str:
    """A document's id: stable for as long as the file keeps its path in the corpus."""
    return hashlib.blake2b(relpath.encode("utf-8"), digest_size=6).hexdigest()


def passage_id(doc_id: str, text: str, occurrence: int = 0) -> str:
    """``<doc_id>-<8 hex>``: the document, then the passage's own text."""
    digest = hashlib.blake2b(f"{occurrence}\n{text}".encode(), digest_size=4).hexdigest()
    return f"{doc_id}-{digest}"


def doc_id_of(passage_id_: str) -> str:
    """The document a passage id belongs to."""
    return passage_id_.rsplit("-", 1)[0]
