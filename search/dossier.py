"""A collection of cuttings read against the archive as it is now, its JSON, and its
exports: BibTeX, RIS and CSL-JSON bibliographies and a Markdown dossier (the printable
HTML one is a template of the web app, rendered from the collection's JSON).

A cutting whose passage a later re-index changed or removed is *changed*: the dossier
shows the text as it was cut and where the passage went: the very same text under
another id (a file moved or renamed), else the retired-permalink logic's nearest. A
bibliography cites the archive as it is (the passage's successor); a cutting the archive
lost is cited as it was cut, from the source data the collection kept, saying so.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from core.errors import EngineUnavailable, IndexMissing
from core.records import Document, Passage
from search import citations as cite
from search import kept
from search.collection_store import Collection, Cutting, Store
from search.kept import Kept
from search.service import PassageGone, SearchService

Permalink = Callable[[str], str]
# A collection's exports: format -> (file extension, media type, what a page calls it).
EXPORTS = {
    "bibtex": ("bib", "application/x-bibtex", "BibTeX"),
    "ris": ("ris", "application/x-research-info-systems", "RIS"),
    "csl-json": ("json", "application/vnd.citationstyles.csl+json", "CSL-JSON"),
    "markdown": ("md", "text/markdown; charset=utf-8", "Markdown dossier"),
    "html": ("html", "text/html; charset=utf-8", "Printable dossier"),
    "zip": ("zip", "application/zip", "All as ZIP"),
}


@dataclasses.dataclass(frozen=True)
class Entry:
    """A cutting and what the archive holds for it now."""

    cutting: Cutting
    # The document as indexed now: the cut passage's, or its successor's (None: gone).
    doc: Document | None
    # The passage with the cutting's id, or where it went when a re-index changed it.
    passage: Passage | None
    changed: bool
    # The very same text now stands under another id (its file moved or was renamed).
    moved: bool = False

    @property
    def current_id(self) -> str | None:
        return self.passage.passage_id if self.passage else None

    @property
    def in_archive(self) -> bool:
        """Whether the archive holds the cutting's source (or its successor's) now."""
        return self.doc is not None

    @property
    def recorded(self) -> bool:
        """Whether its source is known: in the archive now, or kept when it was cut."""
        return self.doc is not None or self.cutting.kept is not None

    @property
    def link_id(self) -> str:
        """The passage a citation links: as it is now, else the cut one's permalink."""
        return self.current_id or self.cutting.passage_id

    def source(self) -> Kept:
        """The source's citation data: as indexed now, else as kept when it was cut."""
        if self.doc is not None and (self.passage is not None or self.cutting.kept is None):
            return kept.of(self.doc, self.passage)
        return self.cutting.kept or kept.unrecorded(self.cutting.passage_id)

    def cited(self) -> tuple[Document, Passage]:
        """What a citation of the cutting cites: the passage as indexed now, else the
        text as cut, in its source as kept."""
        if self.doc is not None and self.passage is not None:
            return self.doc, self.passage
        return kept.as_document(self.source(), self.cutting.passage_id, self.cutting.text)

    @property
    def remark(self) -> str:
        """What a citation adds when the archive no longer holds the passage."""
        if self.passage is not None:
            return ""
        where = "its document" if self.doc is not None else "the archive"
        return f" No longer in {where}: quoted as it was cut on {self.cutting.added[:10]}."


def resolve(collection: Collection, service: SearchService) -> list[Entry]:
    """Every cutting of ``collection`` with its document and passage as indexed now."""
    return [_resolved(cutting, service) for cutting in collection.cuttings]


def _resolved(cutting: Cutting, service: SearchService) -> Entry:
    gone = None
    try:
        found = service.passage(cutting.passage_id)
    except PassageGone as retired:
        found, gone = None, retired
    if found is not None:
        doc, passage = found
        return Entry(cutting, doc, passage, doc.passage_text(passage) != cutting.text)
    # Its document gone, the very same words in the same source under another id (a moved
    # or renamed file); an edited document's nearest passage otherwise.
    if gone is None and (same := identical(cutting, service)):
        return Entry(cutting, *same, changed=True, moved=True)
    return Entry(cutting, gone.doc if gone else None, gone.nearest if gone else None, True)


