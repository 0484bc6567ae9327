"""Small things a newcomer meets in the first hour: a collection without a name, date boxes
that look filled, a phrase no document has, and the story link and its cost."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from core.settings import Settings
from search import story
from webapp import create_app

from .conftest import CORPUS

DATE = re.compile(r"\d{4}(-\d{2}){0,2}")


def soup_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.data, "lxml")


@pytest.fixture()
def own_client(seed_index, tmp_path):
    return create_app(Settings.defaults(index=seed_index, corpus=CORPUS, collections=str(
        tmp_path / "collections.sqlite3"))).test_client()


def test_a_new_collection_without_a_name_is_asked_for_one(own_client, seed_docs):
    pid = seed_docs["turan"].passages[2].passage_id
    form = soup_of(own_client.get(f"/doc/{seed_docs['turan'].doc_id}")).select_one(
        "details.collect form")
    token = form.select_one("input[name=csrf_token]")["value"]
    for name in ("", "   "):
        refused = own_client.post("/collections/add", data={
            "csrf_token": token, "passage_id": pid, "collection": "new", "name": name})
        assert refused.status_code == 400
        assert "Name the new collection" in soup_of(refused).select_one("p.error").get_text()
    assert own_client.get("/api/collections").get_json()["collections"] == []
    made = own_client.post("/collections/add", data={
        "csrf_token": token, "passage_id": pid, "collection": "new", "name": "Named"})
    assert made.status_code == 303
    assert [c["name"] for c in own_client.get("/api/collections").get_json()["collections"]] == [
        "Named"]


def test_the_date_boxes_show_no_date_that_looks_like_a_filter(client):
    page = soup_of(client.get("/?q=Tokayev"))
    for box in page.select("form.daterange input#from, form.daterange input#to"):
        assert not DATE.search(box.get("placeholder", "")), box
        assert box["value"] == ""
        hint = page.select_one(f"#{box['aria-describedby']}").get_text()
        assert "2022-01-07" in hint  # the format is said beside them, not in them
    assert not page.select("ul.selected")  # and no date filter is in force


def test_a_phrase_no_document_has_offers_its_words_unquoted(client):
    page = soup_of(client.get('/?q="peacekeeping forces"&lang=en'))
    assert page.select_one("#results-heading").get_text(" ", strip=True).startswith("0 documents")
    offer = page.select_one("p.unquoted a")
    assert offer.get_text() == "peacekeeping forces" and "lang=en" in offer["href"]
    # The oracle: the API's count of documents with every word, filters kept.
    api = client.get("/api/search?q=peacekeeping+forces&lang=en").get_json()
    every = api["relaxed"]["all_words"] if api["relaxed"] else api["total"]
    assert every > 0
    assert f"{every} documents have all of them apart" in page.select_one("p.unquoted").get_text()
    opened = soup_of(client.get(offer["href"]))
    assert opened.select_one("#q")["value"] == "peacekeeping forces"


def test_a_phrase_whose_words_are_nowhere_offers_nothing(client):
    page = soup_of(client.get('/?q="zanzibar quokka"'))
    assert page.select_one("p.unquoted") is None and page.select_one("p.empty")


def _story_link(client, q: str) -> bool:
    page = soup_of(client.get("/", query_string={"q": q}))
    return any(a["href"].startswith("/story") for a in page.select("p.export a"))


@pytest.mark.parametrize("q", ["Tokayev", "CSTO", "Kazakhstan", "Mammadli", "Tokayev~5"])
def test_the_story_is_linked_only_when_there_is_one(client, q):
    lines = client.get("/api/story", query_string={"q": q}).get_json()["lines"]
    assert _story_link(client, q) == bool(lines)


def test_a_story_found_is_linked(tmp_path, corpus_copy):
    from indexer import build

    seed = next(p for p in corpus_copy.glob("002_*.txt")).read_text(encoding="utf-8")
    statement = next(line for line in seed.splitlines() if "Anar Mammadli believes" in line)
    (corpus_copy / "wire.html").write_text(
        "<html><head><meta property='og:site_name' content='Region Wire'></head><body>"
        f"<h1>Analysts on Kazakhstan</h1><p>{statement}</p></body></html>", encoding="utf-8")
    build.index_corpus(corpus_copy, tmp_path / "index")
    client = create_app(Settings.defaults(index=tmp_path / "index", corpus=corpus_copy,
                                          collections=str(tmp_path / "c.sqlite3"))).test_client()
    assert client.get("/api/story?q=Mammadli").get_json()["lines"]
    assert _story_link(client, "Mammadli")


def test_the_story_follows_a_bounded_number_of_passages(client, app, monkeypatch):
    service = app.extensions["presscut.search"]
    followed = []
    real = service.elsewhere
    monkeypatch.setattr(service, "elsewhere", lambda doc, p: followed.append(p) or real(doc, p))
    answer = client.get("/api/story?q=Tokayev~5").get_json()
    assert 0 < len(followed) == answer["followed"] <= story.PASSAGES
    # The best passage of each result before any second best.
    results = client.get(f"/api/search?q=Tokayev~5&per_page={story.DOCUMENTS}").get_json()
    firsts = [r["passages"][0]["passage_id"] for r in results["results"]]
    assert [p.passage_id for p in followed[: len(firsts)]] == firsts[: len(followed)]


def test_a_story_out_of_time_says_how_far_it_went(client, monkeypatch):
    monkeypatch.setattr(story, "SECONDS", 0.0)
    answer = client.get("/api/story?q=Tokayev").get_json()
    assert (answer["followed"], answer["complete"]) == (1, False)
    page = soup_of(client.get("/story?q=Tokayev"))
    assert "ran out after 1 passage of the best results" in page.select_one("p.warning").get_text()
