"""The index a run writes, and every call the build makes into it: which index (a first
build aside, or the one in place), the writer and its commit schedule, the documents
written, read back and deleted, the phrase positions, the run's report.

The build reaches the index (``engines.whoosh``) here only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from core import entities
from core.records import Document
from engines.whoosh import positions, segments, store
from engines.whoosh.schema import index_fields, stored_document
from indexer import dedup, passages, state, state_db, workers
from indexer.summary import Progress, Summary

if TYPE_CHECKING:
    from indexer.decisions import Run
    from indexer.first_pass import Seen
    from indexer.plan import Inputs

# A first build commits what it has after this many seconds of indexing, then after
# COMMIT_GROWTH times as long each time: a new archive answers within a minute of the start
# (at 100,000 files the first pass takes half of that) while the segments stay few.
FIRST_COMMIT = 5.0
COMMIT_GROWTH = 4


@dataclasses.dataclass(frozen=True, kw_only=True)
class Target:
    """The index a run writes, and what it knows of the last run."""

    ix: object
    # The index's folder, whose state the run may read; None on a first build.
    folder: Path | None
    # Where the run's report and state go.
    written: Path
    # The index being built aside (a first build or a rebuild), or None.
    aside: store.Aside | None
    # The copies the last run found (:meth:`Summary.copies_json`).
    known_copies: dict[str, dict]


@contextlib.contextmanager
def target(index_path: Path, rebuild: bool, wait: float) -> Iterator[Target]:
    """The index at ``index_path`` to write, under its writer lock: built aside (and put in
    place at the end) on a first build, a rebuild, or an index of another version."""
    with store.writer_lock(index_path, wait=wait):
        if rebuild or not store.exists(index_path) or not store.is_current(index_path):
            with store.build_aside(index_path) as aside:
                yield Target(ix=aside.index, folder=None, written=aside.target, aside=aside,
                             known_copies={})
        else:
            folder = index_path.resolve()
            yield Target(ix=store.open_index(index_path), folder=folder, written=folder,
                         aside=None, known_copies=store.copies(folder))


def generation(ix) -> int:
    """The index's latest commit: the state a run writes names it."""
    return ix.latest_generation()


class Commits:
    """The writer of a run. A first build commits what it has every so often (after
    FIRST_COMMIT seconds, then COMMIT_GROWTH times as long each time) and shows the index
    from its first commit on, with how far it is; any other run commits once, at its end."""

    def __init__(self, ix, procs: int, aside: store.Aside | None, total: int, summary: Summary):
        self.ix, self.procs, self.aside, self.total, self.summary = ix, procs, aside, total, summary
        self.interval = FIRST_COMMIT
        self.due = time.monotonic() + self.interval
        self.writer = self._open()

    def _open(self):
        return segments.writer(self.ix, procs=self.procs, limitmb=512,
                               multisegment=self.procs > 1, compound=False)

    def tick(self, done: int) -> None:
        """Commit and show what is written when a first build is due to."""
        if self.aside is None or not self.aside.first or time.monotonic() < self.due:
            return
        self.writer.commit()
        store.write_progress(self.aside.target, done, self.total)
        self.aside.publish()
        write_positions(self.ix, self.summary)
        self.interval *= COMMIT_GROWTH
        self.due = time.monotonic() + self.interval
        self.writer = self._open()

    def cancel(self) -> None:
        """Give up what is not committed, and end the writer's processes."""
        self.writer.cancel()
        # Whoosh's multi-process writer cancels its worker processes only in this
        # process's copies of them: they would wait for documents for ever, and exiting
        # joins them (an interrupted first build hung so).
        for task in getattr(self.writer, "tasks", ()):
            task.terminate()
            task.join()


def write(inputs: Inputs, run: Run, seen: list[Seen], procs: int) -> None:
    """Every job of ``seen`` through the pipeline into the index, committed at the end
    (and on the way, on a first build)."""
    ix = inputs.target.ix
    commits = Commits(ix, procs, inputs.target.aside, len(seen), inputs.summary)
    with ix.searcher() as searcher:
        try:
            jobs = filter(None, map(run.job, inputs.progress(seen, len(seen), "Indexing")))
            for job, outcome in workers.produced(jobs, inputs.context, inputs.workers,
                                                 inputs.helper):
                run.write(job, outcome, commits.writer, searcher)
                commits.tick(len(run.current))
            run.delete_gone(commits.writer)
            commits.writer.commit()
        except BaseException:
            commits.cancel()
            raise


def add(writer, doc: Document, signature: dedup.Signature) -> None:
    """Write ``doc`` (in place of the document of its path, if any)."""
    writer.update_document(**index_fields(doc, signature))


def delete(writer, relpath: str) -> None:
    writer.delete_by_term("path", relpath)


def stored(searcher, relpath: str) -> Document:
    """The document the index holds for ``relpath``."""
    return stored_document(searcher.document(path=relpath))


def with_history(doc: Document, searcher) -> Document:
    """``doc`` knowing which of its indexed version's passage ids are gone, and where to
    send readers."""
    return dataclasses.replace(doc, retired=passages.retire(stored(searcher, doc.relpath), doc))


def existing(ix) -> state.State:
    """What the index holds, read from its stored documents (when no state file matches)."""
    with ix.searcher() as searcher:
        documents = {
            f["path"]: state.Indexed(fingerprint=f["fingerprint"],
                                     passages=len(f["record"]["passages"]),
                                     signature=dedup.Signature.from_json(f["signature"]),
                                     persons=_persons(f["record"]))
            for f in searcher.all_stored_fields()
        }
    return state.State(head=state.Head(generation=generation(ix), listing=""),
                       body=state.Body(hints="", repeats={}, unsettled=[]),
                       documents=documents, files={}, counts={})


def _persons(record: Mapping) -> tuple[str, ...]:
    """A stored document's speakers and the mentions shaped like persons (what the
    registry gave it, as near as the record tells)."""
    return tuple(dict.fromkeys([*record.get("speakers", ()),
                                *(name for name in record.get("mentions", ())
                                  if entities.kind_of(name) == "person")]))


def write_positions(ix, summary: Summary, progress: Progress = lambda items, total, label: items
                    ) -> None:
    """Write the phrase positions of the segments that lack them. Without them phrases are
    checked in Whoosh's own positions, slower but the same: a failure (a full disk) is
    reported and the run's index and state stand; the next run tries again."""
    try:
        positions.write(ix, progress)
    except (OSError, MemoryError, ValueError) as exc:
        # A new list: the state keeps the run's own warnings, not this one.
        summary.warnings = [*summary.warnings, f"phrase positions not written ({exc}): phrases "
                            "are checked without them, slower, until a run writes them"]


def finish(folder: Path, summary: Summary, started: float,
           after: state.State | state.Change | None) -> None:
    """Write the run's report (and the state it leaves, if it changed) into ``folder``."""
    summary.seconds = time.monotonic() - started
    summary.finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    store.write_run(folder, summary.to_json(), summary.copies_json())
    if after is not None:
        state_db.write(after, folder)
