"""Names in Azerbaijani and Russian news (issue 34): case endings taken off by vowel
harmony, the gazetteer under its case forms, Russian names in the nominative, sentence
openers, acronyms of common words, two names run together, Russian bodies' names in
lower case; and the entity bench's dev and held-out halves.

The Azerbaijani case forms are generated here from the grammar's tables (an oracle apart
from core/turkic.py, which matches endings rather than building them)."""

from __future__ import annotations

import importlib.util
import itertools

import pytest

from core import turkic
from indexer import mentions, russian
from indexer.name_forms import known

from .conftest import ROOT

# The grammar: which vowel an ending takes after the stem's last vowel, and the endings
# of each case after a consonant and after a vowel (the buffer letters n and y).
TWO = {v: ("a" if v in "aıou" else "ə") for v in "aıoueəiöü"}
FOUR = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "ə": "i", "i": "i", "ö": "ü", "ü": "ü"}
CASES = {  # case: (after a consonant, after a vowel); A two-way, I four-way
    "genitive": ("In", "nIn"), "dative": ("A", "yA"), "accusative": ("I", "nI"),
    "locative": ("dA", "dA"), "ablative": ("dAn", "dAn"), "instrumental": ("lA", "ylA"),
}
STEMS = ["Suriya", "Misir", "Qahirə", "Bakı", "Tovuz", "Türkiyə", "Moskva", "Paris",
         "Bayden", "Makron", "Trüdo", "Ərdoğan", "Köln", "Sumqayıt", "Mingəçevir"]


def inflected(stem: str, case: str) -> str:
    vowel = next(c for c in reversed(stem.lower()) if c in FOUR)
    ending = CASES[case][stem[-1].lower() in FOUR]
    return stem + ending.replace("A", TWO[vowel]).replace("I", FOUR[vowel])


@pytest.mark.parametrize("stem, case", list(itertools.product(STEMS, CASES)))
def test_every_case_form_gives_back_its_stem(stem, case):
    assert stem in turkic.stems(inflected(stem, case))


@pytest.mark.parametrize("stem", STEMS)
def test_an_ending_against_vowel_harmony_is_no_ending(stem):
    vowel = next(c for c in reversed(stem.lower()) if c in FOUR)
    wrong = "də" if TWO[vowel] == "a" else "da"
    assert stem not in turkic.stems(stem + wrong)
    # and a nominative ending in -ya after i is no dative: Portuqaliya, Anastasiya
    assert "Portuqali" not in turkic.stems("Portuqaliya")


@pytest.mark.parametrize("words, language, name", [
    (("Misirdə",), "az", "Misir"), (("Suriyanın",), "az", "Suriya"),
    (("Qahirəyə",), "az", "Qahirə"), (("ABŞ-nin",), "az", "ABŞ"),
    (("Beynəlxalq", "Valyuta", "Fondunun"), "az", "Beynəlxalq Valyuta Fondu"),
    (("Москве",), "ru", "Москва"), (("Нью-Йорка",), "ru", "Нью-Йорк"),
    (("Японии",), "ru", "Япония"), (("Google",), "ru", "Google"),
])
def test_the_gazetteer_knows_its_names_in_every_case(words, language, name):
    assert known(words, language)[0] == name


def test_a_gazetteer_name_counts_only_in_its_own_language():
    assert known(("Report",), "az") and not known(("Report",), "en")
    assert not known(("Misir",), "en")


@pytest.mark.parametrize("words, name", [
    (("Бориса", "Ельцина"), "Борис Ельцин"), (("Ли", "Харрисом"), "Ли Харрис"),
    (("Марии", "Захаровой"), "Мария Захарова"), (("Полом", "Уэббом"), "Пол Уэбб"),
    (("Джеймса", "Коми"), "Джеймс Коми"),
    # A woman's name in the nominative stays as it is.
    (("Анна", "Ершова"), "Анна Ершова"),
])
def test_russian_persons_in_the_nominative(words, name):
    assert " ".join(russian.person(words)) == name


