"""The outlet an article names as its own, in the forms of several languages, tried on
outlets that are not in the seed corpus (the forms are data, not the seeds' strings)."""

from __future__ import annotations

import gzip
import json

import pytest

from indexer import outlets, selfnames

from .conftest import CORPUS, SEEDS, shared

NOVATOR = "Novator.az-ın məlumatına görə"


def seed_text(name: str) -> str:
    return (CORPUS / SEEDS[name]).read_text(encoding="utf-8")


@pytest.mark.parametrize(("said", "outlet"), [
    ("Qafqazinfo.az xəbər verir ki", "Qafqazinfo.az"),
    ("Oxu.az-ın məlumatına görə", "Oxu.az"),
    ("Musavat.com-un məlumatına görə", "Musavat.com"),
    ("Deputat Publika.az-a açıqlamasında bildirib ki", "Publika.az"),
    ("APA-nın məlumatına görə", "APA"),
])
def test_azerbaijani_self_references_of_unseen_outlets(said, outlet):
    text = seed_text("novator").replace(NOVATOR, said)
    assert NOVATOR not in text
    assert outlets.infer_outlet(text, {}, None) == (outlet, "self-reference")


@pytest.mark.parametrize(("sentence", "outlet"), [
    ("Об этом сообщает Sputnik.az со ссылкой на МИД.", "Sputnik.az"),
    ("Как передает Интерфакс, переговоры продолжатся.", "Интерфакс"),
    ("По данным Vesti.kz, в Алматы восстановлена связь.", "Vesti.kz"),
    ("Hürriyet.com.tr'nin haberine göre Kazakistan'da olağanüstü hal ilan edildi.",
     "Hürriyet.com.tr"),
    ("Anadolu Ajansı'nın haberine göre Tokayev yeni hükümeti açıkladı.", "Anadolu Ajansı"),
    ("Azernews.az reports that the ministry expressed its condolences.", "Azernews.az"),
    ("(AFP) - Kazakhstan's president said order had been restored.", "AFP"),
    ("ALMATY, Jan 7 (Reuters) - Kazakhstan's president said order had been restored.", "Reuters"),
])
def test_self_references_in_other_languages_and_datelines(sentence, outlet):
    # The sentence opens an English seed whose own outlet is named nowhere in its text.
    text = sentence + "\n" + seed_text("eurasianet")
    assert outlets.infer_outlet(text, {}, None) == (outlet, metadata_source(sentence))


def metadata_source(sentence: str) -> str:
    return "dateline" if sentence.startswith("ALMATY") else "self-reference"


@pytest.mark.parametrize("sentence", [
    "Vahid Ahmadov told Reuters that the intervention was a mistake.",
    "The minister said in an interview with Kanal.az that he disagreed.",
    "According to AFP, several hundred people were detained.",
    "Sources quoted by TASS reported troop movements.",
    "Trend analysts see a different picture.",
])
def test_a_source_quoted_is_not_the_outlet_quoting(sentence):
    text = seed_text("eurasianet") + "\n" + sentence
    assert selfnames.find(text, outlets.shipped_outlet_names().values()) is None


def test_no_bbc_article_is_given_another_outlet():
    """2,225 BBC articles cite Reuters, AFP, AP and others as sources: none of that is
    read as the article's own outlet."""
    path = shared("data/news-corpus/bbc-news-2225.jsonl.gz")
    names = outlets.shipped_outlet_names().values()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        found = [(row["id"], selfnames.find(row["text"], names))
                 for row in map(json.loads, handle)]
    assert len(found) == 2225
    assert [(doc, outlet) for doc, outlet in found if outlet] == []
