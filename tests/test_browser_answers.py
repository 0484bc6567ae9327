"""What a newcomer meets in the first hour, in Chromium at desktop and phone width:
questions typed as questions, counts that agree and say what they count, one page per
person, and notes kept when a passage is added again (issue 33)."""

from __future__ import annotations

import pytest

from .opensearch_fixture import ENGINES
from .test_browser import ARTIFACTS, base_url  # noqa: F401 (the live server fixture)

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine

pytestmark = pytest.mark.browser
WIDTHS = [1280, 390]


@pytest.fixture(params=WIDTHS)
def page(browser, request):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 844})
    page = context.new_page()
    page.width = width
    yield page
    context.close()


def _fits(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}-{page.width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.width


def test_a_question_is_searched_and_a_relaxed_count_says_so(page, base_url):  # noqa: F811
    page.goto(base_url + "/")
    page.fill("#q", "Why did Tokayev invite the CSTO?")
    page.keyboard.press("Enter")
    page.wait_for_selector("li.hit")
    heading = page.locator("#results-heading").inner_text()
    assert heading.startswith("5 documents have some of the words of")
    assert "1 document has all 5 search words" in page.locator("p.relaxed").inner_text()
    _fits(page, "question")
    page.goto(base_url + "/?q=Tokaye%3F")
    note = page.locator("p.question-mark")
    assert note.is_visible() and "read as a question mark" in note.inner_text()
    _fits(page, "question-mark")
    note.locator("a").click()
    page.wait_for_selector("li.hit")
    assert page.locator("#results-heading").inner_text().startswith("5 documents match")
    page.goto(base_url + "/?q=Qazax%C4%B1stan")
    assert page.locator("p.aliases").inner_text().count("Qazaxıstan") == 1


def test_a_batch_row_counts_what_its_page_counts(page, base_url):  # noqa: F811
    page.goto(base_url + "/batch")
    page.fill("#queries", "Vladimir Putin\nTokayev")
    page.click("form.batch button[type=submit]")
    row = page.locator("table.batch tbody tr").first
    assert row.locator("td.count").inner_text().split()[0] == "2"
    assert row.locator(".which").inner_text() == "with some of the words; none with every word"
    assert page.locator("table.batch tbody tr").nth(1).locator(".which").count() == 0
    _fits(page, "batch")
    row.locator("th a").click()
    page.wait_for_selector("li.hit")
    assert page.locator("#results-heading").inner_text().startswith(
        "2 documents have some of the words of")


def test_a_speaker_is_on_their_persons_one_page(page, base_url):  # noqa: F811
    page.goto(base_url + "/speaker/Tokayev")
    page.wait_for_selector("#quoted ol.statements > li")
    assert page.url.endswith("/entity/Kasym%20Jomart%20Tokayev#quoted")
    assert page.locator("h1").inner_text() == "Kasym Jomart Tokayev"
    assert page.locator("#named ol.statements > li").count() >= 1
    _fits(page, "person")


def test_adding_a_passage_again_keeps_its_note_and_says_so(page, base_url, seed_docs):  # noqa: F811
    passage = seed_docs["eurasianet"].passages[2]
    name = f"Kept notes {page.width}"
    page.goto(base_url + f"/p/{passage.passage_id}")
    box = page.locator("details.collect").first
    box.locator("summary").click()
    box.locator("select[name=collection]").select_option("new")
    box.locator("input[name=name]").fill(name)
    box.locator("input[name=note]").fill("the first reading")
    box.locator("button[type=submit]").click()
    page.wait_for_selector("ol.cuttings li.cutting")
    page.goto(base_url + f"/p/{passage.passage_id}")
    box = page.locator("details.collect").first
    box.locator("summary").click()
    box.locator("select[name=collection]").select_option(label=f"{name} (1)")
    box.locator("button[type=submit]").click()  # the note left empty
    cutting = page.locator("ol.cuttings li.cutting")
    assert cutting.count() == 1
    assert "already in the collection" in cutting.locator("p.already").inner_text()
    assert cutting.locator("p.note").inner_text() == "Note: the first reading"
    _fits(page, "kept-note")
