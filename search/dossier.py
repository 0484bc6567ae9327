"""A collection of cuttings read against the archive as it is now, its JSON, and its
exports: BibTeX, RIS and CSL-JSON bibliographies and a Markdown dossier (the printable
HTML one is a template of the web app, rendered from the collection's JSON).

A cutting whose passage a later re-index changed or removed is *changed*: the dossier
shows the text as it was cut and where the passage went (the retired-permalink logic);
a bibliography cites the archive as it is (the passage's successor), never a quote the
archive no longer holds.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from core.records import Document, Passage
from search import citations as cite
from search.collection_store import Collection, Cutting
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
    doc: Document | None
    # The passage with the cutting's id, or where it went when a re-index changed it.
    passage: Passage | None
    changed: bool

    @property
    def current_id(self) -> str | None:
        return self.passage.passage_id if self.passage else None


def resolve(collection: Collection, service: SearchService) -> list[Entry]:
    """Every cutting of ``collection`` with its document and passage as indexed now."""
    entries = []
    for cutting in collection.cuttings:
        try:
            found = service.passage(cutting.passage_id)
        except PassageGone as gone:
            entries.append(Entry(cutting, gone.doc, gone.nearest, True))
            continue
        if found is None:
            entries.append(Entry(cutting, None, None, True))
            continue
        doc, passage = found
        entries.append(Entry(cutting, doc, passage, doc.passage_text(passage) != cutting.text))
    return entries


def collection_json(collection: Collection, entries: list[Entry], permalink: Permalink) -> dict:
    """``/api/collections/<id>``: each cutting as it was cut, with its source as indexed
    now; ``changed`` when a re-index changed the passage, ``successor`` where it went."""
    return {"id": collection.id, "name": collection.name, "description": collection.description,
            "created": collection.created,
            "passages": [_cutting_json(entry, permalink) for entry in entries]}


def _cutting_json(entry: Entry, permalink: Permalink) -> dict:
    cutting, doc, passage = entry.cutting, entry.doc, entry.passage
    meta = doc.metadata if doc else None
    return {
        "passage_id": cutting.passage_id, "text": cutting.text, "note": cutting.note,
        "tags": list(cutting.tags), "doc_id": doc.doc_id if doc else None,
        "title": meta.title if meta else None, "outlet": meta.outlet if meta else None,
        "date": meta.date if meta else None, "url": meta.url if meta else None,
        "language": meta.language if meta else None,
        "permalink": permalink(cutting.passage_id), "changed": entry.changed,
        "successor": entry.current_id if entry.changed else None,
        "speakers": list(passage.speakers) if passage else [],
        "page": passage.page if passage else None, "added": cutting.added,
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
        return cite.source(entry.doc, entry.passage, permalink(entry.current_id))


def sources(entries: list[Entry]) -> list[Source]:
    """One per document, in the order they first appear, each with every entry quoting
    it: the list of sources."""
    cuts: dict[str, list[tuple[int, str]]] = {}
    first: dict[str, Entry] = {}
    for number, entry in enumerate(entries, 1):
        if entry.doc is not None and entry.passage is not None:
            first.setdefault(entry.doc.doc_id, entry)
            cuts.setdefault(entry.doc.doc_id, []).append((number, entry.cutting.passage_id))
    return [Source(entry, tuple(cuts[doc_id])) for doc_id, entry in first.items()]


def passages_cut(numbers: tuple[int, ...]) -> str:
    """"Passage 2" or "Passages 1, 3 and 4": where a source's quotes stand in the dossier."""
    if len(numbers) == 1:
        return f"Passage {numbers[0]}"
    return f"Passages {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


def bibliography(entries: list[Entry], fmt: str, permalink: Permalink) -> str:
    """Every cited passage in ``fmt`` (``bibtex``, ``ris`` or ``csl-json``)."""
    cited = [e for e in entries if e.doc is not None and e.passage is not None]
    if fmt == "csl-json":
        items = [json.loads(cite.cite(e.doc, e.passage, fmt, permalink(e.current_id)))[0]
                 for e in cited]
        return json.dumps(items, ensure_ascii=False, indent=2)
    return "\n".join(cite.cite(e.doc, e.passage, fmt, permalink(e.current_id)) for e in cited)


def markdown(collection: Collection, entries: list[Entry], permalink: Permalink) -> str:
    """The dossier as Markdown: each quote with its note, tags, speakers and source, then
    the list of sources."""
    lines = [f"# {_md(collection.name)}", ""]
    if collection.description:
        lines += [_md(collection.description), ""]
    for number, entry in enumerate(entries, 1):
        cutting = entry.cutting
        if entry.doc is None:
            lines += [f"## {number}. No longer in the archive", "", _quote(cutting.text), ""]
            continue
        meta = entry.doc.metadata
        lines += [f"## {number}. {_md(meta.outlet)}, {meta.date or 'undated'}: {_md(meta.title)}", "",
                  _quote(cutting.text), ""]
        if entry.changed:
            where = (f"now: {permalink(entry.current_id)}" if entry.passage
                     else "it is no longer in the document")
            lines += [f"*This passage changed when the archive was re-indexed; {where}.*", ""]
        if entry.passage and entry.passage.speakers:
            lines.append(f"- Quoted: {_md(', '.join(entry.passage.speakers))}")
        if cutting.note:
            lines.append(f"- Note: {_md(cutting.note)}")
        if cutting.tags:
            lines.append(f"- Tags: {_md(', '.join(cutting.tags))}")
        lines.append(f"- Permalink: {permalink(cutting.passage_id)}")
        if meta.url:
            lines.append(f"- Original: {cite.one_line(meta.url)}")
        lines.append("")
    listed = sources(entries)
    if listed:
        lines += ["## Sources", ""]
        lines += [f"- {_md(s.cited(permalink))} {passages_cut(s.numbers)} above."
                  for s in listed]
        lines.append("")
    return "\n".join(lines)


def _quote(text: str) -> str:
    return "\n".join(f"> {_md(line)}" if line else ">" for line in text.split("\n"))


def _md(text: str) -> str:
    """Text from a document or a note, inert in Markdown: on one line (no heading or list
    item of its own), and no HTML, links or emphasis."""
    text = cite.one_line(text)
    for char in "\\`*_[]<>#|":
        text = text.replace(char, "\\" + char)
    return text
