"""Dates as precise as their source and said once: a person's page, the Atom feed, and
the month facet's "undated" value (its count and filter checked against every document)."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


def _lead(client, url: str) -> str:
    # A speaker's page is their one page, wherever it lives (/speaker/ may redirect).
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "lxml").select_one("p.lead").get_text(" ", strip=True)


def test_a_persons_page_says_the_day_once_when_first_and_last_agree(client):
    speakers = [v["value"] for v in client.get("/api/search?q=Kazakhstan").get_json()
                ["facets"]["speaker"]]
    one_day = 0
    for name in speakers:
        # The page is the person's one page: what they said and where they are named.
        person = client.get(f"/api/entities/{name}").get_json()
        listed = person["passages"] + (person.get("quoted") or {}).get("passages", [])
        dates = sorted(p["date"] for p in listed if p["date"])
        lead = _lead(client, f"/speaker/{name}")
        if dates[0] == dates[-1]:
            one_day += 1
            said = f"on {dates[0]}" if len(dates[0]) == 10 else f"in {dates[0]}"
            assert f", {said}." in lead and " to " not in lead, (name, lead)
        else:
            assert f", {dates[0]} to {dates[-1]}." in lead, (name, lead)
    assert one_day >= 3  # the case the page got wrong ("2022-01 to 2022-01")


def test_an_entitys_page_says_the_span_of_its_passages(client):
    dates = sorted(p["date"] for p in client.get("/api/entities/CSTO").get_json()["passages"])
    assert f", {dates[0]} to {dates[-1]}." in _lead(client, "/entity/CSTO")


def test_the_feed_invents_no_day_for_a_month_dated_document(client, service):
    feed = feedparser.parse(client.get("/feed.atom?q=Kazakhstan").data)
    assert not feed.bozo, feed.bozo_exception
    expected = client.get("/api/search?q=Kazakhstan&sort=-date").get_json()["results"]
    assert [e.link.rsplit("/", 1)[1] for e in feed.entries] == [r["doc_id"] for r in expected]
    month_dated = 0
    for entry, result in zip(feed.entries, expected, strict=True):
        date = result["date"]
        if len(date) == 10:
            assert entry.published == entry.updated == f"{date}T00:00:00Z"
            assert not entry.summary.startswith("Dated")
        else:
            month_dated += 1
            assert "published" not in entry, entry.title
            assert entry.summary.startswith(f"Dated {date}, no day given. ")
            # Updated on the day the archive read it: a true day, not the 1st of its month.
            assert entry.updated == f"{service.document(result['doc_id']).indexed}T00:00:00Z"
    assert month_dated == 2


@pytest.mark.parametrize("url", ["/feed.atom?q=Tokayev&lang=en", "/feed.atom"])
def test_the_feed_stays_valid_atom(client, url):
    feed = feedparser.parse(client.get(url).data)
    assert not feed.bozo and feed.version == "atom10" and feed.entries


UNDATED = {
    "undated-one.txt": "Protests in Kazakhstan continue\n\nThe CSTO said Kazakhstan asked for "
                       "help, and many people in Almaty stayed at home during the protests.\n",
    "undated-two.txt": "A note on Tokayev\n\nTokayev spoke about order and the protests in "
                       "Kazakhstan to a room of officials and reporters who listened.\n",
}


@pytest.fixture(scope="module")
def undated_client(tmp_path_factory):
    """The seed corpus with two articles no manifest row or dateline dates."""
    import shutil

    from core.settings import Settings
    from indexer import build
    from webapp import create_app

    from .conftest import CORPUS

    folder = tmp_path_factory.mktemp("undated")
    shutil.copytree(CORPUS, folder / "corpus")
    for name, text in UNDATED.items():
        (folder / "corpus" / name).write_text(text, encoding="utf-8")
    build.index_corpus(folder / "corpus", folder / "index")
    return create_app(Settings.defaults(index=folder / "index", corpus=folder / "corpus",
                                        collections=str(folder / "c.sqlite3"))).test_client()


def _every(client, q: str, **filters) -> list[dict]:
    found = client.get("/api/search", query_string={"q": q, "per_page": 100, **filters})
    assert found.status_code == 200
    return found.get_json()["results"]


@pytest.mark.parametrize("q", ["", "Kazakhstan", "Tokayev", "CSTO", "Almaty"])
def test_undated_is_a_month_value_whose_count_and_filter_are_the_undated_documents(
        undated_client, q):
    client = undated_client
    everything = _every(client, q)
    # The oracle: each match's own stored document, undated or not.
    undated = {r["doc_id"] for r in everything
               if client.get(f"/api/documents/{r['doc_id']}").get_json()["date"] is None}
    months = {v["value"]: v for v in client.get("/api/search", query_string={"q": q})
              .get_json()["facets"]["month"]}
    if undated:
        assert months["undated"]["count"] == len(undated)
        assert months["undated"]["label"] == "Undated"
        assert list(months)[-1] == "undated"  # after the months, in order
    else:
        assert "undated" not in months
    assert {r["doc_id"] for r in _every(client, q, month="undated")} == undated
    # Every document has one month value: the counts add up to the matches.
    assert sum(v["count"] for v in months.values()) == len(everything)
    both = _every(client, q, month=["undated", "2022-01"])
    assert len(both) == len(everything)


def test_the_results_page_lists_undated_and_filters_by_it(undated_client):
    soup = BeautifulSoup(undated_client.get("/?q=CSTO").data, "lxml")
    link = soup.select_one('a[data-facet="month"][data-value="undated"]')
    assert link.select_one(".value").get_text() == "Undated"
    assert link.select_one(".count").get_text() == "1"
    chosen = BeautifulSoup(undated_client.get(link["href"]).data, "lxml")
    assert [h.select_one("h3").get_text(strip=True) for h in chosen.select("li.hit")] == [
        "Protests in Kazakhstan continue"]
    assert "Month: Undated" in chosen.select_one("ul.selected").get_text()
