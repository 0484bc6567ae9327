"""Permalinks and citations point where the world reaches the archive: the configured
public address, else the address of the request, and never a forged proxy header."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from core.settings import Settings
from presscut.cli import main
from search.results import SearchRequest
from webapp import create_app

from .conftest import CORPUS

BASE = "https://archive.example.org/press"


@pytest.fixture(scope="module")
def pid(service):
    return service.search(SearchRequest(q="Tokayev")).results[0].passages[0].passage_id


def _links(client, pid, **kwargs) -> dict:
    passage = client.get(f"/api/passages/{pid}", **kwargs).get_json()
    note = json.loads(client.get(f"/api/cite/{pid}?format=annotation", **kwargs).data)
    page = BeautifulSoup(client.get(f"/p/{pid}", **kwargs).data, "lxml")
    return {"api": passage["permalink"], "annotation": note["id"],
            "canonical": page.select_one('link[rel="canonical"]')["href"]}


def test_the_public_address_is_in_every_permalink_and_citation(seed_index, pid):
    client = create_app(Settings.defaults(index=seed_index, corpus=CORPUS, base_url=BASE)).test_client()
    links = _links(client, pid, headers={"X-Forwarded-Host": "evil.example"})
    assert links["api"] == links["canonical"] == f"{BASE}/p/{pid}"
    assert links["annotation"].startswith(f"{BASE}/")


def test_without_one_the_request_address_is_used_and_forwarded_headers_are_not_believed(
        seed_index, pid):
    client = create_app(Settings.defaults(index=seed_index, corpus=CORPUS,
                                          allowed_hosts="press.example.net")).test_client()
    links = _links(client, pid, base_url="https://press.example.net",
                   headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"})
    assert links["api"] == links["canonical"] == f"https://press.example.net/p/{pid}"
    assert "127.0.0.1" not in json.dumps(links) and "evil" not in json.dumps(links)


def test_behind_a_trusted_proxy_its_forwarded_address_is_used(seed_index, pid):
    client = create_app(Settings.defaults(index=seed_index, corpus=CORPUS, trust_proxy=1,
                                          allowed_hosts="news.example.com")).test_client()
    links = _links(client, pid, headers={"X-Forwarded-Host": "news.example.com",
                                         "X-Forwarded-Proto": "https"})
    assert links["api"] == f"https://news.example.com/p/{pid}"


def test_the_cli_cites_with_the_public_address_or_warns(seed_index, pid):
    runner = CliRunner()
    given = runner.invoke(main, ["cite", pid, "--index", str(seed_index), "--format", "text",
                                 "--base-url", BASE])
    assert given.exit_code == 0 and f"{BASE}/p/{pid}" in given.stdout
    unknown = runner.invoke(main, ["cite", pid, "--index", str(seed_index), "--format", "text"],
                            env={"PRESSCUT_BASE_URL": ""})
    assert unknown.exit_code == 0 and f" /p/{pid}" in unknown.stdout
    assert "PRESSCUT_BASE_URL" in unknown.stderr
