"""The OpenSearch half of `bench/scale.py --engine opensearch`: the same archive written
into the cluster by `presscut index --engine opensearch` (a first build into an empty
prefix, an unchanged re-run, one changed file), served by `presscut serve --engine
opensearch` and asked the same queries over HTTP, beside Whoosh's figures of the same run;
with the nodes' memory (RSS of their JVMs, sampled every 0.2 s during the build) and the
index's size in the cluster.

The cluster is the one at PRESSCUT_OPENSEARCH_URL (`make opensearch`: 3 nodes on
127.0.0.1:9201-9203; every node's address is given to Presscut), on this machine (the
nodes' memory is read from /proc).
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from pathlib import Path

from opensearchpy import OpenSearch

NODES = "http://127.0.0.1:9201,http://127.0.0.1:9202,http://127.0.0.1:9203"


@contextlib.contextmanager
def environment(prefix: str, replicas: int):
    """Every `presscut` command started inside uses the cluster, under ``prefix``."""
    url = os.environ.get("PRESSCUT_OPENSEARCH_URL", NODES)
    values = {"PRESSCUT_ENGINE": "opensearch", "PRESSCUT_OPENSEARCH_URL": url,
              "PRESSCUT_OPENSEARCH_PREFIX": prefix, "PRESSCUT_OPENSEARCH_REPLICAS": str(replicas)}
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield OpenSearch(hosts=url.split(","), timeout=60)
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def node_rss_mb(client: OpenSearch) -> dict[str, float]:
    """Each node's resident memory now (its JVM's VmRSS), by node name."""
    found = {}
    for node in client.nodes.info(metric="process")["nodes"].values():
        status = Path(f"/proc/{node['process']['id']}/status").read_text()
        found[node["name"]] = int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024
    return found


class Sampler:
    """The greatest RSS of each node while it runs (every 0.2 s)."""

    def __init__(self, client: OpenSearch):
        self.client, self.peak = client, {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.done.is_set():
            with contextlib.suppress(Exception):  # a node busy past the timeout: next time
                for name, mb in node_rss_mb(self.client).items():
                    self.peak[name] = max(self.peak.get(name, 0), mb)
            time.sleep(0.2)

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join()
        return self.peak


def drop(client: OpenSearch, prefix: str) -> None:
    for name in client.indices.get(index=f"{prefix}-*", expand_wildcards="all"):
        client.indices.delete(index=name)


def index_mb(client: OpenSearch, prefix: str) -> tuple[float, float, int]:
    """The articles index's size: primaries, all copies (MB), and its documents."""
    rows = client.cat.indices(index=f"{prefix}-articles", format="json", bytes="b")
    return (sum(int(r["pri.store.size"]) for r in rows) / 2**20,
            sum(int(r["store.size"]) for r in rows) / 2**20, sum(int(r["docs.count"]) for r in rows))


def measure(corpus: Path, work: Path, articles: int, mix: list, warmup: list,
            whoosh: dict[str, list[float]], replicas: int) -> None:
    """Build, re-run and query the archive on the cluster; print it beside ``whoosh``'s
    query times of the same run."""
    import scale  # (bench/scale.py runs this: its helpers, imported when it is running)

    prefix = f"presscut-bench-{articles}"
    with environment(prefix, replicas) as client:
        drop(client, prefix)
        before = node_rss_mb(client)
        sampler = Sampler(client)
        try:
            built = scale.index_presscut(corpus, work / f"os-index-{articles}", False)
        finally:
            peak = sampler.stop()
        primaries, total, documents = index_mb(client, prefix)
        times, server = scale.time_http(work / f"os-index-{articles}", mix, warmup)
        after = node_rss_mb(client)
        heaps = {n["name"]: n["jvm"]["mem"]["heap_max_in_bytes"] / 2**20
                 for n in client.nodes.info(metric="jvm")["nodes"].values()}
    print(f"\nOpenSearch ({len(heaps)} nodes of {max(heaps.values()):.0f} MB heap, {replicas} "
          f"replica(s), 1 shard): presscut index "
          f"{built['seconds']:.1f} s ({articles / built['seconds']:.0f} articles/s), peak memory "
          f"of presscut's process tree {built['rss_mb']:.0f} MB RSS / {built['pss_mb']:.0f} MB PSS; "
          f"{documents:,} documents, index {primaries:.0f} MB (all copies {total:.0f} MB); "
          f"unchanged re-run {built['unchanged_seconds']:.1f} s, one changed file "
          f"{built['one_changed_seconds']:.1f} s")
    print("nodes' RSS MB before / peak during the build / after the queries: " + ", ".join(
        f"{name} {before.get(name, 0):.0f} / {peak.get(name, 0):.0f} / {after.get(name, 0):.0f}"
        for name in sorted(after)) + f" (sum after {sum(after.values()):.0f})")
    print(f"presscut server on OpenSearch: peak RSS {server['VmHWM']:.0f} MB\n")
    scale.table(("Whoosh HTTP", "OpenSearch HTTP"), whoosh, times, mix, ratio_of_second=True)

