"""Search over the seed index: analysis, phrases, facets, sorting, paging, suggestions."""

from __future__ import annotations

import math
import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from core.analysis import WORD, common_pairs, common_words, fold, stem
from engines.whoosh import generation, matching, positions, query, store
from engines.whoosh.analyzers import pairs_analyzer
from engines.whoosh.schema import build_schema
from engines.whoosh.words import Corrector, fuzzy_forms
from search.service import BadQuery, SearchRequest, SearchService


def search(service, q="", **kwargs):
    return service.search(SearchRequest(q=q, **kwargs))


def outlets(result):
    return {r.outlet for r in result.results}


@pytest.mark.parametrize(("typed", "found"), [
    ("Ilham", "Eurasianet"),  # the text has "Ilham"; Turkic İ must fold to i too
    ("qazaxistan", "Novator.az"),  # the text has "Qazaxıstan"
    ("kerimli", "Novator.az"),  # and "Kərimli"
])
def test_folding_finds_azerbaijani_spellings(service, typed, found):
    assert found in outlets(search(service, typed))


def test_a_word_finds_the_other_forms_of_it_in_the_body(service):
    every = search(service, per_page=50).results
    texts = {r.doc_id: service.document(r.doc_id).text for r in every}
    assert not any("protesting" in text.lower() for text in texts.values())
    wanted = {doc_id for doc_id, text in texts.items()
              if any(stem(fold(word)) == stem("protest") for word in WORD.findall(text))}
    result = search(service, "protesting", per_page=50)
    assert wanted and {r.doc_id for r in result.results} == wanted
    marked = {m.lower() for r in result.results for p in r.passages
              for m in re.findall(r"<mark>(\w+)</mark>", p.html)}
    assert "protests" in marked


def test_turkic_capital_i_folds_to_plain_i():
    assert fold("İlham") == "ilham" == fold("ILHAM")
    assert fold("Qazaxıstan") == "qazaxistan"
    assert fold("Ёлка") == "елка" and fold("Мой") == "мой"  # й stays й


def test_stemming_english_and_russian():
    def stems(text):
        return [stem(fold(word)) for word in WORD.findall(text)]
    assert stems("protests protesting") == ["protest", "protest"]
    assert stems("Казахстана Казахстан") == ["казахста", "казахста"]


def test_phrase_matches_only_the_words_in_a_row(service):
    """'Kazakh people' is in two articles; its words apart are in more."""
    assert search(service, "Kazakh people").total > search(service, '"Kazakh people"').total == 2


def test_phrase_highlighting_is_strict(service):
    result = search(service, '"Kazakh people"')
    for doc in result.results:
        for passage in doc.passages:
            for marked in passage.html.split("<mark>")[1:]:
                assert marked.split("</mark>")[0].lower() == "kazakh people"


def test_phrase_does_not_match_across_dropped_words(service):
    # "people will not reconcile" is in 000; "people not reconcile" is not.
    assert search(service, '"people will not reconcile"').total == 1
    assert search(service, '"people not reconcile"').total == 0


def test_highlights_escape_document_text(service):
    result = search(service, "Kassym")
    html = result.results[0].passages[0].html
    assert "<mark>Kassym</mark>" in html and "<script" not in html


def test_facets_count_documents_over_all_matches(service):
    result = search(service, "Tokayev", per_page=1)
    assert result.total == 5 and len(result.results) == 1
    counts = {f.value: f.count for f in result.facets["outlet"]}
    assert counts == {"Caucasus Watch": 1, "Eurasianet": 1, "Turan": 1, "Vikendi": 1,
                      "Novator.az": 1}
    assert {f.value: f.count for f in result.facets["language"]} == {"en": 4, "az": 1}
    speakers = {f.value: f.count for f in result.facets["speaker"]}
    assert speakers["Ali Karimli"] == 2 and speakers["Anar Mammadli"] == 2


