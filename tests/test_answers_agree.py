"""Answers that agree: a batch row, the results page it links to and /api/search give one
count under one rule, whatever the page size; a relaxed count is never headed as a match
of every word; "Also searched" names each spelling once."""

from __future__ import annotations

from bs4 import BeautifulSoup
from click.testing import CliRunner

from core.analysis import WORD, fold
from core.data import toml
from presscut.cli import main
from search.service import FACET_VALUES

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


def _names_and_terms(client, seed_docs) -> list[str]:
    """Every speaker and name of the seed corpus, names made of two people's names (which
    no document holds together), and the first words of each title."""
    facets = client.get("/api/search").get_json()["facets"]
    names = [v["value"] for facet in ("speaker", "mentioned") for v in facets[facet]]
    assert len(facets["mentioned"]) < FACET_VALUES  # every name, not the commonest only
    people = [v["value"].split() for v in facets["mentioned"]
              if v.get("type") == "person" and " " in v["value"]]
    mixed = [f"{first[0]} {second[-1]}" for first, second in zip(people, people[1:], strict=False)]
    titles = [" ".join(doc.metadata.title.split()[:3]) for doc in seed_docs.values()]
    return list(dict.fromkeys([*names, *mixed, *titles, "Vladimir Putin"]))


def _heading(client, url: str) -> tuple[int, str]:
    page = BeautifulSoup(client.get(url).data, "html.parser")
    text = page.select_one("#results-heading").get_text(" ", strip=True)
    return int(text.split()[0]), text


def test_a_batch_counts_what_its_links_pages_and_the_api_count(client, seed_docs):
    queries = _names_and_terms(client, seed_docs)
    table = BeautifulSoup(client.post("/batch", data={"queries": "\n".join(queries)}).data,
                          "html.parser").select("table.batch tbody tr")
    rows = client.post("/api/batch", json={"queries": queries}).get_json()["results"]
    assert [r["query"] for r in rows] == queries == [tr.th.get_text(strip=True) for tr in table]
    relaxed = 0
    for row, tr in zip(rows, table, strict=True):
        counted = int(tr.select_one("td.count").get_text(" ", strip=True).split()[0])
        shown, heading = _heading(client, tr.th.a["href"])
        api = [client.get("/api/search", query_string={"q": row["query"], "per_page": n})
               .get_json() for n in (1, 100)]
        assert row["total"] == counted == shown == api[0]["total"] == api[1]["total"], row["query"]
        assert row["relaxed"] == api[0]["relaxed"] == api[1]["relaxed"], row["query"]
        some = tr.select_one("td.count .which")
        if row["relaxed"]:
            relaxed += 1
            assert "with some of the words" in some.get_text()
            assert "some of the words of" in heading and " match" not in heading
            assert row["relaxed"]["all_words"] < row["total"]
        else:
            assert some is None and " match" in heading
    assert 0 < relaxed < len(rows)


def test_the_batch_csv_says_which_counts_are_of_some_of_the_words(client):
    text = client.post("/batch", data={"queries": "Vladimir Putin\nTokayev", "format": "csv"}
                       ).get_data(as_text=True).splitlines()
    assert text[0].endswith(",relaxed")
    assert text[1].startswith("Vladimir Putin,2,") and text[1].endswith(
        "No document has all 2 search words; showing documents with some of them.")
    assert text[2].startswith("Tokayev,5,") and text[2].endswith(",")


def _folded(name: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in WORD.findall(name.rstrip("*")))


def test_also_searched_names_each_spelling_once(client):
    groups = [[name.rstrip("*") for name in group["names"]] for group in toml("aliases.toml")["group"]]
    for group in groups[:3]:
        for typed in group:
            page = BeautifulSoup(client.get("/", query_string={"q": f'{typed}'}).data,
                                 "html.parser")
            shown = page.select_one("p.aliases .alias").get_text().split(" = ")
            assert shown[0] == typed
            assert len({_folded(n) for n in shown}) == len(shown), shown
            assert {_folded(n) for n in shown} == {_folded(n) for n in group}


def test_the_command_line_heads_a_relaxed_count_as_the_page_does(seed_index):
    said = CliRunner().invoke(main, ["search", "Vladimir Putin", "--index", str(seed_index)],
                              catch_exceptions=False).output.splitlines()
    assert said[0].startswith("2 documents have some of the words of 'Vladimir Putin'")
    assert said[1] == "No document has all 2 search words; showing documents with some of them."
