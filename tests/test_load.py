"""The real server under concurrent clients, with an index rebuilt under its feet."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from indexer import build

from .conftest import CORPUS, shared

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import load  # noqa: E402
from mix import query_mix  # noqa: E402


@pytest.mark.slow
def test_sixteen_clients_two_server_processes_and_a_rebuild_without_a_failed_request(tmp_path):
    index = tmp_path / "index"
    build.index_corpus(CORPUS, index)
    first = index.resolve()
    figures = load.run(index, clients=16, seconds=8, rebuild_from=CORPUS, workers=2)
    # gunicorn's arbiter and two workers, each with its process for long requests and
    # multiprocessing's resource tracker beside it (webapp/limits.py).
    assert figures["server_processes"] == 3 + 2 * 2
    assert index.resolve() != first  # the rebuild was swapped in under load
    assert figures["requests"] > 100
    assert figures["errors"] == 0, figures


def test_an_archive_mix_is_dealt_out_and_each_client_asks_its_share_in_turn():
    shared("data/news-corpus/bbc-news-2225.jsonl.gz")  # the paragraphs the mix is drawn from
    mix = query_mix(4)  # 28 queries from the paragraphs of the news corpus
    shares = [load._share(mix, n, 3) for n in range(3)]
    assert sorted(map(repr, sum(shares, []))) == sorted(map(repr, mix))
    share, rng = list(shares[0]), random.Random(1)
    asked = [urlsplit(load.requests_for("http://x", rng, share)[1]) for _ in range(2 * len(share))]
    assert [url.query for url in asked] == [urlencode(params) for _, params in shares[0]] * 2
    assert {url.path for url in asked} == {"/api/search", "/"}
