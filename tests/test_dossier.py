"""A dossier's list of sources: each document once, citing every passage cut from it,
none of the passages written out again."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from webapp import create_app

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


@pytest.fixture()
def client(seed_settings, tmp_path):
    return create_app(seed_settings(collections=str(tmp_path / "collections.sqlite3"))).test_client()


@pytest.fixture()
def dossier(client, seed_docs):
    """Three passages of Caucasus Watch with one of Turan between them: (id, texts, order)."""
    caucasus, turan = seed_docs["caucasus"], seed_docs["turan"]
    cut = [(caucasus, caucasus.passages[3]), (turan, turan.passages[2]),
           (caucasus, caucasus.passages[5]), (caucasus, caucasus.passages[7])]
    cid = client.post("/api/collections", json={"name": "Three from one"}).get_json()["id"]
    for _, passage in cut:
        added = client.post(f"/api/collections/{cid}/passages",
                            json={"passage_id": passage.passage_id})
        assert added.status_code in (200, 201)
    return cid, [doc.passage_text(p) for doc, p in cut], cut


def test_the_html_sources_cite_each_document_once_with_all_its_passages(client, dossier):
    cid, texts, cut = dossier
    soup = BeautifulSoup(client.get(f"/collections/{cid}/export.html").data, "html.parser")
    sources = soup.select("ol.sources li")
    assert len(sources) == 2
    first, second = sources
    assert first.get_text().startswith("“Opinion from Azerbaijan regarding Kazakhstan protests,”")
    assert [a.get_text() for a in first.select("a[href^='#c-']")] == ["1", "3", "4"]
    assert [a.get_text() for a in second.select("a[href^='#c-']")] == ["2"]
    # Every link goes to the section of its passage.
    for link in soup.select("ol.sources a[href^='#c-']"):
        section = soup.select_one(f"section.cutting{link['href']}")
        assert section.select_one("blockquote").get_text() == texts[int(link.get_text()) - 1]
    for li in sources:
        # The quotes are above, not again: no passage's opening words in the list.
        assert not any(text[:40] in li.get_text() for text in texts)
        assert "Quoted passage" not in li.get_text()


def test_the_markdown_sources_say_the_same(client, dossier):
    cid, texts, _ = dossier
    markdown = client.get(f"/api/collections/{cid}/export?format=markdown").get_data(as_text=True)
    listed = markdown.split("## Sources", 1)[1]
    items = re.findall(r"^- (.+)$", listed, re.M)
    assert len(items) == 2
    assert items[0].endswith("Passages 1, 3 and 4 above.") and items[1].endswith("Passage 2 above.")
    assert not any(text[:40].replace("*", "\\*") in listed for text in texts)
    # Each passage still stands, whole, once in the dossier.
    for text in texts:
        assert markdown.count(text[:60]) == 1
