"""Every page fits the screen, at a phone's width (390 px) and a desktop's (1280 px):
nothing wider than the window, measured in Chromium as the page's own scrollWidth, with
the longest things the seed corpus and a newcomer put on them (a file name, a URL, a
shared check of a long quote, a long collection name in an open "Add to collection")."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from core.settings import Settings
from webapp import create_app

from .conftest import CORPUS
from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
WIDTHS = (390, 1280)
LONG_NAME = ("Reactions in Baku and Astana to the Collective Security Treaty Organization's "
             "deployment in Kazakhstan, January 2022, for the long read")


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    """The app over the seed index, with a collection of a long name, served on a port."""
    folder = tmp_path_factory.mktemp("width")
    app = create_app(Settings.defaults(index=seed_index, corpus=CORPUS,
                                       collections=str(folder / "c.sqlite3")))
    client = app.test_client()
    made = client.post("/api/collections", json={"name": LONG_NAME}).get_json()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", made["id"]
    server.shutdown()


def _pages(seed_docs, collection_id: str) -> list[str]:
    docs = list(seed_docs.values())
    return ["/", "/?q=Tokayev", "/?q=Kazakhstan&per_page=50", '/?q="unbalanced',
            *[f"/doc/{d.doc_id}" for d in docs], *[f"/doc/{d.doc_id}?q=Tokayev" for d in docs],
            *[f"/p/{d.passages[1].passage_id}" for d in docs],
            "/verify", "/batch", "/status", "/collections", f"/collections/{collection_id}",
            "/speaker/Ali%20Karimli", "/speaker/Tokayev", "/entity/CSTO",
            "/entity/Kasym%20Jomart%20Tokayev", "/story?q=CSTO", "/login", "/no-such-page",
            f"/doc/{'0' * 12}"]


@contextlib.contextmanager
def _page_at(browser, width: int):
    """A page in a fresh Chromium context as wide as ``width``."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()


def _fits(page, width: int, what: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > width:
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() else "-" for c in what)[:60]
        page.screenshot(path=str(ARTIFACTS / f"width-{width}-{name}.png"), full_page=True)
        # The widest element, to say what to mend.
        culprit = page.evaluate("""(width) => {
            let worst = null;
            for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > width + 1 && (!worst || r.width < worst.w)) {
                    worst = {w: r.width, tag: el.tagName, cls: el.className,
                             text: (el.textContent || '').slice(0, 60)};
                }
            }
            return worst;
        }""", width)
        pytest.fail(f"{what} is {wide} px wide at {width} px: {culprit}")


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_the_screen(browser, site, seed_docs, width):
    base, collection_id = site
    with _page_at(browser, width) as page:
        for url in _pages(seed_docs, collection_id):
            page.goto(base + url)
            _fits(page, width, url)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_check_of_a_long_quote_and_its_shared_link_fit(browser, site, seed_docs, width):
    base, _ = site
    with _page_at(browser, width) as page:
        text = " ".join(d.text.replace("\n", " ") for d in seed_docs.values())
        for quote in (text[:1500], text[:5000], "Tokayev said the moon is made of cheese today"):
            page.goto(base + "/verify")
            page.fill("#quote", quote)
            page.click("form.verify button[type=submit]")
            page.wait_for_selector("p.verdict")
            _fits(page, width, f"/verify after checking {len(quote)} characters")
            shared = page.locator("p.share a")
            if shared.count():
                page.goto(shared.get_attribute("href"))  # the shared check, opened
                page.wait_for_selector("p.verdict")
                _fits(page, width, f"the shared check of {len(quote)} characters")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"verify-shared-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_add_to_collection_open_with_a_long_name_fits(browser, site, width):
    base, _ = site
    with _page_at(browser, width) as page:
        for url in ("/?q=CSTO",):
            page.goto(base + url)
            boxes = page.locator("details.collect")
            if not boxes.count():
                continue
            for n in range(min(3, boxes.count())):
                boxes.nth(n).locator("summary").click()
            assert LONG_NAME in boxes.first.locator("select").inner_text()
            _fits(page, width, f"{url} with Add to collection open")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"collect-open-{width}.png"), full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_batch_table_fits(browser, site, width):
    base, _ = site
    with _page_at(browser, width) as page:
        page.goto(base + "/batch")
        page.fill("#queries", "Tokayev\nKasym Jomart Tokayev\nCollective Security Treaty "
                              "Organization\nNational Council of Democratic Forces\n\"unbalanced")
        page.click("form.batch button[type=submit]")
        page.wait_for_selector("table.batch tbody tr")
        _fits(page, width, "/batch after five names")


@pytest.fixture(scope="module")
def long_url_site(tmp_path_factory):
    """The app over a saved New York Times page (../shared/bench/extraction), whose
    address is one unbroken run of 90 characters, served on a port."""
    import gzip
    import shutil

    from indexer import build

    from .conftest import shared
    page = shared("bench/extraction/html/04a6711caa7c687592777718866e781e976e0fe684faebe8b3"
                  "cedcef8cd0ea34.html.gz")
    folder = tmp_path_factory.mktemp("long-url")
    (folder / "corpus").mkdir()
    with gzip.open(page) as packed, open(folder / "corpus" / "nyt.html", "wb") as out:
        shutil.copyfileobj(packed, out)
    build.index_corpus(folder / "corpus", folder / "index")
    app = create_app(Settings.defaults(index=folder / "index", corpus=folder / "corpus",
                                       collections=str(folder / "c.sqlite3")))
    found = app.test_client().get("/api/search?q=Virginia").get_json()["results"][0]
    assert len(found["url"]) > 80
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}", found
    server.shutdown()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_long_address_in_a_citation_wraps(browser, long_url_site, width):
    base, found = long_url_site
    with _page_at(browser, width) as page:
        for url in (f"/p/{found['passages'][0]['passage_id']}", f"/doc/{found['doc_id']}",
                    "/?q=Virginia"):
            page.goto(base + url)
            page.locator("details.citation").evaluate_all(
                "(all) => all.forEach((d) => { d.open = true; })")
            _fits(page, width, url)
