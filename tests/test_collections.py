"""Press cuttings: collections of seed passages through the real app, read back by the
parsers reference managers use, kept across a rebuild, flagged when a passage changes,
written only by who may, and by many at once without loss."""

from __future__ import annotations

import io
import json
import re
import sqlite3
import threading
import zipfile
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from werkzeug.http import parse_options_header
from werkzeug.serving import make_server

from core.settings import Settings
from indexer import build
from search import collection_schema as schema
from search import collection_store as cuttings
from webapp import create_app

from .conftest import SEEDS
from .opensearch_fixture import ENGINES
from .test_cite import STYLE

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


@pytest.fixture()
def app_at(seed_settings, tmp_path):
    """An app over the seed index with its own collections file and settings."""
    def make(**settings):
        return create_app(seed_settings(**{"collections": str(tmp_path / "collections.sqlite3"),
                                           **settings}))
    return make


@pytest.fixture()
def client(app_at):
    return app_at().test_client()


def quoted(seed_docs, name: str, count: int = 2):
    """Passages of a seed that quote someone (what a researcher would cut)."""
    doc = seed_docs[name]
    return [p for p in doc.passages if p.speakers][:count] or list(doc.passages[:count])


def test_a_collection_as_the_contract_says(client, seed_docs):
    made = client.post("/api/collections", json={"name": "CSTO reactions", "description": "Baku"})
    assert made.status_code == 201
    body = made.get_json()
    assert set(body) >= {"id", "name", "description", "passages"} and body["passages"] == []
    cid = body["id"]
    passage = seed_docs["turan"].passages[1]
    added = client.post(f"/api/collections/{cid}/passages",
                        json={"passage_id": passage.passage_id, "note": "the party's line",
                              "tags": ["opposition", "CSTO"]})
    assert added.status_code == 201
    [entry] = added.get_json()["passages"]
    doc = seed_docs["turan"]
    assert entry["text"] == doc.passage_text(passage)
    assert (entry["note"], entry["tags"], entry["changed"]) == ("the party's line",
                                                               ["opposition", "CSTO"], False)
    assert (entry["doc_id"], entry["title"], entry["outlet"], entry["date"], entry["url"]) == (
        doc.doc_id, doc.metadata.title, doc.metadata.outlet, doc.metadata.date, doc.metadata.url)
    assert client.get(entry["permalink"]).status_code == 200
    assert client.get("/api/collections").get_json() == {
        "collections": [{"id": cid, "name": "CSTO reactions", "count": 1}]}
    assert client.get(f"/api/collections/{cid}").get_json()["passages"] == [entry]
    gone = client.post(f"/api/collections/{cid}/passages", json={"passage_id": "abc-12345678"})
    assert gone.status_code == 404 and "abc-12345678" in gone.get_json()["error"]
    assert client.post("/api/collections/nope/passages",
                       json={"passage_id": passage.passage_id}).status_code == 404
    assert client.post("/api/collections", json={"name": "  "}).status_code == 400
    assert client.post("/api/collections", data="name=x").status_code == 400
    removed = client.delete(f"/api/collections/{cid}/passages/{passage.passage_id}")
    assert removed.status_code == 200 and removed.get_json()["passages"] == []
    assert client.delete(f"/api/collections/{cid}/passages/{passage.passage_id}").status_code == 404


def collection_of(client, seed_docs) -> tuple[str, list]:
    cid = client.post("/api/collections", json={"name": "Azerbaijani reactions"}).get_json()["id"]
    chosen = [(name, p) for name in ("turan", "novator", "eurasianet")
              for p in quoted(seed_docs, name)]
    for number, (_, passage) in enumerate(chosen):
        client.post(f"/api/collections/{cid}/passages",
                    json={"passage_id": passage.passage_id, "note": f"note {number} <b>&</b>"})
    return cid, chosen


