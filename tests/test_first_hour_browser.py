"""What a newcomer met in the first hour (issue 33), done again in Chromium at a phone's
width and a desktop's: each page answers as it should and fits the screen."""

from __future__ import annotations

import shutil
import threading

import pytest
from werkzeug.serving import make_server

from core.settings import Settings
from indexer import build
from webapp import create_app

from .conftest import CORPUS
from .test_dates_shown import UNDATED

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    folder = tmp_path_factory.mktemp("first-hour")
    app = create_app(Settings.defaults(index=seed_index, corpus=CORPUS,
                                       collections=str(folder / "c.sqlite3")))
    server, base = _serve(app)
    yield base, app.test_client()
    server.shutdown()


@pytest.fixture(scope="module")
def undated_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("undated-site")
    shutil.copytree(CORPUS, folder / "corpus")
    for name, text in UNDATED.items():
        (folder / "corpus" / name).write_text(text, encoding="utf-8")
    build.index_corpus(folder / "corpus", folder / "index")
    server, base = _serve(create_app(Settings.defaults(
        index=folder / "index", corpus=folder / "corpus", collections=str(folder / "c.sqlite3"))))
    yield base
    server.shutdown()


@pytest.fixture(params=WIDTHS)
def page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 900},
                                  accept_downloads=True)
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width, page.url


def filters_open(page) -> None:
    if page.width < 800:
        page.click("#filters > summary")


def test_an_export_of_a_refused_query_is_a_page_with_its_sentence(page, site):
    base, client = site
    said = client.get('/api/search?q="unbalanced').get_json()["error"]
    response = page.goto(base + '/export.csv?q="unbalanced')
    assert response.status == 400
    assert page.locator("p.error").inner_text() == said
    fits(page)


def test_a_citation_puts_the_passages_own_quotation_in_single_marks(page, site, seed_docs):
    base, _ = site
    doc = seed_docs["caucasus"]
    passage = next(p for p in doc.passages if "This is the collapse" in doc.passage_text(p))
    page.goto(base + f"/p/{passage.passage_id}")
    for fmt in ("text", "apa", "mla", "chicago"):
        cited = page.locator(f"details[data-format={fmt}] pre").text_content()
        assert "“‘This is the collapse" in cited and '"' not in cited, fmt
    fits(page)


def test_a_persons_page_says_its_one_day_once(page, site, client):
    """A person whose every passage (quoted or named) is of one day: their page says the
    day once (it said "2022-01 to 2022-01"), read against the page's JSON twin."""
    base, _ = site
    speakers = [v["value"] for v in client.get("/api/search?q=Kazakhstan").get_json()
                ["facets"]["speaker"]]
    checked = 0
    for name in speakers:
        person = client.get(f"/api/entities/{name}").get_json()
        listed = person["passages"] + (person.get("quoted") or {}).get("passages", [])
        days = {p["date"] for p in listed if p["date"]}
        if len(days) != 1 or len(next(iter(days))) != 10:
            continue
        page.goto(base + f"/speaker/{name}")
        lead = page.locator("p.lead").inner_text()
        assert f", on {days.pop()}." in lead and " to " not in lead, (name, lead)
        checked += 1
    assert checked >= 1
    fits(page)


def test_undated_documents_are_a_month_value_to_filter_by(page, undated_site):
    page.goto(undated_site + "/?q=CSTO")
    filters_open(page)
    page.click('a[data-facet="month"][data-value="undated"]')
    page.wait_for_url("**month=undated**")
    assert page.locator("li.hit h3").all_inner_texts() == ["Protests in Kazakhstan continue"]
    fits(page)


def test_a_phrase_with_no_hits_leads_to_its_words_unquoted(page, site):
    base, _ = site
    page.goto(base + "/")
    page.fill("#q", '"peacekeeping forces"')
    page.press("#q", "Enter")
    page.wait_for_selector("p.unquoted")
    fits(page)
    page.click("p.unquoted a")
    page.wait_for_selector("li.hit")
    assert page.locator("#q").input_value() == "peacekeeping forces"
    fits(page)


def test_the_date_boxes_start_empty_and_no_story_is_offered_when_there_is_none(page, site):
    base, _ = site
    page.goto(base + "/?q=Tokayev")
    filters_open(page)
    for box in ("#from", "#to"):
        assert page.locator(box).input_value() == "" and not page.locator(box).get_attribute(
            "placeholder")
    assert page.locator("#date-format").is_visible()
    assert page.locator("p.export a[href^='/story']").count() == 0
    fits(page)


def test_a_pasted_paragraph_in_the_search_box_is_sent_to_the_quote_checker(page, site, seed_docs):
    base, _ = site
    paragraph = " ".join(d.text.replace("\n", " ") for d in seed_docs.values())[:1200].strip()
    page.goto(base + "/")
    page.fill("#q", paragraph)
    page.press("#q", "Enter")
    page.wait_for_selector("form.long-quote")
    assert f"{len(paragraph)} characters" in page.locator("p.error").inner_text()
    fits(page)
    page.click("form.long-quote button")
    page.wait_for_selector("p.verdict")
    assert page.url.endswith("/verify") and page.locator("#quote").input_value() == paragraph
    fits(page)


def test_a_new_collection_without_a_name_is_asked_for_one(page, site):
    base, client = site
    page.goto(base + "/?q=CSTO")
    box = page.locator("li.hit blockquote.passage").first
    box.locator("details.collect > summary").click()
    box.locator("select[name=collection]").select_option("new")
    box.locator("button[type=submit]").click()
    page.wait_for_selector("p.error")
    assert "Name the new collection" in page.locator("p.error").inner_text()
    assert all(c["name"] != "Untitled collection"
               for c in client.get("/api/collections").get_json()["collections"])
    fits(page)


def test_a_dossier_lists_a_source_once_with_all_its_passages(page, site, seed_docs, tmp_path):
    base, client = site
    doc = seed_docs["caucasus"]
    made = client.post("/api/collections", json={"name": f"One source {page.width}"}).get_json()
    for passage in doc.passages[3:8:2]:
        client.post(f"/api/collections/{made['id']}/passages",
                    json={"passage_id": passage.passage_id})
    page.goto(base + f"/collections/{made['id']}")
    with page.expect_download() as download:
        page.click("p.export >> text=Printable dossier")
    saved = tmp_path / "dossier.html"
    download.value.save_as(saved)
    page.goto(saved.as_uri())
    assert page.locator("ol.sources li").count() == 1
    assert page.locator("ol.sources li a").all_inner_texts() == ["1", "2", "3"]
    assert "Quoted passage" not in page.locator("ol.sources").inner_text()
    fits(page)
