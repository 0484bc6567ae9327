"""PDFs read as a person reads the printed page (issue 34), on pages Chromium prints.

The oracle is the seed article the page was made from: its paragraphs, verbatim, each
cited with the page pypdf (an independent reader) finds its opening words on; the date
and address printed on the page; nothing of the menu, footer or running heads.
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest

from core import files
from core.records import Document
from indexer import build, pipeline

from .conftest import CORPUS, SEEDS

pytestmark = pytest.mark.browser

TURAN = "https://turan.az/en/politics/csto-troop-deployment-in-kazakhstan-will-have-a-short-term-effect-experts"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Document]:
    return {name: pipeline.extract(CORPUS / file)[0] for name, file in SEEDS.items()}


def paragraphs(doc: Document) -> list[str]:
    """The passages' texts, white space as printed (a page prints "\xa0 " as one space)."""
    return [" ".join(doc.passage_text(p).split()) for p in doc.passages]


def news_page(doc: Document, line_height: float = 1.2, dateline: str = "7 January 2022",
              style: str = "", extra: str = "") -> str:
    """A seed article as a simple news page: menu, headline, date, paragraphs, footer."""
    meta = doc.metadata
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs(doc))
    return (f'<!doctype html><html lang="{meta.language}"><head><meta charset="utf-8">'
            f"<title>{html.escape(meta.title)}</title>"
            f"<style>body {{ line-height: {line_height} }} {style}</style></head><body>"
            '<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>'
            f"<h1>{html.escape(meta.title)}</h1><p>{dateline}</p>{extra}<article>{body}</article>"
            f"<footer>© {html.escape(meta.outlet)}. Follow us on Telegram.</footer></body></html>")


def print_page(browser, source: str, url: str, path: Path, paper: str = "A5") -> Path:
    """``source`` served from ``url`` and printed by Chromium with its header and footer."""
    context = browser.new_context()
    page = context.new_page()
    page.route("**/*", lambda route: route.fulfill(body=source, content_type="text/html; charset=utf-8")
               if route.request.is_navigation_request() else route.abort())
    page.goto(url)
    page.pdf(path=str(path), format=paper, display_header_footer=True,
             margin={"top": "1.5cm", "bottom": "1.5cm", "left": "1cm", "right": "1cm"})
    context.close()
    return path


def only_document(path: Path) -> Document:
    docs = [d for d in pipeline.extract(path) if isinstance(d, Document)]
    assert len(docs) == 1
    return docs[0]


@pytest.fixture(scope="module")
def spaced(browser, seeds, tmp_path_factory) -> Path:
    """Turan's article printed on A5 with ``line-height: 1.8``: three pages."""
    folder = tmp_path_factory.mktemp("spaced")
    return print_page(browser, news_page(seeds["turan"], 1.8), TURAN, folder / "turan.pdf")


def test_a_page_printed_with_wide_line_spacing_gives_its_paragraphs_over_page_breaks(spaced, seeds):
    from pypdf import PdfReader

    doc = only_document(spaced)
    assert paragraphs(doc) == paragraphs(seeds["turan"])
    assert doc.metadata.title == seeds["turan"].metadata.title
    reader = PdfReader(spaced)
    printed = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(printed) >= 3
    for passage in doc.passages:
        opening = " ".join(doc.passage_text(passage).split()[:4])
        assert opening in printed[passage.page - 1], (passage.page, opening)
    assert {p.page for p in doc.passages} == set(range(1, len(printed) + 1))


