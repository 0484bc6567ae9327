"""What a result marks, against the plainest reading of the rule: every word of the text
folded and judged on its own, every phrase tried at every word. ``highlight.Marker``
judges each distinct word once per answer and skips texts whose words hold no hit; the
two must agree on every text, for queries generated from the texts themselves."""

from __future__ import annotations

import functools
import gzip
import json
import random
import sys

import pytest

from core.analysis import WORD, fold, stem
from core.names import name_key
from engines.whoosh import query
from search import highlight

from .conftest import shared

SEED = 20261124


def reference(text: str, spec: query.Highlight) -> highlight.Found:
    """The hits of ``spec`` in ``text``, word by word."""
    tokens = [(m.start(), m.end(), m.group(), fold(m.group())) for m in WORD.finditer(text)]
    names = dict(spec.names)
    found, parts, variants = [], set(), []
    for start, end, written, word in tokens:
        part = None
        if spec.stems and stem(word) in spec.stems:
            part = ("stem", stem(word))
        elif word in spec.words:
            part = ("word", word)
        else:
            part = next((p.pattern for p in spec.patterns if p.match(word)), None)
        if names and written[:1].isupper() and name_key(written) in names:
            typed = names[name_key(written)]
            part = part or ("name", name_key(written))
            if typed.casefold() != written.casefold():
                variants.append((typed, written))
        if part is not None:
            found.append((start, end))
            parts.add(part)
    for phrase in spec.phrases:
        for i in range(len(tokens) - len(phrase) + 1):
            if [t[3] for t in tokens[i:i + len(phrase)]] == list(phrase):
                found.append((tokens[i][0], tokens[i + len(phrase) - 1][1]))
                parts.add(("phrase", phrase))
    merged = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return highlight.Found(tuple(merged), len(parts), tuple(dict.fromkeys(variants)))


def generated_queries(texts: list[str], rng: random.Random, n: int) -> list[str]:
    """Words as written and lower-cased, names in another spelling (folded: "Kərimli"
    typed "kerimli"), phrases of two to four words in a row, prefixes, fuzzy words, and
    several of these at once, some under a NOT."""
    def one(text: str) -> str:
        words = WORD.findall(text)
        i = rng.randrange(len(words))
        kind = rng.choice(["word", "lower", "name", "phrase", "prefix", "fuzzy"])
        if kind == "phrase":
            return '"' + " ".join(words[i:i + rng.randint(2, 4)]) + '"'
        if kind == "name":
            capitalised = [w for w in words if w[:1].isupper()] or words
            return fold(rng.choice(capitalised))
        if kind == "prefix" and len(words[i]) > 3:
            return words[i][:rng.randint(3, len(words[i]) - 1)] + "*"
        if kind == "fuzzy" and len(words[i]) > 4:
            return words[i] + "~"
        return words[i].lower() if kind == "lower" else words[i]
    queries = []
    for _ in range(n):
        text = rng.choice(texts)
        parts = [one(text) for _ in range(rng.choice([1, 1, 2, 3]))]
        if len(parts) > 1 and rng.random() < 0.2:
            parts[-1] = "NOT " + parts[-1]
        queries.append(" ".join(parts))
    return queries


def agree(service, texts: list[str], queries: list[str]) -> int:
    """Mark every text for every query with one marker (as an answer does); returns how
    many texts had a hit, after asserting each equals the reference."""
    gen = service._current()
    searcher = gen.searcher()
    words = functools.partial(gen.postings.words, searcher)
    hits = 0
    for q in queries:
        try:
            parsed = query.parse(q, searcher.schema, variants=gen.variants)
        except query.BadQuery:
            continue
        spec = query.highlight_for(parsed, words)
        marker = highlight.Marker(spec)
        for text in texts:
            expected = reference(text, spec)
            assert marker.find(text) == expected, (q, text[:80])
            hits += bool(expected.spans)
    return hits


def test_marks_what_a_word_by_word_reading_marks_in_the_seed_articles(service, seed_docs):
    texts = [d.passage_text(p) for d in seed_docs.values() for p in d.passages]
    texts += [d.metadata.title for d in seed_docs.values()]
    queries = generated_queries(texts, random.Random(SEED), 400)
    queries += ["Kerimli", "Karimli OR Aliyev", '"Kazakh people"', "protesting", "Kazakh*",
                "Tokaev~", "qazaxistan"]
    hits = agree(service, texts, queries)
    # The generated queries are drawn from the texts: most find something somewhere.
    assert hits > len(queries)


