"""Save to Zotero from a passage page (issue 36): Zotero's unAPI translator, which runs
before its Embedded Metadata translator, finds the page's unAPI server and saves the RIS
it serves: the newspaper article, with the passage verbatim as a child note.

tests/zotero_unapi.py follows the unAPI and RIS translators' rules; the expected items
come from the manifest and the passages' JSON.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from core.ids import document_id
from core.settings import Settings
from tests.conftest import SEEDS
from tests.test_zotero import HOST, HOSTILE_ROW, MANIFEST, hostile_index
from tests.zotero_unapi import chosen_format, import_ris, saving_translator, unapi_ids
from webapp import create_app


def saved_by_unapi(client, url: str) -> tuple[dict, list[str]]:
    """What the unAPI translator saves from the page at ``url``: formats, then the item."""
    page = client.get(url).get_data(as_text=True)
    assert saving_translator(page, url) == "unAPI"
    resolver, ids = unapi_ids(page)
    assert len(ids) == 1
    path = urlsplit(resolver).path
    formats = client.get(path)
    assert formats.status_code == 200 and formats.mimetype == "application/xml"
    fmt = chosen_format(formats.get_data(as_text=True))
    ris = client.get(f"{path}?id={ids[0]}&format={fmt}")
    assert ris.status_code == 200, ris.status_code
    return import_ris(ris.get_data(as_text=True), url)


def expected(row: dict, location: str, archive: str = "Presscut") -> dict:
    item = {
        "itemType": "newspaperArticle", "title": row["title"], "publicationTitle": row["outlet"],
        "date": row["date"], "language": row["language"], "url": row["url"],
        "creators": [{"firstName": name.rsplit(" ", 1)[0], "lastName": name.rsplit(" ", 1)[1],
                      "creatorType": "author"} for name in row["authors"].split(";") if name],
        "archive": archive, "archiveLocation": location,
        "libraryCatalog": "localhost", "accessDate": "CURRENT_TIMESTAMP",
    }
    return item


def quote_note(text: str, permalink: str, archived: str = "") -> str:
    after = f" Archived at {archived}." if archived else ""
    return f"<p>{html.escape(f'Quoted passage: “{text}” ({permalink}).{after}', quote=False)}</p>"


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_passage_is_saved_with_its_quote_as_a_note(client, seed):
    doc = client.get(f"/api/documents/{document_id(SEEDS[seed])}").get_json()
    for passage in doc["passages"]:
        url = f"{HOST}/p/{passage['passage_id']}"
        text = client.get(f"/api/passages/{passage['passage_id']}").get_json()["text"]
        item, notes = saved_by_unapi(client, url)
        assert item == expected(MANIFEST[SEEDS[seed]], url)
        assert notes == [quote_note(text, url)]


def test_document_pages_are_saved_from_their_tags(client):
    """A document page has no passage to note: Embedded Metadata saves it (test_zotero)."""
    url = f"{HOST}/doc/{document_id(SEEDS['turan'])}"
    page = client.get(url).get_data(as_text=True)
    assert unapi_ids(page) == (None, [])
    assert saving_translator(page, url) == "Embedded Metadata"


def test_unapi_answers(client):
    pid = client.get(f"/api/documents/{document_id(SEEDS['turan'])}").get_json()[
        "passages"][0]["passage_id"]
    listed = client.get(f"/unapi?id={pid}")
    assert listed.status_code == 300 and chosen_format(listed.get_data(as_text=True)) == "ris"
    assert client.get("/unapi?id=nope&format=ris").status_code == 404
    refused = client.get(f"/unapi?id={pid}&format=mods")
    assert refused.status_code == 406
    assert "gives ris" in BeautifulSoup(refused.data, "lxml").select_one(".error").get_text()
    assert client.get("/unapi?format=ris").status_code == 400


def test_archive_name_archived_copy_and_escaping(tmp_path):
    """A hostile manifest row: Zotero reads RIS values as HTML, so each is escaped and the
    saved title, names and quote are exactly the archive's."""
    hostile_index(tmp_path)
    client = create_app(Settings.defaults(index=tmp_path / "index", archive_name="A&B <archive>",
                                          base_url="https://archive.example.org")).test_client()
    pid = client.get(f"/api/documents/{document_id('evil.txt')}").get_json()[
        "passages"][0]["passage_id"]
    text = client.get(f"/api/passages/{pid}").get_json()["text"]
    item, notes = saved_by_unapi(client, f"{HOST}/p/{pid}")
    permalink = f"https://archive.example.org/p/{pid}"
    archived = HOSTILE_ROW["archived_url"]
    assert item == expected(HOSTILE_ROW, f"{permalink}; archived copy: {archived}",
                            archive="A&B <archive>") | {
        "creators": [{"firstName": 'Ann "Ace"', "lastName": "O'Neil", "creatorType": "author"},
                     {"firstName": "Bob", "lastName": "Doe<br>", "creatorType": "author"}]}
    assert notes == [quote_note(text, permalink, archived)]
    assert BeautifulSoup(notes[0], "lxml").get_text().startswith(f"Quoted passage: “{text}”")
