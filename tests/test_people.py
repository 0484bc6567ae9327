"""One person, one page, whichever way the archive has them: a speaker known by surname
("Tokayev") and the name the mentions give in full ("Kasym Jomart Tokayev") are one
person, with one page listing what they are quoted saying, then the other passages
naming them."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from search.corrections import Corrections

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


def _lands(client, url: str) -> str:
    response = client.get(url, follow_redirects=True)
    assert response.status_code == 200, url
    return unquote(response.request.path)


def test_a_surname_counts_as_the_one_full_name_it_belongs_to(tmp_path):
    names = ("Kasym Jomart Tokayev", "Ilham Aliyev", "Heydar Aliyev", "CSTO")
    plain = Corrections()
    assert plain.counted_as("Tokayev", names) == "Kasym Jomart Tokayev"
    assert plain.counted_as("Aliyev", names) == "Aliyev"  # two of them: not guessed
    assert plain.counted_as("CSTO", names) == "CSTO"
    assert plain.counted_as("Nobody", names) == "Nobody"
    (tmp_path / "entities.toml").write_text('[merge]\n"Prezident Aliyev" = "Ilham Aliyev"\n')
    assert Corrections([tmp_path / "entities.toml"]).counted_as(
        "Prezident Aliyev", names) == "Ilham Aliyev"


def test_a_speaker_and_the_name_mentioned_are_one_person_with_one_page(client, seed_docs):
    person = "/entity/Kasym Jomart Tokayev"
    assert _lands(client, "/speaker/Tokayev") == _lands(client, "/entity/Tokayev") == person
    page = BeautifulSoup(client.get(person).data, "html.parser")
    assert page.h1.get_text() == "Kasym Jomart Tokayev"
    # The oracle: the seed passages, read for their speakers and their names.
    passages = [(doc, p) for doc in seed_docs.values() for p in doc.passages]
    said = [p.passage_id for _, p in passages if "Tokayev" in p.speakers]
    named = [p.passage_id for _, p in passages if p.passage_id not in said
             and {"Tokayev", "Kasym Jomart Tokayev"} & set(p.mentions)]
    listed = lambda section: [a["href"].rsplit("/", 1)[1] for a in page.select(  # noqa: E731
        f"section#{section} ol.statements a[href^='/p/']")]
    assert sorted(listed("quoted")) == sorted(said) and said
    assert sorted(listed("named")) == sorted(named) and named
    bars = page.select("#chart-timeline ~ ol .n")
    assert sum(int(b.get_text()) for b in bars) == len(said) + len(named)
    assert "Quoted in 2 passages of 1 document; named in" in page.select_one("p.lead").get_text()


def test_every_speaker_and_name_has_its_page_and_its_json(client):
    facets = client.get("/api/search").get_json()["facets"]
    for facet, route, api in (("speaker", "/speaker/", "/api/speakers/"),
                              ("mentioned", "/entity/", "/api/entities/")):
        for value in facets[facet]:
            landed = _lands(client, route + value["value"])
            assert landed.startswith("/entity/")
            assert client.get(api + value["value"]).status_code == 200, value
    assert client.get("/entity/Nobody%20Atall").status_code == 404
    assert client.get("/speaker/Nobody%20Atall", follow_redirects=True).status_code == 404


def test_the_json_twins_know_the_person_by_either_name(client):
    by_surname = client.get("/api/speakers/Tokayev").get_json()
    in_full = client.get("/api/speakers/Kasym Jomart Tokayev").get_json()
    assert by_surname == in_full and in_full["name"] == "Kasym Jomart Tokayev"
    entity = client.get("/api/entities/Tokayev").get_json()
    assert entity["name"] == "Kasym Jomart Tokayev" and entity["quoted"] == in_full
    page = BeautifulSoup(client.get("/entity/Kasym Jomart Tokayev").data, "html.parser")
    twin = page.select_one("link[type='application/json']")["href"]
    assert urlsplit(twin).path == "/api/entities/Kasym%20Jomart%20Tokayev"


def test_a_speaker_filter_by_the_name_of_their_page_finds_what_they_are_quoted_saying(client):
    """speaker=Kasym Jomart Tokayev, the name of his page, found nothing: the speaker
    facet has him as "Tokayev". Each speaker's page name filters the same documents."""
    def found(speaker: str) -> set[str]:
        answer = client.get("/api/search", query_string={"speaker": speaker, "per_page": 100})
        return {r["doc_id"] for r in answer.get_json()["results"]}
    renamed = 0
    for value in client.get("/api/search").get_json()["facets"]["speaker"]:
        page_name = unquote(_lands(client, "/speaker/" + value["value"]).split("/entity/")[1])
        quoted = client.get(f"/api/speakers/{page_name}").get_json()["passages"]
        assert found(page_name) == found(value["value"]) == {p["doc_id"] for p in quoted}
        # The facet counts and selects what was filtered: the values they are quoted under.
        answer = client.get("/api/search", query_string={"speaker": page_name}).get_json()
        selected = {v["value"]: v["count"] for v in answer["facets"]["speaker"] if v["selected"]}
        assert value["value"] in selected and all(selected.values()), selected
        assert set(answer["filters"]["speaker"]) == set(selected)
        renamed += page_name != value["value"]
    assert renamed >= 1
