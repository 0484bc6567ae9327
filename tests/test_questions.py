"""Questions typed as questions: a "?" that ends a word is punctuation, one inside a word
a wildcard; the page says how a "?" was read only where that changes the answer."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from core.analysis import WORD, fold
from engines.whoosh.query import read_questions

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


@pytest.mark.parametrize(("typed", "read", "words"), [
    ("Why did Tokayev invite the CSTO?", "Why did Tokayev invite the CSTO", ["CSTO"]),
    ("Tokayev?", "Tokayev", ["Tokayev"]),
    ("Tokayev??", "Tokayev", ["Tokayev"]),
    ("Tokayev?, or CSTO?)", "Tokayev, or CSTO)", ["Tokayev", "CSTO"]),
    ("title:CSTO?", "title:CSTO", ["CSTO"]),
    ('Did he say "no?"', 'Did he say "no"', ["no"]),
    ("Tok?yev", "Tok?yev", []),  # inside a word: one letter
    ("Tok?e?", "Tok?e", ["Tok?e"]),
    ("Kazakh*?", "Kazakh*?", []),  # after syntax, not after a word
    ("Tokaev~?", "Tokaev~?", []),
    ("?", "?", []),  # no word before it: a wildcard, refused as one
])
def test_a_question_mark_that_ends_a_word_is_punctuation(typed, read, words):
    text, marks = read_questions(typed)
    assert text == read and [word for word, _ in marks] == words
    assert all(text[start:start + len(word)] == word for word, start in marks)


def _documents(client, q: str) -> set[str]:
    data = client.get("/api/search", query_string={"q": q, "per_page": 50}).get_json()
    return {r["doc_id"] for r in data["results"]}


def test_a_question_is_searched_not_refused(client):
    question = "Why did Tokayev invite the CSTO?"
    asked = client.get("/api/search", query_string={"q": question})
    assert asked.status_code == 200
    said = client.get("/api/search", query_string={"q": question[:-1]}).get_json()
    data = asked.get_json()
    assert (data["total"], data["relaxed"]) == (said["total"], said["relaxed"]) and data["total"]
    assert data["question_marks"] == []  # every word is in the archive: nothing to say
    assert client.get("/", query_string={"q": question}).status_code == 200


def test_a_word_with_a_question_mark_finds_the_word(client):
    assert _documents(client, "Tokayev?") == _documents(client, "Tokayev") != set()
    page = BeautifulSoup(client.get("/?q=Tokayev%3F").data, "html.parser")
    assert page.select_one("#results-heading").get_text(" ", strip=True).startswith("5 documents")
    assert page.select_one("p.question-mark") is None


def test_a_question_mark_inside_a_word_stands_for_one_letter(client, service, seed_docs):
    # The oracle: the seed texts read word by word, with "?" as any one letter.
    pattern = re.compile("tok.yev")
    expected = {doc.doc_id for doc in seed_docs.values()
                if any(pattern.fullmatch(fold(w)) for w in WORD.findall(doc.metadata.title + " "
                                                                        + doc.text))}
    assert _documents(client, "Tok?yev") == expected != set()


def test_the_page_says_how_a_question_mark_was_read_where_that_matters(client):
    data = client.get("/api/search", query_string={"q": "Tokaye?"}).get_json()
    assert data["total"] == 0
    [mark] = data["question_marks"]
    assert (mark["word"], mark["instead"]) == ("Tokaye", "Tokaye*")
    page = BeautifulSoup(client.get("/?q=Tokaye%3F").data, "html.parser")
    note = page.select_one("p.question-mark")
    assert note.get_text(" ", strip=True).replace(" .", ".") == mark["message"]
    instead = client.get(note.a["href"]).data
    heading = BeautifulSoup(instead, "html.parser").select_one("#results-heading")
    assert heading.get_text(" ", strip=True).startswith("5 documents match")