def identical(cutting: Cutting, service: SearchService) -> tuple[Document, Passage] | None:
    """The passage holding the cut text now, under another id, in the source the cutting
    kept (the same address, else the same title and outlet): another outlet carrying the
    same paragraph is another source, and without a kept source nothing says which."""
    was = cutting.kept
    if was is None:
        return None

    def address(pair: tuple[Document, Passage]) -> bool:
        return bool(was.url) and pair[0].metadata.url == was.url
    found = [pair for pair in service.identical(cutting.text)
             if pair[1].passage_id != cutting.passage_id and (
                 address(pair) or (pair[0].metadata.title, pair[0].metadata.outlet)
                 == (was.title, was.outlet))]
    return max(found, key=address, default=None)


def keep_sources(store: Store, service: SearchService) -> int:
    """Give the cuttings made before sources were kept their source's citation data,
    where the archive still holds their passage (or its document): how many were given.
    ``presscut index`` does it before it changes the index."""
    if not store.path.exists():
        return 0
    given = 0
    try:
        for passage_id in store.unkept():
            try:
                found = service.passage(passage_id)
            except PassageGone as gone:
                found = (gone.doc, None)
            if found is not None:
                given += store.keep(passage_id, kept.of(*found))
    except (IndexMissing, EngineUnavailable):
        pass  # no archive to read them from yet: the next run, or reading the collection
    return given


def keep_found(store: Store, entries: list[Entry]) -> None:
    """Keep the source of each of ``entries`` cut before sources were kept, now that
    the archive was found to hold it (the web app, reading a collection)."""
    for entry in entries:
        if entry.cutting.kept is None and entry.doc is not None and not entry.moved:
            passage = None if entry.changed else entry.passage
            store.keep(entry.cutting.passage_id, kept.of(entry.doc, passage))


def collection_json(collection: Collection, entries: list[Entry], permalink: Permalink) -> dict:
    """``/api/collections/<id>``: each cutting as it was cut, with its source as indexed
    now (as kept when it was cut, once the archive lost it: ``in_archive`` false);
    ``changed`` when a re-index changed the passage, ``successor`` where it went."""
    return {"id": collection.id, "name": collection.name, "description": collection.description,
            "created": collection.created,
            "passages": [_cutting_json(entry, permalink) for entry in entries]}


def _cutting_json(entry: Entry, permalink: Permalink) -> dict:
    cutting, source, recorded = entry.cutting, entry.source(), entry.recorded
    return {
        "passage_id": cutting.passage_id, "text": cutting.text, "note": cutting.note,
        "tags": list(cutting.tags), "doc_id": source.doc_id if recorded else None,
        "title": source.title if recorded else None,
        "outlet": source.outlet if recorded else None, "date": source.date, "url": source.url,
        "language": source.language or None, "authors": list(source.authors),
        "permalink": permalink(cutting.passage_id), "changed": entry.changed,
        "successor": entry.current_id if entry.changed else None, "moved": entry.moved,
        "in_archive": entry.in_archive, "speakers": list(source.speakers),
        "page": source.page, "added": cutting.added,
    }


@dataclasses.dataclass(frozen=True)
class Source:
    """A document the dossier quotes, and its entries there: (number from 1, cut passage id)."""

    entry: Entry  # the first of them
    cuts: tuple[tuple[int, str], ...]

    @property
    def numbers(self) -> tuple[int, ...]:
        return tuple(number for number, _ in self.cuts)

    def cited(self, permalink: Permalink) -> str:
        """The document as a bibliography entry (its passages are in the entries above)."""
        entry = self.entry
        gone = "" if entry.in_archive else " No longer in the archive."
        return cite.source(*entry.cited(), permalink(entry.link_id)) + gone