def test_the_bibliography_is_read_by_reference_managers_parsers(client, seed_docs):
    cid, chosen = collection_of(client, seed_docs)
    export = lambda fmt: client.get(f"/api/collections/{cid}/export?format={fmt}")  # noqa: E731
    library = bibtexparser.parse_string(export("bibtex").get_data(as_text=True))
    assert not library.failed_blocks and len(library.entries) == len(chosen)
    for entry, (name, passage) in zip(library.entries, chosen, strict=True):
        assert entry["title"] == seed_docs[name].metadata.title
        assert seed_docs[name].passage_text(passage) in entry["note"]
    records = rispy.loads(export("ris").get_data(as_text=True))
    assert [r["title"] for r in records] == [seed_docs[n].metadata.title for n, _ in chosen]
    items = json.loads(export("csl-json").get_data(as_text=True))
    bibliography = CitationStylesBibliography(CitationStylesStyle(str(STYLE), validate=False),
                                              CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = " ".join(str(e) for e in bibliography.bibliography())
    assert all(seed_docs[n].metadata.outlet in rendered for n, _ in chosen)


def test_the_dossiers_quote_verbatim_with_notes_and_sources(client, seed_docs):
    cid, chosen = collection_of(client, seed_docs)
    markdown = client.get(f"/api/collections/{cid}/export?format=markdown").get_data(as_text=True)
    # Each quote as cut, line for line, and the document's own markup made inert.
    for name, passage in chosen:
        assert f"> {seed_docs[name].passage_text(passage)}".replace("*", "\\*") in markdown
    assert "note 0 \\<b\\>&\\</b\\>" in markdown and "## Sources" in markdown
    page = client.get(f"/collections/{cid}/export.html")
    assert parse_options_header(page.headers["Content-Disposition"])[1]["filename"].endswith(".html")
    assert "script-src" not in page.headers["Content-Security-Policy"]
    soup = BeautifulSoup(page.get_data(as_text=True), "html.parser")
    quotes = [q.get_text() for q in soup.select("section.cutting blockquote")]
    assert quotes == [seed_docs[n].passage_text(p) for n, p in chosen]
    assert soup.find("b") is None  # the note's "<b>" is text
    assert len(soup.select("ol.sources li")) == 3
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/api/collections/{cid}/export?format=zip").data))
    assert sorted(n.rsplit(".", 1)[1] for n in archive.namelist()) == ["bib", "html", "json", "md", "ris"]
    assert archive.read(next(n for n in archive.namelist() if n.endswith(".md"))).decode() == markdown
    assert client.get(f"/api/collections/{cid}/export?format=docx").status_code == 400


def test_collections_survive_a_rebuild_and_a_changed_passage_is_flagged(tmp_path, corpus_copy):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    app = create_app(Settings.defaults(index=index, corpus=corpus_copy))
    client = app.test_client()
    service = app.extensions["presscut.search"]
    cid = client.post("/api/collections", json={"name": "Turan"}).get_json()["id"]
    from core.ids import document_id
    doc = service.document(document_id(SEEDS["turan"]))
    kept, edited = doc.passages[1], doc.passages[2]
    for passage in (kept, edited):
        client.post(f"/api/collections/{cid}/passages", json={"passage_id": passage.passage_id})
    build.index_corpus(corpus_copy, index, rebuild=True)
    assert [p["changed"] for p in client.get(f"/api/collections/{cid}").get_json()["passages"]] == [
        False, False]
    path = corpus_copy / SEEDS["turan"]
    old = doc.passage_text(edited)
    path.write_text(path.read_text(encoding="utf-8").replace(old, old.replace(".", "!", 1)),
                    encoding="utf-8")
    build.index_corpus(corpus_copy, index)
    service.engine._checked = float("-inf")  # look for the new generation now, not in a second
    first, second = client.get(f"/api/collections/{cid}").get_json()["passages"]
    assert (first["changed"], first["successor"]) == (False, None)
    assert second["changed"] is True and second["text"] == old
    assert client.get(f"/api/passages/{second['successor']}").get_json()["text"] == \
        old.replace(".", "!", 1)
    page = BeautifulSoup(client.get(f"/collections/{cid}").get_data(as_text=True), "html.parser")
    flagged = page.select_one(f"li#c-{edited.passage_id} p.warning a")
    assert flagged and client.get(flagged["href"]).status_code == 200


def csrf_of(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_with_a_token_writes_need_it_and_reads_stay_open(app_at, seed_docs):
    client = app_at(token="s3cret-token").test_client()
    new = {"name": "Private"}
    assert client.post("/api/collections", json=new).status_code == 401
    wrong = client.post("/api/collections", json=new, headers={"Authorization": "Bearer guess"})
    assert wrong.status_code == 403 and "not this archive's" in wrong.get_json()["error"]
    right = client.post("/api/collections", json=new,
                        headers={"Authorization": "Bearer s3cret-token"})
    assert right.status_code == 201
    assert client.get("/api/collections").status_code == 200
    assert client.get(f"/collections/{right.get_json()['id']}").status_code == 200
    # The pages: no form until logged in, then forms that need their CSRF token.
    assert "Add to collection" not in client.get("/?q=Tokayev").get_data(as_text=True)
    assert client.post("/collections", data={"name": "x"}).status_code == 400  # no CSRF token
    token = csrf_of(client, "/login")
    assert client.post("/login", data={"token": "guess", "csrf_token": token}).status_code == 401
    assert client.post("/login", data={"token": "s3cret-token", "csrf_token": token,
                                       "next": "//evil.example/"}).headers["Location"] == "/"
    assert "Add to collection" in client.get("/?q=Tokayev").get_data(as_text=True)
    missing = client.post("/collections", data={"name": "No token"})
    assert missing.status_code == 400 and "CSRF" in missing.get_data(as_text=True)
    made = client.post("/collections", data={"name": "With token",
                                             "csrf_token": csrf_of(client, "/collections")})
    assert made.status_code == 303


def test_without_a_token_a_public_server_is_read_only(app_at):
    client = app_at(host="0.0.0.0").test_client()
    refused = client.post("/api/collections", json={"name": "x"})
    assert refused.status_code == 403 and "read-only" in refused.get_json()["error"]
    assert "read-only" in client.get("/collections").get_data(as_text=True)
    assert app_at(host="127.0.0.1").test_client().post(
        "/api/collections", json={"name": "x"}).status_code == 201


def test_forms_build_a_collection_without_javascript(client, seed_docs):
    passage = seed_docs["novator"].passages[0]
    token = csrf_of(client, f"/p/{passage.passage_id}")
    added = client.post("/collections/add", data={
        "passage_id": passage.passage_id, "collection": "new", "name": "Novator",
        "note": "KTMT", "csrf_token": token})
    assert added.status_code == 303
    page_url = added.headers["Location"].split("#")[0]
    other = seed_docs["turan"].passages[1]
    cid = page_url.rsplit("/", 1)[1]
    client.post("/collections/add", data={"passage_id": other.passage_id, "collection": cid,
                                          "csrf_token": token})
    order = lambda: [p["passage_id"] for p in  # noqa: E731
                     client.get(f"/api/collections/{cid}").get_json()["passages"]]
    assert order() == [passage.passage_id, other.passage_id]
    edit = f"/collections/{cid}/passages/{other.passage_id}"
    client.post(edit, data={"action": "up", "csrf_token": token})
    assert order() == [other.passage_id, passage.passage_id]
    client.post(edit, data={"action": "note", "note": "moved", "tags": "a, b, a",
                            "csrf_token": token})
    first = client.get(f"/api/collections/{cid}").get_json()["passages"][0]
    assert (first["note"], first["tags"]) == ("moved", ["a", "b"])
    client.post(edit, data={"action": "remove", "csrf_token": token})
    assert order() == [passage.passage_id]
    # Every link the collection page prints answers.
    soup = BeautifulSoup(client.get(page_url).get_data(as_text=True), "html.parser")
    links = {a["href"] for a in soup.find_all("a", href=True) if a["href"].startswith("/")}
    assert links and all(client.get(link).status_code == 200 for link in links)


def test_two_browsers_adding_at_once_lose_nothing(app_at, seed_docs):
    app = app_at()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"

    def post(path: str, body: dict) -> int:
        request = Request(base + path, data=json.dumps(body).encode(), method="POST",
                          headers={"Content-Type": "application/json"})
        with urlopen(request, timeout=30) as response:
            return response.status

    try:
        cid = json.loads(urlopen(Request(base + "/api/collections", method="POST",
                                         data=b'{"name": "Busy"}',
                                         headers={"Content-Type": "application/json"})).read())["id"]
        every = [p.passage_id for doc in seed_docs.values() for p in doc.passages]
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda pid: post(f"/api/collections/{cid}/passages",
                                                      {"passage_id": pid}), every))
        assert statuses == [201] * len(every)
        with urlopen(f"{base}/api/collections/{cid}") as response:
            kept = [p["passage_id"] for p in json.loads(response.read())["passages"]]
        assert sorted(kept) == sorted(every) and len(kept) == len(set(kept))
    finally:
        server.shutdown()


