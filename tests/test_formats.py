"""Every format Presscut reads, on files written by the real tools people use: Chromium
prints the seed articles to PDF, python-docx and odfpy write Word and OpenDocument files,
warcio captures WARCs, py-wacz packs a WACZ, feedgen writes RSS 2.0 and Atom feeds.

The oracle is the seed article itself: each format must give back its paragraphs
verbatim, with the metadata the file carries.
"""

from __future__ import annotations

import csv
import html
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from core import files
from core.records import Document, Skipped
from core.settings import Settings
from indexer import build, pipeline
from search import citations as cite
from search.results import SearchRequest
from search.service import SearchService
from webapp import create_app

from .conftest import CORPUS, SEEDS

ORIGINS = {"caucasus": "https://caucasuswatch.de/en/news/opinion-from-azerbaijan.html",
           "novator": "https://novator.az/2022/01/07/qazaxistan/"}


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    """The seed articles as the indexer reads them from their text dumps."""
    return {name: pipeline.extract(CORPUS / file)[0] for name, file in SEEDS.items()}


def paragraphs(doc: Document) -> list[str]:
    return [doc.passage_text(p) for p in doc.passages]


def page_html(doc: Document, date: str | None = None) -> str:
    """A saved article page of a seed, as a news site would serve it."""
    meta = doc.metadata
    published = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(doc))
    return (f'<!doctype html><html lang="{meta.language}"><head><meta charset="utf-8">'
            f"<title>{html.escape(meta.title)} | {html.escape(meta.outlet)}</title>{published}"
            # News sites print the article without their menus.
            f"<style>@media print {{ nav, footer {{ display: none }} body {{ font-size: 22px }} }}</style>"
            f'</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            f"<article><h1>{html.escape(meta.title)}</h1>{body}</article>"
            f"<footer>© {html.escape(meta.outlet)}</footer></body></html>")


def indexed(service: SearchService) -> list[Document]:
    """Every document of an index."""
    result = service.search(SearchRequest(q="", per_page=100))
    return [service.document(hit.doc_id) for hit in result.results]


def only_document(path: Path) -> Document:
    found = pipeline.extract(path)
    docs = [d for d in found if isinstance(d, Document)]
    assert len(docs) == 1, found
    return docs[0]


# --- PDF ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def printed(browser, seeds, tmp_path_factory) -> Path:
    """The Caucasus Watch seed printed by Chromium from its own address, on small pages
    with the browser's header and footer (date, title, URL, "1/3"), as a person saving a
    page to PDF gets it."""
    folder = tmp_path_factory.mktemp("pdf")
    context = browser.new_context()
    page = context.new_page()
    url = ORIGINS["caucasus"]
    page.route(url, lambda route: route.fulfill(body=page_html(seeds["caucasus"]),
                                                content_type="text/html; charset=utf-8"))
    page.goto(url)
    page.pdf(path=str(folder / "caucasus.pdf"), format="A5", display_header_footer=True,
             margin={"top": "1.5cm", "bottom": "1.5cm", "left": "1cm", "right": "1cm"})
    page.set_content('<svg width="400" height="300"><rect width="300" height="200" fill="gray"/>'
                     '<circle cx="150" cy="100" r="80" fill="black"/></svg>')
    page.pdf(path=str(folder / "scan.pdf"))
    context.close()
    return folder


def test_a_printed_pdf_gives_the_article_verbatim_with_its_pages(printed, seeds):
    from pypdf import PdfReader

    doc = only_document(printed / "caucasus.pdf")
    seed = seeds["caucasus"]
    assert paragraphs(doc) == paragraphs(seed)
    assert doc.metadata.title == seed.metadata.title
    # The browser's footer gave the address; its header and page counters are not text.
    assert doc.metadata.url == ORIGINS["caucasus"]
    assert not any("/" in p[:6] for p in paragraphs(doc))
    # An independent reader (pypdf) finds each passage's opening words on its page.
    reader = PdfReader(printed / "caucasus.pdf")
    assert len(reader.pages) > 2
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert {p.page for p in doc.passages} == set(range(1, len(pages) + 1)) - {
        n for n, text in enumerate(pages, 1) if not any(p.page == n for p in doc.passages)}
    for passage in doc.passages:
        opening = " ".join(doc.passage_text(passage).split()[:3])
        assert opening in pages[passage.page - 1], (passage.page, opening)
    assert max(p.page for p in doc.passages) > 1
    later = next(p for p in doc.passages if p.page and p.page > 1)
    citation = cite.cite(doc, later, "apa", "https://archive.example/p/x")
    assert f"p. {later.page}" in citation
    assert f"SP  - {later.page}" in cite.cite(doc, later, "ris", "https://archive.example/p/x")


