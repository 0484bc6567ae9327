"""Every link a page prints answers: a crawl two levels deep, through the real app and
its redirects, from the pages a newcomer opens first (the search page, results, a
document, a passage, a speaker, a person); no link may end in a 4xx or a 5xx.

A results page prints a link per facet value, so two levels hold some 12,000 search
URLs that differ only in the filters they combine (and the export, feed, story and JSON
links of each). The crawl fetches every path with every set of parameters it is given,
and enough links that every parameter value printed is fetched once: what makes such a
link dead is a value the app refuses, not the company it keeps."""

from __future__ import annotations

from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from bs4 import BeautifulSoup

from core.settings import Settings
from webapp import create_app

from .conftest import CORPUS

LEVELS = 2


def _links(response, url: str) -> set[str]:
    """The links of our own site an HTML page prints (``a`` and ``link``)."""
    if response.mimetype != "text/html":
        return set()
    page = BeautifulSoup(response.get_data(), "lxml")
    found = set()
    for element in page.select("a[href], link[href]"):
        parts = urlsplit(urljoin(url, urldefrag(element["href"])[0]))
        if not parts.netloc or parts.netloc == "localhost":
            found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _covering(urls: set[str]) -> list[str]:
    """Enough of ``urls`` that each path with each set of parameters it is given, and each
    parameter's value, is fetched once."""
    chosen, covered = [], set()
    for url in sorted(urls):
        parts = urlsplit(url)
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        features = {(parts.path, frozenset(k for k, _ in pairs)), *pairs}
        if not features <= covered:
            chosen.append(url)
            covered |= features
    return chosen


def test_no_page_prints_a_dead_link(seed_index, seed_docs):
    # An app of its own: long requests (exports) take turns per app, and a response another
    # test left unread would hold the shared app's turn.
    client = create_app(Settings.defaults(index=seed_index, corpus=CORPUS)).test_client()
    doc = seed_docs["vikendi"]
    quoting = next(p for p in doc.passages if "Tokayev" in p.speakers)
    starts = {"/", "/?q=Tokayev", f"/doc/{doc.doc_id}", f"/p/{quoting.passage_id}",
              "/speaker/Tokayev", "/entity/Kasym%20Jomart%20Tokayev", "/entity/Tokayev"}
    fetched: dict[str, int] = {}
    frontier = starts
    for level in range(LEVELS + 1):
        printed: set[str] = set()
        for url in _covering(frontier - fetched.keys()):
            with client.get(url, follow_redirects=True) as response:
                fetched[url] = response.status_code
                if level < LEVELS:
                    printed |= _links(response, url)
        frontier = printed
    dead = {url: status for url, status in fetched.items() if status >= 400}
    assert not dead
    paths = {urlsplit(url).path.split("/")[1] for url in fetched}
    assert {"", "doc", "p", "speaker", "entity", "api", "export.csv", "feed.atom"} <= paths
