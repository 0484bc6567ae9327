"""End to end in a real headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import csv
import io
import json
import threading
from pathlib import Path
from urllib.parse import unquote

import pytest
from werkzeug.serving import make_server

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine

pytestmark = pytest.mark.browser
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def base_url(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture()
def page(browser, request):
    context = browser.new_context()
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is None or failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


def test_type_a_query_see_highlights_filter_and_open_a_passage(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("/")  # progressive enhancement: / focuses the search box
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("Tokayev")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.hit")
    assert page.locator("#results-heading").inner_text().startswith("5 documents")
    assert page.locator("li.hit mark").first.inner_text() == "Tokayev"
    page.click('a[data-facet="outlet"][data-value="Turan"]')
    page.wait_for_url("**outlet=Turan**")
    assert page.locator("li.hit").count() == 1
    assert page.locator('a[data-facet="language"] .count').first.inner_text() == "1"
    page.click("text=in context")
    page.wait_for_url("**/doc/**#p-*")
    anchor = page.evaluate("location.hash").removeprefix("#")
    assert page.locator(f"#{anchor} mark").count() >= 1
    assert page.evaluate(f"document.getElementById('{anchor}').matches(':target')")


def test_page_through_results(page, base_url):
    page.goto(base_url + "/?q=Kazakhstan&per_page=2")
    first = page.locator("li.hit h3").all_inner_texts()
    page.click('a[rel="next"]')
    second = page.locator("li.hit h3").all_inner_texts()
    assert len(first) == len(second) == 2 and not set(first) & set(second)


def test_keyboard_only_reaches_results_and_facets(page, base_url):
    page.goto(base_url + "/?q=CSTO")
    seen = []
    for _ in range(25):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.className + '|' + "
                                  "(document.activeElement.dataset.facet || '') + '|' + "
                                  "document.activeElement.tagName"))
    assert seen[0].startswith("skip")
    assert any("|outlet|" in s for s in seen)
    page.keyboard.press("Enter")  # follows whatever link has focus without a mouse


def test_pages_pass_axe(page, base_url, seed_docs):
    axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")
    doc = seed_docs["turan"]
    for url in ["/", "/?q=Tokayev", f"/doc/{doc.doc_id}", f"/p/{doc.passages[0].passage_id}",
                "/verify"]:
        page.goto(base_url + url)
        results = axe_module.Axe().run(page)
        serious = [v for v in results.response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert not serious, (url, [(v["id"], v["help"]) for v in serious])


def test_works_without_javascript(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/")
    page.fill("#q", '"Kazakh people"')
    page.click("button[type=submit]")
    page.wait_for_selector("li.hit")
    assert {m.lower() for m in page.locator("mark").all_inner_texts()} == {"kazakh people"}
    context.close()


def test_export_links_download_what_the_page_shows(page, base_url):
    page.goto(base_url + "/?q=CSTO&lang=en&sort=-date")
    shown = page.locator("li.hit").evaluate_all("(hits) => hits.map(h => h.dataset.docId)")
    with page.expect_download() as download:
        page.click("p.export >> text=CSV")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert download.value.suggested_filename == "presscut-results.csv"
    assert list(dict.fromkeys(row["doc_id"] for row in rows)) == shown and len(shown) == 4
    with page.expect_download() as download:
        page.click("p.export >> text=JSON")
    exported = json.loads(Path(download.value.path()).read_text("utf-8"))
    assert [r["doc_id"] for r in exported["results"]] == shown
    assert exported["filters"] == {"language": ["en"]} and exported["sort"] == "-date"


def test_at_phone_width_filters_fold_and_the_first_result_is_near_the_top(browser, base_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(base_url + "/?q=Tokayev")
    assert page.locator("li.hit").first.bounding_box()["y"] < 700
    assert not page.locator('a[data-facet="outlet"]').first.is_visible()
    page.click("#filters > summary")
    assert page.locator('a[data-facet="outlet"]').first.is_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_open_search_syntax_fits_the_screen(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(base_url + "/?q=Tokayev")
    page.click("#syntax-help > summary")
    assert page.locator("#syntax-help dd").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    for dd in page.locator("#syntax-help dd").all():
        box = dd.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_a_persons_quotes_take_the_width_of_the_page(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(base_url + "/speaker/Ali%20Karimli")
    # main's width less its padding (1.5rem a side): the text column.
    column = page.locator("main").bounding_box()["width"] - 48
    quotes = page.locator("ol.statements blockquote").all()
    assert quotes and all(q.bounding_box()["width"] >= 0.8 * column for q in quotes)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_a_persons_link_stands_on_the_line_of_its_value(page, base_url, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(base_url + "/?q=Kazakhstan")
    if width < 800:
        page.click("#filters > summary")
    rows = [row for row in page.locator("section.facet li:has(a.person)").all()
            if row.is_visible()]  # (not those under "N more")
    assert len(rows) >= 2
    for row in rows:
        value = row.locator("a").first.bounding_box()
        person = row.locator("a.person").bounding_box()
        # Side by side: the link starts right of the value and within its height.
        assert person["x"] >= value["x"] + value["width"] - 1
        assert value["y"] <= person["y"] + person["height"] / 2 <= value["y"] + value["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_wide_screen_filters_stand_open_and_a_date_range_applies(page, base_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base_url + "/?q=Tokayev")
    assert page.locator('a[data-facet="outlet"]').first.is_visible()
    page.fill("#from", "2022-01-08")
    page.click("form.daterange button")
    page.wait_for_url("**from=2022-01-08**")
    assert sorted(page.locator("li.hit .outlet").all_inner_texts()) == ["Novator.az", "Vikendi"]
    assert "Dates: 2022-01-08" in page.locator("ul.selected").inner_text()


def test_citation_formats_open_one_at_a_time_and_download(page, base_url, seed_docs):
    passage = seed_docs["turan"].passages[2]
    page.goto(base_url + f"/p/{passage.passage_id}")
    labels = page.locator("details.citation > summary").all_inner_texts()
    assert labels == ["Plain text", "APA 7", "MLA 9", "Chicago", "BibTeX", "RIS", "CSL-JSON",
                      "Web Annotation"]
    visible = lambda: [pre.get_attribute("data-format")  # noqa: E731
                       for pre in page.locator("details.citation pre").all() if pre.is_visible()]
    assert visible() == ["text"]
    page.click("summary#fmt-bibtex")
    assert visible() == ["bibtex"]
    with page.expect_download() as download:
        page.click("details[data-format=bibtex] >> text=Download BibTeX")
    saved = Path(download.value.path()).read_text("utf-8")
    assert download.value.suggested_filename.endswith(".bib")
    assert saved == page.locator("details[data-format=bibtex] pre").inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_footer_leads_to_what_the_archive_holds(browser, base_url, width):
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(base_url + "/?q=Tokayev")
    page.click("footer >> text=What the archive holds")
    page.wait_for_url("**/status")
    cells = page.locator("table.formats tbody tr").first.locator("th, td").all_inner_texts()
    assert cells == ["Text dumps", "5", "0", "0"]
    # Nothing wider than the screen: the table scrolls inside its own box if it must.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"status-{width}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_build_a_collection_from_results_and_open_its_dossier(browser, base_url, seed_docs, width,
                                                             tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    name = f"CSTO at {width}px"
    page.goto(base_url + "/?q=%22CSTO%22")
    first = page.locator("li.hit blockquote.passage").first
    first.locator("details.collect > summary").click()
    first.locator("select[name=collection]").select_option("new")
    first.locator("input[name=name]").fill(name)
    first.locator("input[name=note]").fill("the first reaction")
    first.locator("button[type=submit]").click()
    page.wait_for_selector("ol.cuttings li.cutting")
    assert page.locator("h1").inner_text() == name
    # A second passage from a document page, into the same collection.
    doc = seed_docs["novator"]
    page.goto(base_url + f"/doc/{doc.doc_id}")
    box = page.locator("details.collect").nth(1)
    box.locator("summary").click()
    box.locator("select[name=collection]").select_option(label=f"{name} (1)")
    box.locator("button[type=submit]").click()
    page.wait_for_selector("ol.cuttings li.cutting >> nth=1")
    assert page.locator("ol.cuttings li.cutting blockquote").nth(1).inner_text() == \
        doc.passage_text(doc.passages[1])
    page.locator("ol.cuttings li.cutting").nth(1).locator("button[value=up]").click()
    page.wait_for_load_state()
    assert page.locator("ol.cuttings li.cutting blockquote").first.inner_text() == \
        doc.passage_text(doc.passages[1])
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"collection-{width}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("p.export >> text=Printable dossier")
    assert download.value.suggested_filename.endswith(".html")
    dossier = tmp_path / download.value.suggested_filename
    download.value.save_as(dossier)
    opened = context.new_page()
    opened.goto(dossier.as_uri())
    quotes = opened.locator("section.cutting blockquote").all_inner_texts()
    assert quotes[0] == doc.passage_text(doc.passages[1]) and len(quotes) == 2
    assert opened.locator("ol.sources li").count() == 2
    assert "the first reaction" in opened.locator("section.cutting").nth(1).inner_text()
    opened.screenshot(path=str(ARTIFACTS / f"dossier-{width}.png"), full_page=True)
    context.close()


def test_deleting_a_collection_asks_first(page, base_url):
    page.goto(base_url + "/collections")
    page.fill("#name", "To be deleted")
    page.click("form.new-collection button")
    # The confirmation is attached by a deferred script: wait until the page has loaded,
    # not only until the form is in the DOM.
    page.wait_for_url("**/collections/*", wait_until="load")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("form.delete-collection button")
    assert asked and "cannot be undone" in asked[0]
    assert page.locator("h1").inner_text() == "To be deleted"
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("form.delete-collection button")
    page.wait_for_url("**/collections")
    assert "To be deleted" not in page.locator("main").inner_text()


@pytest.mark.parametrize("width", [1280, 390])
def test_research_views_are_reachable_from_the_search_page(browser, base_url, width):
    """From a results page: the timeline, a speaker's page, an entity's page, the story,
    the feed, and many names at once, each in Chromium at desktop and phone width."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    try:
        page.goto(base_url + "/?q=CSTO")
        columns = page.locator("figure.timeline svg a")
        assert columns.count() >= 1
        labels = [columns.nth(n).get_attribute("aria-label") for n in range(columns.count())]
        busiest = max(range(len(labels)), key=lambda n: int(labels[n].rsplit(": ", 1)[1]))
        expected = int(labels[busiest].rsplit(": ", 1)[1])
        columns.nth(busiest).click()
        page.wait_for_selector("li.hit")
        assert page.locator("li.hit").count() == expected
        for link, section in (("/speaker/", "#quoted"), ("/entity/", "#named")):
            page.goto(base_url + "/?q=CSTO")
            if width < 800:
                page.click("#filters > summary")
            person = page.locator(f"section.facet a.person[href^='{link}']").first
            name = person.get_attribute("href").split("/")[-1]
            person.click()
            # A speaker and a name mentioned are each on their person's one page.
            page.wait_for_selector(f"{section} ol.statements > li")
            assert "/entity/" in page.url and page.locator("h1").inner_text()
            if link == "/entity/":
                assert page.locator("h1").inner_text() == unquote(name)
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        # No statement of the seed corpus stands in two outlets: no link to an empty story.
        page.goto(base_url + "/?q=CSTO")
        assert page.locator("text=The story: one statement in several outlets").count() == 0
        page.goto(base_url + "/story?q=CSTO")
        assert page.locator("h1").inner_text().startswith("The story")
        page.goto(base_url + "/?q=CSTO")
        feed = page.locator("p.export a[type='application/atom+xml']").get_attribute("href")
        assert page.request.get(base_url + feed).headers["content-type"].startswith("application/atom+xml")
        page.click("header >> text=Many names")
        page.fill("#queries", "Tokayev\nKerimli\nCSTO")
        page.click("form.batch button[type=submit]")
        page.wait_for_selector("table.batch tbody tr")
        assert page.locator("table.batch tbody tr").count() == 3
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.locator("table.batch tbody tr th a").first.click()
        page.wait_for_selector("li.hit")
    except Exception:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"research-{width}.png"), full_page=True)
        raise
    finally:
        context.close()


