"""Load on the real server: N concurrent clients for D seconds against `presscut serve`.

    python bench/load.py --index DIR [--clients 16] [--seconds 60] [--workers N]
                         [--warmup S] [--pause S] [--rebuild-from CORPUS] [--mix archive]

Drives only 127.0.0.1. Waits until the server says it has read its common words ahead,
loads it for --warmup seconds (each process reads ahead on its own), then prints
requests/s, p50/p99 latency and errors over all requests and per request kind, and the
server's memory (its processes' RSS and PSS summed).
Without --pause every client asks again as soon as it is answered (the server saturated);
with it, each waits a random 0 to 2*S seconds between requests, as a reader would;
with --rebuild-from, rebuilds the index from that corpus halfway through (the server must
swap to it without failing a request).
The queries are ten fixed ones (each asked again and again, as readers paging and
filtering do), or with --mix archive the seven classes of bench/scale.py drawn from the
synthetic archive's paragraphs: 2,100 of them dealt out to the clients, each asking its
own share in turn (the warm-up another 2,100), so that a query is asked again only where
the mix repeats it (common words are drawn from 300); half of them as API calls and half
as pages, reported per class.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from mix import query_mix

# The CLI installed beside this Python.
PRESSCUT = Path(sys.executable).with_name("presscut")
QUERIES = ["Tokayev", "Kazakhstan", '"Kazakh people"', "CSTO AND Russia", "Kazakh*",
           "Tokaev~", "government", "oil prices", '"interest rates"', "market"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def proc_kb(pid: int, name: str, field: str) -> int:
    try:
        return int(re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/{name}").read_text()).group(1))
    except (OSError, AttributeError):
        return 0


def tree_memory_kb(pid: int) -> tuple[int, int]:
    """Resident memory of a process and its descendants: the sum of their RSS, which
    counts pages shared after fork once per process, and of their PSS, which does not."""
    pids = process_tree(pid)
    return (sum(proc_kb(p, "status", "VmRSS") for p in pids),
            sum(proc_kb(p, "smaps_rollup", "Pss") for p in pids))


def start_server(index: Path, port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(PRESSCUT), "serve", "--index", str(index), "--port", str(port),
                             "--workers", str(workers), "--threads", "16"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    ready = 0
    # Every process reads its common words ahead: ask until several answers in a row say so.
    while time.monotonic() < deadline and ready < 4 * workers:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=30) as r:
                ready = ready + 1 if json.load(r)["warm"] else 0
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    if ready < 4 * workers:
        proc.kill()
        raise RuntimeError("the server did not come up")
    return proc


def requests_for(base: str, rng: random.Random, mix: list | None = None) -> tuple[str, str]:
    """The next request of a client: the next of its share of ``mix``, or a fixed query."""
    if mix:
        kind, params = mix.pop(0)
        mix.append((kind, params))
        path = rng.choice(["/api/search", "/"])
        return kind, f"{base}{path}?{urllib.parse.urlencode(params)}"
    q = rng.choice(QUERIES)
    kind = rng.choice(["api", "api-filter", "api-date", "page"])
    params = {"q": q}
    if kind == "api-filter":
        params["lang"] = "en"
    if kind == "api-date":
        params["sort"] = "-date"
    path = "/" if kind == "page" else "/api/search"
    return kind, f"{base}{path}?{urllib.parse.urlencode(params)}"


def client(base: str, until: float, seed: int, results: list, pause: float = 0,
           mix: list | None = None) -> None:
    rng = random.Random(seed)
    mix = list(mix) if mix else None  # this client's own turn through its share
    while time.monotonic() < until:
        if pause:
            time.sleep(rng.uniform(0, 2 * pause))
        kind, url = requests_for(base, rng, mix)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                ok = response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            ok = False
        results.append((kind, time.perf_counter() - started, ok))


def run(index: Path, clients: int, seconds: float, rebuild_from: Path | None,
        workers: int = 2, warmup: float = 5, pause: float = 0, mix: list | None = None,
        warmup_mix: list | None = None) -> dict:
    """Load the server; return the figures (also used by the test suite). ``mix`` and
    ``warmup_mix``: (kind, parameters) the clients share out instead of the fixed ten."""
    port = free_port()
    server = start_server(index, port, workers)
    base = f"http://127.0.0.1:{port}"
    results: list = []
    for_warmup: list = []
    warming = [threading.Thread(target=client, args=(base, time.monotonic() + warmup, -n,
                                                     for_warmup, 0, _share(warmup_mix, n - 1,
                                                                           clients)))
               for n in range(1, clients + 1)]
    for thread in warming:
        thread.start()
    for thread in warming:
        thread.join()
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(base, until, n, results, pause,
                                                     _share(mix, n, clients)))
               for n in range(clients)]
    try:
        for thread in threads:
            thread.start()
        if rebuild_from:
            time.sleep(seconds / 2)
            subprocess.run([str(PRESSCUT), "index", "--corpus", str(rebuild_from), "--index",
                            str(index), "--rebuild"], check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ))
        for thread in threads:
            thread.join()
        memory = tree_memory_kb(server.pid)
        processes = len(process_tree(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = summarise(results, seconds)
    figures["server_rss_mb"], figures["server_pss_mb"] = (round(kb / 1024) for kb in memory)
    figures["server_processes"] = processes
    return figures


def _share(mix: list | None, n: int, clients: int) -> list | None:
    return mix[n::clients] if mix else None


def _latency(times: list[float]) -> dict:
    times = sorted(times)
    return {"n": len(times), "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))] * 1000, 1)}


def summarise(results: list, seconds: float) -> dict:
    figures = {"requests": len(results), "errors": sum(not ok for _, _, ok in results),
               "rps": round(len(results) / seconds, 1),
               "all": _latency([t for _, t, _ in results]), "kinds": {}}
    for kind in sorted({k for k, _, _ in results}):
        figures["kinds"][kind] = _latency([t for k, t, _ in results if k == kind])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--warmup", type=float, default=90,
                        help="seconds of load before measuring: every server process must "
                             "have read its index ahead (about a minute at 100,000 articles)")
    parser.add_argument("--pause", type=float, default=0,
                        help="mean seconds a client waits between requests")
    parser.add_argument("--rebuild-from", type=Path)
    parser.add_argument("--mix", choices=["fixed", "archive"], default="fixed",
                        help="ten fixed queries, or bench/scale.py's classes shared out")
    args = parser.parse_args()
    if args.mix == "archive":
        mix, warmup_mix = query_mix(300, seed=7), query_mix(300, seed=8)
    else:
        mix = warmup_mix = None
    print(json.dumps(run(args.index, args.clients, args.seconds, args.rebuild_from,
                         args.workers, warmup=args.warmup, pause=args.pause, mix=mix,
                         warmup_mix=warmup_mix), indent=2))


if __name__ == "__main__":
    main()