def test_a_pdf_without_text_or_with_a_password_is_skipped_with_its_reason(printed, tmp_path):
    from pypdf import PdfReader, PdfWriter

    with pytest.raises(Exception, match="no text layer") as caught:
        pipeline.extract(printed / "scan.pdf")
    assert "OCR" in str(caught.value)
    writer = PdfWriter(clone_from=PdfReader(printed / "caucasus.pdf"))
    writer.encrypt(user_password="secret", algorithm="AES-128")
    locked = tmp_path / "locked.pdf"
    with locked.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(Exception, match="encrypted PDF"):
        pipeline.extract(locked)


# --- Word and OpenDocument ---------------------------------------------------------------

def test_a_docx_written_by_python_docx_gives_its_paragraphs_and_title(seeds, tmp_path):
    import docx

    seed = seeds["novator"]
    document = docx.Document()
    document.add_heading(seed.metadata.title, level=1)
    for text in paragraphs(seed):
        document.add_paragraph(text)
    path = tmp_path / "novator.docx"
    document.save(str(path))
    doc = only_document(path)
    assert paragraphs(doc) == paragraphs(seed)
    assert doc.metadata.title == seed.metadata.title
    assert doc.metadata.language == "az"


def test_an_odt_written_by_odfpy_gives_its_paragraphs_and_title(seeds, tmp_path):
    from odf import dc, text
    from odf.opendocument import OpenDocumentText

    seed = seeds["eurasianet"]
    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=seed.metadata.title))
    document.text.addElement(text.H(outlinelevel=1, text=seed.metadata.title))
    for para in paragraphs(seed):
        document.text.addElement(text.P(text=para))
    path = tmp_path / "eurasianet.odt"
    document.save(str(path))
    doc = only_document(path)
    assert paragraphs(doc) == paragraphs(seed)
    assert doc.metadata.title == seed.metadata.title


@pytest.mark.parametrize("name, data, reason", [
    ("truncated.docx", b"PK\x03\x04\x14\x00broken", "not a readable .docx"),
    ("locked.docx", bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504, "password-protected"),
    ("empty.odt", b"", "not a readable .odt"),
])
def test_a_broken_or_locked_office_file_is_skipped_with_its_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(Exception, match=reason):
        pipeline.extract(path)


# --- Web archives ------------------------------------------------------------------------

