"""Writing to the cluster: documents in bulk into an index behind an alias.

The alias (``<prefix>-articles``) is what searches read. An incremental run writes into
the index it names; a rebuild writes a new index (``<prefix>-articles-v<VERSION>-<stamp>``)
and moves the alias onto it in one ``_aliases`` request when it commits, so a rebuild that
dies half-way leaves searches on the old index (the next rebuild deletes its leftovers).
"""

from __future__ import annotations

import time

from opensearchpy import OpenSearch, helpers

from core.ids import document_id
from core.records import Document, Signature
from engines.opensearch import mapping

BATCH = 256  # documents per bulk request: a pipeline window, a few MB
SLOW = 120  # seconds for creating an index (its 16,000 folding rules) or its replicas


def alias_of(settings) -> str:
    return f"{settings.opensearch_prefix}-articles"


def live_indexes(client: OpenSearch, alias: str) -> list[str]:
    """The indexes the alias names now (none before a first build)."""
    if not client.indices.exists_alias(name=alias):
        return []
    return sorted(client.indices.get_alias(name=alias))


class OpenSearchWriter:
    """A run's writes: ``replace`` and ``delete`` are sent in bulk as they come;
    :meth:`commit` refreshes (nothing written is searchable before: the indexes refresh
    only then) and, for a rebuild, moves the alias. :meth:`cancel` drops what was not
    sent yet and, for a rebuild, the new index; an incremental run's sent writes cannot be
    taken back (they become searchable at the next commit)."""

    def __init__(self, client: OpenSearch, settings, rebuild: bool = False):
        self.client, self.settings = client, settings
        self.alias = alias_of(settings)
        live = live_indexes(client, self.alias)
        self.created = rebuild or not live  # a new index: its replicas come at the commit
        self.swap = rebuild and bool(live)  # the alias moves at the commit
        self.target = self._create() if self.created else live[0]
        if not live:
            # A first build is searchable as it commits, as the Whoosh engine's is.
            self._move_alias()
        self.pending: list[dict] = []

    def _create(self) -> str:
        name = f"{self.alias}-v{mapping.VERSION}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**6:06d}"
        # Replicas are added at the commit: copying while bulk loading doubles the work.
        self.client.indices.create(index=name, body={
            "settings": mapping.index_settings(self.settings.opensearch_shards, 0),
            "mappings": {**mapping.MAPPINGS, "_meta": {"commit": 0}}}, request_timeout=SLOW)
        return name

    def stored(self, relpath: str) -> Document | None:
        """The document from ``relpath`` that searches see now (the live index's)."""
        if not self.client.indices.exists_alias(name=self.alias):
            return None
        found = self.client.search(index=self.alias, body={
            "size": 1, "query": {"term": {"doc_id": document_id(relpath)}},
            "_source": ["record", "exact"]})["hits"]["hits"]
        return mapping.stored(found[0]["_source"]) if found else None

    def replace(self, doc: Document, signature: Signature) -> None:
        # The id is the path's: indexing it again replaces the earlier document.
        self.pending.append({"_op_type": "index", "_index": self.target, "_id": doc.doc_id,
                             "_source": mapping.source(doc, signature)})
        self._send(BATCH)

    def delete(self, relpath: str) -> None:
        self.pending.append({"_op_type": "delete", "_index": self.target,
                             "_id": document_id(relpath)})
        self._send(BATCH)

    def _send(self, at_least: int) -> None:
        if len(self.pending) < max(at_least, 1):
            return
        actions, self.pending = self.pending, []
        _, errors = helpers.bulk(self.client, actions, raise_on_error=False, refresh=False)
        failed = [e for e in errors if next(iter(e.values())).get("status") != 404]
        if failed:  # deleting what is not there is no failure
            raise RuntimeError(f"OpenSearch refused {len(failed)} of {len(actions)} writes; "
                               f"the first: {failed[0]}")

    def commit(self) -> None:
        self._send(0)
        client, target = self.client, self.target
        if self.created:
            replicas = self.settings.opensearch_replicas
            client.indices.put_settings(index=target, body={"number_of_replicas": replicas})
            client.cluster.health(index=target, wait_for_status="green" if replicas else "yellow",
                                  params={"timeout": f"{SLOW}s"}, request_timeout=SLOW + 10)
            self.created = False
        client.indices.refresh(index=target)
        # Versions notice a commit by this stamp (a refresh changes nothing they can see).
        client.indices.put_mapping(index=target, body={"_meta": {"commit": time.time_ns()}})
        if self.swap:
            self._move_alias()
            self.swap = False

    def _move_alias(self) -> None:
        """The alias onto the target in one atomic request. The index it named before is
        kept (to go back to); older ones, and leftovers of rebuilds that died, go."""
        old = live_indexes(self.client, self.alias)
        self.client.indices.update_aliases(body={"actions": [
            *({"remove": {"index": name, "alias": self.alias}} for name in old if name != self.target),
            {"add": {"index": self.target, "alias": self.alias}}]})
        for name in self.client.indices.get(index=f"{self.alias}-v*"):
            if name != self.target and name not in old:
                self.client.indices.delete(index=name)

    def cancel(self) -> None:
        self.pending = []
        if self.swap:
            self.client.indices.delete(index=self.target, ignore_unavailable=True)
