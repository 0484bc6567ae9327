"""The pipeline: corpus files -> loader -> cleaner -> metadata -> passages -> index.

``index_corpus`` is incremental: a file whose bytes, manifest row and cleaning rules
are unchanged is not processed again. A broken file is skipped with its reason.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TypeVar

from . import cleaner, dedup, loader, metadata, passages, speakers, state, store
from .aliases import AliasTable
from .analysis import name_words
from .records import (
    Document,
    LoadedFile,
    NotAnArticle,
    Skipped,
    document_from_record,
    document_to_record,
)
from .schema import MULTI

T = TypeVar("T")
# Bump when loader/metadata/passages change what they produce for the same input.
PIPELINE_VERSION = "4"
REPORT_NAME = "presscut-report.json"
COPIES_NAME = "presscut-copies.json"
# A document's text beyond this is not indexed (bounded memory; the rest is noted).
MAX_DOCUMENT_CHARS = 2_000_000
# Texts kept in memory between the two passes over the corpus; past it files are read twice.
MEMORY_BUDGET = 64 * 2**20
Progress = Callable[[Iterable[T], int], Iterable[T]]


@dataclasses.dataclass
class Summary:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: list[Skipped] = dataclasses.field(default_factory=list)
    passages: int = 0
    documents: int = 0
    # A file that is a copy of an indexed one -> the indexed one's path.
    copies: dict[str, str] = dataclasses.field(default_factory=dict)
    copy_fingerprints: dict[str, str] = dataclasses.field(default_factory=dict, repr=False)
    # Files indexed only in part, with why.
    warnings: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    @property
    def indexed_anything(self) -> bool:
        return self.documents > 0

    def line(self) -> str:
        return (
            f"{self.documents} documents ({self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deleted} deleted, {len(self.skipped)} skipped, "
            f"{len(self.copies)} copies of others), "
            f"{self.passages} passages, {self.seconds:.1f} s"
        )

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["skipped"] = [dataclasses.asdict(s) for s in self.skipped]
        del data["copy_fingerprints"]
        return data


def corpus_files(corpus: Path, skipped: list[Skipped]) -> list[tuple[Path, str]]:
    """Every corpus file under ``corpus`` as (path, relative posix path), sorted.

    Symbolic links to folders are not followed (no loops); a folder named like a
    document is reported, and searched like any folder.
    """
    found: list[tuple[Path, str]] = []
    for root, dirs, files in os.walk(corpus, followlinks=False):
        dirs.sort()
        for name in list(dirs):
            path = Path(root) / name
            if path.is_symlink():
                skipped.append(Skipped(_rel(path, corpus), "is a link to a folder; not followed"))
            elif loader.is_corpus_file(path) and path.suffix:
                skipped.append(Skipped(_rel(path, corpus), "is a directory, not a file"))
        for name in sorted(files):
            path = Path(root) / name
            if loader.is_corpus_file(path):
                found.append((path, _rel(path, corpus)))
    return found


def _rel(path: Path, corpus: Path) -> str:
    return path.relative_to(corpus).as_posix()


@dataclasses.dataclass
class Context:
    """What a whole corpus shares: its outlet-name table and one spelling per speaker."""

    outlet_names: Mapping[str, str]
    alias_groups: list[list[str]]
    speakers: speakers.Registry

    @classmethod
    def for_corpus(cls, corpus: Path) -> Context:
        groups = [[v.text for v in group]
                  for group in AliasTable([corpus / "aliases.toml"]).groups()]
        return cls(metadata.read_outlet_names(corpus), groups, speakers.Registry(groups))

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
    doc_id = passages.document_id(loaded.relpath)
    said = [tuple(dict.fromkeys(context.speakers.canonical(name) for name in names))
            for names in speakers.attribute(list(paragraphs))]
    text, parts = passages.split(doc_id, paragraphs, loaded.block_kinds, said)
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
    )


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
                 cleaner.rules().version, PIPELINE_VERSION, *sorted(repeated)):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def extract(path: Path) -> Document:
    """One file through the pipeline, as the indexer would keep it (``presscut extract``)."""
    rows = metadata.read_manifests(path.parent)
    return process(loader.load(path, path.name), rows.get(path.name, {}), frozenset(),
                   Context.for_corpus(path.parent))


def index_corpus(corpus: Path, index_path: Path, rebuild: bool = False,
                 progress: Progress = lambda items, total: items, wait: float = 0.0) -> Summary:
    """Bring the index at ``index_path`` up to date with ``corpus`` (call under no lock)."""
    started = time.monotonic()
    with store.writer_lock(index_path, wait=wait):
        summary = Summary()
        if rebuild or not store.exists(index_path):
            with store.build_aside(index_path) as ix:
                folder = Path(ix.storage.folder)
                after = _update(ix, corpus, summary, progress, None, lambda: None,
                                known_copies={})
                _write_report(folder, summary, started, after)
        else:
            folder = index_path.resolve()
            ix = store.open_index(index_path)
            generation = ix.latest_generation()
            after = _update(ix, corpus, summary, progress, state.head(folder, generation),
                            lambda: state.read(folder, generation) or _existing(ix),
                            known_copies=_known_copies(folder))
            _write_report(folder, summary, started, after)
    return summary


def _write_report(folder: Path, summary: Summary, started: float,
                  after: state.State | None) -> None:
    summary.seconds = time.monotonic() - started
    (folder / REPORT_NAME).write_text(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    copies = {copy: {"original": original, "fingerprint": summary.copy_fingerprints.get(copy)}
              for copy, original in summary.copies.items()}
    (folder / COPIES_NAME).write_text(json.dumps(copies, indent=1, ensure_ascii=False))
    if after is not None:
        after.write(folder)


def _known_copies(folder: Path) -> dict[str, dict]:
    """Copies recorded by the last run (so unchanged ones are not processed again)."""
    try:
        return json.loads((folder / COPIES_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _existing(ix) -> state.State:
    """What the index holds, read from its stored documents (when no state file matches)."""
    with ix.searcher() as searcher:
        documents = {
            f["path"]: state.Indexed(f["fingerprint"], len(f["record"]["passages"]),
                                     dedup.Signature.from_json(f["signature"]),
                                     tuple(f["record"].get("speakers", ())))
            for f in searcher.all_stored_fields()
        }
    return state.State(ix.latest_generation(), "", documents, [], [])


@dataclasses.dataclass
class _Seen:
    """A corpus file after the first pass: loaded, or to be loaded again (memory budget)."""

    path: Path
    relpath: str
    outlet: str
    loaded: LoadedFile | None
    lines: frozenset[str] = frozenset()


def _update(ix, corpus: Path, summary: Summary, progress: Progress, head: state.Head | None,
            previous: Callable[[], state.State | None],
            known_copies: dict[str, dict]) -> state.State | None:
    """Index what changed; the state to keep, or None when nothing did."""
    files = corpus_files(corpus, summary.skipped)
    rows = metadata.read_manifests(corpus)
    context = Context.for_corpus(corpus)
    listing = state.listing(files, json.dumps(rows, sort_keys=True), context.digest,
                            cleaner.rules().version, PIPELINE_VERSION,
                            json.dumps([dataclasses.asdict(s) for s in summary.skipped]))
    if head and head.listing == listing:
        # No file changed size or date since the last run (how make and rsync judge).
        _unchanged(summary, head, known_copies)
        return None
    before = previous()
    existing = before.documents if before else {}
    for indexed in existing.values():
        context.speakers.add_known(indexed.speakers)
    names = context.outlet_names
    seen = _first_pass(files, rows, names, summary.skipped, progress)
    repeated = cleaner.repeated_lines(_outlet_texts(seen))
    present = {item.relpath for item in seen}
    registry = dedup.Registry()
    for relpath, indexed in existing.items():
        if relpath in present:
            registry.add(relpath, indexed.signature)
    # What the index holds once this run commits, kept current as files are written.
    current = dict(existing)
    copies: dict[str, str] = {}
    searcher = ix.searcher()
    # Two is what Whoosh's multi-process writer was measured safe and fastest with; a
    # small incremental change is not worth starting processes (nor adding segments).
    procs = 1 if existing else min(2, os.cpu_count() or 1)
    writer = ix.writer(limitmb=128, procs=procs, multisegment=procs > 1, compound=False)
    try:
        for item in seen:
            loaded = item.loaded or _reload(item, summary.skipped)
            if loaded is None:
                continue
            row = rows.get(item.relpath, {})
            outlet_lines = repeated.get(item.outlet, frozenset())
            old = existing.get(item.relpath)
            print_ = fingerprint(loaded, row, outlet_lines, context)
            if old and old.fingerprint == print_:
                summary.unchanged += 1
                continue
            known = known_copies.get(item.relpath)
            if not old and known and known["fingerprint"] == print_ and known["original"] in present:
                copies[item.relpath] = known["original"]
                summary.copy_fingerprints[item.relpath] = print_
                summary.unchanged += 1
                continue
            try:
                doc = process(loaded, row, outlet_lines, context)
            except NotAnArticle as exc:
                summary.skipped.append(Skipped(item.relpath, str(exc)))
                continue
            summary.warnings += [f"{item.relpath}: {note}" for note in doc.notes]
            sig = dedup.signature(doc.text)
            registry.remove(item.relpath)
            original = registry.original_of(sig)
            if original:
                copies[item.relpath] = original
                summary.copy_fingerprints[item.relpath] = print_
                if old:  # it was indexed on its own before: now it is a copy
                    writer.delete_by_term("path", item.relpath)
                    del current[item.relpath]
                continue
            registry.add(item.relpath, sig)
            if old:
                doc = _carry_history(doc, stored_document(searcher.document(path=item.relpath)))
            writer.update_document(**index_fields(doc, sig))
            current[item.relpath] = state.Indexed(print_, len(doc.passages), sig, doc.speakers)
            if old:
                summary.updated += 1
            else:
                summary.added += 1
        gone = set(existing) - present - {s.relpath for s in summary.skipped}
        for relpath in gone:
            writer.delete_by_term("path", relpath)
            current.pop(relpath, None)
            summary.deleted += 1
        writer.commit()
    except BaseException:
        writer.cancel()
        raise
    finally:
        searcher.close()
    summary.copies = copies
    summary.documents = len(current)
    summary.passages = sum(indexed.passages for indexed in current.values())
    return state.State(ix.latest_generation(), listing, current, summary.skipped,
                       summary.warnings)


def _unchanged(summary: Summary, head: state.Head, known_copies: dict[str, dict]) -> None:
    """``summary`` of a run that found nothing to do."""
    summary.skipped = list(head.skipped)
    summary.warnings = list(head.warnings)
    summary.copies = {copy: known["original"] for copy, known in known_copies.items()}
    summary.copy_fingerprints = {copy: known["fingerprint"] for copy, known in known_copies.items()}
    summary.unchanged = head.documents + len(known_copies)
    summary.documents = head.documents
    summary.passages = head.passages


def _carry_history(doc: Document, old: Document) -> Document:
    """``doc`` knowing which of ``old``'s passage ids are gone, and where to send readers."""
    return dataclasses.replace(doc, retired=passages.retire(old, doc))


