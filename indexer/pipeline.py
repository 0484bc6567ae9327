"""One file through the pipeline: loaded text -> cleaner -> metadata -> passages -> a
:class:`Document`, with the fingerprint that says when it must be processed again."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from core import entities, files, ids
from core.aliases import AliasTable
from core.records import Document, LoadedFile, NotAnArticle, Skipped
from indexer import cleaner, loader, mentions, metadata, outlets, passages, selfnames, speakers

# Bump when loader/metadata/passages change what they produce for the same input.
PIPELINE_VERSION = "9"
# A document's text beyond this is not indexed (bounded memory; the rest is noted).
MAX_DOCUMENT_CHARS = 2_000_000


@dataclasses.dataclass
class Context:
    """What a whole corpus shares: its outlet-name table and one spelling per speaker."""

    outlet_names: Mapping[str, str]
    alias_groups: list[list[str]]
    speakers: speakers.Registry

    @functools.cached_property
    def mentions(self) -> mentions.Finder:
        return mentions.Finder(self.alias_groups, self.speakers.canonical)

    @classmethod
    def for_corpus(cls, corpus: Path) -> Context:
        groups = [[v.text for v in group]
                  for group in AliasTable([corpus / "aliases.toml"]).groups()]
        return cls(outlets.read_outlet_names(corpus), groups, speakers.Registry(groups))

    @functools.cached_property
    def digest(self) -> str:
        """What of the corpus shapes every document (asked once per file: kept)."""
        return json.dumps([self.outlet_names, self.alias_groups], sort_keys=True)


def process(loaded: LoadedFile, row: Mapping[str, str], repeated: frozenset[str],
            context: Context) -> Document:
    """Clean, describe and split one loaded file into a :class:`Document`."""
    outlet_names = context.outlet_names
    clean = cleaner.clean(loaded.text, repeated, footer=loaded.kind == "text")
    paragraphs = clean.paragraphs
    meta = metadata.describe(loaded, paragraphs, row, loaded.removed + clean.removed,
                             outlet_names)
    if (paragraphs and meta.sources.get("title") != "first-sentence"
            and cleaner.normalise_line(paragraphs[0]) == cleaner.normalise_line(meta.title)):
        # The headline is metadata, not body text.
        paragraphs = paragraphs[1:]
    if not paragraphs:
        raise NotAnArticle("has no article text left once boilerplate is removed")
    paragraphs, notes = _within_limit(paragraphs)
    doc_id = ids.document_id(loaded.relpath)
    said = [tuple(dict.fromkeys(context.speakers.canonical(name) for name in names))
            for names in speakers.attribute(list(paragraphs))]
    named, each_named = context.mentions.find_each([meta.title, *paragraphs])
    text, parts = passages.split(doc_id, paragraphs, loaded.block_kinds, said, loaded.block_pages,
                                 each_named[1:])
    return Document(
        doc_id=doc_id,
        relpath=loaded.relpath,
        fingerprint=fingerprint(loaded, row, repeated, context),
        encoding=loaded.encoding,
        cleaner_version=cleaner.rules().version,
        metadata=meta,
        text=text,
        passages=parts,
        removed=loaded.removed + clean.removed,
        notes=notes,
        speakers=tuple(dict.fromkeys(name for names in said for name in names)),
        mentions=named,
        indexed=dt.date.today().isoformat(),
    )


def recanonical(doc: Document, canonical, persons: frozenset[str]) -> Document:
    """``doc`` with each of its ``persons`` (the spellings a speaker registry handed out
    for it) under ``canonical``'s spelling: a document processed apart (in a worker
    process) is given the spellings the corpus met first, as if processed in order."""
    def names(found: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(canonical(n) if n in persons else n for n in found))

    return dataclasses.replace(
        doc, speakers=names(doc.speakers), mentions=names(doc.mentions),
        passages=tuple(dataclasses.replace(p, speakers=names(p.speakers), mentions=names(p.mentions))
                       for p in doc.passages))


def _within_limit(paragraphs: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Paragraphs up to MAX_DOCUMENT_CHARS, and a note when some had to be left out."""
    total = 0
    for count, para in enumerate(paragraphs):
        total += len(para) + len(passages.SEPARATOR)
        if total > MAX_DOCUMENT_CHARS:
            kept = paragraphs[: max(1, count)]
            if len(kept[0]) > MAX_DOCUMENT_CHARS:
                kept = (kept[0][:MAX_DOCUMENT_CHARS],)
            return kept, (f"only the first {sum(map(len, kept)):,} characters were indexed "
                          f"(the limit is {MAX_DOCUMENT_CHARS:,} a document)",)
    return paragraphs, ()


def fingerprint(loaded: LoadedFile, row: Mapping[str, str], repeated: frozenset[str],
                context: Context) -> str:
    """Changes when anything that shapes the document changes."""
    digest = hashlib.sha256()
    for part in (loaded.sha256, json.dumps(dict(row), sort_keys=True), context.digest,
                 cleaner.rules().version, selfnames.version(), entities.version(), PIPELINE_VERSION,
                 *sorted(repeated)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def extract(path: Path) -> list[Document | Skipped]:
    """One file through the pipeline, as the indexer would keep it (``presscut extract``):
    its documents, one per article, and the records of it that are not articles."""
    rows = metadata.read_manifests(path.parent)
    context = Context.for_corpus(path.parent)
    found: list[Document | Skipped] = []
    for loaded in loader.load_all(path, path.name):
        if isinstance(loaded, Skipped):
            found.append(loaded)
            continue
        try:
            found.append(process(loaded, row_for(loaded, rows), frozenset(), context))
        except NotAnArticle as exc:
            found.append(Skipped(loaded.relpath, str(exc)))
    return found


def row_for(loaded: LoadedFile, rows: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    """The manifest row of a document: its own, over what its file carries (an export's
    columns), over what the manifest says of the container it came out of (the outlet
    of a whole feed, say)."""
    container = files.container_of(loaded.relpath)
    own = rows.get(loaded.relpath, {})
    if container == loaded.relpath:
        return {**loaded.row, **own}
    shared = {k: v for k, v in rows.get(container, {}).items() if k in ("outlet", "language")}
    return {**shared, **loaded.row, **own}
