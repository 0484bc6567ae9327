"""Who and what documents mention: the rules against hand labels, the `mentioned` facet
against a count over every stored document, corrections without re-indexing, and the
page per entity."""

from __future__ import annotations

import importlib.util
import time
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from core.settings import Settings
from indexer import build
from webapp import create_app

from .conftest import ROOT, shared


def bench():
    spec = importlib.util.spec_from_file_location("entities", ROOT / "bench" / "entities.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_names_found_against_hand_labels():
    """Gates at the figures measured (docs/entities.md), less a margin: seeds P 0.96 R
    0.97; BBC and the Russian page never looked at P 0.84 R 0.80 (English 0.83/0.75,
    Russian 0.84/0.82); the news of issue 34, dev half az 0.77/0.79, ru 0.74/0.61,
    held-out half az 0.66/0.70, ru 0.73/0.61."""
    shared("data/news-corpus/bbc-news-2225.jsonl.gz")
    totals = bench().evaluate()
    for group, (precision, recall) in {
            "seeds": (0.93, 0.93), "unseen": (0.79, 0.75), "unseen, ru": (0.79, 0.77),
            "unseen, en": (0.78, 0.70),
            "unseen news dev, az": (0.72, 0.74), "unseen news dev, ru": (0.69, 0.56),
            "unseen news held-out, az": (0.61, 0.65),
            "unseen news held-out, ru": (0.68, 0.56)}.items():
        t = totals[group]
        assert t["right"] / t["found"] >= precision, (group, t)
        assert t["right"] / t["gold"] >= recall, (group, t)
        assert "," in group or t["typed"] / t["right"] >= 0.95, (group, t)


def test_the_mentioned_facet_counts_what_the_documents_mention(client, service, seed_docs):
    facet = client.get("/api/search").get_json()["facets"]["mentioned"]
    assert {v["type"] for v in facet} == {"person", "organisation", "place"}
    # The oracle: every stored document's mentions, a surname alone counted as the one
    # full name the archive gives it.
    counts: dict[str, int] = {}
    persons = {v["value"] for v in facet if v["type"] == "person"}
    fulls = {n.split()[-1]: n for doc in seed_docs.values() for n in doc.mentions
             if " " in n and n in persons}
    for doc in seed_docs.values():
        for name in {fulls.get(n, n) if " " not in n else n for n in doc.mentions}:
            counts[name] = counts.get(name, 0) + 1
    shown = {v["value"]: v["count"] for v in facet}
    assert {k: v for k, v in counts.items() if k in shown} == shown
    assert shown["Kazakhstan"] == 5 and shown["CSTO"] == 5
    for value in ("Kazakhstan", "Ali Karimli", "Putin"):
        body = client.get("/api/search", query_string={"mentioned": value}).get_json()
        assert body["total"] == shown[value]


def test_corrections_apply_without_reindexing(tmp_path, corpus_copy):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    client = create_app(Settings.defaults(index=index, corpus=corpus_copy)).test_client()
    facet = lambda: {v["value"]: v for v in  # noqa: E731
                     client.get("/api/search").get_json()["facets"]["mentioned"]}
    before = facet()
    assert "Organization of Turkish States" in before and "Facebook" in before
    (corpus_copy / "entities.toml").write_text(
        'drop = ["Facebook"]\n[merge]\n"Organization of Turkish States" = '
        '"Organization of Turkic States"\n[types]\n"Russian Federation" = "place"\n', encoding="utf-8")
    time.sleep(0.01)
    after = facet()
    assert "Organization of Turkish States" not in after and "Facebook" not in after
    assert after["Organization of Turkic States"]["count"] == 1  # one document has both
    assert after["Russian Federation"]["type"] == "place"
    assert client.get("/api/search?mentioned=Facebook").get_json()["total"] == 0


def test_an_entity_page_lists_every_passage_naming_it(client, seed_docs):
    body = client.get("/api/entities/Kazakhstan").get_json()
    expected = {p.passage_id for doc in seed_docs.values() for p in doc.passages
                if "Kazakhstan" in p.mentions}
    assert {p["passage_id"] for p in body["passages"]} == expected and body["type"] == "place"
    page = BeautifulSoup(client.get("/entity/Kazakhstan").get_data(as_text=True), "html.parser")
    assert len(page.select("ol.statements > li")) == len(expected)
    links = {a["href"] for a in page.find_all("a", href=True) if a["href"].startswith("/")}
    assert all(client.get(link).status_code == 200 for link in links)
    results = BeautifulSoup(client.get("/?q=CSTO").get_data(as_text=True), "html.parser")
    entity_link = results.select_one("a.person[href^='/entity/']")["href"]
    assert client.get(entity_link).status_code == 200


@pytest.mark.parametrize("text, names", [
    ("Prezident Qasım-Comərd Tokayevin sözlərinə görə, Qazaxıstana qoşun yeridilib.",
     {"Kazakhstan", "Qasım-Comərd Tokayev"}),
    ("Как сообщает МИД, Путин встретился с Токаевым в Москве.", {"МИД"}),
    ("Kazakh President Tokayev and Foreign Secretary Jack Straw met in Almaty.",
     {"Tokayev", "Jack Straw", "Almaty"}),
])
def test_names_in_three_languages(text, names):
    from indexer import mentions
    finder = mentions.Finder([["Kazakhstan", "Qazaxıstan*"], ["Almaty", "Алматы"]], lambda n: n)
    assert set(finder.find([text])) >= names


def test_a_name_written_another_way_leads_to_its_one_page(client, service, seed_docs):
    """Every way the seeds write a person's full name ("Əli Kərimli", "Ali Kerimli" for
    Ali Karimli: the oracle is the texts, read two words at a time) and every alias of a
    name (KTMT, ОДКБ for CSTO) leads to the name's page; an unknown name stays a 404."""
    import re

    from core.names import name_key
    facet = client.get("/api/search").get_json()["facets"]["mentioned"]
    people = {name_key(v["value"]): v["value"] for v in facet
              if v["type"] == "person" and " " in v["value"]}
    written = {(f"{a} {b}", people[name_key(f"{a} {b}")])
               for doc in seed_docs.values()
               for a, b in re.findall(r"(?=\b(\w+) (\w+)\b)", doc.text)
               if a[:1].isupper() and b[:1].isupper() and name_key(f"{a} {b}") in people}
    known = {v["value"] for v in facet}
    aliased = {(variant.text, other.text) for group in service.aliases.groups()
               for variant in group for other in group
               if other.text in known and variant.text != other.text and not variant.prefix}
    assert any(text != name for text, name in written) and aliased
    for text, name in written | aliased:
        response = client.get(f"/entity/{text}")
        assert response.status_code in (200, 302), text
        if text != name:
            assert response.headers["Location"].endswith("/entity/" + quote(name)), text
            assert client.get(f"/api/entities/{text}").get_json()["name"] == name, text
    assert client.get("/entity/Ali%20Nobody").status_code == 404
    for odd in ("...", "!!!", "—", "%20", "KTMT%20Nobody"):  # no word, or no one: not a 500
        for route in ("/entity/", "/speaker/", "/api/entities/", "/api/speakers/"):
            assert client.get(route + odd, follow_redirects=True).status_code == 404, route + odd