@pytest.mark.parametrize("words, name", [
    (("Федеральной", "антимонопольной", "службы"), "Федеральная антимонопольная служба"),
    (("Большого", "театра"), "Большой театр"), (("Новой", "Шотландии"), "Новая Шотландия"),
    (("Министерства", "торговли", "КНР"), "Министерство торговли КНР"),
])
def test_russian_bodies_and_places_in_the_nominative(words, name):
    assert " ".join(russian.phrase(words)) == name


def find(text: str) -> set[str]:
    return set(mentions.Finder([["Russia", "Rusiya*", "Росси*"]], lambda n: n).find([text]))


@pytest.mark.parametrize("text, names, not_names", [
    # The text says which stem: Makron (named so), not Makro; Arteta, not Artetan.
    ("Emmanuel Makron Parisə gəlib. Makronun sözlərinə görə, Fransa ilə Misir arasında "
     "danışıqlar Qahirədə davam edəcək.",
     {"Emmanuel Makron", "Paris", "Fransa", "Misir", "Qahirə"}, {"Makro", "Makronun"}),
    ("Mikel Artetanın komandası qalib gəlib. Arteta bildirib ki, Suriyanın futbolçusu "
     "Bakıda oynayacaq.", {"Mikel Arteta", "Suriya", "Bakı"}, {"Suriyan", "Mikel Artetan"}),
    # A capitalised common word at a sentence's start, written in lower case elsewhere;
    # a place in a case before another name.
    ("Yerli sakinlər bildirib ki, yerli hakimiyyət Dohada Qəzza ilə bağlı danışıqlar aparır.",
     {"Doha", "Qəzza"}, {"Yerli", "Dohada Qəzza"}),
    ("Qeyd edək ki, Almaz Eyvazova da tədbirdə iştirak edib.", {"Almaz Eyvazova"}, {"Almaz Eyvazov"}),
    ("Как сообщает Интерфакс, в Москве Борис Ельцин встретился с Ли Харрисом.",
     {"Интерфакс", "Москва", "Борис Ельцин", "Ли Харрис"}, {"Ли Харрисом", "Москве"}),
    ("Президент США Барак Обама прилетел. Беспокойство Кишинёва растёт.",
     {"США", "Барак Обама", "Кишинёв"}, {"США Барак Обама", "Беспокойство Кишинёва"}),
    ("Против ООО УК возбуждено дело по КоАП.", set(), {"ООО", "УК", "КоАП", "ООО УК"}),
    ("Федеральная антимонопольная служба оштрафовала компанию, сообщает Lenta.ru; "
     "спектакль покажет Большой театр.",
     {"Федеральная антимонопольная служба", "Lenta.ru", "Большой театр"}, {"Федеральная"}),
    # English keeps its rules: another language's gazetteer name is a word here.
    ("Report: the Treasury said Paris and Moscow agreed.", {"Paris", "Moscow"}, {"Report"}),
])
def test_names_in_news_sentences(text, names, not_names):
    found = find(text)
    assert names <= found, found
    assert not found & not_names, found


@pytest.mark.parametrize("paragraphs, language", [
    (["Misirdə keçirilən görüşdə Qahirənin nümayəndələri iştirak edib."], "az"),
    (["В Москве прошла встреча."], "ru"),
    (["Kerimli met Tokayev in Baku."], "en"),
])
def test_the_language_of_a_text(paragraphs, language):
    assert mentions.language_of(paragraphs) == language


def test_the_bench_splits_the_news_into_two_halves_by_document():
    spec = importlib.util.spec_from_file_location("entities_bench", ROOT / "bench" / "entities.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    news = [d for d in bench.DOCS if d.get("set") == "unseen news"]
    for language in ("az", "ru"):
        texts = sorted(d["text"] for d in news if d["language"] == language)
        halves = {d["text"]: bench.half(d) for d in news if d["language"] == language}
        assert [halves[t] for t in texts] == ["dev", "held-out"] * (len(texts) // 2) + (
            ["dev"] if len(texts) % 2 else [])
    assert all(bench.half(d) is None for d in bench.DOCS if d.get("set") != "unseen news")
