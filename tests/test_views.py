"""HTML pages, read through selectors."""

from __future__ import annotations

import csv
import html
import io
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import request, url_for
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from core.facets import BY_NAME
from core.settings import Settings
from engines.whoosh import writing
from indexer import build
from webapp import create_app
from webapp.params import path_urls, toggle_urls, url_with
from webapp.presentation.results import FACET_SHOWN, PEOPLE

from .conftest import SEEDS
from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.data[:300]
    return BeautifulSoup(response.data, "lxml")


def test_search_page_shows_highlighted_results_and_facets(client):
    soup = page(client, "/?q=Tokayev")
    assert soup.select_one("#q")["value"] == "Tokayev"
    assert soup.select_one("#results-heading").get_text(" ", strip=True).startswith("5 documents")
    hits = soup.select("li.hit")
    assert len(hits) == 5
    assert all(hit.select("blockquote.passage mark") for hit in hits)
    assert {m.get_text() for m in soup.select("mark")} == {"Tokayev"}
    outlets = {a["data-value"]: a for a in soup.select('a[data-facet="outlet"]')}
    assert set(outlets) == {"Caucasus Watch", "Eurasianet", "Turan", "Vikendi", "Novator.az"}
    assert {a["data-value"] for a in soup.select('a[data-facet="speaker"]')} >= {
        "Ali Karimli", "Anar Mammadli"}
    assert soup.select("figure.chart svg rect")
    assert soup.select_one('link[rel="alternate"][type="application/json"]')["href"].startswith(
        "/api/search?q=Tokayev")


def test_facet_links_toggle_and_clear(client):
    soup = page(client, "/?q=Tokayev")
    turan = soup.select_one('a[data-facet="outlet"][data-value="Turan"]')["href"]
    soup = page(client, turan)
    assert [h.select_one(".outlet").get_text() for h in soup.select("li.hit")] == ["Turan"]
    selected = soup.select_one('a[data-facet="outlet"][data-value="Turan"]')
    assert selected["aria-current"] == "true"
    vikendi = soup.select_one('a[data-facet="outlet"][data-value="Vikendi"]')["href"]
    soup = page(client, vikendi)
    assert len(soup.select("li.hit")) == 2
    removal = soup.select(".selected a")
    assert [a.get_text(" ", strip=True) for a in removal][-1] == "Clear all"
    soup = page(client, removal[0]["href"])  # remove Turan only
    assert [h.select_one(".outlet").get_text() for h in soup.select("li.hit")] == ["Vikendi"]


def test_bad_query_is_an_inline_message_with_the_query_kept(client):
    soup = page(client, "/?q=%22Kazakh+people", status=400)
    assert "quote" in soup.select_one("#query-error").get_text()
    assert soup.select_one("#q")["value"] == '"Kazakh people'


def test_pagination_links(client):
    soup = page(client, "/?q=Kazakhstan&per_page=2")
    assert soup.select_one('a[rel="next"]')["href"].endswith("page=2")
    soup = page(client, soup.select_one('a[rel="next"]')["href"])
    assert soup.select_one('.pagination [aria-current="page"]').get_text() == "2"


def test_document_page_anchors_every_passage(client, seed_docs):
    doc = seed_docs["turan"]
    soup = page(client, f"/doc/{doc.doc_id}?q=Kerimli")
    anchors = [p["id"] for p in soup.select(".text p.para")]
    assert anchors == [f"p-{p.passage_id}" for p in doc.passages]
    assert soup.select_one(".text mark").get_text() == "Kerimli"
    removed = soup.select("details.removed li")
    assert "Leave a review" in [li.get_text() for li in removed]
    assert soup.select_one("h1").get_text() == doc.metadata.title


def test_passage_page_has_context_citations_and_meta_tags(client, seed_docs):
    doc = seed_docs["eurasianet"]
    passage = doc.passages[5]
    soup = page(client, f"/p/{passage.passage_id}")
    assert soup.select_one("blockquote.quoted").get_text(strip=True) == doc.passage_text(passage)
    assert len(soup.select(".context p.dim")) == 2
    formats = [pre["data-format"] for pre in soup.select(".citation pre")]
    assert formats == ["text", "apa", "mla", "chicago", "bibtex", "ris", "csl-json", "annotation"]
    assert soup.select_one('meta[name="citation_title"]')["content"] == doc.metadata.title
    assert soup.select_one('meta[name="citation_author"]')["content"] == "Heydar Isayev"
    original = soup.select_one('a[href*="#:~:text="]')["href"]
    assert original.startswith(doc.metadata.url)


