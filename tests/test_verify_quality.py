"""The quote checker's regression gate on the labelled cases (tests/data/verify_cases.jsonl,
scored by bench/verify_quality.py on the seeds and 300 BBC articles)."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from indexer import build
from search.service import SearchService

from .conftest import ROOT, shared

pytestmark = pytest.mark.slow


def _bench():
    spec = importlib.util.spec_from_file_location("verify_quality", ROOT / "bench" / "verify_quality.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def archive_folder(tmp_path_factory):
    """The bench's archive (the seeds and 300 BBC articles): its corpus and its index."""
    shared("data/news-corpus/bbc-news-2225.jsonl.gz")
    work = tmp_path_factory.mktemp("verify-archive")
    build.index_corpus(_bench().build_corpus(work / "corpus"), work / "index")
    return work


@pytest.fixture(scope="module")
def archive(archive_folder):
    return SearchService(archive_folder / "index")


def test_verdicts_on_the_labelled_cases(archive):
    bench = _bench()
    cases = [json.loads(line) for line in bench.CASES.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    assert len(cases) >= 150 and {c["label"] for c in cases} == set(bench.VERDICTS)
    figures, rows = bench.score(cases, bench.checker(archive))
    wrong = [(r["id"], r["label"], r["verdict"]) for r in rows if r["verdict"] != r["label"]]
    assert figures["not_found_called_found"] == 0, wrong  # no invented quote passes as found
    assert figures["reversals_called_altered_or_verbatim"] == 0, wrong  # nor a reversed one
    assert figures["verbatim_spans_found"] == figures["verbatim_spans"] >= 8, wrong
    assert figures["right_passage_first"]["verbatim"] == 1.0, wrong
    assert figures["right_passage_first"]["altered"] >= 0.9, wrong
    assert figures["per_verdict"]["contradicted"]["recall"] >= 0.85, wrong


def test_the_passage_worded_like_the_quote_carries_its_verdict(archive):
    # Japan's "fell by 0.1% in the last three months of 2004" is the statement reversed;
    # the French article has the same words ("last three months of 2004 ... GDP rose by
    # 0.8%") scattered over a paragraph and once came first, calling the reversal altered.
    check = archive.check_quote("Gross domestic product rose by 0.1% in the last three "
                                "months of 2004.")
    assert check.verdict == "contradicted"
    first = check.matches[0]
    assert "Gross domestic product fell by 0.1% in the last three months of 2004." in first.text
    assert [(r.quote, r.archive) for r in first.reversed] == [("rose", "fell")]


def test_on_the_set_made_blind_no_reversal_passes_as_held_and_every_span_is_found(archive):
    # bench/data/verify_blind.jsonl, made for issue 32 by someone who saw neither the code
    # nor the other sets; its shortfalls (paraphrases) are in the closing notes, not here.
    bench = _bench()
    path = ROOT / "bench" / "data" / "verify_blind.jsonl"
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
             if line.strip()]
    figures, rows = bench.score(cases, bench.checker(archive))
    wrong = [(r["id"], r["label"], r["verdict"]) for r in rows if r["verdict"] != r["label"]]
    assert figures["reversals_called_altered_or_verbatim"] == 0, wrong
    assert figures["not_found_called_found"] == 0, wrong
    assert figures["verbatim_spans_found"] == figures["verbatim_spans"] >= 15, wrong
    assert figures["per_verdict"]["verbatim"]["recall"] == 1.0, wrong
    assert figures["per_verdict"]["contradicted"]["recall"] == 1.0, wrong


def test_a_figure_cut_at_its_decimal_point_is_not_verbatim(archive):
    # Japan's "fell by 0.1% in the last three months of 2004": "fell by 0." has its words.
    check = archive.check_quote("Gross domestic product fell by 0.")
    assert check.verdict == "altered" and check.matches[0].cut
    assert archive.check_quote("Gross domestic product fell by 0.1%").verdict == "verbatim"


def test_a_quote_stitched_from_two_articles_is_no_reversal_of_a_third(archive):
    # Japan's "fell by 0.1% in the last three months of 2004" with the UK article's "the
    # ONS added": the French article's "GDP rose by 0.8% ... last three months of 2004"
    # seemed to be its statement reversed. The archive does say "fell", word for word.
    quote = ("Gross domestic product fell by 0.1% in the last three months of 2004, the "
             "Office for National Statistics (ONS) added.")
    for half in quote.split(", the "):
        assert archive.check_quote(half).verdict == "verbatim"
    assert archive.check_quote(quote).verdict == "not_found"


def test_a_negation_dropped_stays_a_reversal_where_the_article_is_archived_twice(archive):
    # Two copies of the Opec article say "we do not need to cut supply if the prices are";
    # "need to cut supply if the prices are" standing in the other copy is no sign of a
    # stitched quote: the word before it is the negation the quote dropped.
    check = archive.check_quote("I agree that we need to cut supply if the prices are as "
                                "much as this")
    assert check.verdict == "contradicted"
    assert len({m.doc.doc_id for m in check.matches}) == 2


# Opposites added for a newcomer's reversals ("rarely" for "often", "sceptical" for
# "enthusiastic", "restrained" for "outspoken"), tried on the BBC articles they were not
# written from: each side's first word swapped in for any word of the other side.
_SIDES = [(("often", "frequently", "regularly", "usually", "routinely", "commonly"),
           ("rarely", "seldom")),
          (("optimistic", "enthusiastic", "hopeful", "upbeat", "bullish"),
           ("pessimistic", "sceptical", "skeptical", "gloomy", "bearish"))]


def test_the_added_opposites_reverse_sentences_they_were_not_written_from(
        archive, archive_folder):
    swapped = []
    for path in sorted((archive_folder / "corpus").glob("bbc-*.txt")):
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", path.read_text(encoding="utf-8")):
            for one, other in (*_SIDES, *((b, a) for a, b in _SIDES)):
                found = re.search(rf"\b({'|'.join(one)})\b", sentence)
                if found and len(sentence.split()) >= 8:
                    swapped.append((sentence, found, other[0]))
    checked = 0
    for sentence, found, opposite in swapped:
        if archive.check_quote(sentence).verdict != "verbatim":
            continue  # (a line the cleaner read as a title or a byline)
        checked += 1
        quote = sentence[: found.start()] + opposite + sentence[found.end() :]
        check = archive.check_quote(quote)
        assert check.verdict == "contradicted", quote
        assert (opposite, found.group()) in [(r.quote, r.archive) for r in check.matches[0].reversed]
    assert checked >= 10
