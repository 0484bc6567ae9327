"""Whoosh's segment writers, with their posting runs written a chunk at a time.

Whoosh sorts a segment's postings with an external merge sort: past its memory limit a
writer writes the postings it holds to a run file, and at the end merges the runs. It
writes and reads a run one posting at a time (a pickle call each) and merges the runs
through a heap, a posting at a time: a sixth of a first build's CPU. Here a run is
written and read as lists of postings, one ``marshal`` call per chunk, and merged a batch
at a time by Python's sort (:func:`merged`); the postings, their order and the segments
written are Whoosh's own, so stock Whoosh opens, searches and merges the index
(``tests/test_segments.py``).
"""

from __future__ import annotations

import bisect
import itertools
import marshal
from collections.abc import Iterator

from whoosh import multiproc
from whoosh.writing import PostingPool, SegmentWriter

# Postings a run holds per marshal call: big enough that the calls cost nothing, small
# enough that reading a run back holds little more than the merge needs.
CHUNK = 20_000


class ChunkedPool(PostingPool):
    """Whoosh's posting pool, its runs written and read a chunk of postings at a time,
    and merged by :func:`merged`."""

    def _write_run(self, f, items):
        items = iter(items)
        try:
            while chunk := list(itertools.islice(items, CHUNK)):
                marshal.dump(chunk, f)
        finally:
            f.close()

    def _chunks(self, path: str) -> Iterator[list]:
        f = self._open_run(path)
        try:
            while True:
                try:
                    yield marshal.load(f)
                except EOFError:
                    return
        finally:
            f.close()
            self._remove_run(path)

    def _read_run(self, path):
        for chunk in self._chunks(path):
            yield from chunk

    def _merge_runs(self, paths):
        return merged([self._chunks(path) for path in paths])


def merged(runs: list[Iterator[list]]) -> Iterator:
    """The items of sorted runs (each given as its sorted chunks), in order.

    Rather than a heap passing items one by one, each step takes from every run what
    sorts up to the end of the run whose current chunk ends first, and sorts that at once
    (Timsort merges the sorted pieces in C)."""
    held = []  # [chunk, where its untaken items start, the run's further chunks]
    for run in runs:
        _refill(held, [[], 0, run])
    while held:
        cutoff = min(chunk[-1] for chunk, _, _ in held)
        batch = []
        for entry in held:
            chunk, start, _ = entry
            # The chunk ending at the cutoff is taken whole: every step ends a chunk.
            end = len(chunk) if chunk[-1] == cutoff else bisect.bisect_right(chunk, cutoff, start)
            batch += chunk[start:end]
            entry[1] = end
        batch.sort()
        yield from batch
        going, held = held, []
        for entry in going:
            _refill(held, entry)


def _refill(held: list, entry: list) -> None:
    # Keep a run (with its next chunk if its current one is taken) unless it has ended.
    while entry[1] == len(entry[0]):
        chunk = next(entry[2], None)
        if chunk is None:
            return
        entry[0], entry[1] = chunk, 0
    held.append(entry)


def _chunked_pool(writer: SegmentWriter, limitmb: float = 128, **_) -> ChunkedPool:
    return ChunkedPool(writer._tempstorage, writer.newsegment, limitmb=limitmb)


class ChunkedSegmentWriter(SegmentWriter):
    """Whoosh's segment writer with a :class:`ChunkedPool`."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        self.pool = _chunked_pool(self, **kwargs)


class _ChunkedTask(multiproc.SubWriterTask):
    def run(self):
        # This process exists only to write this segment: the writer Whoosh's task makes
        # is ours for the rest of its life.
        multiproc.SegmentWriter = ChunkedSegmentWriter
        super().run()


class ChunkedMpWriter(multiproc.MpWriter):
    """Whoosh's multi-process writer whose processes write with a :class:`ChunkedPool`."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
        # Unless multisegment, the workers' runs are read back through this pool: it must
        # read the chunks their pools wrote (Whoosh's would unpickle them).
        self.pool = _chunked_pool(self, **kwargs)

    def _new_task(self):
        task = _ChunkedTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                            self.subargs, self.multisegment)
        self.tasks.append(task)
        task.start()
        return task


def writer(ix, procs: int = 1, **kwargs) -> SegmentWriter:
    """A writer of ``ix`` as ``ix.writer(procs=procs, **kwargs)`` gives, with chunked runs."""
    if procs > 1:
        return ChunkedMpWriter(ix, procs=procs, **kwargs)
    return ChunkedSegmentWriter(ix, **kwargs)