def test_multi_select_facets_or_within_and_across(service):
    both = search(service, "Tokayev", filters=(("outlet", ("Turan", "Vikendi")),))
    assert both.total == 2 and outlets(both) == {"Turan", "Vikendi"}
    # The outlet facet still counts the other outlets (its own filter is not applied) ...
    assert {f.value for f in both.facets["outlet"]} >= {"Eurasianet", "Novator.az"}
    assert [f.value for f in both.facets["outlet"] if f.selected] == ["Turan", "Vikendi"]
    # ... while other facets count only what the outlet filter lets through.
    assert {f.value: f.count for f in both.facets["language"]} == {"en": 2}
    anded = search(service, "Tokayev", filters=(("outlet", ("Turan", "Novator.az")),
                                                ("language", ("az",))))
    assert outlets(anded) == {"Novator.az"}


def test_month_filter(service):
    assert search(service, "", filters=(("month", ("2022-01",)),)).total == 5
    assert search(service, "", filters=(("month", ("2021-12",)),)).total == 0


def test_sort_by_date_both_ways(service):
    ascending = [r.date for r in search(service, "Kazakhstan", sort="date").results]
    descending = [r.date for r in search(service, "Kazakhstan", sort="-date").results]
    assert ascending == sorted(ascending) and descending == sorted(descending, reverse=True)


def test_pagination_covers_every_result_once(service):
    pages = [search(service, "Kazakhstan", per_page=2, page=n) for n in (1, 2, 3)]
    seen = [r.doc_id for page in pages for r in page.results]
    assert len(seen) == len(set(seen)) == pages[0].total


def test_did_you_mean_comes_from_the_index_vocabulary(service):
    result = search(service, "condolenses crackdwn")
    assert result.total == 0 and result.suggestion == "condolences crackdown"
    assert search(service, "Tokayev").suggestion is None


def test_wildcard_fuzzy_and_field_queries(service):
    assert search(service, "Kazakh*").total == 4  # all but the Azerbaijani "Qazax..." one
    assert search(service, "Tokaev~").total == 5
    # Typed as written in Azerbaijani, folded as the index folds it.
    assert search(service, "Qazaxıstan~").total == search(service, "qazaxistan~").total == 5
    assert search(service, "Tokaev~2/9").total == 0  # a prefix longer than the word
    assert outlets(search(service, "outlet:turan")) == {"Turan"}
    assert outlets(search(service, "lang:az")) == {"Novator.az"}
    assert search(service, "date:[2022-01-07 TO 2022-01-08]").total == 2


def test_not_excludes_and_is_not_highlighted(service):
    # "Armenia" also means "Ermənistan" (aliases), so the Azerbaijani article goes too.
    result = search(service, "Tokayev NOT Armenia")
    assert outlets(result) == {"Caucasus Watch", "Turan", "Vikendi"}
    marked = {m for r in result.results for p in r.passages
              for m in p.html.split("<mark>")[1:]}
    assert all(m.startswith("Tokayev") for m in marked)


@pytest.mark.parametrize("bad", ['"Kazakh people', "(Tokayev AND", "Tokayev)", "a*",
                                 "date:[2022-01-01 TO", "x" * 2000])
def test_bad_queries_raise_a_sentence(service, bad):
    with pytest.raises(BadQuery) as info:
        search(service, bad)
    assert str(info.value)[0].isupper() and str(info.value).endswith(".")


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60) | st.text(alphabet='ab "()*?~:[]^-+ ANDORNOT\\', max_size=40))
def test_the_query_parser_answers_every_string_or_says_why(text):
    schema = build_schema()
    try:
        parsed = query.parse(text, schema)
    except BadQuery as exc:
        assert str(exc).endswith(".") and str(exc)[0].isupper()
    else:
        assert parsed.query is not None


def test_an_opened_index_reads_its_common_words_ahead(seed_index, service, monkeypatch):
    monkeypatch.setattr(generation, "WARM_FROM", 0)
    warmed = SearchService(seed_index)
    assert warmed._current().warmed.wait(60)
    assert {k: warmed.status()[k] for k in ("documents", "warm")} == {"documents": 5, "warm": True}
    assert ("exact", "kazakhstan") in warmed._current().postings
    for q in ("Tokayev", "protesting", "CSTO AND Russia", "Kazakhstan NOT Russia"):
        mine, theirs = warmed.search(SearchRequest(q=q)), service.search(SearchRequest(q=q))
        assert (mine.total, mine.results, mine.facets) == (theirs.total, theirs.results,
                                                            theirs.facets)


@pytest.mark.parametrize("q", ["Tokayev", "protesting", "CSTO AND Russia", "Kazakhstan NOT Putin",
                               "Aliyev OR Tokayev", "Kazakh people"])
