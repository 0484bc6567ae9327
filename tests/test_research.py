"""Research views: many names at once (batch search) and saved searches as Atom feeds,
checked against the search API itself and read back by feedparser."""

from __future__ import annotations

import csv
import io

import feedparser
import pytest
from bs4 import BeautifulSoup

from core.settings import Settings
from indexer import build
from webapp import create_app

NAMES = ["Tokayev", "Kerimli", "CSTO", "Aliyev", "Nazarbayev", '"Go away, old man"', "Putin",
         "zzzqqqx"]


def every_match(client, q: str, **filters) -> list[dict]:
    """All documents the search API finds for ``q`` (the oracle of the batch)."""
    body = client.get("/api/search", query_string={"q": q, "per_page": 100, **filters}).get_json()
    assert body["total"] == len(body["results"])
    return body["results"]


@pytest.mark.parametrize("filters", [{}, {"lang": "en"}, {"from": "2022-01-07"}])
def test_each_batch_row_is_what_its_search_finds(client, filters):
    rows = client.post("/api/batch", json={"queries": NAMES, **filters}).get_json()["results"]
    assert [r["query"] for r in rows] == NAMES
    for row in rows:
        found = every_match(client, row["query"], **filters)
        assert row["total"] == len(found)
        outlets = {}
        for doc in found:
            outlets[doc["outlet"]] = outlets.get(doc["outlet"], 0) + 1
        assert {o["value"]: o["count"] for o in row["outlets"]} == outlets
        dates = sorted(d["date"] for d in found if d["date"])
        assert (row["first_date"], row["last_date"]) == ((dates[0], dates[-1]) if dates else
                                                         (None, None))


def test_a_batch_says_which_line_is_not_a_query_and_refuses_what_it_cannot_use(client):
    rows = client.post("/api/batch", json={"queries": ["Tokayev", '"open']}).get_json()["results"]
    assert rows[0]["total"] > 0 and "quote mark" in rows[1]["error"]
    assert client.post("/api/batch", json={"queries": []}).status_code == 400
    assert client.post("/api/batch", json={"queries": ["x"] * 2 + [str(n) for n in range(1001)]}
                       ).status_code == 400
    assert client.post("/api/batch", json={"names": ["x"]}).status_code == 400
    assert client.post("/api/batch", json={"queries": ["x"], "lang": 3}).status_code == 400


def test_the_batch_page_takes_a_csv_and_gives_one_back(client):
    upload = io.BytesIO(b"name\nTokayev\nKerimli\n")
    page = client.post("/batch", data={"queries": "CSTO", "file": (upload, "names.csv")},
                       content_type="multipart/form-data")
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    rows = soup.select("table.batch tbody tr")
    assert [r.th.get_text(strip=True) for r in rows] == ["CSTO", "Tokayev", "Kerimli"]
    for row in rows:
        link = row.th.a["href"]
        total = int(row.select_one("td.count").get_text(strip=True))
        assert client.get(link).status_code == 200
        assert client.get("/api/search" + link[1:]).get_json()["total"] == total
    exported = client.post("/batch", data={"queries": "CSTO\nTokayev\nKerimli", "format": "csv"})
    table = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [(r["query"], int(r["documents"])) for r in table] == [
        (r.th.get_text(strip=True), int(r.select_one("td.count").get_text(strip=True)))
        for r in rows]
    assert table[0]["results_url"].startswith("http")
    assert client.post("/batch", data={"queries": "  "}).status_code == 400


def test_a_search_is_an_atom_feed_of_its_newest_matches(client):
    page = BeautifulSoup(client.get("/?q=Tokayev&lang=en").get_data(as_text=True), "html.parser")
    link = page.find("link", rel="alternate", type="application/atom+xml")["href"]
    assert page.find("a", href=link) is not None  # also a visible link
    feed = feedparser.parse(client.get(link).data)
    assert not feed.bozo and feed.version == "atom10"
    expected = client.get("/api/search?q=Tokayev&lang=en&sort=-date&per_page=100").get_json()
    assert [e.link for e in feed.entries] == [
        f"http://localhost/doc/{r['doc_id']}" for r in expected["results"]]
    assert [e.title for e in feed.entries] == [r["title"] for r in expected["results"]]
    # Newest first by the day published (a month-dated document has none: test_dates_shown).
    stamps = [e.published for e in feed.entries if "published" in e]
    assert stamps == sorted(stamps, reverse=True)
    assert all(client.get(e.link).status_code == 200 for e in feed.entries)
    assert "English" in feed.feed.title


def test_a_hostile_document_still_makes_a_valid_feed(tmp_path, corpus_copy):
    (corpus_copy / "hostile.html").write_text(
        "<html><head><title>Tokayev &amp; <script>alert(1)</script> ]]> \x0b end</title></head>"
        "<body><p>Tokayev spoke\x0c today about <b>order</b> &lt;/summary&gt; and more words "
        "here.</p></body></html>", encoding="utf-8")
    build.index_corpus(corpus_copy, tmp_path / "index")
    client = create_app(Settings.defaults(index=tmp_path / "index", corpus=corpus_copy)).test_client()
    feed = feedparser.parse(client.get("/feed.atom?q=Tokayev").data)
    assert not feed.bozo, feed.bozo_exception
    hostile = [e for e in feed.entries if "alert" in e.title or "spoke" in e.summary]
    assert hostile and "</summary>" in hostile[0].summary


