"""The real server under concurrent clients, with an index rebuilt under its feet."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from indexer import build

from .conftest import CORPUS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import load  # noqa: E402


@pytest.mark.slow
def test_sixteen_clients_two_server_processes_and_a_rebuild_without_a_failed_request(tmp_path):
    index = tmp_path / "index"
    build.index_corpus(CORPUS, index)
    first = index.resolve()
    figures = load.run(index, clients=16, seconds=8, rebuild_from=CORPUS, workers=2)
    assert figures["server_processes"] == 3  # gunicorn's arbiter and two workers
    assert index.resolve() != first  # the rebuild was swapped in under load
    assert figures["requests"] > 100
    assert figures["errors"] == 0, figures