def test_word_queries_match_what_whoosh_matches(service, q):
    gen = service._current()
    searcher = gen.searcher()
    parsed = query.parse(q, searcher.schema, variants=gen.variants)
    found = matching.matches(parsed.query, searcher, gen.postings, gen.live)
    theirs = {hit.docnum for hit in searcher.search(parsed.query, limit=None)}
    assert set(np.flatnonzero(found.mask).tolist()) == theirs and theirs


@pytest.mark.parametrize("typed", ["said", "saying", "government", "calls", "killed", "violence"])
def test_a_word_scores_as_textbook_bm25_over_its_stem_group(service, typed):
    """Counted from the texts: every form of the word in a document adds to its frequency
    (another form than the one typed for VARIANT_WEIGHT), any form counts a document."""
    gen = service._current()
    searcher = gen.searcher()
    reader = searcher.reader()
    texts = {d: searcher.stored_fields(d)["record"]["text"] for d in range(gen.size)}
    titles = {d: fold(searcher.stored_fields(d)["title"]) for d in range(gen.size)}
    assert not any(stem(fold(typed)) in map(stem, WORD.findall(t)) for t in titles.values())
    counts = {}
    for d, text in texts.items():
        forms = [fold(w) for w in WORD.findall(text) if stem(fold(w)) == stem(typed)]
        if forms:
            counts[d] = sum(1 if f == typed else matching.VARIANT_WEIGHT for f in forms)
    lengths = {d: reader.doc_field_length(d, "exact") for d in texts}
    avg = sum(lengths.values()) / len(lengths)
    k1, b = searcher.weighting.K1, searcher.weighting.B
    expected = {d: math.log(1 + (len(texts) - len(counts) + 0.5) / (len(counts) + 0.5))
                * tf * (k1 + 1) / (tf + k1 * (1 - b + b * lengths[d] / avg))
                for d, tf in counts.items()}
    parsed = query.parse(typed, searcher.schema, variants=gen.variants)
    found = matching.matches(parsed.query, searcher, gen.postings, gen.live)
    mine = {int(d): float(found.scores[d]) for d in np.flatnonzero(found.mask)}
    assert mine.keys() == expected.keys()
    assert all(abs(mine[d] - expected[d]) < 0.02 * expected[d] for d in expected)


@pytest.mark.parametrize("q", ['"Kazakh people"', '"riveted by"', '"the protests"',
                               '"protests in Kazakhstan"', '"in Kazakhstan" AND Tokayev',
                               '"no such words together"'])
def test_phrases_match_where_whoosh_finds_them(service, q):
    gen = service._current()
    searcher = gen.searcher()
    parsed = query.parse(q, searcher.schema, variants=gen.variants)
    found = matching.matches(parsed.query, searcher, gen.postings, gen.live)
    assert set(np.flatnonzero(found.mask).tolist()) == set(searcher.docs_for_query(parsed.query))


def test_pairs_of_common_words_are_indexed_as_one_term(service):
    assert [t.text for t in pairs_analyzer()("Said the Government of Kazakhstan to the people")] == [
        "said the", "to the"]
    assert common_pairs(["tokayev", "said", "that", "the", "government"]) == [
        (2, "said that"), (3, "that the")]
    searcher = service._current().searcher()
    for words in (["of", "the"], ["in", "the"]):
        found = set(searcher.docs_for_query(wq.Term("pairs", " ".join(words))))
        phrase = set(searcher.docs_for_query(wq.Phrase("exact", words)))
        assert found and found == phrase
    # A common word beside another is not a pair: the other word's list is checked.
    assert not set(searcher.docs_for_query(wq.Term("pairs", "the protests")))


