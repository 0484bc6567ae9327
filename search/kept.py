"""What a collection keeps of a cutting's source, so that it can cite the source after
the archive lost it: the citation data of its document as it was when the passage was
cut, and that data made a document again for the citation formats."""

from __future__ import annotations

import dataclasses
import json

from core.ids import doc_id_of
from core.records import Document, Metadata, Passage


@dataclasses.dataclass(frozen=True)
class Kept:
    """What cites a cutting's source, as the archive had it when the passage was cut."""

    doc_id: str
    title: str
    outlet: str
    date: str | None
    url: str | None
    language: str
    authors: tuple[str, ...] = ()
    archived_url: str | None = None
    indexed: str = ""  # the day the archive read it: a citation's "accessed" date
    page: int | None = None
    speakers: tuple[str, ...] = ()

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | None) -> Kept | None:
        """The data :meth:`to_json` wrote (fields a later version added are left out)."""
        if not text:
            return None
        known = {f.name for f in dataclasses.fields(cls)}
        data = {k: v for k, v in json.loads(text).items() if k in known}
        return cls(**{**data, "authors": tuple(data.get("authors", ())),
                      "speakers": tuple(data.get("speakers", ()))})


def of(doc: Document, passage: Passage | None) -> Kept:
    """The citation data of ``passage`` (None: of ``doc`` alone) as the archive has it."""
    meta = doc.metadata
    return Kept(doc.doc_id, meta.title, meta.outlet, meta.date, meta.url, meta.language,
                tuple(meta.authors), meta.archived_url, doc.indexed,
                passage.page if passage else None, passage.speakers if passage else ())


def unrecorded(passage_id: str) -> Kept:
    """A cutting made before sources were kept, whose document has left the archive."""
    return Kept(doc_id_of(passage_id), "Source not recorded", "", None, None, "")


def as_document(kept: Kept, passage_id: str, text: str) -> tuple[Document, Passage]:
    """The kept source as a document holding only the text as it was cut, under its old
    passage id: what the citation formats take."""
    meta = Metadata(kept.title, kept.outlet, kept.date, kept.language, kept.authors, kept.url,
                    archived_url=kept.archived_url)
    passage = Passage(passage_id, 0, len(text), page=kept.page, speakers=kept.speakers)
    doc = Document(kept.doc_id, "", "", "", "", meta, text, (passage,), (), indexed=kept.indexed)
    return doc, passage
