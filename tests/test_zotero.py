"""Save to Zotero (issue 36): passage and document pages read as Zotero's Embedded Metadata
translator reads them (tests/zotero_reader.py follows its rules) give a newspaper article
of the outlet, with the passage verbatim and the permalink filed in the archive.

The expected items come from the manifest (corpus/sources.csv) and the passages' JSON,
not from the code that writes the tags.
"""

from __future__ import annotations

import csv

import pytest
from bs4 import BeautifulSoup

from core.ids import document_id
from core.settings import Settings
from indexer import build
from tests.conftest import CORPUS, SEEDS
from tests.zotero_reader import read, trim_internal
from webapp import create_app

MANIFEST = {row["file"]: row for row in csv.DictReader(
    (CORPUS / "sources.csv").read_text(encoding="utf-8").splitlines())}
HOST = "http://localhost"


def expected_item(row: dict, location: str, abstract: str | None = None,
                  archive: str = "Presscut", host: str = "localhost") -> dict:
    """The newspaper article a manifest row should be saved as."""
    item = {
        "itemType": "newspaperArticle", "title": row["title"], "publicationTitle": row["outlet"],
        "date": row["date"].replace("-", "/"), "language": row["language"], "url": row["url"],
        "creators": [{"firstName": name.rsplit(" ", 1)[0], "lastName": name.rsplit(" ", 1)[1],
                      "creatorType": "author"} for name in row["authors"].split(";") if name],
        "archive": archive, "archiveLocation": location,
        "libraryCatalog": host, "accessDate": "CURRENT_TIMESTAMP",
    }
    if abstract is not None:
        item["abstractNote"] = trim_internal(abstract)
    return item


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_passage_page_saves_as_a_newspaper_article_with_its_passage(client, seed):
    doc_id = document_id(SEEDS[seed])
    doc = client.get(f"/api/documents/{doc_id}").get_json()
    for passage in doc["passages"]:
        url = f"{HOST}/p/{passage['passage_id']}"
        text = client.get(f"/api/passages/{passage['passage_id']}").get_json()["text"]
        item = read(client.get(url).get_data(as_text=True), url)
        assert item == expected_item(MANIFEST[SEEDS[seed]], url, abstract=text)


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_every_document_page_saves_as_the_same_article_filed_at_the_document(client, seed):
    url = f"{HOST}/doc/{document_id(SEEDS[seed])}"
    item = read(client.get(url).get_data(as_text=True), url)
    assert item == expected_item(MANIFEST[SEEDS[seed]], url)


def test_the_date_keeps_its_precision(client):
    """A month stays a month (2022/01), a day a day (2022/01/07): the issue's two cases."""
    dates = {seed: read(client.get(f"/doc/{document_id(SEEDS[seed])}").get_data(as_text=True),
                        HOST)["date"] for seed in ("caucasus", "turan")}
    assert dates == {"caucasus": "2022/01", "turan": "2022/01/07"}


def test_no_tag_makes_it_a_journal_article(client):
    """citation_journal_title forces journalArticle in the translator, whatever else says."""
    pid = client.get(f"/api/documents/{document_id(SEEDS['eurasianet'])}").get_json()[
        "passages"][0]["passage_id"]
    for url in (f"/p/{pid}", f"/doc/{document_id(SEEDS['eurasianet'])}"):
        soup = BeautifulSoup(client.get(url).data, "lxml")
        assert not soup.select('meta[name$="citation_journal_title"]')
        assert soup.select_one('meta[name="DC.type"]')["content"] == "newspaperArticle"


def _write_manifest(corpus, rows: list[dict]) -> None:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    with (corpus / "sources.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def test_archive_name_public_address_and_archived_copy(tmp_path, corpus_copy):
    rows = list(MANIFEST.values())
    turan = dict(rows[2], archived_url="https://web.archive.org/web/2022/https://turan.az/x")
    _write_manifest(corpus_copy, [*rows[:2], turan, *rows[3:]])
    build.index_corpus(corpus_copy, tmp_path / "index")
    client = create_app(Settings.defaults(
        index=tmp_path / "index", corpus=corpus_copy, base_url="https://archive.example.org",
        archive_name="Caucasus press archive")).test_client()
    doc = client.get(f"/api/documents/{document_id(turan['file'])}").get_json()
    pid = doc["passages"][1]["passage_id"]
    item = read(client.get(f"/p/{pid}").get_data(as_text=True), f"{HOST}/p/{pid}")
    permalink = f"https://archive.example.org/p/{pid}"
    location = f"{permalink}; archived copy: {turan['archived_url']}"
    text = client.get(f"/api/passages/{pid}").get_json()["text"]
    assert item == expected_item(turan, location, abstract=text, archive="Caucasus press archive")


HOSTILE_ROW = {
    "file": "evil.txt", "url": 'https://example.org/a?b="c"&d=<e>', "outlet": 'A&B "News" <i>x</i>',
    "title": '"><meta name="citation_title" content="forged"><script>t()</script>',
    "date": "2022-01-05", "language": "en", "authors": 'Ann "Ace" O\'Neil;Bob Doe<br>',
    "archived_url": 'https://web.archive.org/web/2022/x"><script>a()</script>',
}


def hostile_index(tmp_path) -> None:
    """An archive of one document whose text and manifest row are hostile, at tmp_path/index."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(
        'Tokayev said "troops <script>x()</script> & <b>tanks</b>" would stay.\n', encoding="utf-8")
    _write_manifest(corpus, [HOSTILE_ROW])
    build.index_corpus(corpus, tmp_path / "index")


def test_everything_from_a_document_is_escaped_in_the_head(tmp_path):
    hostile_index(tmp_path)
    client = create_app(Settings.defaults(index=tmp_path / "index")).test_client()
    doc = client.get(f"/api/documents/{document_id('evil.txt')}").get_json()
    pid = doc["passages"][0]["passage_id"]
    for path in (f"/p/{pid}", f"/doc/{doc['doc_id']}"):
        html = client.get(path).get_data(as_text=True)
        soup = BeautifulSoup(html, "lxml")
        assert [s.get("src") for s in soup.select("script")] == ["/static/presscut.js"]
        assert not soup.select("b, i, br") and len(soup.select('meta[name="citation_title"]')) == 1
        item = read(html, HOST + path)
        assert (item["title"], item["publicationTitle"]) == (HOSTILE_ROW["title"], HOSTILE_ROW["outlet"])
        assert [c["lastName"] for c in item["creators"]] == ["O'Neil", "Doe<br>"]
        assert item["url"] == HOSTILE_ROW["url"]
        assert item["archiveLocation"].endswith("; archived copy: " + HOSTILE_ROW["archived_url"])
        if path.startswith("/p/"):
            assert item["abstractNote"] == trim_internal(
                client.get(f"/api/passages/{pid}").get_json()["text"])
