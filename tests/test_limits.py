"""Long requests take turns (issue 35, point 4): quote checks, exports and batches are
bounded in size, run at most PRESSCUT_HEAVY_REQUESTS at once per server process in a
process of their own at a lower priority, and one beyond the line is answered 503 with a
sentence and Retry-After, while readers keep being answered. (bench/heavy.py measures
readers beside them on a real server.)"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from pathlib import Path

import pytest

from core.settings import Settings
from webapp import create_app

from .conftest import CORPUS, shared

QUOTE = "the Collective Security Treaty Organization"


@pytest.fixture()
def app_with(seed_index, tmp_path):
    def make(**settings):
        return create_app(Settings.defaults(index=seed_index, corpus=CORPUS,
                                            collections=str(tmp_path / "c.sqlite3"), **settings))
    return make


def long_requests(client) -> list:
    """One of each kind of long request, as the API and the pages ask them, each read to
    its end before the next is asked (as a client does; an export streams)."""
    asks = [lambda: client.post("/api/verify", json={"quote": QUOTE}),
            lambda: client.get("/verify", query_string={"quote": QUOTE}),
            lambda: client.post("/api/batch", json={"queries": ["CSTO", "Tokayev"]}),
            lambda: client.post("/batch", data={"queries": "CSTO\nTokayev"}),
            lambda: client.get("/export.csv?q=CSTO"), lambda: client.get("/export.json?q=CSTO")]
    answers = []
    for ask in asks:
        answers.append(ask())
        answers[-1].get_data()
    return answers


def test_a_long_request_beyond_the_line_gets_503_with_a_sentence_and_readers_go_on(app_with):
    app = app_with(heavy_requests=1, heavy_queue=0)
    client = app.test_client()
    give_back = app.extensions["presscut.long"].take()  # another long request is running
    try:
        for answer in long_requests(client):
            assert answer.status_code == 503, answer.request.path
            assert answer.headers["Retry-After"] == "30"
            assert "busy with other long requests" in answer.get_data(as_text=True)
        assert client.get("/api/verify").status_code == 405  # not a long request: no turn
        assert client.get("/api/search?q=CSTO").status_code == 200
        assert client.get("/?q=CSTO").status_code == 200
    finally:
        give_back()
    assert [a.status_code for a in long_requests(client)] == [200] * 6
    assert client.post("/api/verify", json={"quote": QUOTE}).status_code == 200  # all given back


def test_a_long_request_in_line_gets_its_turn_when_one_is_given_back(app_with):
    app = app_with(heavy_requests=1, heavy_queue=1)
    give_back = app.extensions["presscut.long"].take()
    answers = []
    waiting = threading.Thread(target=lambda: answers.append(
        app.test_client().post("/api/verify", json={"quote": QUOTE})))
    waiting.start()
    waiting.join(timeout=1)
    assert waiting.is_alive() and not answers  # in line
    give_back()
    waiting.join(timeout=120)
    assert answers[0].status_code == 200 and answers[0].get_json()["verdict"] == "verbatim"


def test_a_quote_or_a_batch_too_long_is_refused_with_a_sentence(app_with):
    client = app_with(max_quote_length=100, max_batch=3).test_client()
    long_quote = "word " * 21
    refused = client.post("/api/verify", json={"quote": long_quote})
    assert refused.status_code == 400
    assert refused.get_json()["error"].startswith(
        "The quote is 105 characters long; a check takes at most 100.")
    page = client.get("/verify", query_string={"quote": long_quote})
    assert page.status_code == 400 and "a check takes at most 100" in page.get_data(as_text=True)
    too_many = client.post("/api/batch", json={"queries": ["a1", "b2", "c3", "d4"]})
    assert too_many.status_code == 400 and "At most 3 names or terms" in too_many.get_json()["error"]
    assert client.post("/api/verify", json={"quote": QUOTE}).status_code == 200


def test_defaults_refuse_the_long_requests_that_starved_readers(app_with):
    """The issue's 20 KB quote and batch of 1,000 are refused at once."""
    client = app_with().test_client()
    assert client.post("/api/verify", json={"quote": "x " * 10_000}).status_code == 400
    batch = client.post("/api/batch", json={"queries": [f"term{n}~" for n in range(1000)]})
    assert batch.status_code == 400


def test_long_requests_run_in_a_process_of_their_own_at_a_lower_priority(app_with):
    before = {p.pid for p in multiprocessing.active_children()}
    client = app_with(heavy_nice=7).test_client()
    assert client.post("/api/verify", json={"quote": QUOTE}).get_json()["verdict"] == "verbatim"
    [apart] = [p for p in multiprocessing.active_children() if p.pid not in before]
    assert apart.pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, apart.pid) == min(19, os.getpriority(os.PRIO_PROCESS, 0) + 7)


@pytest.mark.slow
def test_the_heavy_bench_runs_readers_beside_refused_and_answered_long_requests(seed_index):
    shared("data/news-corpus/bbc-news-2225.jsonl.gz")  # what its quotes and batches are made of
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import heavy

    args = heavy.parser().parse_args(["--index", str(seed_index), "--readers", "2", "--seconds",
                                      "4", "--rounds", "1", "--workers", "1", "--quotes", "3",
                                      "--exports", "1", "--quote-chars", "300",
                                      "--batch-queries", "20"])
    figures = heavy.run(args)
    assert figures["idle"]["errors"] == figures["loaded"]["errors"] == 0
    statuses = {s for kind in figures["heavy"].values() for s in kind["statuses"]}
    assert statuses <= {"200", "503"} and "200" in statuses, figures