def test_verify_page_shows_the_archive_as_published_and_links_the_check(client):
    quote = "The effect of introducing soldiers cannot be long-term"
    posted = client.post("/verify", data={"quote": quote})
    linked = client.get("/verify", query_string={"quote": quote})
    assert posted.data == linked.data  # a check can be shared as a link
    soup = BeautifulSoup(linked.data, "lxml")
    assert soup.select_one(".verdict")["data-verdict"] == "altered"
    assert soup.select_one(".diff del").get_text() == "soldiers"
    assert soup.select_one(".diff ins").get_text().strip() == "troops"
    archived = client.post("/api/verify", json={"quote": quote}).get_json()["matches"][0]["text"]
    # Struck words are the quote's own; everything else is the archive, character for character.
    for struck in soup.select(".diff del"):
        struck.decompose()
    assert soup.select_one(".diff").get_text().replace("  ", " ") == archived.replace("  ", " ")
    share = soup.select_one("p.share a")["href"]
    assert client.get(urlsplit(share).path + "?" + urlsplit(share).query).data == linked.data


def test_verify_page_says_not_found_for_an_invented_quote(client):
    soup = BeautifulSoup(client.get("/verify?quote=Aliyev+praised+the+CSTO").data, "lxml")
    assert soup.select_one(".verdict")["data-verdict"] == "not_found"
    assert not soup.select("ol.matches:not(.nearest)")


def test_opensearch_and_exports(client):
    assert b"{searchTerms}" in client.get("/opensearch.xml").data
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?q=CSTO").get_data(as_text=True))))
    exported = client.get("/export.json?q=CSTO").get_json()
    # CSTO is KTMT in the Azerbaijani article (aliases): all five, a row per shown passage.
    assert exported["total"] == len(exported["results"]) == 5
    shown = [(r["doc_id"], p["passage_id"]) for r in exported["results"] for p in r["passages"]]
    assert [(row["doc_id"], row["passage_id"]) for row in rows] == shown
    for row in rows:
        page = client.get(urlsplit(row["permalink"]).path)
        assert page.status_code == 200 and row["passage"] in html.unescape(page.get_data(as_text=True))


HOSTILE = (
    '<script>alert("doc")</script> Tokayev spoke <img src=x onerror=alert(1)> '
    "to reporters in Almaty about the crisis & its <b>end</b>.\n"
)


@pytest.fixture()
def hostile_client(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "evil.txt").write_text(HOSTILE, encoding="utf-8")
    (corpus / "sources.csv").write_text(
        'file,url,outlet,title,date,language,authors\n'
        'evil.txt,javascript:alert(1),<i>Evil</i>,"<script>t()</script>",2022-01-05,en,\n',
        encoding="utf-8")
    build.index_corpus(corpus, tmp_path / "index")
    return create_app(Settings.defaults(index=tmp_path / "index")).test_client()


@pytest.mark.parametrize("url", ["/?q=Tokayev", "/?q=script", "/doc/{id}", "/p/{pid}"])
def test_everything_from_a_document_is_escaped(hostile_client, url):
    doc = hostile_client.get("/api/search?q=Tokayev").get_json()["results"][0]
    url = url.format(id=doc["doc_id"], pid=doc["passages"][0]["passage_id"])
    soup = BeautifulSoup(hostile_client.get(url).data, "lxml")
    assert [s.get("src") for s in soup.select("script")] == ["/static/presscut.js"]
    assert not soup.select("img, b, i") and not soup.select("[onerror]")
    assert not soup.select('a[href^="javascript:"]')


def test_speaker_facet_hides_when_no_one_is_quoted(hostile_client):
    soup = BeautifulSoup(hostile_client.get("/?q=Tokayev").data, "lxml")
    assert soup.select('a[data-facet="outlet"]')
    assert not soup.select('a[data-facet="speaker"]') and not soup.select("#facet-speaker")


def test_every_setting_is_documented():
    readme = (build.Path(__file__).parent.parent / "README.md").read_text()
    from core.settings import SETTINGS

    for setting in SETTINGS:
        assert setting.env in readme, f"{setting.env} is not in the README"


def test_seed_file_names_are_the_manifests():
    assert set(SEEDS.values()) <= {p.name for p in (build.Path(__file__).parent.parent /
                                                    "corpus").iterdir()}


@pytest.mark.parametrize("url", ["/", "/api/search?q=CSTO", "/nope"])
def test_security_headers(client, url):
    headers = client.get(url).headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"  # none to other sites


