"""A collection never loses what it cut: a file moved into a subfolder (a new document id)
leaves each cutting citing its source and leads to the same paragraph under its new id;
a file deleted leaves the source cited as it was kept, saying it left the archive; and a
database made before sources were kept gets them from the archive. Exports are read back
by the parsers reference managers use (bibtexparser, rispy, citeproc-py)."""

from __future__ import annotations

import json
import sqlite3
from types import SimpleNamespace

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from core.ids import document_id
from core.settings import Settings
from engines import open_engine
from indexer import build
from presscut import runs
from search import collection_schema as schema
from webapp import create_app

from .conftest import SEEDS
from .opensearch_fixture import ENGINES, cluster_settings, drop
from .test_cite import STYLE

ON_ENGINES = ENGINES
# The newcomer's reproduction: an Ismayilov passage of Caucasus Watch, whose id names the
# file's path (corpus/000_eb6fef543613bdbe.txt) and its text.
CUT = "39ecede5b872-22e32b49"


@pytest.fixture()
def archive(engine_name, tmp_path, corpus_copy):
    """Settings of an archive of the seed corpus copied to tmp, on the test's engine, and
    a function that re-indexes it as it stands (``by_cli``: as ``presscut index`` does)."""
    index, collections = tmp_path / "index", str(tmp_path / "collections.sqlite3")
    if engine_name == "opensearch":
        settings = cluster_settings(index=index, corpus=corpus_copy, engine="opensearch",
                                    collections=collections)
    else:
        settings = Settings.defaults(index=index, corpus=corpus_copy, collections=collections)

    def reindex(by_cli: bool = False):
        if by_cli:
            return runs.index(settings)
        return build.index_corpus(corpus_copy, index,
                                  engine=open_engine(index, settings.engine, settings))
    reindex()
    yield settings, reindex
    if engine_name == "opensearch":
        drop(settings)


def move_into_subfolder(corpus, name: str) -> None:
    """Move a seed file into corpus/2022/ and its manifest row with it, as a user would."""
    (corpus / "2022").mkdir(exist_ok=True)
    (corpus / name).rename(corpus / "2022" / name)
    manifest = corpus / "sources.csv"
    manifest.write_text(manifest.read_text("utf-8").replace(name, f"2022/{name}"), "utf-8")


def delete_with_its_row(corpus, name: str) -> None:
    (corpus / name).unlink()
    manifest = corpus / "sources.csv"
    rows = manifest.read_text("utf-8").splitlines(keepends=True)
    manifest.write_text("".join(r for r in rows if not r.startswith(name)), "utf-8")


def collect(client, *passage_ids: str) -> str:
    cid = client.post("/api/collections", json={"name": "Moved"}).get_json()["id"]
    for pid in passage_ids:
        assert client.post(f"/api/collections/{cid}/passages",
                           json={"passage_id": pid}).status_code == 201
    return cid


def exports(client, cid: str) -> dict[str, str]:
    return {fmt: client.get(f"/api/collections/{cid}/export?format={fmt}").get_data(as_text=True)
            for fmt in ("bibtex", "ris", "csl-json", "markdown", "html")}