def test_the_date_and_the_address_printed_on_the_page_are_read_whole(browser, spaced, seeds, tmp_path):
    # The browser's footer gives the address whole on A4 ("effect" printed with an "ff"
    # ligature); the page gives the date.
    wide = only_document(print_page(browser, news_page(seeds["turan"]), TURAN, tmp_path / "a4.pdf", "A4"))
    assert (wide.metadata.url, wide.metadata.date) == (TURAN, "2022-01-07")
    assert wide.metadata.sources["date"] == "pdf:date"
    # On A5 the footer shortens it with "…": no address, never a cut one...
    assert only_document(spaced).metadata.url is None
    # ...unless the page links the address it begins; an agency's dateline is a date too.
    page = news_page(seeds["turan"], dateline="Baku/07.01.22/Turan",
                     extra=f'<p>Source: <a href="{TURAN}">{TURAN}</a></p>')
    # (A paragraph of links alone is a menu; this one says what the link is.)
    doc = only_document(print_page(browser, page, TURAN, tmp_path / "a5.pdf"))
    assert (doc.metadata.url, doc.metadata.date) == (TURAN, "2022-01-07")
    # An address printed in the text and broken at its line end reads back whole.
    assert f"Source: {TURAN}" in paragraphs(doc)


def test_menus_footers_and_running_heads_are_not_passages(browser, seeds, spaced, tmp_path):
    one_page = only_document(print_page(browser, news_page(seeds["vikendi"]),
                                        "https://www.vikendi.net/2022/01/08/x/", tmp_path / "v.pdf", "A4"))
    assert paragraphs(one_page) == paragraphs(seeds["vikendi"])
    assert {"Home Politics", "© Vikendi. Follow us on Telegram."} <= set(one_page.removed)
    # A bar fixed to the top of the screen is printed on every page: a running head.
    fixed = ("header.bar { position: fixed; top: 0; left: 0; right: 0; background: white }"
             " body { margin-top: 3em }")
    page = news_page(seeds["turan"], 1.8, style=fixed,
                     extra="<header class=bar>Baku Observer | Politics | Economy</header>")
    doc = only_document(print_page(browser, page, TURAN, tmp_path / "fixed.pdf"))
    assert paragraphs(doc) == paragraphs(seeds["turan"])
    assert "Baku Observer | Politics | Economy" in doc.removed


def test_a_page_set_in_two_columns_is_read_column_by_column(browser, seeds, tmp_path):
    page = news_page(seeds["caucasus"], style="article { column-count: 2; column-gap: 2em }"
                     " footer { margin-top: 1em; font-size: small }")
    doc = only_document(print_page(browser, page, "https://caucasuswatch.de/en/news/o.html",
                                   tmp_path / "columns.pdf", "A4"))
    assert paragraphs(doc) == paragraphs(seeds["caucasus"])


def test_words_broken_by_soft_hyphens_are_whole_and_compounds_keep_theirs(browser, seeds, tmp_path):
    # &shy; in every long word, as sites that hyphenate on the server send it.
    seed = seeds["turan"]
    shy = [" ".join(w[:4] + "\u00ad" + w[4:] if len(w) > 9 and w.isalpha() else w for w in p.split(" "))
           for p in paragraphs(seed)]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in shy)
    source = f"<!doctype html><html lang=en><head><meta charset=utf-8></head><body>{body}</body></html>"
    doc = only_document(print_page(browser, source, TURAN, tmp_path / "shy.pdf"))
    assert paragraphs(doc) == paragraphs(seed)


def test_a_printed_copy_of_an_indexed_article_is_a_copy(browser, seeds, spaced, tmp_path):
    from .test_formats import write_warc

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "turan.txt").write_bytes((CORPUS / SEEDS["turan"]).read_bytes())
    page = news_page(seeds["turan"])
    (corpus / "turan.html").write_text(page, encoding="utf-8")
    (corpus / "turan.pdf").write_bytes(spaced.read_bytes())
    write_warc(corpus / "crawl.warc", [(TURAN, "text/html; charset=utf-8", page.encode(),
                                        "2022-02-01T10:00:00Z")])
    summary = build.index_corpus(corpus, tmp_path / "index")
    # One article, whatever form it came in: the first met is indexed, the rest are its copies.
    assert summary.documents == 1 and not summary.skipped
    (original,) = set(summary.copies.values())
    assert {files.container_of(p) for p in [original, *summary.copies]} == {
        "crawl.warc", "turan.html", "turan.pdf", "turan.txt"}
