"""Names under every spelling and script, and aliases of organisations and places."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from core.aliases import AliasTable
from core.analysis import fold
from core.names import name_key
from search.service import SearchRequest, SearchService

VARIANTS = Path(__file__).parent / "data" / "name_variants.tsv"


def key(name: str) -> tuple[str, ...]:
    return tuple(name_key(w) or w.lower() for w in name.replace("-", " ").split())


def alias_group(name: str, table: AliasTable) -> int | None:
    words = [fold(w) for w in name.split()]
    for number, group in enumerate(table.groups()):
        for v in group:
            if v.prefix and len(words) == len(v.words) and words[-1].startswith(v.words[-1]) \
                    and words[:-1] == list(v.words[:-1]):
                return number
            if tuple(words) == v.words:
                return number
    return None


def test_name_matching_precision_and_recall():
    """Variant pairs (seeds and the region's names) must meet; look-alikes must not."""
    table = AliasTable()
    tp = fp = fn = 0
    for line in VARIANTS.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        kind, a, b, _ = line.split("\t")
        group = alias_group(a, table)
        meet = key(a) == key(b) or (group is not None and group == alias_group(b, table))
        tp += kind == "same" and meet
        fn += kind == "same" and not meet
        fp += kind == "different" and meet
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert tp + fn >= 40 and precision >= 0.97 and recall >= 0.97, (precision, recall)


@pytest.mark.parametrize("typed", ["Kerimli", "Karimli", "Kərimli", "Керимли", "kerimli"])
def test_one_spelling_finds_them_all(service, typed):
    result = service.search(SearchRequest(q=typed))
    assert {r.outlet for r in result.results} == {"Caucasus Watch", "Turan", "Novator.az"}


def test_look_alike_names_stay_apart(service):
    # Jeyhun Mammadov (000) is not Anar Mammadli (001, 002).
    assert {r.outlet for r in service.search(SearchRequest(q="Mammadov")).results} == \
        {"Caucasus Watch"}
    assert {r.outlet for r in service.search(SearchRequest(q="Mammadli")).results} == \
        {"Eurasianet", "Turan"}


def test_the_match_is_explained_and_marked(service):
    result = service.search(SearchRequest(q="Kerimli"))
    by_outlet = {r.outlet: r for r in result.results}
    assert by_outlet["Novator.az"].explain == ("Kerimli matched Kərimli",)
    assert "<mark>Kərimli</mark>" in by_outlet["Novator.az"].passages[0].html
    assert "Kerimli matched Karimli" in by_outlet["Caucasus Watch"].explain
    assert by_outlet["Turan"].explain == ()  # spelt as typed


def test_cyrillic_query_meets_latin_text(service):
    result = service.search(SearchRequest(q="Токаев"))
    assert result.total == 5
    assert "Токаев matched Tokayev" in result.results[0].explain


def test_aliases_join_organisations_across_languages(service):
    result = service.search(SearchRequest(q="CSTO", filters=(("language", ("az",)),)))
    [novator] = result.results
    assert "<mark>KTMT</mark>" in novator.passages[0].html
    assert result.aliases[0][0] == "CSTO" and "ОДКБ" in result.aliases[0][1]
    assert service.search(SearchRequest(q="ОДКБ")).total == 5


def test_an_alias_file_change_needs_no_reindex(seed_index, tmp_path):
    extra = tmp_path / "aliases.toml"
    service = SearchService(seed_index, aliases=AliasTable([extra]))
    assert service.search(SearchRequest(q="Vilna")).total == 0
    extra.write_text('[[group]]\nnames = ["Vilnius", "Vilna", "Вильнюс"]\n', encoding="utf-8")
    assert service.search(SearchRequest(q="Vilna")).total == 1


def test_search_page_and_api_show_the_explanation(client):
    soup = BeautifulSoup(client.get("/?q=Kerimli").data, "lxml")
    assert "Kerimli matched Kərimli" in soup.select_one(".explain").get_text() or any(
        "Kerimli matched" in p.get_text() for p in soup.select(".explain"))
    data = client.get("/api/search?q=CSTO").get_json()
    assert data["aliases"][0]["typed"] == "CSTO"
    assert any(r["explain"] == [] for r in data["results"])
