"""What a run must read again, and the run that looks at every file (:func:`whole`; the
one that reads only what changed is :mod:`indexer.quick`)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections import Counter
from collections.abc import Container, Iterable, Mapping
from concurrent import futures
from pathlib import Path

from core import files
from core.records import LoadedFile
from engines.protocol import Target
from indexer import cleaner, commits, dedup, metadata, state
from indexer.corpus_walk import CorpusFile
from indexer.decisions import Run
from indexer.first_pass import FirstPass, Reading, outlet_texts
from indexer.pipeline import Context
from indexer.summary import Progress, Summary


@dataclasses.dataclass(frozen=True)
class Read:
    """The files a run read before it found it must look at every file: what the first
    pass learnt of them, and their texts by article (None: past the memory budget)."""

    files: dict[str, state.FileSeen]
    texts: dict[str, dict[str, LoadedFile | None]]


@dataclasses.dataclass(kw_only=True)
class Inputs:
    """What a run found before it decides how much to read again."""

    # The index written, and what the last run left (:meth:`engines.protocol.Engine.target`).
    target: Target
    corpus: Path
    summary: Summary
    progress: Progress
    # Every corpus file's stamp, by its path inside the corpus (:func:`corpus_files`).
    stamps: dict[str, tuple[int, int]]
    context: Context
    # The manifests' rows (None until needed: none changed since the last run).
    rows: dict[str, dict[str, str]] | None
    workers: int
    # The head of the state this run writes, so far, and the last run's (None: unknown).
    head: state.Head
    last: state.Head | None
    hints: str
    helper: futures.ProcessPoolExecutor | None
    listing: state.Listing
    reading: Reading

    def files(self, only: Container[str] | None = None) -> list[CorpusFile]:
        """The corpus files (``only`` these), in order."""
        base = os.fspath(self.corpus)
        return [CorpusFile(os.path.join(base, relpath), relpath, stamp)
                for relpath, stamp in self.stamps.items() if only is None or relpath in only]

    def finish(self, run: Run, documents: int, passages: int, formats_: Counter,
               ) -> state.Head:
        """Fill the summary, and the head of the state to write."""
        summary = self.summary
        summary.copies = run.copies
        summary.documents, summary.passages = documents, passages
        summary.count_formats(formats_)
        summary.skipped.sort(key=lambda s: (s.relpath, s.reason))
        return dataclasses.replace(self.head, generation=self.target.generation(),
                                   skipped=summary.skipped, warnings=summary.warnings,
                                   documents=documents, passages=passages, formats=dict(formats_))


def unchanged(summary: Summary, head: state.Head, known_copies: dict[str, dict]) -> None:
    """``summary`` of a run that found nothing to do."""
    summary.skipped = list(head.skipped)
    summary.warnings = list(head.warnings)
    summary.copies = {copy: known["original"] for copy, known in known_copies.items()}
    summary.copy_fingerprints = {copy: known["fingerprint"] for copy, known in known_copies.items()}
    summary.unchanged = head.documents + len(known_copies)
    summary.documents = head.documents
    summary.passages = head.passages
    summary.count_formats(head.formats)


def whole(inputs: Inputs, before: state.State | None, read: Read) -> state.State:
    """A run that looks at every file (the first pass knows the unchanged ones, and
    those already ``read``)."""
    summary, context = inputs.summary, inputs.context
    rows = (inputs.rows if inputs.rows is not None
            else metadata.read_manifests(inputs.corpus, inputs.head.manifests))
    existing = before.documents if before else {}
    for indexed in existing.values():
        context.speakers.add_known(indexed.persons)
    known_files = before.files if before and before.body.hints == inputs.hints else {}
    first = FirstPass(rows, context.outlet_names, summary.skipped, {**known_files, **read.files},
                      read.texts, reading=inputs.reading)
    seen = first.run(inputs.files(), inputs.progress, inputs.workers)
    counts = cleaner.line_counts(outlet_texts(seen))
    repeated = cleaner.repeated_in(counts)
    repeats = {outlet: state.digest(*sorted(lines)) for outlet, lines in repeated.items()}
    present = {item.relpath for item in seen}
    signatures = state.Signatures.of({relpath: indexed for relpath, indexed in existing.items()
                                      if relpath in present})
    registry = dedup.Registry.of(signatures.keys, signatures.exacts, signatures.minhashes)
    run = Run(summary, context, rows, existing, inputs.target.known_copies, repeated, present,
              registry, reading=inputs.reading)
    if known_files:
        run.trust_unread({outlet for outlet in {item.outlet for item in seen}
                          if before.body.repeats.get(outlet) == repeats.get(outlet)})
    # Two is what Whoosh's multi-process writer was measured safe and fastest with; a
    # small incremental change is not worth starting processes (nor adding segments).
    with contextlib.closing(run):
        commits.write(inputs, run, seen, 1 if existing else min(2, os.cpu_count() or 1))
    current = run.current
    head = inputs.finish(run, len(current), sum(d.passages for d in current.values()),
                         Counter(files.format_of(relpath) for relpath in current))
    body_ = body(inputs, repeats, run, first.files, inputs.stamps.keys() - first.files.keys())
    return state.State(head=head, body=body_, documents=current, files=first.files, counts=counts)


def body(inputs: Inputs, repeats: dict[str, str], run: Run,
         files_seen: dict[str, state.FileSeen], unread: Iterable[str]) -> state.Body:
    """What the state says besides its rows, once ``run`` has written the articles of
    ``files_seen`` (what the first pass saw) and found ``unread`` files unreadable."""
    current = run.current
    unsettled = sorted(article.relpath for seen in files_seen.values() for article in seen.articles
                       if article.relpath not in current and article.relpath not in run.copies)
    absent = sorted(relpath for relpath in current if relpath not in run.present)
    return state.Body(hints=inputs.hints, repeats=repeats, unsettled=unsettled,
                      listing=inputs.listing, unread=sorted(unread), absent=absent)


def untouched(file: str, stamps: Mapping[str, object], redo: set[str]) -> bool:
    return file in stamps and file not in redo


class Present:
    """Whether an article is in the corpus now, for a run that read only ``redo``: the
    articles of every other file of the corpus are what they were."""

    def __init__(self, files_, redo: set[str], articles: set[str]):
        self.files, self.redo, self.articles = files_, redo, articles

    def __contains__(self, relpath: str) -> bool:
        file = files.container_of(relpath)
        return file in self.files and (file not in self.redo or relpath in self.articles)


def manifests_over(manifests: dict[str, list[int]], relpaths: set[str]) -> list[str]:
    """The manifests that can name these files: those of their folders and above."""
    folders = {""}
    for relpath in relpaths:
        parts = relpath.split("/")[:-1]
        folders.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    return [manifest for manifest in manifests if manifest.rpartition("/")[0] in folders]