def test_document_and_passage_pages_name_the_language(client, seed_docs):
    doc = seed_docs["novator"]
    document = page(client, f"/doc/{doc.doc_id}")
    assert "Azerbaijani" in [dd.get_text() for dd in document.select("dd")]
    passage = page(client, f"/p/{doc.passages[0].passage_id}")
    assert "· Azerbaijani ·" in passage.select_one("p.meta").get_text(" ", strip=True)


def test_pages_say_how_far_a_first_build_is_while_it_runs(tmp_path, corpus_copy, monkeypatch):
    """A server started beside a first build: before the first commit a search says the
    archive is being indexed (503); then each page says how many articles are searchable,
    the results are exactly those, and once the build ends the notice is gone."""
    index = tmp_path / "index"
    client = create_app(Settings.defaults(index=index, corpus=corpus_copy)).test_client()
    monkeypatch.setattr(writing, "FIRST_COMMIT", 0.0)
    monkeypatch.setattr("engines.whoosh.engine.CHECK_EVERY", 0.0)
    seen = []
    tick = writing.WhooshWriter.progress

    def watching(self, done):
        if not seen:
            answer = client.get("/api/search?q=Kazakhstan")
            seen.append((answer.status_code, answer.get_json()["error"]))
        tick(self, done)
        status = client.get("/api/status").get_json()
        page = BeautifulSoup(client.get("/?q=Kazakhstan").data, "html.parser")
        total = client.get("/api/search?q=Kazakhstan").get_json()["total"]
        seen.append((status["indexing"], status["documents"], total,
                     page.select_one("p.building").get_text(" ", strip=True)))

    monkeypatch.setattr(writing.WhooshWriter, "progress", watching)
    build.index_corpus(corpus_copy, index)
    assert seen[0] == (503, "The archive is being indexed: its first documents become "
                            "searchable within a minute.")
    for done, (indexing, documents, total, notice) in enumerate(seen[1:], start=1):
        assert indexing == {"done": done, "total": 5} and documents == done
        assert total == done  # every seed speaks of Kazakhstan (in Azerbaijani too)
        assert notice == (f"This archive is still being indexed: {done} of 5 articles are "
                          "searchable so far. Reload for more.")
    assert len(seen) == 6
    assert client.get("/api/status").get_json()["indexing"] is None
    assert BeautifulSoup(client.get("/").data, "html.parser").select_one("p.building") is None


@settings(max_examples=200, deadline=None)
@given(args=st.lists(st.tuples(st.sampled_from(["q", "outlet", "speaker", "page", "sort", "to"]),
                               st.text(max_size=12)), max_size=6),
       changes=st.dictionaries(st.sampled_from(["outlet", "page", "from", "q"]),
                               st.none() | st.text(max_size=8)
                               | st.lists(st.text(max_size=6), max_size=3), max_size=3))
def test_links_built_without_the_url_map_equal_url_for(app, args, changes):
    """The results page builds its links by hand (for speed); Flask's url_for is the
    oracle, for any parameters and changes, on a site mounted under a prefix too."""
    for root in ("", "/presscut"):
        with app.test_request_context("/", query_string=args, base_url=f"http://x{root}"):
            merged = MultiDict(request.args)
            for key, value in changes.items():
                merged.pop(key, None)
                if value is not None:
                    for item in value if isinstance(value, list) else [value]:
                        merged.add(key, item)
            expected = url_for("views.search", **merged.to_dict(flat=False))
            assert url_with(**changes) == expected
            assert url_with("api.search", **changes) == url_for("api.search",
                                                                **merged.to_dict(flat=False))
            # A facet's links, built at once, as url_for builds each.
            for param in ("outlet", "speaker"):
                values = [*request.args.getlist(param), *(v for _, v in args), "Turan", ""]
                for value, url in toggle_urls(param, values).items():
                    current = request.args.getlist(param)
                    toggled = MultiDict(request.args)
                    toggled.pop(param, None)
                    toggled.pop("page", None)
                    for v in ([v for v in current if v != value] if value in current
                              else [*current, value]):
                        toggled.add(param, v)
                    assert url == url_for("views.search", **toggled.to_dict(flat=False))
            # The pages of a facet's people, as url_for builds each path.
            names = [v for _, v in args if v] + ["İlham Əliyev", "Токаев", "a/b c?d#e%f&g=h+i"]
            for endpoint in ("views.speaker", "views.entity"):
                for name, url in path_urls(endpoint, "name", names).items():
                    assert url == url_for(endpoint, name=name)


