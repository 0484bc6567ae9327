"""Where a paragraph's exact text stands in the archive now, whatever its id: a file
moved or renamed gets a new document id, and so do its passages, though not a word of
them changed. The engine finds the candidates by a phrase query on the paragraph's
words (on either engine, without reading every document); the text decides."""

from __future__ import annotations

from core.aliases import AliasTable
from core.analysis import WORD
from core.errors import BadQuery
from core.records import Document, Passage
from engines.protocol import Ask, Version

# The paragraph's first words make the phrase: enough that only copies of the paragraph
# hold them in a row, and a query of bounded size however long the paragraph is.
PHRASE_WORDS = 40
CANDIDATES = 20  # documents holding the phrase whose passages are compared


def passages(version: Version, text: str) -> list[tuple[Document, Passage]]:
    """Every passage of ``version`` whose text is exactly ``text``, best ranked first."""
    words = WORD.findall(text)[:PHRASE_WORDS]
    if not words:
        return []
    try:
        # No aliases: a name must not widen the phrase to its other spellings.
        parsed = version.parse(f'"{" ".join(words)}"', AliasTable(), max_length=2**31)
    except BadQuery:
        return []
    found = version.find(Ask(parsed=parsed, first=0, last=CANDIDATES, timeline=False))
    return [(doc, passage) for doc, _ in found.page for passage in doc.passages
            if doc.passage_text(passage) == text]