def sources(entries: list[Entry]) -> list[Source]:
    """One per document, in the order they first appear, each with every entry quoting
    it: the list of sources (those the archive lost cited as they were kept)."""
    cuts: dict[str, list[tuple[int, str]]] = {}
    first: dict[str, Entry] = {}
    for number, entry in enumerate(entries, 1):
        doc_id = entry.cited()[0].doc_id
        first.setdefault(doc_id, entry)
        cuts.setdefault(doc_id, []).append((number, entry.cutting.passage_id))
    return [Source(entry, tuple(cuts[doc_id])) for doc_id, entry in first.items()]


def passages_cut(numbers: tuple[int, ...]) -> str:
    """"Passage 2" or "Passages 1, 3 and 4": where a source's quotes stand in the dossier."""
    if len(numbers) == 1:
        return f"Passage {numbers[0]}"
    return f"Passages {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def bibliography(entries: list[Entry], fmt: str, permalink: Permalink) -> str:
    """Every cutting in ``fmt`` (``bibtex``, ``ris`` or ``csl-json``): the passage as
    indexed now, else the text as cut, its source as kept, saying the archive lost it."""
    cited = [(*e.cited(), permalink(e.link_id), e.remark) for e in entries]
    if fmt == "csl-json":
        items = [json.loads(cite.cite(doc, p, fmt, link, remark=remark))[0]
                 for doc, p, link, remark in cited]
        return json.dumps(items, ensure_ascii=False, indent=2)
    return "\n".join(cite.cite(doc, p, fmt, link, remark=remark) for doc, p, link, remark in cited)


def markdown(collection: Collection, entries: list[Entry], permalink: Permalink) -> str:
    """The dossier as Markdown: each quote with its note, tags, speakers and source, then
    the list of sources."""
    lines = [f"# {_md(collection.name)}", ""]
    if collection.description:
        lines += [_md(collection.description), ""]
    for number, entry in enumerate(entries, 1):
        lines += _entry_markdown(number, entry, permalink)
    listed = sources(entries)
    if listed:
        lines += ["## Sources", ""]
        lines += [f"- {_md(s.cited(permalink))} {passages_cut(s.numbers)} above."
                  for s in listed]
        lines.append("")
    return "\n".join(lines)


def _entry_markdown(number: int, entry: Entry, permalink: Permalink) -> list[str]:
    cutting, source = entry.cutting, entry.source()
    head = (f"{_md(source.outlet)}, {source.date or 'undated'}: {_md(source.title)}"
            if entry.recorded else "No longer in the archive")
    lines = [f"## {number}. {head}", "", _quote(cutting.text), ""]
    if said := status(entry):
        lines += [f"*{_md(said)}*" + (f" {permalink(entry.current_id)}" if entry.passage
                                        and entry.changed else ""), ""]
    if source.speakers:
        lines.append(f"- Quoted: {_md(', '.join(source.speakers))}")
    if cutting.note:
        lines.append(f"- Note: {_md(cutting.note)}")
    if cutting.tags:
        lines.append(f"- Tags: {_md(', '.join(cutting.tags))}")
    lines.append(f"- Permalink: {permalink(cutting.passage_id)}")
    if source.url:
        lines.append(f"- Original: {cite.one_line(source.url)}")
    return [*lines, ""]


def status(entry: Entry) -> str:
    """What a dossier says of a cutting the archive no longer holds as it was cut."""
    if entry.doc is None:
        if entry.cutting.kept is None:
            return ("No longer in the archive, and its source was not recorded when it was "
                    "cut; the text above is as it was cut.")
        return (f"No longer in the archive: the text and source above are as they were when "
                f"it was cut, on {entry.cutting.added[:10]}.")
    if entry.moved:
        return ("This passage now stands in the archive under another id, word for word "
                "(its file moved or was renamed); now:")
    if entry.changed:
        return ("This passage changed when the archive was re-indexed; " +
                ("now:" if entry.passage else "it is no longer in the document."))
    return ""


def _quote(text: str) -> str:
    return "\n".join(f"> {_md(line)}" if line else ">" for line in text.split("\n"))


def _md(text: str) -> str:
    """Text from a document or a note, inert in Markdown: on one line (no heading or list
    item of its own), and no HTML, links or emphasis."""
    text = cite.one_line(text)
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text
