"""The pipeline's worker processes: each article through :func:`indexer.pipeline.process`
in a pool when there is much to do, in a helper process or in this one when there is little."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import multiprocessing
from collections.abc import Iterator, Mapping
from concurrent import futures

from core.records import Document, LoadedFile, NotAnArticle
from indexer import dedup
from indexer.pipeline import Context, process

# Articles handed to the pipeline's worker processes at a time (two such windows in
# flight keep both busy and memory bounded); a run with less work stays in one process.
WINDOW = 256


@dataclasses.dataclass(frozen=True)
class Job:
    """One article for the pipeline, with what it needs besides the corpus context."""

    loaded: LoadedFile
    row: Mapping[str, str]
    repeated: frozenset[str]


Outcome = tuple[Document, dedup.Signature, frozenset[str]]
# What a worker process was started with (its pool's initializer fills it).
given: dict[str, object] = {}


def start_worker(started_with: dict[str, object]) -> None:
    """A pool's initializer: keep what the workers share, and sign texts if asked."""
    given.update(started_with)
    if started_with.get("sign"):
        dedup.prepare()


def outcome(job: Job, context: Context | None = None) -> Outcome | str:
    """The pipeline on one article (its document, copy signature and the person names it
    was given), or why it is not an article."""
    context = context or given["context"]
    context.speakers.handed.clear()
    try:
        doc = process(job.loaded, job.row, job.repeated, context)
        signature = dedup.signature(doc.text)
    except NotAnArticle as exc:
        return str(exc)
    except Exception as exc:  # what one text does to the pipeline is its skip, not the run's
        return f"could not be indexed ({type(exc).__name__}: {str(exc)[:200]})"
    return doc, signature, frozenset(context.speakers.handed)


def produced(jobs: Iterator[Job], context: Context, workers: int,
             helper: futures.ProcessPoolExecutor | None = None) -> Iterator[tuple[Job, object]]:
    """Each job with its :func:`outcome`, in order: in worker processes when there is more
    than a window of work, a window at a time with the next one already under way; less
    in the ``helper`` process when there is one."""
    window = list(itertools.islice(jobs, WINDOW))
    if helper is not None and len(window) < WINDOW:
        yield from zip(window, helper.map(outcome, window), strict=True)
        return
    if workers < 2 or len(window) < WINDOW:
        for job in itertools.chain(window, jobs):
            yield job, outcome(job, context)
        return
    with multiprocessing.Pool(workers, start_worker, ({"context": context},)) as pool:
        pending = (window, pool.map_async(outcome, window, chunksize=8))
        while pending:
            window = list(itertools.islice(jobs, WINDOW))
            following = (window, pool.map_async(outcome, window, chunksize=8)) if window else None
            yield from zip(pending[0], pending[1].get(), strict=True)
            pending = following


@contextlib.contextmanager
def helper(context: Context, wanted: bool) -> Iterator[futures.ProcessPoolExecutor | None]:
    """A worker process for the pipeline of an incremental run with a few texts to process,
    started before the corpus is listed: it imports what signing a text needs (datasketch
    and scipy, 0.7 s) on the other core meanwhile. An executor, not a pool: a worker that
    dies (or cannot import) is an error, where a pool would wait for it for ever."""
    if not wanted:
        yield None
        return
    with futures.ProcessPoolExecutor(1, multiprocessing.get_context("fork"), start_worker,
                                     ({"context": context, "sign": True},)) as executor:
        executor.submit(int)  # starts the process (and its imports) now
        yield executor