def _check_in_the_page(page, base_url, quote: str) -> str:
    page.goto(base_url + "/verify")
    page.fill("#quote", quote)
    page.click("form.verify button[type=submit]")
    page.wait_for_selector(".verdict")
    return page.locator(".verdict").get_attribute("data-verdict")


def test_the_issues_three_quotes_get_their_verdicts_in_chromium(browser, base_url):
    """Issue 32: two reversed statements are contradicted, three consecutive paragraphs
    pasted exactly are verbatim; on a phone, without JavaScript, nothing wider than it."""
    from .conftest import CORPUS, SEEDS
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    wants = _check_in_the_page(page, base_url,
                               "President Tokayev does not want to suppress any protest movement.")
    assert wants == "contradicted"
    assert page.locator("p.reversal").inner_text() == (
        "The archive says “wants”, the quote says “does not want”.")
    assert page.locator("blockquote.published mark").all_inner_texts() == ["wants"]
    member = _check_in_the_page(page, base_url,
                                "Kazakhstan is not a member of the Organization of Turkic States.")
    assert member == "contradicted"
    assert page.locator("blockquote.published mark").all_inner_texts() == ["is also a member"]
    lines = [line for line in (CORPUS / SEEDS["vikendi"]).read_text("utf-8").splitlines() if line]
    spanned = "\n".join(lines[1:4])
    assert _check_in_the_page(page, base_url, spanned) == "verbatim"
    assert page.locator("ol.matches del").count() == 0  # nothing struck out as "not in the archive"
    # The long quote's share link and every passage wrap within the screen.
    assert page.locator("p.share a").bounding_box()["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