def _first_pass(files, rows, names, skipped: list[Skipped], progress: Progress) -> list[_Seen]:
    """Load every file once (keeping texts up to MEMORY_BUDGET) and note its outlet."""
    seen: list[_Seen] = []
    kept = 0
    for path, relpath in progress(files, len(files)):
        try:
            loaded = loader.load(path, relpath)
        except NotAnArticle as exc:
            skipped.append(Skipped(relpath, str(exc)))
            continue
        outlet = _outlet_hint(loaded, rows.get(relpath, {}), names)
        kept += len(loaded.text)
        # The repeated-line statistics need each text once: keep its short lines only.
        seen.append(_Seen(path, relpath, outlet, loaded if kept <= MEMORY_BUDGET else None,
                          cleaner.short_lines(loaded.text)))
    return seen


def _reload(item: _Seen, skipped: list[Skipped]) -> LoadedFile | None:
    try:
        return loader.load(item.path, item.relpath)
    except NotAnArticle as exc:  # changed on disk between the passes
        skipped.append(Skipped(item.relpath, str(exc)))
        return None


def _outlet_texts(seen: list[_Seen]) -> dict[str, list[frozenset[str]]]:
    by_outlet: dict[str, list[frozenset[str]]] = defaultdict(list)
    for item in seen:
        if item.outlet:
            by_outlet[item.outlet].append(item.lines)
    return by_outlet


