"""One data dict per page: each page's template gets, as ``data``, exactly the object its
JSON twin answers for the same request (read from Flask's ``template_rendered`` signal,
against the real API's JSON), and the page names that twin as its alternate."""

from __future__ import annotations

import json
import shutil
import time
from contextlib import contextmanager
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import template_rendered

from core.ids import document_id
from core.settings import Settings
from indexer import build
from search import story
from webapp import create_app

from .conftest import CORPUS, SEEDS

SEARCHES = [
    {}, {"q": "Tokayev"}, {"q": "Mammadli"}, {"q": "Tokayev", "outlet": ["Turan", "Vikendi"]},
    {"q": "Tokayev", "sort": "date", "page": 2, "per_page": 2},
    {"q": "Tokayev", "from": "2022-01", "to": "2022-01-08"},
    {"q": "Tokayev", "month": "2022-01", "lang": "en"}, {"q": '"Kazakh people Tokayev"'},
    {"q": "Tokaev~"}, {"q": "Kazakh*", "sort": "-date"},
    {"q": "Tokayev CSTO Armenia protest banana"}, {"q": "what?"}, {"q": "KTMT"},
    {"q": "zzzzqqq"}, {"q": "((("}, {"q": '"Tokayev said nothing"'}]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The seeds, a wire copy of one statement (a story, a passage carried elsewhere), a
    person quoted and never named, and a collection cut before a re-index changed one
    cutting's passage and removed another's document: every branch of every page."""
    corpus_copy = tmp_path_factory.mktemp("twins") / "corpus"
    shutil.copytree(CORPUS, corpus_copy)
    seed = (corpus_copy / SEEDS["turan"]).read_text(encoding="utf-8")
    statement = next(line for line in seed.splitlines() if "Anar Mammadli believes" in line)
    (corpus_copy / "wire.html").write_text(
        "<html><head><meta property='og:site_name' content='Region Wire'>"
        "<meta property='article:published_time' content='2022-01-09'></head><body>"
        f"<h1>Analysts on Kazakhstan</h1><p>{statement}</p></body></html>", encoding="utf-8")
    # Quoted, and named nowhere once the corpus's corrections drop the name: a speaker's page.
    (corpus_copy / "entities.toml").write_text('drop = ["Anar Mammadli"]\n', encoding="utf-8")
    index = corpus_copy.parent / "index"
    build.index_corpus(corpus_copy, index)
    settings = Settings.defaults(index=index, corpus=corpus_copy,
                                 collections=str(corpus_copy.parent / "c.sqlite3"))
    client = create_app(settings).test_client()
    cid = client.post("/api/collections", json={"name": "Türkiyə", "description": "<b>"}).get_json()["id"]
    cut = [client.get(f"/api/documents/{document_id(SEEDS[name])}").get_json()["passages"][2]
           for name in ("turan", "vikendi", "novator")]
    for n, p in enumerate(cut):
        client.post(f"/api/collections/{cid}/passages",
                    json={"passage_id": p["passage_id"], "note": f"note {n}", "tags": ["t"]})
    turan = corpus_copy / SEEDS["turan"]
    old = client.get(f"/api/passages/{cut[0]['passage_id']}").get_json()["text"]
    turan.write_text(turan.read_text("utf-8").replace(old, old.replace(".", "!", 1)), "utf-8")
    (corpus_copy / SEEDS["novator"]).unlink()
    build.index_corpus(corpus_copy, index)
    client.post("/api/collections", json={"name": "Empty"})
    app = create_app(settings)
    return app, cid


@contextmanager
def rendered(app):
    seen = []

    def record(sender, template, context, **extra):
        seen.append(context)

    template_rendered.connect(record, app)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record, app)


def page_data(app, url: str, method: str = "GET", **body) -> dict:
    """The ``data`` of the page at ``url``, as the API would send it."""
    with rendered(app) as seen:
        response = app.test_client().open(url, method=method, follow_redirects=True, **body)
    assert response.status_code in (200, 400), (url, response.status_code)
    [context] = seen
    return json.loads(app.json.dumps(context["data"])), response


def twin(app, url: str, method: str = "GET", **body) -> dict:
    response = app.test_client().open(url, method=method, **body)
    assert response.status_code in (200, 400, 404), (url, response.status_code)
    return response.get_json(), response


def alternate(response) -> tuple | None:
    """The JSON twin the page names, as (path, sorted parameters)."""
    link = BeautifulSoup(response.data, "html.parser").select_one(
        'link[rel="alternate"][type="application/json"]')
    return address(link["href"]) if link else None


def address(url: str) -> tuple:
    parts = urlsplit(url)
    return unquote(parts.path), sorted(parse_qsl(parts.query))


def same(app, page_url: str, api_url: str) -> dict:
    data, page = page_data(app, page_url)
    answer, api = twin(app, api_url)
    assert data == answer, (page_url, api_url)
    assert page.status_code == api.status_code
    if api.status_code == 200:
        assert alternate(page) == address(api_url)
    return answer


@pytest.mark.parametrize("args", SEARCHES)
def test_the_search_page_renders_api_search(site, args):
    app, _ = site
    query = urlencode(args, doseq=True)
    answer = same(app, f"/?{query}", f"/api/search?{query}")
    assert ("error" in answer) == (args.get("q") == "(((")


def test_document_and_passage_pages_render_their_api_objects(site):
    app, _ = site
    carried = 0
    for file in [*SEEDS.values(), "wire.html"]:
        doc_id = document_id(file)
        if file == SEEDS["novator"]:
            continue  # removed from the corpus by the fixture
        answer = same(app, f"/doc/{doc_id}", f"/api/documents/{doc_id}")
        # The in-document search marks the page only: the object is the document's.
        data, _ = page_data(app, f"/doc/{doc_id}?q=Tokayev")
        assert data == answer
        for p in answer["passages"]:
            passage = same(app, f"/p/{p['passage_id']}", f"/api/passages/{p['passage_id']}")
            carried += bool(passage["other_places"])
    assert carried >= 2  # the statement and its wire copy


def test_the_quote_check_page_renders_api_verify(site):
    app, _ = site
    text = twin(app, f"/api/passages/{first_passage(app, 'turan')}")[0]["text"]
    words = text.split()
    quotes = [text, " ".join([*words[:3], "banana", *words[4:]]), "the moon is green cheese said no one",
              "x " * 6000]
    for q in quotes:
        answer, api = twin(app, "/api/verify", "POST", json={"quote": q})
        for data, page in (page_data(app, f"/verify?quote={quote(q)}"),
                           page_data(app, "/verify", "POST", data={"quote": q})):
            assert data == answer and page.status_code == api.status_code
    assert page_data(app, "/verify")[0] is None  # the form alone: nothing asked


def first_passage(app, seed: str) -> str:
    return twin(app, f"/api/documents/{document_id(SEEDS[seed])}")[0]["passages"][0]["passage_id"]


def test_a_persons_page_renders_api_entities_or_api_speakers(site):
    app, _ = site
    facets = twin(app, "/api/search?per_page=1")[0]["facets"]
    names = {v["value"] for facet in ("speaker", "mentioned") for v in facets[facet]}
    kinds = set()
    for name in sorted(names):
        data, page = page_data(app, f"/speaker/{quote(name)}")
        person = page.request.path.removeprefix("/entity/")
        named = twin(app, f"/api/entities/{quote(person)}")[1].status_code == 200
        api_url = f"/api/{'entities' if named else 'speakers'}/{quote(person)}"
        assert data == twin(app, api_url)[0]
        assert alternate(page) == address(api_url)
        kinds.add((named, bool(data.get("quoted") if named else True)))
    assert kinds == {(True, True), (True, False), (False, True)}  # every kind of page


def test_the_story_page_renders_api_story(site, monkeypatch):
    app, _ = site
    monkeypatch.setattr(story, "SECONDS", 60.0)  # the same passages followed both times
    answer = same(app, "/story?q=Mammadli", "/api/story?q=Mammadli")
    assert answer["lines"]
    same(app, "/story?q=Tokayev&outlet=Turan", "/api/story?q=Tokayev&outlet=Turan")


def test_the_status_page_renders_api_status(site):
    app, _ = site
    deadline = time.monotonic() + 30
    while not twin(app, "/api/status")[0]["warm"] and time.monotonic() < deadline:
        time.sleep(0.1)  # the common words read ahead: the same answer twice
    answer = same(app, "/status", "/api/status")
    assert answer["warm"] and answer["documents"] == 5


def test_the_batch_page_renders_api_batch(site):
    app, _ = site
    asked = {"queries": ["Tokayev", "CSTO", "(((", "zzzz"], "from": "2022-01", "to": "2022-01-31"}
    answer, _ = twin(app, "/api/batch", "POST", json=asked)
    data, _ = page_data(app, "/batch", "POST", data={**asked, "queries": "\n".join(asked["queries"])})
    assert data == answer and len(answer["results"]) == 4
    refused, api = twin(app, "/api/batch", "POST", json={"queries": []})
    data, page = page_data(app, "/batch", "POST", data={"queries": ""})
    assert data == refused and page.status_code == api.status_code == 400
    assert page_data(app, "/batch")[0] is None


def test_collection_pages_and_the_dossier_render_api_collections(site):
    app, cid = site
    listing = same(app, "/collections", "/api/collections")
    assert sorted(c["count"] for c in listing["collections"]) == [0, 3]
    answer = same(app, f"/collections/{cid}", f"/api/collections/{cid}")
    # The removed document's cutting cites its source as kept, no longer in the archive.
    assert [(c["changed"], bool(c["successor"]), bool(c["doc_id"]), c["in_archive"])
            for c in answer["passages"]] == [
        (True, True, True, True), (False, False, True, True), (True, False, True, False)]
    data, _ = page_data(app, f"/collections/{cid}/export.html")
    assert data == answer
    data, _ = page_data(app, f"/api/collections/{cid}/export?{urlencode({'format': 'html'})}")
    assert data == answer
