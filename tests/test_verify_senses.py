"""Issue 32: a quote in other words (synonyms, irregular verb forms, phrasal verbs, a
negation moved) is held `altered`, while words gathered from several sentences are not a
statement. The sentences here are written for these tests, none from a bench set."""

from __future__ import annotations

import dataclasses
import itertools

import pytest

from core import data as shipped
from core.analysis import fold
from core.records import Document, Metadata, Passage
from search import senses, verify
from search.opposites import opposed
from search.polarity import read
from search.wording import is_content


def _document(*paragraphs: str) -> Document:
    text, passages, at = "", [], 0
    for n, paragraph in enumerate(paragraphs):
        passages.append(Passage(f"p{n}", at, at + len(paragraph)))
        text += paragraph + "\n\n"
        at = len(text)
    metadata = Metadata("A report", "Test Outlet", "2005-01", "en", (), None)
    return Document("d1", "d1.txt", "f", "utf-8", "1", metadata, text, tuple(passages), ())


def _verdict(quote: str, *paragraphs: str) -> str:
    return verify.judge(quote, [_document(*paragraphs)], verify.Concepts([]), lambda w: 1.0).verdict


@pytest.mark.parametrize(("quote", "archived"), [
    # Synonyms of news wording.
    ("Shares in the carmaker tumbled after the firm slashed its forecast.",
     "Shares in the carmaker dropped after the company reduced its forecast."),
    # Irregular verbs with their negation moved: "did not make" is "never made".
    ("The regulator did not make the decision.", "The regulator never made the decision."),
    ("The board did not take that view and did not give its approval.",
     "The board never took that view and never gave its approval."),
    # Phrasal verbs for one-word verbs, in any form.
    ("The chairman stepped down and the bank pulled out of the deal right away.",
     "The chairman resigned and the bank withdrew from the deal immediately."),
    # A negation moved into the clause that a negated "mean that" opens.
    ("By settling, the insurers were not accepting any blame for the flooding.",
     "Settling did not mean that the insurers were accepting any blame for the flooding."),
])
def test_other_words_that_keep_the_meaning_are_altered(quote, archived):
    assert _verdict(quote, archived) == "altered"


def test_words_gathered_from_three_sentences_are_not_a_statement():
    archived = "The governor spoke in Paris. Oil prices were steady. Exports will suffer next year."
    quote = "The governor said oil prices would hurt exports next year."
    assert _verdict(quote, archived) == "not_found"
    # The same words said in a sentence or two in a row are the statement, altered.
    assert _verdict(quote, "The governor said oil prices were steady. Exports will suffer "
                           "next year.") == "altered"


def test_a_synonym_does_not_hide_an_opposite():
    assert _verdict("The carmaker's shares rose after the firm cut its sales forecast for Asia.",
                    "The carmaker's shares dropped after the company reduced its sales forecast "
                    "for Asia.") == "contradicted"


@pytest.mark.parametrize(("quote", "archived"), [
    ("He did not know about the loans, his lawyer said.",
     "He was unaware of the loans, his lawyer said."),
    # A clause added whole with its own "not" bears on nothing after it.
    ("We did not raise fees, we did not cut them and sales were flat.",
     "We did not raise fees and sales were flat."),
])
def test_no_reversal_read(quote, archived):
    assert read(quote, archived).reversed == ()


def test_a_negated_verb_that_opens_a_clause_reverses_it():
    reading = read("By settling, the insurers were accepting blame for the flooding.",
                   "Settling did not mean that the insurers were accepting blame for the flooding.")
    assert [r.archive for r in reading.reversed] == ["did not mean that the insurers"]


def test_a_word_on_the_same_side_of_opposites_holds_nothing_of_a_quoted_word():
    concepts = verify.Concepts([])
    assert not concepts.of("stay", True) & concepts.of("sent")  # same side: not the same word
    assert concepts.of("stay", True) & concepts.of("leave")  # the opposite: held, reversed
    assert concepts.of("stay", True) & concepts.of("stayed")


def test_irregular_forms_and_synonyms_share_a_key():
    assert senses.key("made") == senses.key("make") == senses.key("making")
    assert senses.key("fell") == senses.key("plunged") == senses.key("dropping")
    assert senses.key("told") == senses.key("says")
    # An adverb keeps clear of the adjective its stem would give.
    assert senses.key("generally") != senses.key("general")
    assert senses.key("largely") != senses.key("large")
    assert senses.key("mostly") != senses.key("most")


def test_a_phrase_stands_for_its_group_in_any_form():
    words = [fold(w) for w in ["they", "pulled", "out", "at", "once", "and", "prices", "went", "up"]]
    keys = senses.phrase_keys(words)
    assert keys[1] == keys[2] == senses.key("withdraw")
    assert keys[3] == keys[4] == senses.key("immediately")
    assert keys[7] == keys[8] == senses.key("rise")
    assert senses.phrase_keys(words, {senses.key("rise")}) == {7: keys[7], 8: keys[8]}


def test_auxiliaries_say_nothing_of_their_own():
    assert not any(map(is_content, ["did", "must", "has", "would"]))
    assert is_content("made") and is_content("decision")


def test_the_synonym_table_joins_no_opposites_and_lists_a_word_once():
    groups = shipped.toml("synonyms.toml")["groups"]
    words = [w for group in groups for w in group if " " not in w]
    keys = [senses.key(fold(w)) for w in words]
    for group in groups:
        single = [fold(w) for w in group if " " not in w]
        assert not [(a, b) for a, b in itertools.combinations(single, 2) if opposed(a, b)]
        assert " " not in group[0]
    owners: dict[str, str] = {}
    for word, key in zip(words, keys, strict=True):
        owner = next(g[0] for g in groups if word in g)
        assert owners.setdefault(key, owner) == owner, word  # one group per key


def test_a_quote_one_article_holds_with_a_harmless_ellipsis_is_not_called_reversed():
    # The earlier article's ellipsis leaves out a "not"; the later one's leaves out an
    # aside: the quote stands in the archive, and it is no reversal.
    earlier = _document("He said the new wage deal does not in any way matter to the "
                        "workers at the plant in the valley.")
    later = dataclasses.replace(
        _document("He said the new wage deal does, as everyone in town knows, matter to the "
                  "workers at the plant in the valley."), doc_id="d2",
        metadata=dataclasses.replace(earlier.metadata, date="2006-01"))
    quote = "He said the new wage deal does … matter to the workers at the plant in the valley."
    check = verify.judge(quote, [earlier, later], verify.Concepts([]), lambda w: 1.0)
    assert check.verdict == "verbatim" and check.matches[0].doc.doc_id == "d2"
    alone = verify.judge(quote, [earlier], verify.Concepts([]), lambda w: 1.0)
    assert alone.verdict == "contradicted"