def _outlet_hint(item: LoadedFile, row: Mapping[str, str], names: Mapping[str, str]) -> str:
    if row.get("outlet"):
        return row["outlet"]
    url = row.get("url") or metadata.infer_url(item.page_meta)[0]
    outlet, _ = metadata.infer_outlet(item.text[:2000], item.page_meta, url, (), names)
    return outlet or ""


def index_fields(doc: Document, sig: dedup.Signature) -> dict:
    """The Whoosh fields of one document."""
    meta = doc.metadata
    return {
        "doc_id": doc.doc_id,
        "path": doc.relpath,
        "fingerprint": doc.fingerprint,
        "title": meta.title,
        "exact": doc.text,
        "pairs": doc.text,
        # Only capitalised words get a name key: hand over just those (a third of the cost).
        "names": " ".join(name_words(f"{meta.title}\n{doc.text}")),
        "outlet": meta.outlet,
        "outlet_facet": meta.outlet,
        "lang": meta.language,
        "date": meta.date or "",
        "month": meta.month or "",
        "speaker": ",".join(doc.speakers),
        "speaker_facet": MULTI.join(doc.speakers),
        "author": " ".join(meta.authors),
        "record": document_to_record(doc),
        "signature": sig.to_json(),
    }


def stored_document(fields: Mapping) -> Document:
    """The :class:`Document` kept in an index hit's stored fields."""
    return document_from_record(fields["record"])
