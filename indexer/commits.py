"""Every call the build makes into the index, through the engine protocol
(:mod:`engines.protocol`): the run's target, its writer, the documents written, read back
and deleted, and the run's report.

The build reaches the engine here only; it never imports one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from core import entities
from core.records import Document
from engines import folder as index_folder
from engines.protocol import Target, Writer
from indexer import dedup, passages, state, state_db, workers
from indexer.summary import Summary

if TYPE_CHECKING:
    from indexer.decisions import Run
    from indexer.first_pass import Seen
    from indexer.plan import Inputs


def write(inputs: Inputs, run: Run, seen: list[Seen], procs: int) -> None:
    """Every job of ``seen`` through the pipeline into the index, committed at the end
    (and on the way, on a first build)."""
    writer = inputs.target.writer(procs, len(seen))
    try:
        jobs = filter(None, map(run.job, inputs.progress(seen, len(seen), "Indexing")))
        for job, outcome in workers.produced(jobs, inputs.context, inputs.workers, inputs.helper):
            run.write(job, outcome, writer)
            writer.progress(len(run.current))
        run.delete_gone(writer)
        writer.commit()
    except BaseException:
        writer.cancel()
        raise


def with_history(doc: Document, writer: Writer) -> Document:
    """``doc`` knowing which of its indexed version's passage ids are gone, and where to
    send readers."""
    old = writer.stored(doc.relpath)
    return dataclasses.replace(doc, retired=passages.retire(old, doc)) if old else doc


def existing(target: Target) -> state.State:
    """What the index holds, read from its stored documents (when no state file matches)."""
    documents = {
        path: state.Indexed(fingerprint=fingerprint, passages=len(record["passages"]),
                            signature=dedup.Signature.from_json(signature),
                            persons=_persons(record))
        for path, fingerprint, record, signature in target.indexed()
    }
    return state.State(head=state.Head(generation=target.generation(), listing=""),
                       body=state.Body(hints="", repeats={}, unsettled=[]),
                       documents=documents, files={}, counts={})


def _persons(record: Mapping) -> tuple[str, ...]:
    """A stored document's speakers and the mentions shaped like persons (what the
    registry gave it, as near as the record tells)."""
    return tuple(dict.fromkeys([*record.get("speakers", ()),
                                *(name for name in record.get("mentions", ())
                                  if entities.kind_of(name) == "person")]))


def finish(folder: Path, summary: Summary, started: float,
           after: state.State | state.Change | None) -> None:
    """Write the run's report (and the state it leaves, if it changed) into ``folder``."""
    summary.seconds = time.monotonic() - started
    summary.finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    index_folder.write_run(folder, summary.to_json(), summary.copies_json())
    if after is not None:
        state_db.write(after, folder)
