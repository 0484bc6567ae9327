"""Reversals read where they stand in the alignment of a quote with the archive, in
English, Azerbaijani and Russian."""

from __future__ import annotations

import pytest

from search.negation import clauses
from search.opposites import opposed, turkic_negated
from search.polarity import read
from search.wording import tokens


def _pairs(quote: str, archived: str) -> list[tuple[str, str]]:
    return [(r.quote, r.archive) for r in read(quote, archived).reversed]


@pytest.mark.parametrize(("quote", "archived", "expected"), [
    # An unrelated negation in the sentence before cancels nothing.
    ("Demand for steel did not rise last year.",
     "Prices have not changed. Demand for steel rose last year.", [("did not rise", "rose")]),
    # Dropped.
    ("The board will approve the merger.",
     "The board will not approve the merger, its chairman said.", [("will approve", "will not approve")]),
    # An opposite swapped in.
    ("The court convicted the former minister of fraud.",
     "The court cleared the former minister of fraud.", [("convicted", "cleared")]),
    # Two opposites in one sentence do not cancel each other.
    ("Exports fell and imports rose in March.",
     "Exports rose and imports fell in March.", [("fell", "rose"), ("rose", "fell")]),
    # A prefix makes the opposite.
    ("The sale was legal, the judge said.", "The sale was illegal, the judge said.",
     [("legal", "illegal")]),
    # Two negations added on one side are two reversals, not a double negation.
    ("Prices did not rise and wages did not fall in May.", "Prices rose and wages fell in May.",
     [("did not rise", "rose"), ("did not fall", "fell")]),
    # A negation one word before the aligned word it leads to bears on it.
    ("The opposition said it was wise to cut taxes this year.",
     "The opposition said: we do not think it wise to cut taxes this year.",
     [("it", "do not think it")]),
    # "Hardly" denies: left out, the statement says the opposite (a newcomer's example).
    ("The plan has any support in parliament.", "The plan has hardly any support in parliament.",
     [("has any support", "has hardly any support")]),
])
def test_a_reversal_is_named_where_it_stands(quote, archived, expected):
    assert _pairs(quote, archived) == expected


@pytest.mark.parametrize(("quote", "archived"), [
    # Two negations in one clause cancel: "never" is "not ... ever".
    ("He never signed the agreement.", "He did not sign the agreement."),
    # A negation and an opposite cancel.
    ("The minister said the plan was wrong.", "The minister said the plan was not right."),
    # Words that say "not" in other words only cancel.
    ("The company refused to comment on the report.",
     "The company did not comment on the report."),
    ("The strike is unlikely to end this week.", "The strike will not end this week."),
    # "Hardly" before a quantity or opening "hardly had ... when" says "just", not "not".
    ("A week after the election, protests began in the capital.",
     "Scarcely a week after the election, protests began in the capital."),
    ("The talks had begun when police arrived at the building.",
     "Hardly had the talks begun when police arrived at the building."),
    # "Hardly" and "not" say the same.
    ("Locals do not have the opportunity to use the Internet.",
     "Locals hardly have the opportunity to use the Internet."),
    # A long clause dropped with a negation in it reverses nothing.
    ("The plan was approved by parliament on Monday.",
     "The plan, which the opposition did not support at first, was approved by parliament on Monday."),
    # A dropped clause that repeats the words after it ("does not ...") lends them no "not".
    ("Officials said the rule does not apply to farms, does not cover shops in cities.",
     "Officials said the rule does not apply to farms, does not have an exemption, does not "
     "cover shops in cities."),
    # Phrases that deny nothing.
    ("Prices rose in Baku and in Ganja.", "Prices rose not only in Baku but also in Ganja."),
    # The same words.
    ("Inflation rose to 5%.", "Inflation rose to 5% in May."),
])
def test_no_reversal(quote, archived):
    assert _pairs(quote, archived) == []


@pytest.mark.parametrize(("quote", "archived", "expected"), [
    ("Hökumət istefaya göndərilməyib.", "Hökumət istefaya göndərilib.",
     [("göndərilməyib", "göndərilib")]),
    ("Bu addım qanunsuz deyil.", "Bu addım qanunsuzdur.", [("qanunsuz deyil", "qanunsuzdur")]),
    ("Partiya qərarı alqışlayıb.", "Partiya qərarı pisləyib.", [("alqışlayıb", "pisləyib")]),
])
def test_azerbaijani_reversals(quote, archived, expected):
    assert _pairs(quote, archived) == expected


def test_azerbaijani_concord_heç_echoes_the_negated_verb():
    assert _pairs("Ölkəyə heç bir hərbi müdaxilə olmayıb.", "Ölkəyə hər hansı hərbi müdaxilə olmayıb.") == []


@pytest.mark.parametrize(("quote", "archived", "expected"), [
    ("Министр не поддержал решение правительства.", "Министр поддержал решение правительства.",
     [("не поддержал", "поддержал")]),
    ("Министр осудил решение правительства.", "Министр поддержал решение правительства.",
     [("осудил", "поддержал")]),
    ("Сделка была законной, заявил суд.", "Сделка была незаконной, заявил суд.",
     [("законной", "незаконной")]),
])
def test_russian_reversals(quote, archived, expected):
    assert _pairs(quote, archived) == expected


def test_russian_concord_никто_не_is_one_negation():
    assert _pairs("Никто не пришёл на встречу с министром.", "Никто не пришел на встречу с министром.") == []


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("olub", "olmayib", True), ("gedir", "getmir", True), ("etmeli", "etmemelidir", True),
    ("isteyir", "istemir", True), ("gonderib", "gondermesi", False), ("olub", "olmalidir", False),
    ("edilib", "etmeyib", False),
])
def test_azerbaijani_negated_verb_forms(a, b, expected):
    assert turkic_negated(a, b) is expected


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("admitted", "denied", True), ("rose", "fell", True), ("unlawful", "lawful", True),
    ("allowed", "prevented", True), ("rose", "increased", False), ("praised", "welcomed", False),
])
def test_opposites(a, b, expected):
    assert opposed(a, b) is expected


def test_clauses_break_at_sentences_and_conjunctions_not_inside_a_short_phrase():
    quote = "Prices rose sharply in May, but wages fell. Oil and gas stayed flat all year."
    found = tokens(quote)
    assert [" ".join(found[k].raw for k in unit) for unit in clauses(quote, found)] == [
        "Prices rose sharply in May", "but wages fell", "Oil and gas stayed flat all year"]


def test_a_point_between_digits_ends_no_clause():
    quote = "Output rose to 14.27 million tonnes in 2004, a report says."
    assert len(clauses(quote, tokens(quote))) == 1
