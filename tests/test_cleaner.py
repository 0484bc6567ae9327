"""Boilerplate stripping on the seed dumps, and on footers of other outlets."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer import cleaner
from search.service import SearchRequest

from .conftest import CORPUS, SEEDS

# Every kind of boilerplate the corpus README lists, with the seed it stands in.
BOILERPLATE = [
    ("turan", "Açiq mənbələrdən foto."),  # photo credit
    ("turan", "Leave a review"),  # comment prompt
    ("turan", "Follow us on social networks"),  # follow-us line
    ("turan", "Dear resident of Baku city!"),  # climate banner, English
    ("turan", "Əziz Bakı şəhəri sakini!"),  # climate banner, Azerbaijani
    ("turan", "Вы тоже можете внести свой вклад в борьбу с глобальным изменением климата"),
    ("turan", "News Line"),
    ("turan", "-06D-"),  # the agency's sign-off code
    ("eurasianet", "Sign up for Eurasianet's free weekly newsletter."),  # newsletter
    ("eurasianet", "Heydar Isayev is a journalist from Baku."),  # author bio
]


@pytest.mark.parametrize(("seed", "line"), BOILERPLATE)
def test_boilerplate_is_removed_and_kept_apart(seed_docs, seed, line):
    doc = seed_docs[seed]
    assert line not in doc.text
    assert any(line in removed for removed in doc.removed)


@pytest.mark.parametrize("phrase", ['"Leave a review"', '"Follow us on social networks"',
                                    '"Açiq mənbələrdən foto"', '"free weekly newsletter"',
                                    '"Global Climate Change"', '"journalist from Baku"'])
def test_boilerplate_is_not_searchable(service, phrase):
    assert service.search(SearchRequest(q=phrase)).total == 0


@pytest.mark.parametrize("seed", SEEDS)
def test_every_article_paragraph_is_kept(seed_docs, seed):
    """Each source line that is not boilerplate (or the headline) is a passage, verbatim."""
    doc = seed_docs[seed]
    source = (CORPUS / SEEDS[seed]).read_text(encoding="utf-8")
    removed = set(doc.removed)
    passages = {doc.passage_text(p) for p in doc.passages}
    for line in (raw.strip() for raw in source.splitlines()):
        if not line or line in removed or line == doc.metadata.title:
            continue
        if line.endswith("-06D-"):
            line = line.removesuffix("-06D-")
        assert line in passages, f"lost article paragraph: {line[:60]!r}"


def test_kerimli_paragraph_keeps_its_words_without_the_code(seed_docs):
    texts = [seed_docs["turan"].passage_text(p) for p in seed_docs["turan"].passages]
    assert texts[-1].endswith('Kerimli believes.')


# Footers of other outlets, written in the same spirit as the seeds' (not copied from them).
OTHER_FOOTERS = {
    "apa-style": (
        "The president said on Monday that the talks in Astana would continue next week, "
        "according to the ministry's statement.\n"
        "Фото: пресс-служба президента\n"
        "Bizi sosial şəbəkələrdə izləyin\n"
        "Подписывайтесь на нас в Telegram\n"
        "Ən son xəbərlər\n"
        "Reklam yerləşdirmək üçün əlaqə\n"
        "Copyright 2022 All rights reserved\n"
    ),
    "newsroom": (
        "Officials confirmed that the border crossing had reopened after three days, "
        "and traffic was moving again by the evening.\n"
        "Photo: Getty Images\n"
        "Comments (12)\n"
        "Subscribe to our daily newsletter for the latest headlines\n"
        "Maria Petrova is a freelance journalist based in Tbilisi.\n"
    ),
}


@pytest.mark.parametrize("name", OTHER_FOOTERS)
def test_other_outlets_footers(name):
    clean = cleaner.clean(OTHER_FOOTERS[name])
    assert len(clean.paragraphs) == 1
    assert clean.paragraphs[0].startswith(("The president", "Officials"))
    assert len(clean.removed) == OTHER_FOOTERS[name].count("\n") - 1


def test_lines_repeated_across_one_outlets_documents_are_boilerplate():
    body = "A long article paragraph about events in the region, reported in full detail here."
    texts = [f"{body} Number {i}.\nRead more at our partner site today\n" for i in range(4)]
    lines = [cleaner.short_lines(text) for text in texts]
    repeated = cleaner.repeated_in(cleaner.line_counts({"Outlet": lines}))["Outlet"]
    clean = cleaner.clean(texts[0], repeated)
    assert clean.removed == ("Read more at our partner site today",)
    assert cleaner.repeated_in(cleaner.line_counts({"Small": lines[:2]}))["Small"] == frozenset()


def test_hard_wrapped_dump_joins_lines_into_paragraphs():
    text = ("The first paragraph is wrapped\nat a short width, as mail\narchives do.\n\n"
            "The second one is wrapped\ntoo, and stays apart.\n")
    assert cleaner.paragraphs(text) == [
        "The first paragraph is wrapped at a short width, as mail archives do.",
        "The second one is wrapped too, and stays apart.",
    ]


# Lines near the boilerplate length limit, of characters that normalising collapses (runs of
# white space), strips (other white space) or lengthens (casefolding "ß" and "ΐ").
_NEAR_LIMIT = st.text(st.sampled_from([" ", "\t", "\u00a0", "\u2003", "\u3000", "a", "Z", "ß",
                                       "ΐ", "ə", "İ", "\u0085"]),
                      min_size=cleaner.MAX_BOILERPLATE_LINE - 120,
                      max_size=cleaner.MAX_BOILERPLATE_LINE + 120)


@settings(max_examples=400, deadline=None)
@given(st.one_of(_NEAR_LIMIT, st.text(max_size=700)))
def test_short_lines_cut_at_the_normalised_length(line):
    # Independent oracle: the definition, a line's normalised form of at most the limit.
    expected = len(cleaner.normalise_line(line)) <= cleaner.MAX_BOILERPLATE_LINE
    assert cleaner._short(line) is expected