def write_warc(path: Path, captures: list[tuple[str, str, bytes, str]]) -> None:
    """A WARC of HTTP responses (url, content type, body, WARC-Date), as warcio writes it."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.suffix == ".gz")
        for url, content_type, body, captured in captures:
            status = "404 Not Found" if url.endswith("/missing") else "200 OK"
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), length=len(body),
                                               http_headers=headers,
                                               warc_headers_dict={"WARC-Date": captured})
            writer.write_record(record)


@pytest.fixture()
def web_archive(seeds, tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    caucasus = page_html(seeds["caucasus"], date="2022-01-08T09:30:00+04:00").encode()
    novator = page_html(seeds["novator"]).encode()
    write_warc(corpus / "crawl.warc.gz", [
        (ORIGINS["caucasus"], "text/html; charset=utf-8", caucasus, "2022-02-01T10:00:00Z"),
        ("https://caucasuswatch.de/style.css", "text/css", b"body{color:red}", "2022-02-01T10:00:01Z"),
        ("https://caucasuswatch.de/missing", "text/html", b"<p>Not found</p>", "2022-02-01T10:00:02Z"),
        ("https://novator.az/qazaxistan-aliyev", "text/html", novator, "2022-01-09T06:00:00Z"),
        # The same page again, a month later: a copy, not a second article.
        (ORIGINS["caucasus"], "text/html; charset=utf-8", caucasus, "2022-03-01T10:00:00Z"),
    ])
    return corpus


def test_every_html_capture_of_a_warc_is_a_document_with_its_url_and_date(web_archive, seeds,
                                                                           tmp_path):
    summary = build.index_corpus(web_archive, tmp_path / "index")
    assert summary.documents == 2
    assert summary.formats["warc"] == {"documents": 2, "skipped": 0, "copies": 1}
    service = SearchService(tmp_path / "index")
    by_url = {}
    for doc in indexed(service):
        by_url[doc.metadata.url] = doc
        assert doc.relpath.startswith("crawl.warc.gz#")
    caucasus, novator = by_url[ORIGINS["caucasus"]], by_url["https://novator.az/qazaxistan-aliyev"]
    assert paragraphs(caucasus) == paragraphs(seeds["caucasus"])
    # The page's own date wins over the capture's; a page without one gets the capture day.
    assert (caucasus.metadata.date, caucasus.metadata.sources["date"]) == (
        "2022-01-08", "article:published_time")
    assert (novator.metadata.date, novator.metadata.sources["date"]) == ("2022-01-09", "warc:date")
    assert caucasus.metadata.outlet == "Caucasus Watch"
    assert service.search(SearchRequest(q="Tokayev")).total >= 1


def test_a_wacz_packed_by_py_wacz_is_read_like_its_warc(web_archive, seeds, tmp_path):
    warc = web_archive / "crawl.warc.gz"
    wacz = tmp_path / "crawl.wacz"
    subprocess.run([str(Path(sys.executable).parent / "wacz"), "create", "-o", str(wacz), str(warc)],
                   check=True, capture_output=True, cwd=tmp_path)
    from_wacz = [d for d in pipeline.extract(wacz) if isinstance(d, Document)]
    from_warc = [d for d in pipeline.extract(warc) if isinstance(d, Document)]
    assert len(from_wacz) == 3  # extract alone does not look for copies
    assert [paragraphs(d) for d in from_wacz] == [paragraphs(d) for d in from_warc]
    assert {files.format_of(d.relpath) for d in from_wacz} == {"wacz"}


@pytest.mark.parametrize("name, data, reason", [
    ("broken.warc.gz", b"\x1f\x8b\x08\x00garbage", "not a readable WARC"),
    ("plain.warc", b"WARC/1.0\r\nnot a record", "holds no captured HTML page"),
    ("notes.wacz", b"PK\x05\x06" + b"\0" * 18, "WARC files under archive/"),
])
def test_a_broken_web_archive_is_skipped_with_its_reason(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(Exception, match=reason):
        pipeline.extract(path)


# --- Feeds -------------------------------------------------------------------------------

def write_feed(path: Path, seeds: dict[str, Document], kind: str) -> None:
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.id("https://news.example/feed")
    feed.title("Region Wire")
    feed.link(href="https://news.example/", rel="alternate")
    feed.description("Regional news")
    for day, name in enumerate(("caucasus", "novator"), 7):
        seed = seeds[name]
        item = feed.add_entry()
        item.id(f"https://news.example/{name}")
        item.title(seed.metadata.title)
        item.link(href=f"https://news.example/{name}")
        item.author({"name": "Aysel Mammadova", "email": "desk@news.example"})
        item.published(f"2022-01-{day:02d}T08:00:00+00:00")
        item.content("".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(seed)), type="CDATA"
                     if kind == "rss" else "html")
        # feedgen's description() is an Atom entry's content; summary() is its summary.
        (item.description if kind == "rss" else item.summary)(paragraphs(seed)[0][:80])
    (feed.rss_file if kind == "rss" else feed.atom_file)(str(path))


@pytest.mark.parametrize("kind, name", [("rss", "wire.rss"), ("atom", "wire.atom"),
                                        ("atom", "wire-feed.xml")])
def test_each_feed_item_is_a_document_with_link_date_title_and_author(seeds, tmp_path, kind, name):
    path = tmp_path / name
    write_feed(path, seeds, kind)
    docs = {d.metadata.url: d for d in pipeline.extract(path)}
    novator = docs["https://news.example/novator"]
    assert paragraphs(novator) == paragraphs(seeds["novator"])
    assert novator.metadata.title == seeds["novator"].metadata.title
    assert novator.metadata.date == "2022-01-08"
    assert "Aysel Mammadova" in " ".join(novator.metadata.authors)
    assert docs["https://news.example/caucasus"].metadata.date == "2022-01-07"
    assert novator.metadata.outlet == "Region Wire"


def test_an_xml_file_that_is_not_a_feed_is_skipped_with_its_reason(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    with pytest.raises(Exception, match="not an RSS or Atom feed"):
        pipeline.extract(path)


# --- Exports -----------------------------------------------------------------------------

def export_rows(seeds: dict[str, Document]) -> list[dict]:
    rows = []
    for name in ("turan", "vikendi"):
        meta = seeds[name].metadata
        rows.append({"url": meta.url, "outlet": meta.outlet, "title": meta.title,
                     "date": meta.date, "language": meta.language, "authors": list(meta.authors),
                     "text": "\n\n".join(paragraphs(seeds[name]))})
    return rows


def test_a_jsonl_export_is_one_article_a_line_and_a_bad_line_is_skipped(seeds, tmp_path):
    path = tmp_path / "export.jsonl"
    lines = [json.dumps(row, ensure_ascii=False) for row in export_rows(seeds)]
    path.write_text(lines[0] + "\n{not json\n" + lines[1] + "\n", encoding="utf-8")
    found = pipeline.extract(path)
    skipped = [s for s in found if isinstance(s, Skipped)]
    docs = [d for d in found if isinstance(d, Document)]
    assert len(skipped) == 1 and "line 2" in skipped[0].reason and "not JSON" in skipped[0].reason
    for doc, name in zip(docs, ("turan", "vikendi"), strict=True):
        assert paragraphs(doc) == paragraphs(seeds[name])
        assert doc.metadata == seeds[name].metadata.__class__(
            **{**vars(seeds[name].metadata), "sources": doc.metadata.sources})
        assert doc.metadata.sources["title"] == "manifest"


def test_a_csv_export_is_one_article_a_row(seeds, tmp_path):
    path = tmp_path / "export.csv"
    rows = export_rows(seeds)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, "authors": "; ".join(row["authors"])} for row in rows)
    docs = pipeline.extract(path)
    assert [paragraphs(d) for d in docs] == [paragraphs(seeds[n]) for n in ("turan", "vikendi")]
    assert [d.metadata.url for d in docs] == [r["url"] for r in rows]


def test_a_csv_without_a_text_column_is_skipped_with_its_reason(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("url,title\nhttps://a.example/,A\n")
    with pytest.raises(Exception, match="without a 'text' column"):
        pipeline.extract(path)


# --- One corpus of every format ----------------------------------------------------------

def test_a_corpus_of_every_format_is_indexed_and_a_changed_item_alone_is_redone(
        printed, web_archive, seeds, tmp_path):
    corpus = web_archive
    (corpus / "clips").mkdir()
    (corpus / "clips" / "caucasus.pdf").write_bytes((printed / "caucasus.pdf").read_bytes())
    (corpus / "clips" / "scan.pdf").write_bytes((printed / "scan.pdf").read_bytes())
    write_feed(corpus / "wire.rss", seeds, "rss")
    rows = export_rows(seeds)
    (corpus / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    index = tmp_path / "index"
    summary = build.index_corpus(corpus, index)
    seen = {fmt: (c["documents"] + c["copies"], c["skipped"]) for fmt, c in summary.formats.items()}
    assert seen == {"pdf": (1, 1), "warc": (3, 0), "feed": (2, 0), "jsonl": (2, 0)}
    # Caucasus Watch's article is in the PDF, the feed and twice in the archive; Novator's in
    # the feed and the archive: one document each, the rest copies.
    assert summary.documents == 4 and len(summary.copies) == 4
    # /status shows the run per format, each skip with its reason, each copy with a
    # link to its original that answers.
    client = create_app(Settings.defaults(index=index, corpus=corpus)).test_client()
    page = BeautifulSoup(client.get("/status").get_data(as_text=True), "html.parser")
    rows = {tr.th.get_text(): [int(td.get_text()) for td in tr.find_all("td")]
            for tr in page.select("table.formats tbody tr")}
    assert rows["PDF"] == [summary.formats["pdf"][k] for k in ("documents", "skipped", "copies")]
    assert set(rows) == {"PDF", "WARC web archives", "RSS and Atom feeds", "JSON-lines exports"}
    skipped = page.select("ul.skipped li")
    assert [li.code.get_text() for li in skipped] == ["clips/scan.pdf"]
    assert "no text layer" in skipped[0].get_text()
    links = [a["href"] for a in page.select("ul.copies a")]
    assert len(links) == 4 and all(client.get(link).status_code == 200 for link in links)
    copies = client.get("/api/status").get_json()["last_run"]["copies"]
    assert [(li.code.get_text(), li.a.get_text()) for li in page.select("ul.copies li")] == \
        list(copies.items())  # each copy by its file name (it printed dict.copy, a method)
    assert client.get("/api/status").get_json()["last_run"]["formats"] == summary.formats
    rows = export_rows(seeds)
    # A re-export with one article changed redoes that article only.
    rows[1]["text"] += "\n\nA correction was appended on 10 January."
    (corpus / "export.jsonl").write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    again = build.index_corpus(corpus, index)
    assert (again.updated, again.added, again.deleted) == (1, 0, 0)
    assert SearchService(index).search(SearchRequest(q='"correction was appended"')).total == 1
