"""The JSON API of ../shared/CONTRACT.md, through the Flask test client."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import SEEDS
from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # every test here runs on each engine


def test_search_has_the_contract_shape(client):
    data = client.get("/api/search?q=Tokayev").get_json()
    assert {"query", "total", "page", "per_page", "results", "facets", "suggestion"} <= set(data)
    assert data["total"] == 5 and data["page"] == 1 and data["per_page"] == 10
    first = data["results"][0]
    assert {"doc_id", "title", "outlet", "url", "date", "language", "score", "passages"} <= set(first)
    assert isinstance(first["score"], float) and first["score"] > 0
    assert {"passage_id", "text", "html"} <= set(first["passages"][0])
    assert "<mark>Tokayev</mark>" in first["passages"][0]["html"]
    assert set(data["facets"]) == {"outlet", "language", "month", "speaker", "mentioned"}
    assert all(v["type"] in ("person", "organisation", "place") for v in data["facets"]["mentioned"])
    assert all({"value", "count"} <= set(v) for v in data["facets"]["outlet"])


def test_search_filters_repeat_and_combine(client):
    data = client.get("/api/search?q=Tokayev&outlet=Turan&outlet=Vikendi&lang=en").get_json()
    assert data["total"] == 2
    assert {r["outlet"] for r in data["results"]} == {"Turan", "Vikendi"}
    assert client.get("/api/search?q=Tokayev&month=2022-01").get_json()["total"] == 5


def test_document_and_passage_agree(client):
    doc = client.get("/api/documents/" + _doc_id("turan")).get_json()
    assert {"doc_id", "title", "outlet", "url", "date", "language", "authors", "text",
            "passages", "removed"} <= set(doc)
    assert "Açiq mənbələrdən foto." in doc["removed"]
    for ref in doc["passages"]:
        passage = client.get(f"/api/passages/{ref['passage_id']}").get_json()
        assert passage["text"] == doc["text"][ref["start"] : ref["end"]]
        assert (passage["doc_id"], passage["outlet"], passage["date"]) == (
            doc["doc_id"], "Turan", "2022-01-07")
        assert set(passage["speakers"]) <= set(doc["speakers"])


def _doc_id(seed):
    from core.ids import document_id

    return document_id(SEEDS[seed])


@pytest.mark.parametrize("url", ["/api/documents/nope", "/api/passages/nope-123",
                                 "/api/cite/nope-1", "/api/nothing"])
def test_unknown_ids_are_404_json(client, url):
    response = client.get(url)
    assert response.status_code == 404 and response.get_json()["error"]


@pytest.mark.parametrize("query", ["q=%22Kazakh", "q=(a", "page=0", "page=x", "per_page=500",
                                   "month=January", "sort=best"])
def test_bad_requests_are_400_with_a_sentence(client, query):
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    assert response.get_json()["error"].endswith(".")


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
syntax = st.text(alphabet=string.ascii_letters + ' "()*?~:[]^-+!&|\\/ TOANDORNOT', max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.one_of(text, syntax), page=st.one_of(text, st.integers(-5, 10**6).map(str)),
       per_page=st.one_of(text, st.integers(-5, 1000).map(str)), outlet=text, month=text,
       sort=st.one_of(text, st.sampled_from(["relevance", "date", "-date"])))
def test_api_never_answers_500(client, q, page, per_page, outlet, month, sort):
    response = client.get("/api/search", query_string={
        "q": q, "page": page, "per_page": per_page, "outlet": outlet, "month": month,
        "sort": sort})
    assert response.status_code in (200, 400), response.data
    assert ("error" in response.get_json()) == (response.status_code == 400)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.one_of(text, syntax))
def test_search_page_never_answers_500(client, q):
    assert client.get("/", query_string={"q": q}).status_code in (200, 400)


FORMATS = ["text", "apa", "mla", "chicago", "bibtex", "ris", "csl-json", "annotation"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_citation_format_carries_the_facts(client, fmt):
    doc = client.get("/api/documents/" + _doc_id("turan")).get_json()
    passage = doc["passages"][3]
    quote = doc["text"][passage["start"] : passage["end"]]
    body = client.get(f"/api/cite/{passage['passage_id']}?format={fmt}").get_data(as_text=True)
    for fact in ("Turan", doc["title"], doc["url"]):
        assert fact in body
    assert quote in body
    assert "2022" in body


def test_csl_json_and_annotation_are_json_with_real_precision(client):
    doc = client.get("/api/documents/" + _doc_id("caucasus")).get_json()
    pid = doc["passages"][0]["passage_id"]
    csl = client.get(f"/api/cite/{pid}?format=csl-json").get_json(force=True)
    assert csl[0]["type"] == "article-newspaper"
    assert csl[0]["issued"] == {"date-parts": [[2022, 1]]}  # a month, no invented day
    note = client.get(f"/api/cite/{pid}?format=annotation").get_json(force=True)
    quote, position = note["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and {"exact", "prefix", "suffix"} <= set(quote)
    assert doc["text"][position["start"] : position["end"]] == quote["exact"]
    assert client.get(f"/api/cite/{pid}?format=nope").status_code == 400


def test_verify_exact_altered_and_absent(client):
    exact = client.post("/api/verify", json={
        "quote": "the effect of introducing troops — cannot be long-term"}).get_json()
    assert exact["verdict"] == "verbatim" and exact["matches"][0]["exact"] is True
    assert exact["matches"][0]["outlet"] == "Turan"
    elided = client.post("/api/verify", json={
        "quote": "“The way out of this crisis is not to introduce troops from abroad […] "
                 "in 1991 in Vilnius.”"}).get_json()
    assert elided["matches"][0]["exact"] is True
    altered = client.post("/api/verify", json={
        "quote": "The effect of introducing soldiers cannot be long-term"}).get_json()
    top = altered["matches"][0]
    assert altered["verdict"] == "altered" and top["exact"] is False and 0.7 < top["similarity"] < 1
    assert [(d["op"], d["text"].strip()) for d in top["diff"] if d["op"] in "-+"] == [
        ("-", "soldiers"), ("+", "troops")]
    absent = client.post("/api/verify", json={"quote": "Bananas are yellow and sweet"})
    assert absent.get_json()["matches"] == [] and absent.get_json()["verdict"] == "not_found"
    assert client.post("/api/verify", data="nonsense").status_code == 400


def test_status_says_how_many_documents_are_searchable(client):
    status = client.get("/api/status").get_json()
    assert (status["documents"], status["warm"]) == (5, True)
    run = status["last_run"]
    assert (run["documents"], run["skipped"], run["formats"]) == (
        5, [], {"text": {"documents": 5, "skipped": 0, "copies": 0}})


def test_verify_says_contradicted_with_the_reversed_words_and_the_sentence_as_published(client):
    answer = client.post("/api/verify", json={
        "quote": "President Tokayev does not want to suppress any protest movement."}).get_json()
    top = answer["matches"][0]
    assert answer["verdict"] == "contradicted"
    assert top["reversed"] == [{"quote": "does not want", "archive": "wants"}]
    [sentence] = top["sentences"]
    assert "".join(p["text"] for p in sentence) == (
        "President Tokayev wants to suppress any protest movement.")
    assert [p["text"] for p in sentence if p["reversed"]] == ["wants"]
    assert top["text"].startswith("".join(p["text"] for p in sentence))  # as published


def test_verify_names_a_changed_figure(client):
    answer = client.post("/api/verify", json={
        "quote": "According to President Tokayev, there are 30,000 terrorists in the former "
                 "economic metropolis of Almaty alone"}).get_json()
    top = answer["matches"][0]
    assert answer["verdict"] == "altered" and top["reversed"] == []
    assert top["changes"] == [{"kind": "figure", "quote": "30,000", "archive": "20,000"}]
    assert [(d["op"], d["text"].strip()) for d in top["diff"] if d.get("fact")] == [
        ("-", "30"), ("+", "20,")]


def test_verify_refuses_a_quote_too_long_to_compare_with_a_sentence(client):
    from search import verify
    words = verify.MAX_WORDS + 100
    answer = client.post("/api/verify", json={"quote": "Bananas are yellow and sweet. " * (words // 5)})
    assert answer.status_code == 400
    assert answer.get_json()["error"].startswith(f"The quote has {words:,} words and is not in the archive")
