"""What a results page and its JSON twin promise: links that answer, partial matches
said plainly, dates at their precision, fragments that quote the passage, languages by
name, suggestions in the case typed, an empty page without tools."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from core.analysis import WORD, fold, stem
from search.results import SearchRequest

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


def soup(client, url):
    response = client.get(url)
    return response, BeautifulSoup(response.data, "lxml")


@pytest.mark.parametrize("url", ["/?q=Tokayev", "/?q=CSTO&outlet=Turan&sort=date",
                                 "/?q=Kazakhstan&lang=en&per_page=2&page=2",
                                 "/?q=Tokayev+shoot+without+warning+Aliyev", "/?q=&from=2022-01-08"])
def test_every_link_a_results_page_prints_answers(client, url):
    response, page = soup(client, url)
    assert response.status_code == 200
    links = {a["href"] for a in page.select("a[href^='/']")}
    links |= {link["href"] for link in page.select("link[href^='/']")}
    assert any(href.startswith("/export.csv") for href in links)
    for href in sorted(links):
        with client.get(href, follow_redirects=True) as answer:  # a speaker: their page
            assert answer.status_code == 200, href
    export = next(href for href in links if href.startswith("/export.json"))
    kept = {k: v for k, v in parse_qs(urlsplit(url).query).items() if k != "page"}
    assert {k: v for k, v in parse_qs(urlsplit(export).query).items()} == kept


def _holds(text: str, word: str) -> bool:
    return stem(fold(word)) in {stem(fold(w)) for w in WORD.findall(text)}


def test_plain_words_no_document_holds_together_still_rank(client, service):
    words = ["Tokayev", "shoot", "without", "warning", "Aliyev"]
    data = client.get("/api/search", query_string={"q": " ".join(words)}).get_json()
    texts = {r.doc_id: f"{r.title}\n{service.document(r.doc_id).text}"
             for r in service.search(SearchRequest(per_page=50)).results}
    held = {doc_id: sum(_holds(text, w) for w in words) for doc_id, text in texts.items()}
    assert data["total"] == sum(1 for n in held.values() if n) and data["results"]
    complete = sum(1 for n in held.values() if n == len(words))
    assert data["relaxed"] == {"words": 5, "all_words": complete, "message": (
        "No document has all 5 search words; showing documents with some of them." if not complete
        else data["relaxed"]["message"])}
    order = [held[r["doc_id"]] == len(words) for r in data["results"]]
    assert order == sorted(order, reverse=True)  # every document with all words comes first
    page = soup(client, "/?q=" + "+".join(words))[1]
    assert page.select_one("p.relaxed").get_text() == data["relaxed"]["message"]
    # Operators typed are obeyed as typed.
    assert client.get("/api/search?q=Tokayev AND shoot AND Aliyev AND warning AND without"
                      ).get_json()["relaxed"] is None


@pytest.mark.parametrize(("start", "end", "outlets"), [
    ("2022-01-08", "", {"Vikendi", "Novator.az"}),
    ("2022", "2022", {"Caucasus Watch", "Eurasianet", "Turan", "Vikendi", "Novator.az"}),
    ("2022-01-07", "2022-01-08", {"Turan", "Vikendi"}),
    ("", "2021-12", set()),
])
def test_a_date_range_finds_documents_dated_wholly_inside(client, start, end, outlets):
    data = client.get("/api/search", query_string={"from": start, "to": end}).get_json()
    assert {r["outlet"] for r in data["results"]} == outlets == set(
        v["value"] for v in data["facets"]["outlet"] if v["count"])


def test_a_bad_date_is_a_sentence_not_a_500(client):
    response = client.get("/api/search?q=date:2022-13")
    assert response.status_code == 400 and "2022-01-07" in response.get_json()["error"]
    assert client.get("/?q=Tokayev&from=yesterday").status_code == 400


def test_fragments_quote_the_passage_around_its_hits(client):
    data = client.get("/api/search?q=Tokayev").get_json()
    passages = [p for r in data["results"] for p in r["passages"]]
    shortened = 0
    for p in passages:
        pieces = re.split("…", html.unescape(re.sub("</?mark>", "", p["fragment"])))
        assert all(piece.strip() in p["text"] for piece in pieces)
        assert "<mark>" in p["fragment"]
        shortened += len(p["fragment"]) < len(p["html"])
    assert shortened  # long paragraphs are cut to their hits


def test_languages_are_shown_and_accepted_by_name(client):
    by_code = client.get("/api/search?q=Tokayev&lang=az").get_json()
    assert by_code["total"] == 1
    for name in ("Azerbaijani", "azerbaijani", "AZ"):
        assert client.get(f"/api/search?q=Tokayev&lang={name}").get_json()["results"] == by_code["results"]
    labels = {v["value"]: v["label"] for v in by_code["facets"]["language"]}
    assert labels == {"az": "Azerbaijani", "en": "English"}
    page = soup(client, "/?q=Tokayev")[1]
    assert {a.select_one(".value").get_text() for a in page.select('a[data-facet="language"]')} == {
        "Azerbaijani", "English"}


def test_did_you_mean_keeps_the_case_typed(client):
    assert client.get("/api/search?q=Kasakhstan").get_json()["suggestion"] == "Kazakhstan"
    assert client.get("/api/search?q=kasakhstan").get_json()["suggestion"] == "kazakhstan"


def test_an_empty_result_shows_no_filters_sort_or_export(client):
    response, page = soup(client, "/?q=zzqxwv")
    assert response.status_code == 200
    assert page.select_one("#results-heading").get_text(" ", strip=True).startswith("0 documents")
    assert not page.select("aside.facets, form.sort, p.export")
    assert page.select_one("p.empty a")["href"] == "/"


@pytest.mark.parametrize("page", [2, 10000])
def test_a_page_past_the_results_says_where_they_end_and_links_there(client, page):
    total = client.get("/api/search?q=CSTO").get_json()["total"]
    assert 0 < total <= 10  # all on page 1
    soup = BeautifulSoup(client.get(f"/?q=CSTO&page={page}").data, "lxml")
    note = soup.select_one("p.empty[role=status]")
    assert note is not None and f"There is no page {page}" in note.get_text()
    back = client.get(note.a["href"])
    assert back.status_code == 200
    assert len(BeautifulSoup(back.data, "lxml").select("li.hit")) == total
    # Page 1 itself has no such note.
    assert not BeautifulSoup(client.get("/?q=CSTO").data, "lxml").select("p.empty[role=status]")
