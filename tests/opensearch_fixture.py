"""The OpenSearch engine in tests: the running cluster at PRESSCUT_OPENSEARCH_URL
(``make opensearch`` starts one on 127.0.0.1:9201), never a stand-in; without it the
OpenSearch half of each suite is skipped, saying how to start it.

Each index gets documents the real pipeline made: a corpus is built with ``indexer.build``
(Whoosh) and its stored Documents and signatures are written through the OpenSearch
engine's Writer, so both engines hold exactly the same documents."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from core.records import Signature
from core.settings import Settings
from engines import open_engine
from engines.whoosh import store
from engines.whoosh.schema import stored_document

ENGINES = ["whoosh", "opensearch"]


def cluster_settings(**overrides) -> Settings:
    """Settings for a fresh prefix on the test cluster, or a skip when it is not there."""
    pytest.importorskip("opensearchpy", reason="pip install '.[opensearch]' for the OpenSearch tests")
    from opensearchpy import OpenSearch
    url = Settings.from_env().opensearch_url
    try:
        OpenSearch(hosts=url.split(","), timeout=3, max_retries=0).info()
    except Exception as exc:  # noqa: BLE001 - any failure means: no cluster to test against
        pytest.skip(f"No OpenSearch cluster at {url} ({type(exc).__name__}): start one with "
                    "`make opensearch` (or set PRESSCUT_OPENSEARCH_URL)")
    prefix = f"presscut-test-{uuid.uuid4().hex[:10]}"
    return Settings.from_env(opensearch_prefix=prefix, opensearch_replicas=0, **overrides)


def copy_to_opensearch(index: Path, settings: Settings):
    """The OpenSearch engine holding the documents of the Whoosh index folder ``index``
    (its folder stays the engine's: report and copies are read there)."""
    engine = open_engine(index, "opensearch", settings)
    with store.open_index(index).searcher() as searcher, engine.writer(rebuild=True) as writer:
        for fields in searcher.all_stored_fields():
            writer.replace(stored_document(fields), Signature.from_json(fields["signature"]))
    return engine


def drop(settings: Settings) -> None:
    """Delete every index of the test's prefix."""
    from engines.opensearch.client import connect
    client = connect(settings)
    for name in client.indices.get(index=f"{settings.opensearch_prefix}-*", expand_wildcards="all"):
        client.indices.delete(index=name)
