"""Dates as precise as their source and said once: a person's page, the Atom feed, and
the month facet's "undated" value (its count and filter checked against every document)."""

from __future__ import annotations

import feedparser
import pytest
from bs4 import BeautifulSoup


def _lead(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.data, "lxml").select_one("p.lead").get_text(" ", strip=True)


def test_a_persons_page_says_the_day_once_when_first_and_last_agree(client):
    speakers = [v["value"] for v in client.get("/api/search?q=Kazakhstan").get_json()
                ["facets"]["speaker"]]
    one_day = 0
    for name in speakers:
        dates = sorted(p["date"] for p in client.get(f"/api/speakers/{name}").get_json()
                       ["passages"] if p["date"])
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