def every_passage(service, seed_docs) -> list:
    return [(doc, p) for doc in seed_docs.values() for p in doc.passages]


def test_a_speaker_page_lists_every_passage_quoting_them_by_date(client, service, seed_docs):
    speakers = client.get("/api/search").get_json()["facets"]["speaker"]
    assert len(speakers) > 5
    for value in speakers:
        name = value["value"]
        body = client.get(f"/api/speakers/{name}").get_json()
        # The oracle: every passage of every seed document that names them as its speaker.
        expected = [(doc.doc_id, p.passage_id, doc.passage_text(p))
                    for doc, p in every_passage(service, seed_docs) if name in p.speakers]
        listed = [(p["doc_id"], p["passage_id"], p["text"]) for p in body["passages"]]
        assert sorted(listed) == sorted(expected) and len(set(listed)) == len(listed)
        dates = [p["date"] or "" for p in body["passages"]]
        assert dates == sorted(dates)
        assert body["documents"] == value["count"]
        assert sum(m["count"] for m in body["months"]) == len(body["passages"])
    karimli = client.get("/api/speakers/Ali Karimli").get_json()
    assert {s["value"] for s in karimli["spellings"]} >= {"Kerimli", "Karimli"}
    assert client.get("/api/speakers/Nobody Atall").status_code == 404


def test_the_speaker_page_is_reached_from_facets_and_passages_and_its_links_answer(client):
    results = BeautifulSoup(client.get("/?q=CSTO").get_data(as_text=True), "html.parser")
    person = results.select_one("a.person")
    page = client.get(person["href"], follow_redirects=True)  # a speaker is on their person's page
    assert page.status_code == 200
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    passage_link = soup.select_one("ol.statements a[href^='/p/']")["href"]
    quoted = BeautifulSoup(client.get(passage_link).get_data(as_text=True), "html.parser")
    assert quoted.select_one("p.speakers a")["href"].startswith("/speaker/")
    links = {a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("/")}
    assert all(client.get(link).status_code == 200 for link in links)
    bars = soup.select("#chart-timeline ~ ol .n")
    assert sum(int(b.get_text()) for b in bars) == len(soup.select("ol.statements > li"))


@pytest.mark.parametrize("query", ["Tokayev", "CSTO", "Kazakhstan", "Aliyev", ""])
def test_the_timeline_counts_every_match_and_each_column_opens_its_matches(client, query):
    body = client.get("/api/search", query_string={"q": query, "per_page": 100}).get_json()
    line = body["timeline"]
    assert sum(b["count"] for b in line["bins"]) + line["month_only"] + line["undated"] == body["total"]
    found = {}
    for doc in body["results"]:
        key = doc["date"] if line["unit"] == "day" else (doc["date"] or "")[:7]
        if doc["date"] and len(doc["date"]) == (10 if line["unit"] == "day" else len(doc["date"])):
            found[key] = found.get(key, 0) + 1
    assert {b["value"]: b["count"] for b in line["bins"] if b["count"]} == found
    page = BeautifulSoup(client.get("/", query_string={"q": query}).get_data(as_text=True),
                         "html.parser")
    columns = page.select("figure.timeline svg a")
    assert len(columns) == len(line["bins"])
    for column, point in zip(columns, line["bins"], strict=True):
        if point["count"]:
            opened = client.get("/api/search" + column["href"][1:]).get_json()
            assert opened["total"] == point["count"], (column["href"], point)


def test_the_story_puts_one_statement_in_several_outlets_on_one_line(tmp_path, corpus_copy):
    from core.ids import document_id

    from .conftest import SEEDS
    seed = (corpus_copy / SEEDS["turan"]).read_text(encoding="utf-8")
    statement = next(line for line in seed.splitlines() if "Anar Mammadli believes" in line)
    (corpus_copy / "wire.html").write_text(
        "<html><head><meta property='og:site_name' content='Region Wire'>"
        "<meta property='article:published_time' content='2022-01-09'></head><body>"
        f"<h1>Analysts on Kazakhstan</h1><p>{statement}</p><p>The wire's own closing paragraph "
        "is about the weather in Baku and nothing else at all.</p></body></html>", encoding="utf-8")
    build.index_corpus(corpus_copy, tmp_path / "index")
    client = create_app(Settings.defaults(index=tmp_path / "index", corpus=corpus_copy)).test_client()
    lines = client.get("/api/story?q=Mammadli").get_json()["lines"]
    line = next(li for li in lines if any(c["outlet"] == "Region Wire" for c in li["carriers"]))
    assert [(c["outlet"], c["date"]) for c in line["carriers"]] == [
        ("Turan", "2022-01-07"), ("Region Wire", "2022-01-09")]
    assert all(c["text"] == statement for c in line["carriers"])
    assert line["carriers"][0]["doc_id"] == document_id(SEEDS["turan"])
    page = BeautifulSoup(client.get("/story?q=Mammadli").get_data(as_text=True), "html.parser")
    assert [a.get_text(" ", strip=True) for a in page.select("ol.carriers a")][:2] == [
        "2022-01-07 Turan", "2022-01-09 Region Wire"]
    links = {a["href"] for a in page.find_all("a", href=True) if a["href"].startswith("/")}
    assert all(client.get(link).status_code == 200 for link in links)
    results = BeautifulSoup(client.get("/?q=Mammadli").get_data(as_text=True), "html.parser")
    assert results.find("a", string=lambda s: s and "The story" in s)["href"].startswith("/story")
