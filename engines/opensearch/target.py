"""The index a run writes in the cluster (:class:`engines.protocol.Target`), under the
local index folder's writer lock: the alias's own index for an incremental run, a new
one for a first build, a rebuild, or an index of an older mapping.

The index folder keeps what stays on the indexing machine whichever engine holds the
documents: the lock, the run's report and copies, a first build's progress, and the
state an incremental run starts from, which names the index's commit stamp (a state
written for another index, or another engine, names another and is not used).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from opensearchpy import OpenSearch, helpers

from engines import folder as index_folder
from engines.opensearch import writer as writing
from engines.opensearch.writer import OpenSearchWriter
from engines.protocol import Progress

SCROLL = 500  # documents a page when the run reads the whole index back


class OpenSearchTarget:
    """The index ``index`` a run writes. ``folder``: the index folder, whose state the
    run may read (None when the index is new); ``written``: the folder where the run's
    report and state go (the index folder, always)."""

    def __init__(self, client: OpenSearch, settings, index: str, path: Path, new: bool,
                 first: bool):
        self.client, self.settings, self.index = client, settings, index
        self.new, self.first = new, first
        self.written = path.resolve()
        self.folder = None if new else self.written
        self.known_copies = index_folder.copies(self.written) if not new else {}
        self.warnings: list[str] = []
        self.writers: list[OpenSearchWriter] = []

    def generation(self) -> int:
        return writing.commit_stamp(self.client, self.index)

    def indexed(self) -> Iterator[tuple[str, str, dict, dict]]:
        """Every document as last committed (path, fingerprint, record without its text,
        signature's JSON)."""
        for hit in helpers.scan(self.client, index=self.index, size=SCROLL, _source_includes=[
                "path", "fingerprint", "record", "signature"], query={"query": {"match_all": {}}}):
            found = hit["_source"]
            yield found["path"], found["fingerprint"], found["record"], found["signature"]

    def writer(self, procs: int, total: int) -> OpenSearchWriter:
        """The run's writer (one process: the cluster does the indexing work)."""
        made = OpenSearchWriter(self.client, self.settings, self.index, self.new,
                                self.written if self.first else None, total)
        self.writers.append(made)
        return made

    def shown(self) -> bool:
        """Whether a writer of the run has made part of it searchable."""
        return any(made.refreshed for made in self.writers)

    def upkeep(self, progress: Progress) -> None:
        """Nothing: the cluster merges its segments itself."""


@contextlib.contextmanager
def target(client: OpenSearch, settings, path: Path, rebuild: bool, wait: float
           ) -> Iterator[OpenSearchTarget]:
    """The index to write for the index folder ``path``, under its writer lock. A new
    index is put behind the alias when the block ends without an error (a first build's
    at once, so that its commits show as they come); with an error it is deleted, but a
    first build keeps what it committed (the next run goes on from it)."""
    alias = writing.alias_of(settings)
    path.mkdir(parents=True, exist_ok=True)
    with index_folder.writer_lock(path, wait=wait):
        live = writing.live_indexes(client, alias)
        current = bool(live) and writing.is_current(live[0], alias)
        if current and not rebuild:
            yield OpenSearchTarget(client, settings, live[0], path, new=False, first=False)
            return
        made = OpenSearchTarget(client, settings, writing.create_index(client, settings), path,
                                new=True, first=not live)
        if made.first:
            writing.move_alias(client, alias, made.index)
        try:
            yield made
        except BaseException:
            if not (made.first and made.shown()):
                with contextlib.suppress(Exception):  # the error that ended the run matters
                    client.indices.delete(index=made.index, ignore_unavailable=True)
            raise
        if not made.first:
            writing.move_alias(client, alias, made.index)
