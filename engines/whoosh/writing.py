"""Writing the Whoosh index: the run's target (a new index built aside, or the one in
place, under the folder's writer lock), its writer and commit schedule, and the phrase
positions written after each commit."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

from core.records import Document, Signature
from engines import folder as index_folder
from engines.protocol import Progress
from engines.whoosh import positions, segments, store
from engines.whoosh.schema import index_fields, stored_document

# A first build commits what it has after this many seconds of indexing, then after
# COMMIT_GROWTH times as long each time: a new archive answers within a minute of the start
# (at 100,000 files the first pass takes half of that) while the segments stay few.
FIRST_COMMIT = 5.0
COMMIT_GROWTH = 4


class WhooshTarget:
    """The index a run writes. ``folder``: the index's folder, whose state the run may
    read (None on a first build or a rebuild); ``written``: where the run's report and
    state go."""

    def __init__(self, ix, folder: Path | None, written: Path, aside: store.Aside | None):
        self.ix, self.folder, self.written, self.aside = ix, folder, written, aside
        self.known_copies = index_folder.copies(folder) if folder else {}
        self.warnings: list[str] = []

    def generation(self) -> int:
        """The index's latest commit: the state a run writes names it."""
        return self.ix.latest_generation()

    def indexed(self) -> Iterator[tuple[str, str, dict, dict]]:
        """Every stored document as (path, fingerprint, record, signature's JSON)."""
        with self.ix.searcher() as searcher:
            for f in searcher.all_stored_fields():
                yield f["path"], f["fingerprint"], f["record"], f["signature"]

    def writer(self, procs: int, total: int) -> WhooshWriter:
        return WhooshWriter(self, procs, total)

    def upkeep(self, progress: Progress = lambda items, total, label: items) -> None:
        """Write the phrase positions of the segments that lack them. Without them phrases
        are checked in Whoosh's own positions, slower but the same: a failure (a full disk)
        is a warning and the run's index and state stand; the next run tries again."""
        try:
            positions.write(self.ix, progress)
        except (OSError, MemoryError, ValueError) as exc:
            self.warnings.append(f"phrase positions not written ({exc}): phrases are checked "
                                 "without them, slower, until a run writes them")


@contextlib.contextmanager
def target(index_path: Path, rebuild: bool, wait: float) -> Iterator[WhooshTarget]:
    """The index at ``index_path`` to write, under its writer lock: built aside (and put in
    place at the end) on a first build, a rebuild, or an index of another version."""
    with index_folder.writer_lock(index_path, wait=wait):
        if rebuild or not store.exists(index_path) or not store.is_current(index_path):
            with store.build_aside(index_path) as aside:
                yield WhooshTarget(aside.index, None, aside.target, aside)
        else:
            folder = index_path.resolve()
            yield WhooshTarget(store.open_index(index_path), folder, folder, None)


class WhooshWriter:
    """The writer of a run. A first build commits what it has every so often (after
    FIRST_COMMIT seconds, then COMMIT_GROWTH times as long each time) and shows the index
    from its first commit on, with how far it is; any other run commits once, at its end."""

    def __init__(self, target: WhooshTarget, procs: int, total: int):
        self.target, self.procs, self.total = target, procs, total
        self.interval = FIRST_COMMIT
        self.due = time.monotonic() + self.interval
        # What the index held before the run (documents carry their history over).
        self.searcher = target.ix.searcher()
        self.writer = self._open()

    def _open(self):
        return segments.writer(self.target.ix, procs=self.procs, limitmb=512,
                               multisegment=self.procs > 1, compound=False)

    def stored(self, relpath: str) -> Document | None:
        fields = self.searcher.document(path=relpath)
        return stored_document(fields) if fields else None

    def replace(self, doc: Document, signature: Signature) -> None:
        self.writer.update_document(**index_fields(doc, signature))

    def delete(self, relpath: str) -> None:
        self.writer.delete_by_term("path", relpath)

    def progress(self, done: int) -> None:
        """Commit and show what is written when a first build is due to."""
        aside = self.target.aside
        if aside is None or not aside.first or time.monotonic() < self.due:
            return
        self.writer.commit()
        index_folder.write_progress(aside.target, done, self.total)
        aside.publish()
        self.target.upkeep()
        self.interval *= COMMIT_GROWTH
        self.due = time.monotonic() + self.interval
        self.writer = self._open()

    def commit(self) -> None:
        self.writer.commit()
        self.searcher.close()

    def cancel(self) -> None:
        """Give up what is not committed, and end the writer's processes."""
        self.writer.cancel()
        self.searcher.close()
        # Whoosh's multi-process writer cancels its worker processes only in this
        # process's copies of them: they would wait for documents for ever, and exiting
        # joins them (an interrupted first build hung so).
        for task in getattr(self.writer, "tasks", ()):
            task.terminate()
            task.join()
