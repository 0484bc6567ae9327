"""The records that flow through the pipeline, one frozen dataclass per stage."""

from __future__ import annotations

import base64
import dataclasses
from typing import Literal
from urllib.parse import urlparse

import numpy as np


class NotAnArticle(ValueError):
    """A corpus file that cannot be indexed; the message says why, for a person."""


@dataclasses.dataclass(frozen=True)
class LoadedFile:
    """A corpus file decoded to text (``loader``)."""

    relpath: str
    kind: Literal["text", "html"]
    encoding: str
    sha256: str
    # Text dumps: the decoded file. HTML: one block of the page per line.
    text: str
    # Metadata the page itself declares (HTML only): field -> value.
    page_meta: dict[str, str] = dataclasses.field(default_factory=dict)
    # Blocks the HTML loader dropped (navigation, scripts' neighbours, forms...).
    removed: tuple[str, ...] = ()
    # Blocks that are not article body, by their text: "caption", "quote box".
    block_kinds: dict[str, str] = dataclasses.field(default_factory=dict)
    # The file format it came from ("pdf", "warc", "feed"...): reported per format.
    format: str = "text"
    # Manifest columns the file carries itself (an export's row); the manifest wins.
    row: dict[str, str] = dataclasses.field(default_factory=dict)
    # The page each block starts on, by its text (PDF): cited with the passage.
    block_pages: dict[str, int] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass(frozen=True)
class CleanText:
    """Article paragraphs and the boilerplate taken out of them (``cleaner``)."""

    paragraphs: tuple[str, ...]
    removed: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Metadata:
    """What a document is: each field with the rule that found it in ``sources``."""

    title: str
    outlet: str
    date: str | None  # "YYYY-MM-DD" or "YYYY-MM": the precision the source gives
    language: str
    authors: tuple[str, ...]
    url: str | None
    sources: dict[str, str] = dataclasses.field(default_factory=dict)
    # A copy kept by an archive (the manifest's ``archived_url``): cited beside ``url``.
    archived_url: str | None = None

    @property
    def month(self) -> str | None:
        return self.date[:7] if self.date else None


def is_web_url(value: str) -> bool:
    """Only http(s) addresses become links: a corpus may carry ``javascript:`` ones, or
    line breaks that would forge lines of a citation."""
    parsed = urlparse(value)
    return parsed.scheme in ("http", "https") and bool(parsed.netloc) and value.isprintable()


@dataclasses.dataclass(frozen=True)
class Passage:
    """One paragraph of a document's clean text: ``text == doc.text[start:end]``."""

    passage_id: str
    start: int
    end: int
    # "body", or what else the extractor saw it in ("caption", "quote box"): cite with care.
    kind: str = "body"
    # People and bodies quoted in it, each under its one canonical spelling.
    speakers: tuple[str, ...] = ()
    # The page of the source it starts on, for formats that have pages (PDF).
    page: int | None = None
    # People, organisations and places it names, each under its one spelling.
    mentions: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Document:
    """A cleaned, described, split document, ready for the index (``build``)."""

    doc_id: str
    relpath: str
    fingerprint: str
    encoding: str
    cleaner_version: str
    metadata: Metadata
    text: str
    passages: tuple[Passage, ...]
    removed: tuple[str, ...]
    speakers: tuple[str, ...] = ()
    # Everyone and everything its passages mention, in order of first mention.
    mentions: tuple[str, ...] = ()
    # Ids of passages an earlier version had and this one lost -> the nearest current one.
    retired: dict[str, str | None] = dataclasses.field(default_factory=dict)
    # What a person should know about how this file was indexed (e.g. truncation).
    notes: tuple[str, ...] = ()
    # The day the file was read into the archive: a citation's "accessed" date.
    indexed: str = ""

    def passage_text(self, passage: Passage) -> str:
        return self.text[passage.start : passage.end]


@dataclasses.dataclass(frozen=True)
class Skipped:
    """A corpus file that was not indexed, and why."""

    relpath: str
    reason: str


def document_to_record(doc: Document) -> dict:
    """A plain dict of ``doc`` for the index's stored field."""
    # dataclasses.asdict deep-copies every value: a fifth of the indexer's own time.
    record = dict(vars(doc))
    record["metadata"] = dict(vars(doc.metadata))
    record["passages"] = [dict(vars(p)) for p in doc.passages]
    return record


def document_from_record(record: dict) -> Document:
    """The inverse of :func:`document_to_record`."""
    meta = dict(record["metadata"])
    meta["authors"] = tuple(meta["authors"])
    fields = dict(record)
    fields["metadata"] = Metadata(**meta)
    fields["passages"] = tuple(Passage(**{**p, "speakers": tuple(p.get("speakers", ())),
                                          "mentions": tuple(p.get("mentions", ()))})
                               for p in record["passages"])
    fields["removed"] = tuple(record["removed"])
    fields["speakers"] = tuple(record.get("speakers", ()))
    fields["mentions"] = tuple(record.get("mentions", ()))
    fields["retired"] = dict(record.get("retired", {}))
    fields["notes"] = tuple(record.get("notes", ()))
    return Document(**fields)


@dataclasses.dataclass(frozen=True)
class Signature:
    """What identifies a text for duplicate detection: its exact words' digest and a
    MinHash of its shingles."""

    exact: str
    # NUM_PERM 32-bit hash values as bytes: a tuple of Python ints took nine times the
    # room, 230 MB for an incremental run over 100,000 articles.
    minhash: bytes

    def to_json(self) -> dict:
        return {"exact": self.exact, "minhash": base64.b64encode(self.minhash).decode()}

    @classmethod
    def from_json(cls, data: dict) -> Signature:
        minhash = data["minhash"]
        if isinstance(minhash, list):  # indexes written before signatures were packed
            return cls(data["exact"], np.array(minhash, dtype=np.uint32).tobytes())
        return cls(data["exact"], base64.b64decode(minhash))