def test_marks_what_a_word_by_word_reading_marks_in_news_articles(service):
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt", encoding="utf-8") as f:
        articles = [json.loads(line)["text"] for line in f][:60]
    texts = [para for text in articles for para in text.split("\n") if para.strip()]
    rng = random.Random(SEED + 1)
    assert agree(service, texts, generated_queries(texts, rng, 100)) > 100


def test_a_variant_spelling_is_reported_once_as_typed_and_as_written(service, seed_docs):
    gen = service._current()
    searcher = gen.searcher()
    parsed = query.parse("Kerimli", searcher.schema, variants=gen.variants)
    marker = highlight.Marker(query.highlight_for(
        parsed, functools.partial(gen.postings.words, searcher)))
    found = [marker.find(seed_docs["novator"].passage_text(p)) for p in seed_docs["novator"].passages]
    variants = {v for f in found for v in f.variants}
    assert ("Kerimli", "Kərimli") in variants
    assert all(len(f.variants) == len(set(f.variants)) for f in found)


@pytest.mark.parametrize("text", ["", "   ", "—", "…!?"])
def test_texts_without_words_have_no_hits(text):
    spec = query.Highlight(words=frozenset({"script"}), phrases=(("alert", "1"),))
    assert highlight.Marker(spec).find(text) == reference(text, spec) == highlight.NOTHING


# Words glued to underscores and digits (parts of longer words to \w), a letter whose
# capital folds to two ("ß"), Turkic dotted capitals, and markup.
EDGES = ["_Kazakh Kazakh1 Kazakh_ 1Kazakh Kazakh", "Straße STRASSE strasse", "İlham İLHAM ilham",
         "<script>alert(1)</script> script alert 1", "stem kazakh and Kazakh"]


@pytest.mark.parametrize("q", ["Kazakh", "Kazakh*", "strasse", "Straße", "ilham", "script",
                               '"alert 1"', '"stem kazakh"', "stem kazakh", "1"])
def test_words_at_the_edges_of_other_words(service, q):
    agree(service, EDGES, [q])


def test_a_variant_differs_by_more_than_case():
    """Typed "STRASSE", written "Straße": the same name, not another spelling of it (they
    are equal casefolded); typed "Strase", written "Straße", is one."""
    for typed, variants in (("STRASSE", ()), ("Strase", (("Strase", "Straße"),))):
        spec = query.Highlight(names=((name_key("Straße"), typed),))
        found = highlight.Marker(spec).find("Straße")
        assert found == reference("Straße", spec) and found.variants == variants


def test_a_word_character_is_what_the_word_pattern_matches_in_all_of_unicode():
    # Hits are found with str.find and told apart from parts of longer words by this.
    assert all(highlight._word_char(c) == bool(WORD.fullmatch(c))
               for c in map(chr, range(sys.maxunicode + 1)))


def test_variants_come_in_the_order_the_text_has_them(service, seed_docs):
    """Two names typed in other spellings, in the opposite order to the text's."""
    gen = service._current()
    searcher = gen.searcher()
    words = functools.partial(gen.postings.words, searcher)
    checked = 0
    for doc in seed_docs.values():
        for p in doc.passages:
            text = doc.passage_text(p)
            names = list(dict.fromkeys(w for w in WORD.findall(text)
                                       if w[:1].isupper() and fold(w) != w.lower()))
            if len(names) < 2:
                continue
            typed = [fold(w) for w in names[:2]]
            spec = query.highlight_for(query.parse(" ".join(reversed(typed)), searcher.schema,
                                                   variants=gen.variants), words)
            found = highlight.Marker(spec).find(text)
            assert found == reference(text, spec)
            checked += len(found.variants) >= 2
    assert checked >= 2


def test_a_phrase_and_a_word_count_as_two_parts_whatever_their_words():
    # A phrase of the words "stem kazakh" once counted as the stem "kazakh" (same tuple).
    spec = query.Highlight(stems=frozenset({"kazakh"}), phrases=(("stem", "kazakh"),))
    assert highlight.Marker(spec).find("stem kazakh and Kazakh").matched == 2
