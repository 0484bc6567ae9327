"""Writing to the cluster: documents in bulk into one index, behind an alias.

The alias (``<prefix>-articles``) is what searches read. An incremental run writes into
the index it names; a rebuild writes a new index (``<prefix>-articles-v<VERSION>-<stamp>``)
that :func:`move_alias` puts behind the alias in one ``_aliases`` request once the run is
done, so a rebuild that dies half-way leaves searches on the old index (the next run that
moves the alias deletes its leftovers).
"""

from __future__ import annotations

import time
from pathlib import Path

from opensearchpy import OpenSearch, helpers

from core.ids import document_id
from core.records import Document, Signature
from engines import folder as index_folder
from engines.opensearch import mapping

BATCH = 256  # documents per bulk request: a pipeline window, a few MB
SLOW = 120  # seconds for creating an index (its 16,000 folding rules) or its replicas
RETRIES = 8  # times a bulk request refused as too much at once is sent again
# A first build refreshes what it has after this many seconds, then after COMMIT_GROWTH
# times as long each time, as the Whoosh engine commits: a new archive answers early.
FIRST_COMMIT = 5.0
COMMIT_GROWTH = 4


def alias_of(settings) -> str:
    return f"{settings.opensearch_prefix}-articles"


def live_indexes(client: OpenSearch, alias: str) -> list[str]:
    """The indexes the alias names now (none before a first build)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias))


def is_current(name: str, alias: str) -> bool:
    """Whether the index ``name`` has this version's fields and analyzers."""
    return name.startswith(f"{alias}-v{mapping.VERSION}-")


def create_index(client: OpenSearch, settings) -> str:
    """A new, empty index of this version (no replicas yet: copying while bulk loading
    doubles the work); its name."""
    alias = alias_of(settings)
    name = f"{alias}-v{mapping.VERSION}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**6:06d}"
    client.indices.create(index=name, body={
        "settings": mapping.index_settings(settings.opensearch_shards, 0),
        # The commit stamp is never 0, so no state written for another index names it.
        "mappings": {**mapping.MAPPINGS, "_meta": {"commit": time.time_ns()}}},
        request_timeout=SLOW)
    return name


def commit_stamp(client: OpenSearch, index: str) -> int:
    """The index's last commit (what versions and the run's state know it by)."""
    found = client.indices.get_mapping(index=index)[index]
    return int(found["mappings"].get("_meta", {}).get("commit", 0))


def move_alias(client: OpenSearch, alias: str, target: str) -> None:
    """The alias onto ``target`` in one atomic request. The index it named before is kept
    (to go back to, and for searches still reading it); older ones, and leftovers of
    rebuilds that died, go."""
    old = live_indexes(client, alias)
    client.indices.update_aliases(body={"actions": [
        *({"remove": {"index": name, "alias": alias}} for name in old if name != target),
        {"add": {"index": target, "alias": alias}}]})
    for name in client.indices.get(index=f"{alias}-v*"):
        if name != target and name not in old:
            client.indices.delete(index=name)


class OpenSearchWriter:
    """A run's writes into ``index``: ``replace`` and ``delete`` go in bulk as they come,
    and nothing is searchable before a commit refreshes the index (its refresh interval
    is off). A ``first`` build (the alias already names its index) commits on the way;
    ``new``: the index was made for this run, and gets its replicas at :meth:`commit`.
    :meth:`cancel` drops what was not sent yet; what an incremental run sent cannot be
    taken back (the next commit shows it, and the next run writes those files again)."""

    def __init__(self, client: OpenSearch, settings, index: str, new: bool,
                 progress_to: Path | None = None, total: int = 0):
        self.client, self.settings, self.index, self.new = client, settings, index, new
        self.progress_to, self.total = progress_to, total
        self.pending: list[dict] = []
        self.refreshed = False  # whether any of the run's writes is searchable
        self.interval = FIRST_COMMIT
        self.due = time.monotonic() + self.interval

    def stored(self, relpath: str) -> Document | None:
        """The document from ``relpath`` as the index held it before this run (as last
        committed: what searches see)."""
        found = self.client.get(index=self.index, id=document_id(relpath), realtime=False,
                                _source_includes="record,exact", ignore=404)
        return mapping.stored(found["_source"]) if found.get("found") else None

    def replace(self, doc: Document, signature: Signature) -> None:
        # The id is the path's: indexing it again replaces the document whole (its
        # passages live in its record).
        self.pending.append({"_op_type": "index", "_index": self.index, "_id": doc.doc_id,
                             "_source": mapping.source(doc, signature)})
        self._send(BATCH)

    def delete(self, relpath: str) -> None:
        self.pending.append({"_op_type": "delete", "_index": self.index,
                             "_id": document_id(relpath)})
        self._send(BATCH)

    def _send(self, at_least: int) -> None:
        if len(self.pending) < max(at_least, 1):
            return
        actions, self.pending = self.pending, []
        # A busy cluster answers 429 (a node's memory breaker, a full write queue): the
        # writes refused are sent again, after 1, 2, 4... up to 30 s (two minutes in all).
        _, errors = helpers.bulk(self.client, actions, raise_on_error=False, refresh=False,
                                 request_timeout=SLOW, max_retries=RETRIES, initial_backoff=1,
                                 max_backoff=30)
        failed = [e for e in errors if next(iter(e.values())).get("status") != 404]
        if failed:  # deleting what is not there is no failure
            raise RuntimeError(f"OpenSearch refused {len(failed)} of {len(actions)} writes; "
                               f"the first: {failed[0]}")

    def progress(self, done: int) -> None:
        """On a first build, show what is written when a commit is due, and how far."""
        if self.progress_to is None or time.monotonic() < self.due:
            return
        self._refresh()
        index_folder.write_progress(self.progress_to, done, self.total)
        self.interval *= COMMIT_GROWTH
        self.due = time.monotonic() + self.interval

    def _refresh(self) -> None:
        self._send(0)
        self.client.indices.refresh(index=self.index, request_timeout=SLOW)
        # Versions notice a commit by this stamp (a refresh changes nothing they can see).
        self.client.indices.put_mapping(index=self.index, body={"_meta": {"commit": time.time_ns()}})
        self.refreshed = True

    def commit(self) -> None:
        self._send(0)
        if self.new:
            replicas = self.settings.opensearch_replicas
            self.client.indices.put_settings(index=self.index, body={"number_of_replicas": replicas})
            self.client.cluster.health(index=self.index, wait_for_status="green" if replicas else "yellow",
                                       params={"timeout": f"{SLOW}s"}, request_timeout=SLOW + 10)
            self.new = False
        self._refresh()

    def cancel(self) -> None:
        self.pending = []
