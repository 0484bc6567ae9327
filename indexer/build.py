"""A corpus into the index: every file through the pipeline (``pipeline``), written
inside one commit-or-cancel block.

``index_corpus`` is incremental: a file whose bytes, manifest row and cleaning rules
are unchanged is not processed again. A broken file is skipped with its reason.

The run's parts, each a module: the corpus listed (``corpus_walk``); what the last run
left (``state``, ``state_db``); the run that looks at every file or only at what changed
(``plan``, ``quick``), whose first pass is ``first_pass`` and whose decisions per article
are ``decisions``; the pipeline's processes (``workers``); the index and its commits
(``commits``); what the run did (``summary``).
"""

from __future__ import annotations

import dataclasses
import os
import time
from pathlib import Path
from typing import NamedTuple

import orjson

from core import entities
from core.errors import InsideCorpus
from core.settings import ReadLimits, index_in_corpus
from engines import open_engine
from engines.protocol import Engine, Target
from indexer import cleaner, commits, metadata, plan, quick, selfnames, state, state_db, workers
from indexer.corpus_walk import CorpusFile, corpus_files
from indexer.first_pass import Reading
from indexer.pipeline import PIPELINE_VERSION, Context
from indexer.summary import Progress, Summary

__all__ = ["CorpusFile", "Progress", "Summary", "corpus_files", "index_corpus"]


def index_corpus(corpus: Path, index_path: Path, rebuild: bool = False,
                 progress: Progress = lambda items, total, label: items, wait: float = 0.0,
                 workers: int | None = None, engine: Engine | None = None,
                 limits: ReadLimits | None = None) -> Summary:
    """Bring the index at ``index_path`` up to date with ``corpus`` (call under no lock).

    ``workers``: processes that run the pipeline when there is much to do (default: one
    a core); ``progress(items, total, label)`` wraps each long pass (a progress bar);
    ``engine``: where the index lives (default: Whoosh, in ``index_path``); ``limits``:
    what reading one file may cost (default: the settings' defaults). An index inside the
    corpus is refused (:class:`InsideCorpus`).
    """
    if problem := index_in_corpus(corpus, index_path):
        raise InsideCorpus(problem)
    started = time.monotonic()
    reading = Reading(root=os.path.realpath(corpus), limits=limits or ReadLimits.default())
    engine = engine or open_engine(index_path)
    with engine.target(rebuild, wait) as target:
        summary = Summary()
        after = _update(target, corpus, summary, progress, workers, reading)
        # Also an index written before the engine's upkeep was: an unchanged run does it.
        target.upkeep(progress)
        # A new list: the state keeps the run's own warnings, not the engine's.
        summary.warnings = [*summary.warnings, *target.warnings]
        commits.finish(target.written, summary, started, after)
    return summary


def _update(target: Target, corpus: Path, summary: Summary, progress: Progress,
            procs: int | None, reading: Reading) -> state.State | state.Change | None:
    """Index what changed in ``target``; the state to keep, or None when nothing did."""
    procs = procs or os.cpu_count() or 1
    context = Context.for_corpus(corpus)
    folder = target.folder
    # Started first: its imports overlap the listing of the corpus.
    with workers.helper(context, folder is not None and procs > 1) as helper:
        listed = _listed(target, corpus, summary, context, reading.limits)
        if listed is None:
            return None
        head = listed.last
        inputs = plan.Inputs(target=target, corpus=corpus, summary=summary, progress=progress,
                             stamps=listed.stamps, context=context, rows=listed.rows,
                             workers=procs, helper=helper, head=listed.head, last=head,
                             hints=listed.hints, listing=listed.listing, reading=reading)
        previous = state_db.previous(folder, target.generation()) if folder else None
        read = plan.Read({}, {})
        try:
            if previous and head and previous.body.hints == inputs.hints:
                done = quick.run(inputs, previous, head)
                if isinstance(done, state.Change):
                    return done
                read = done
            before = (previous.whole(head) if previous and head
                      else commits.existing(target) if folder else None)
        finally:
            if previous:
                previous.close()
        return plan.whole(inputs, before, read)


class _Listed(NamedTuple):
    """The corpus as listed, and what the last run left of it."""

    stamps: dict[str, tuple[int, int]]
    # The manifests' rows (None: none changed since the last run, read when needed).
    rows: dict[str, dict[str, str]] | None
    hints: str
    listing: state.Listing
    # The head of the state this run will write, so far, and the last run's.
    head: state.Head
    last: state.Head | None


def _listed(target: Target, corpus: Path, summary: Summary, context: Context,
            limits: ReadLimits) -> _Listed | None:
    """The corpus listed, and the head of what the last run left; None (``summary``
    filled) when no file changed size or date since the last run."""
    manifests: dict[str, list[int]] = {}
    stamps = corpus_files(corpus, summary.skipped, manifests)
    last = state.head(target.folder, target.generation()) if target.folder else None
    rows = None
    if last and last.manifests == manifests:
        rows_digest = last.rows  # no manifest changed: rows are read only where needed
    else:
        rows = metadata.read_manifests(corpus, manifests)
        # (orjson: the manifests' 100,000 rows at 100,000 articles took 0.7 s with json.)
        rows_digest = state.digest(orjson.dumps(rows, option=orjson.OPT_SORT_KEYS).decode())
    # What each file's first pass learnt stays true while these are the same (a file
    # given up under other limits is read again under new ones).
    hints = state.digest(rows_digest, context.digest, cleaner.rules().version,
                         selfnames.version(), entities.version(), PIPELINE_VERSION, repr(limits))
    skipped = orjson.dumps([dataclasses.asdict(s) for s in summary.skipped]).decode()
    listing = state.Listing.of(stamps)
    listed = listing.digest(hints, skipped)
    if last and last.listing == listed:
        # No file changed size or date since the last run (how make and rsync judge).
        plan.unchanged(summary, last, target.known_copies)
        return None
    return _Listed(stamps, rows, hints, listing,
                   state.Head(generation=0, listing=listed, manifests=manifests, rows=rows_digest),
                   last)