def test_the_database_is_versioned_and_migrated(tmp_path):
    path = tmp_path / "c.sqlite3"
    store = cuttings.Store(path)
    store.create("First")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(schema.MIGRATIONS)
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        db.execute(f"PRAGMA user_version = {len(schema.MIGRATIONS) + 1}")
    with pytest.raises(RuntimeError, match="newer Presscut"):
        cuttings.Store(path).list()


def test_presscut_serve_on_every_address_without_a_token_says_it_is_read_only(seed_index, tmp_path):
    import os
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PRESSCUT_COLLECTIONS": str(tmp_path / "c.sqlite3")}
    env.pop("PRESSCUT_TOKEN", None)
    server = subprocess.Popen(
        [sys.executable, "-c", "from presscut.cli import main; main()", "serve", "--index",
         str(seed_index), "--host", "0.0.0.0", "--port", str(port)],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        assert "Serving read-only" in server.stderr.readline()
        for _ in range(100):
            try:
                request = Request(f"http://127.0.0.1:{port}/api/collections", data=b'{"name": "x"}',
                                  method="POST", headers={"Content-Type": "application/json"})
                urlopen(request, timeout=5)
            except HTTPError as refused:
                refused.close()
                assert refused.code == 403
                break
            except OSError:  # not listening yet
                time.sleep(0.1)
        else:
            pytest.fail("the server did not refuse the write")
        with urlopen(f"http://127.0.0.1:{port}/api/collections", timeout=5) as response:
            assert json.loads(response.read()) == {"collections": []}
    finally:
        server.terminate()
        server.wait(10)
        server.stderr.close()