def test_a_fuzzy_word_stands_for_the_words_whoosh_would_expand_it_to(seed_index):
    # Oracle: Whoosh's own automaton over the seed vocabulary, for generated misspellings.
    rng = random.Random(7)
    with store.open_index(seed_index).searcher() as searcher:
        reader = searcher.reader()
        for field in ("title", "exact"):
            vocabulary = [b.decode("utf-8") for b in reader.lexicon(field)]
            for _ in range(150):
                word = list(rng.choice(vocabulary))
                for _ in range(rng.randint(0, 2)):
                    at = rng.randrange(len(word) + 1)
                    edit = rng.choice("ids")
                    if edit == "i" or not word:
                        word.insert(at, rng.choice("aeiouyzəıqşk"))
                    elif edit == "d":
                        del word[min(at, len(word) - 1)]
                    else:
                        word[min(at, len(word) - 1)] = rng.choice("aeiouyzəıqşk")
                fuzzy = wq.FuzzyTerm(field, fold("".join(word)), maxdist=rng.choice((1, 2)),
                                     prefixlength=rng.choice((0, 1, 2)))
                ours = fuzzy_forms(fuzzy, vocabulary, 10**6)
                if len(fuzzy.text) < fuzzy.prefixlength:
                    continue  # Whoosh's automaton fails on it (IndexError); ours does not
                assert ours == sorted(fuzzy._btexts(reader)), fuzzy  # (words as str here)


def test_words_joined_by_or_find_what_each_word_finds(service, seed_index):
    # Each word alone is the oracle, under every spelling it has (Токаев is Tokayev's
    # name key): "A OR B" is their union, "A OR B AND C" adds B and C's intersection.
    def ids(q):
        return {r.doc_id for r in search(service, q, per_page=100).results}

    rng = random.Random(3)
    with store.open_index(seed_index).searcher() as searcher:
        vocabulary = [b.decode("utf-8") for b in searcher.reader().lexicon("exact")]
    names = ["Токаев", "Tokaev", "Tokayev", "Qazaxıstan", "Putin", "Aliyev", "Əliyev", "CSTO",
             "KTMT", "Nazarbayev", "Pashinyan"]
    words = [w for w in vocabulary if w.isalpha() and w not in common_words()]
    for _ in range(60):
        a, b, c = (rng.choice(names if rng.random() < 0.5 else words) for _ in range(3))
        assert ids(f"{a} OR {b}") == ids(a) | ids(b), (a, b)
        assert ids(f"{a} OR {b} AND {c}") == ids(a) | (ids(b) & ids(c)), (a, b, c)
        assert ids(f'"{a}" OR {b}') == ids(f'"{a}"') | ids(b), (a, b)


def test_spelling_suggestions_are_the_ones_whoosh_would_make(seed_index):
    # Oracle: Whoosh's own corrector (its automaton) for generated misspellings.
    rng = random.Random(11)
    with store.open_index(seed_index).searcher() as searcher:
        reader = searcher.reader()
        vocabulary = [b.decode("utf-8") for b in reader.lexicon("exact")]
        ours = Corrector(reader, "exact", vocabulary)
        theirs = reader.corrector("exact")
        suggested = 0
        for _ in range(200):
            word = list(rng.choice(vocabulary))
            for _ in range(rng.randint(1, 3)):
                word[rng.randrange(len(word))] = rng.choice("aeioutnrsə")
            typed, maxdist = "".join(word), rng.choice((1, 2))
            expected = theirs.suggest(typed, limit=3, maxdist=maxdist)
            assert ours.suggest(typed, limit=3, maxdist=maxdist) == expected, typed
            suggested += bool(expected)
        assert suggested > 50


def test_a_query_whoosh_cannot_read_gets_a_sentence_not_whooshs_error(service):
    with pytest.raises(BadQuery) as refused:
        search(service, "x~")  # a word too short to index, made fuzzy
    assert "NoneType" not in str(refused.value)
    assert str(refused.value).startswith("The query could not be read: check its quotes")


def test_positions_are_never_another_documents(seed_index):
    # Documents a word is not in get no positions, in every segment layout Whoosh uses.
    with store.open_index(seed_index).searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            everyone = np.arange(reader.doc_count_all())
            for word in ("tokayev", "the", "kazakhstan"):
                holding = set(reader.postings("exact", word).all_ids())
                at = positions.listed(reader.postings("exact", word), everyone)
                assert [bool(p) for p in at] == [d in holding for d in everyone.tolist()]


def test_a_suggestion_never_turns_a_word_into_one_of_the_commonest(service):
    # "x" was met with "Did you mean: in", a word every document has.
    for typed in ("x", "tne"):
        suggestion = search(service, typed).suggestion
        assert suggestion is None or not {fold(w) for w in WORD.findall(suggestion)} & common_words()
    assert search(service, "x").suggestion is None