def csl_rendered(text: str) -> str:
    items = json.loads(text)
    bibliography = CitationStylesBibliography(CitationStylesStyle(str(STYLE), validate=False),
                                              CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return " ".join(str(e) for e in bibliography.bibliography())


def assert_cited(files: dict[str, str], meta, gone: bool) -> None:
    """Every bibliography parses and names the source; those of a source the archive
    lost say so."""
    [bib] = bibtexparser.parse_string(files["bibtex"]).entries
    assert (bib["title"], bib["journal"]) == (meta.title, meta.outlet)
    [ris] = rispy.loads(files["ris"])
    assert (ris["title"], ris["secondary_title"]) == (meta.title, meta.outlet)
    assert meta.outlet in csl_rendered(files["csl-json"])
    [csl] = json.loads(files["csl-json"])
    for note in (bib["note"], ris["notes"][0], csl["note"]):
        assert ("No longer in the archive" in note) == gone, note
    if meta.authors:
        assert bib["author"] == " and ".join(meta.authors)
        assert [f"{a['given']} {a['family']}" for a in csl["author"]] == list(meta.authors)


def test_a_moved_files_cutting_keeps_its_source_and_leads_to_the_same_paragraph(archive):
    settings, reindex = archive
    client = create_app(settings).test_client()
    doc = client.get(f"/api/documents/{document_id(SEEDS['caucasus'])}").get_json()
    cut = client.get(f"/api/passages/{CUT}").get_json()
    cid = collect(client, CUT)

    move_into_subfolder(settings.corpus, SEEDS["caucasus"])
    summary = reindex()
    assert (summary.added, summary.deleted) == (1, 1)

    client = create_app(settings).test_client()  # the index as it is now
    [entry] = client.get(f"/api/collections/{cid}").get_json()["passages"]
    new_doc = document_id(f"2022/{SEEDS['caucasus']}")
    assert (entry["title"], entry["outlet"], entry["date"], entry["url"], entry["doc_id"]) == (
        doc["title"], doc["outlet"], doc["date"], doc["url"], new_doc)
    assert (entry["changed"], entry["moved"], entry["in_archive"]) == (True, True, True)
    successor = client.get(f"/api/passages/{entry['successor']}")
    assert successor.status_code == 200 and successor.get_json()["text"] == cut["text"]
    assert entry["successor"].startswith(new_doc) and entry["text"] == cut["text"]

    old = client.get(f"/api/passages/{CUT}")
    assert old.status_code == 404 and old.get_json()["successor"] == entry["successor"]
    page = BeautifulSoup(client.get(f"/p/{CUT}").get_data(as_text=True), "html.parser")
    assert page.select_one(f'a[href="/p/{entry["successor"]}"]')

    files = exports(client, cid)
    meta = SimpleNamespace(**{**doc, "authors": ()})
    assert_cited(files, meta, gone=False)
    assert f"## 1. {doc['outlet']}, {doc['date']}: {doc['title']}" in files["markdown"]
    assert "under another id, word for word" in files["markdown"]
    assert entry["successor"] in bibtexparser.parse_string(files["bibtex"]).entries[0]["note"]


def test_a_deleted_files_cutting_is_cited_as_kept_and_says_it_left(archive):
    settings, reindex = archive
    client = create_app(settings).test_client()
    doc = client.get(f"/api/documents/{document_id(SEEDS['eurasianet'])}").get_json()
    passage = next(p for p in (client.get(f"/api/passages/{q['passage_id']}").get_json()
                               for q in doc["passages"]) if p["speakers"])
    cid = collect(client, passage["passage_id"])

    delete_with_its_row(settings.corpus, SEEDS["eurasianet"])
    assert reindex().deleted == 1
    client = create_app(settings).test_client()
    [entry] = client.get(f"/api/collections/{cid}").get_json()["passages"]
    assert (entry["title"], entry["outlet"], entry["date"], entry["url"], entry["doc_id"],
            entry["authors"], entry["language"]) == (
        doc["title"], doc["outlet"], doc["date"], doc["url"], doc["doc_id"], doc["authors"],
        doc["language"])
    assert (entry["in_archive"], entry["successor"], entry["speakers"]) == (
        False, None, passage["speakers"])
    assert client.get(f"/api/passages/{passage['passage_id']}").status_code == 404

    files = exports(client, cid)
    assert all(files.values())
    meta = SimpleNamespace(**{**doc, "authors": tuple(doc["authors"])})
    assert_cited(files, meta, gone=True)
    assert f"## 1. {doc['outlet']}, {doc['date']}: {doc['title']}" in files["markdown"]
    assert "No longer in the archive" in files["markdown"]
    dossier = BeautifulSoup(files["html"], "html.parser")
    assert doc["title"] in dossier.select_one("section.cutting h2").get_text()
    assert "No longer in the archive" in dossier.select_one("section.cutting").get_text()
    assert doc["title"] in dossier.select_one("ol.sources").get_text()
    page = BeautifulSoup(client.get(f"/collections/{cid}").get_data(as_text=True), "html.parser")
    cutting = page.select_one(f"li#c-{passage['passage_id']}")
    assert "No longer in the archive" in cutting.get_text() and doc["title"] in cutting.get_text()
    assert not cutting.select(f'a[href^="/doc/{doc["doc_id"]}"]')  # no link to a 404


def old_database(path, rows: list[tuple[str, str]]) -> None:
    """A collections database as Presscut wrote it before sources were kept (schema 1)."""
    with sqlite3.connect(path) as db:
        for statement in filter(str.strip, schema.MIGRATIONS[0].split(";")):
            db.execute(statement)
        db.execute("PRAGMA user_version = 1")
        db.execute("INSERT INTO collections VALUES ('old1', 'Before', '', '2022-01-10')")
        db.executemany("INSERT INTO cuttings VALUES ('old1', ?, ?, '', '[]', ?, '2022-01-10')",
                       [(pid, n, text) for n, (pid, text) in enumerate(rows, 1)])


def test_an_older_database_keeps_its_sources_before_presscut_index_moves_them(archive):
    settings, reindex = archive
    client = create_app(settings).test_client()
    doc = client.get(f"/api/documents/{document_id(SEEDS['caucasus'])}").get_json()
    text = client.get(f"/api/passages/{CUT}").get_json()["text"]
    # A cutting whose document had left before this version: nothing to keep it from.
    old_database(settings.collections_file(), [(CUT, text), ("abcdefabcdef-12345678", "Lost.")])

    move_into_subfolder(settings.corpus, SEEDS["caucasus"])
    reindex(by_cli=True)
    with sqlite3.connect(settings.collections_file()) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
    client = create_app(settings).test_client()
    kept, lost = client.get("/api/collections/old1").get_json()["passages"]
    assert (kept["title"], kept["url"], kept["moved"]) == (doc["title"], doc["url"], True)
    assert (lost["title"], lost["doc_id"], lost["in_archive"]) == (None, None, False)
    files = exports(client, "old1")
    assert len(bibtexparser.parse_string(files["bibtex"]).entries) == 2
    assert len(rispy.loads(files["ris"])) == len(json.loads(files["csl-json"])) == 2
    assert "its source was not recorded" in files["markdown"]


def test_every_seed_passage_is_found_by_its_text_alone(service):
    for doc_id in (document_id(name) for name in SEEDS.values()):
        doc = service.document(doc_id)
        for passage in doc.passages:
            found = [p.passage_id for _, p in service.identical(doc.passage_text(passage))]
            assert passage.passage_id in found


def test_the_same_paragraph_in_another_outlet_is_not_the_cuttings_source(archive):
    """Another outlet carrying the cut paragraph word for word (wire copy) is another
    source: once the cut article leaves the archive, the cutting still cites its own."""
    settings, reindex = archive
    client = create_app(settings).test_client()
    cut = client.get(f"/api/passages/{CUT}").get_json()
    doc = client.get(f"/api/documents/{cut['doc_id']}").get_json()
    carried = settings.corpus / "carried.txt"
    carried.write_text("Wire copy\n\nAn agency's round-up of the reactions in Baku.\n\n"
                       + cut["text"] + "\n", "utf-8")
    with open(settings.corpus / "sources.csv", "a", encoding="utf-8") as manifest:
        manifest.write("carried.txt,https://wire.example/roundup,Wire Agency,Wire copy,"
                       "2022-02-01,en,\n")
    reindex()
    cid = collect(client := create_app(settings).test_client(), CUT)

    delete_with_its_row(settings.corpus, SEEDS["caucasus"])
    reindex()
    client = create_app(settings).test_client()
    [entry] = client.get(f"/api/collections/{cid}").get_json()["passages"]
    assert (entry["outlet"], entry["title"], entry["url"]) == (doc["outlet"], doc["title"],
                                                                doc["url"])
    assert (entry["in_archive"], entry["moved"], entry["successor"]) == (False, False, None)
    old = client.get(f"/api/passages/{CUT}")
    assert old.status_code == 404 and not old.get_json().get("successor")
    [cited] = rispy.loads(client.get(f"/api/collections/{cid}/export?format=ris").get_data(
        as_text=True))
    assert cited["secondary_title"] == doc["outlet"]


def test_a_collections_database_that_cannot_be_read_does_not_stop_indexing(archive, capsys):
    settings, reindex = archive
    settings.collections_file().write_bytes(b"not a database, but a file in its place\n" * 50)
    (settings.corpus / SEEDS["caucasus"]).unlink()
    summary = reindex(by_cli=True)
    assert summary.deleted == 1  # the run went on
    assert "could not be read to keep their sources" in capsys.readouterr().err