@pytest.mark.parametrize("q", ["", "Kazakhstan", "Tokayev"])
def test_facet_values_on_the_page_are_the_apis_the_first_shown_the_rest_under_more(client, q):
    """Every facet value of the JSON API is on the page, in its order, with its count: the
    first FACET_SHOWN in the list (all of a chronological facet), the rest under "N more";
    a speaker's and a mentioned name's own page linked beside each."""
    facets = client.get("/api/search", query_string={"q": q}).get_json()["facets"]
    soup = BeautifulSoup(client.get("/", query_string={"q": q}).data, "html.parser")
    folded = 0
    for name, values in facets.items():
        section = soup.select_one(f"section.facet:has(#facet-{name})")
        if not values:
            assert section is None, name
            continue
        options = section.select(f"a[data-facet={name}]")
        assert [(a["data-value"], a.select_one(".count").text) for a in options] == [
            (v["value"], str(v["count"])) for v in values], name
        shown = len(values) if BY_NAME[name].chronological else min(FACET_SHOWN, len(values))
        more = section.select_one("details.more")
        assert len(section.select(":scope > ul > li")) == shown, name
        if shown < len(values):
            folded += 1
            assert more.summary.text == f"{len(values) - shown} more"
            assert len(more.select("ul > li")) == len(values) - shown
        else:
            assert more is None, name
        endpoint = PEOPLE.get(name)
        for a in options:
            person = a.find_next_sibling("a", class_="person")
            assert (person is not None) == bool(endpoint), name
            if endpoint:
                with client.application.test_request_context():
                    assert person["href"] == url_for(endpoint, name=a["data-value"])
    assert folded or q  # the whole archive has more speakers than FACET_SHOWN


@pytest.mark.parametrize("q", ['"the Kazakh people"', "Tokayev"])
def test_the_count_reads_as_a_sentence(client, q):
    total = client.get("/api/search", query_string={"q": q}).get_json()["total"]
    heading = BeautifulSoup(client.get("/", query_string={"q": q}).data, "html.parser").select_one(
        "#results-heading").get_text(" ", strip=True)
    verb = "document matches" if total == 1 else "documents match"
    assert heading.startswith(f"{total} {verb}"), heading
    # The query as typed, in quotes of its own only when it has none (“"the Kazakh people"”).
    shown = BeautifulSoup(client.get("/", query_string={"q": q}).data, "html.parser").select_one(
        "#results-heading q, #results-heading code.query")
    assert shown.text == q and (shown.name == "q") == ('"' not in q)


def test_verify_page_explains_the_four_verdicts(client):
    soup = BeautifulSoup(client.get("/verify").data, "lxml")
    assert [dt.get_text() for dt in soup.select(".verdicts dt")] == [
        "Verbatim", "Altered", "Contradicted", "Not found"]


def test_verify_page_shows_what_a_contradicted_quote_reverses(client):
    quote = "Kazakhstan is not a member of the Organization of Turkic States."
    soup = BeautifulSoup(client.get("/verify", query_string={"quote": quote}).data, "lxml")
    assert soup.select_one(".verdict")["data-verdict"] == "contradicted"
    assert soup.select_one("p.reversal").get_text() == (
        "The archive says “is also a member”, the quote says “is not a member”.")
    published = soup.select_one("blockquote.published")
    assert published.get_text() == "Kazakhstan is also a member of the Organization of Turkic States."
    assert [m.get_text() for m in published.select("mark")] == ["is also a member"]


def test_verify_page_puts_a_changed_figure_first(client):
    quote = "According to President Tokayev, there are 30,000 terrorists in Almaty alone"
    soup = BeautifulSoup(client.get("/verify", query_string={"quote": quote}).data, "lxml")
    assert soup.select_one(".verdict")["data-verdict"] == "altered"
    fact = soup.select_one("p.fact.figure")
    assert fact.get_text() == "Figure changed: the quote says “30,000”, the archive says “20,000”."
    assert fact.find_next("blockquote").select_one("del.fact").get_text() == "30"


def test_verify_page_says_plainly_when_a_quote_is_too_long(client):
    from search import verify
    words = verify.MAX_WORDS + 100  # checks run in their own process: the real limit
    page = client.post("/verify", data={"quote": "Bananas are yellow and sweet. " * (words // 5)})
    soup = BeautifulSoup(page.data, "lxml")
    assert page.status_code == 400 and not soup.select(".verdict")
    assert soup.select_one("p.error").get_text().startswith(f"The quote has {words:,} words")
