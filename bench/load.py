"""Load on the real server: N concurrent clients for D seconds against `presscut serve`.

    python bench/load.py --index DIR [--clients 16] [--seconds 60] [--rebuild-from CORPUS]

Drives only 127.0.0.1. Prints requests/s, p50/p99 latency and errors per request kind;
with --rebuild-from, rebuilds the index from that corpus halfway through (the server must
swap to it without failing a request).
"""

from __future__ import annotations

import argparse
import json
import os
import random
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

QUERIES = ["Tokayev", "Kazakhstan", '"Kazakh people"', "CSTO AND Russia", "Kazakh*",
           "Tokaev~", "government", "oil prices", '"interest rates"', "market"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(index: Path, port: int) -> subprocess.Popen:
    presscut = Path(sys.executable).with_name("presscut")
    proc = subprocess.Popen([str(presscut), "serve", "--index", str(index), "--port", str(port),
                             "--threads", "16"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=30)
            return proc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not come up")


def requests_for(base: str, rng: random.Random) -> tuple[str, str]:
    q = rng.choice(QUERIES)
    kind = rng.choice(["api", "api-filter", "api-date", "page"])
    params = {"q": q}
    if kind == "api-filter":
        params["lang"] = "en"
    if kind == "api-date":
        params["sort"] = "-date"
    path = "/" if kind == "page" else "/api/search"
    return kind, f"{base}{path}?{urllib.parse.urlencode(params)}"


def client(base: str, until: float, seed: int, results: list) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        kind, url = requests_for(base, rng)
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                response.read()
                ok = response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            ok = False
        results.append((kind, time.perf_counter() - started, ok))


def run(index: Path, clients: int, seconds: float, rebuild_from: Path | None) -> dict:
    """Load the server; return the figures (also used by the test suite)."""
    port = free_port()
    server = start_server(index, port)
    base = f"http://127.0.0.1:{port}"
    results: list = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(base, until, n, results))
               for n in range(clients)]
    try:
        for thread in threads:
            thread.start()
        if rebuild_from:
            time.sleep(seconds / 2)
            presscut = Path(sys.executable).with_name("presscut")
            subprocess.run([str(presscut), "index", "--corpus", str(rebuild_from), "--index",
                            str(index), "--rebuild"], check=True, stdout=subprocess.DEVNULL,
                           env=dict(os.environ))
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return summarise(results, seconds)


def summarise(results: list, seconds: float) -> dict:
    figures = {"requests": len(results), "errors": sum(not ok for _, _, ok in results),
               "rps": round(len(results) / seconds, 1), "kinds": {}}
    for kind in sorted({k for k, _, _ in results}):
        times = sorted(t for k, t, _ in results if k == kind)
        figures["kinds"][kind] = {
            "n": len(times), "p50_ms": round(statistics.median(times) * 1000, 1),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))] * 1000, 1)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rebuild-from", type=Path)
    args = parser.parse_args()
    print(json.dumps(run(args.index, args.clients, args.seconds, args.rebuild_from), indent=2))


if __name__ == "__main__":
    main()
