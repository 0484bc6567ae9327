"""The quote checker in English and Azerbaijani."""

from __future__ import annotations

import pytest

from search import verify


@pytest.mark.parametrize(("quote", "outlet"), [
    ("«QAZAXISTANA hər hansı hərbi müdaxilə olmayıb, ona görə də KTMT-nin ora ordu göndərməsi»",
     "Novator.az"),
    ('"I do not believe that the events in Kazakhstan will end soon"', "Caucasus Watch"),
    ("Everywhere in the world people have the right … to cruelty and injustice", "Eurasianet"),
])
def test_verbatim_despite_marks_case_and_ellipsis(service, quote, outlet):
    check = service.check_quote(quote)
    top = check.matches[0]
    assert check.verdict == "verbatim" and top.exact and top.doc.metadata.outlet == outlet


def test_altered_azerbaijani_quote_shows_the_change(service):
    quote = "Qazaxıstana heç bir hərbi müdaxilə olmayıb, ona görə də KTMT-nin ora ordu göndərməsi"
    check = service.check_quote(quote)
    top = check.matches[0]
    assert check.verdict == "altered" and not top.exact
    changes = [(op, words.strip()) for op, words in verify.diff(quote, top.text) if op in "-+"]
    assert changes == [("-", "heç bir"), ("+", "hər hansı")]


def test_left_out_words_must_still_come_in_order(service):
    quote = "people in turn have the right […] Everywhere in the world"
    assert service.check_quote(quote).verdict != "verbatim"
