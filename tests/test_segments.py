"""Our shortcuts in writing Whoosh segments (``schema.Prepared``, ``indexer/segments.py``)
against Whoosh itself: the same postings, byte for byte, on BBC articles from
``../shared/data/news-corpus`` and on generated text, and an index that stock Whoosh
opens, searches and merges."""

from __future__ import annotations

import copy
import gzip
import json
import random
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index
from whoosh.fields import TEXT, FieldType
from whoosh.qparser import QueryParser

from core.analysis import name_words, terms
from engines.whoosh import segments
from engines.whoosh.schema import Prepared, build_schema

from .conftest import seed_paragraphs, shared

SEED = 20261124


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def prepared_fields() -> dict[str, Prepared]:
    schema = build_schema()
    fields = {name: schema[name] for name in schema.names() if isinstance(schema[name], Prepared)}
    assert {"title", "exact", "pairs", "names"} <= set(fields)
    return fields


def as_whoosh(field: Prepared, text: str) -> list:
    """What Whoosh's own indexing (the analyzer chain) gives for ``text``."""
    return list(FieldType.index(field, text))


def test_prepared_fields_index_what_their_analyzers_do(articles):
    texts = [a["text"] for a in articles] + [a["title"] for a in articles] + seed_paragraphs()
    for name, field in prepared_fields().items():
        for text in texts:
            value = " ".join(name_words(text)) if name == "names" else text
            assert list(field.index(value)) == as_whoosh(field, value), (name, text[:60])


# Words of the scripts the archive holds, with the characters folding treats apart
# (dotted and dotless i, ə, accents, ё), punctuation, digits and joiners.
WORDS = st.text(st.sampled_from("aAıIiİəƏeEoöÖüşçğxyzsS ёЁйлкаКА ßøǼ'’-_.,;1 \n\t"),
                max_size=60)


@settings(max_examples=300, deadline=None)
@given(st.lists(WORDS, max_size=30))
def test_prepared_fields_on_generated_text(pieces):
    text = " ".join(pieces)
    for field in prepared_fields().values():
        assert list(field.index(text)) == as_whoosh(field, text)


def test_chunked_pool_spills_and_sorts_as_the_postings_go(tmp_path, monkeypatch):
    monkeypatch.setattr(segments, "CHUNK", 97)
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    writer = segments.writer(ix)
    pool = writer.pool
    pool.limit = 20_000  # bytes, as Whoosh estimates them: a run every hundred or so
    rng = random.Random(SEED)
    items = [(rng.choice(["exact", "pairs", "title"]), rng.randbytes(rng.randint(1, 6)),
              docnum, float(rng.randint(1, 4)), rng.randbytes(5)) for docnum in range(3000)]
    for item in items:
        pool.add(item)
    assert len(pool.runs) > 20
    got, want = list(pool.items(maxfiles=8)), sorted(items)  # with runs merged ahead too
    assert len(got) == len(want)
    assert not [n for n, (a, b) in enumerate(zip(got, want, strict=True)) if a != b][:3]
    writer.cancel()


def stock_schema():
    """The schema with Whoosh's TEXT in place of our prepared fields."""
    schema = copy.deepcopy(build_schema())
    for name in schema.names():
        if isinstance(schema[name], Prepared):
            schema[name].__class__ = TEXT
    return schema


def postings(ix) -> dict:
    """Every term's postings as (document id, weight, encoded value), by field and term."""
    found = defaultdict(list)
    with ix.searcher() as searcher:
        ids = {n: fields["doc_id"] for n, fields in enumerate(searcher.all_stored_fields())}
        reader = searcher.reader()
        for field, term in reader.all_terms():
            cursor = reader.postings(field, term)
            while cursor.is_active():
                found[(field, term)].append((ids[cursor.id()], cursor.weight(), cursor.value()))
                cursor.next()
    return {key: sorted(value) for key, value in found.items()}


def differing(got: dict, want: dict) -> list:
    """A few of the terms whose postings differ (pytest's own diff of whole indexes
    would take minutes)."""
    return [key for key in sorted(got.keys() | want.keys()) if got.get(key) != want.get(key)][:5]


def documents(articles: list[dict]) -> list[dict]:
    return [{"doc_id": str(n), "title": a["title"], "exact": a["text"], "pairs": a["text"],
             "names": " ".join(name_words(f"{a['title']}\n{a['text']}")),
             "outlet": "BBC News", "author": "BBC"} for n, a in enumerate(articles)]


def test_written_index_is_whooshs(articles, tmp_path, monkeypatch):
    docs = documents(articles[:600])
    for name in ("stock", "ours"):
        (tmp_path / name).mkdir()
    stock = whoosh_index.create_in(str(tmp_path / "stock"), stock_schema())
    writer = stock.writer()
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()

    # Ours: two processes, each spilling runs of a few chunks, as a big build does.
    monkeypatch.setattr(segments, "CHUNK", 500)
    ours = whoosh_index.create_in(str(tmp_path / "ours"), build_schema())
    writer = segments.writer(ours, procs=2, limitmb=1, multisegment=True)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()

    expected = postings(stock)
    reopened = whoosh_index.open_dir(str(tmp_path / "ours"))  # stock Whoosh's reader
    assert len(reopened._segments()) == 2
    assert not differing(postings(reopened), expected)
    title_word = max(terms(docs[7]["title"]), key=len)
    for text in ("the government", '"of the"', "minister", f"title:{title_word}"):
        hits = []
        for ix in (stock, reopened):
            with ix.searcher() as searcher:
                query = QueryParser("exact", ix.schema).parse(text)
                hits.append(sorted(hit["doc_id"] for hit in searcher.search(query, limit=None)))
        assert hits[0] and hits[0] == hits[1], text
    reopened.optimize()  # merged by stock Whoosh's writer
    merged = whoosh_index.open_dir(str(tmp_path / "ours"))
    assert len(merged._segments()) == 1
    assert not differing(postings(merged), expected)


def test_one_segment_written_by_two_processes(tmp_path, monkeypatch):
    # multisegment=False: the parent merges the runs its workers wrote into one segment.
    docs = documents([{"title": p[:80], "text": p} for p in seed_paragraphs()])
    stock = whoosh_index.create_in(str(tmp_path), stock_schema(), indexname="stock")
    with stock.writer() as writer:
        for doc in docs:
            writer.add_document(**doc)
    monkeypatch.setattr(segments, "CHUNK", 50)
    ours = whoosh_index.create_in(str(tmp_path), build_schema(), indexname="ours")
    with segments.writer(ours, procs=2, batchsize=4, multisegment=False) as writer:
        for doc in docs:
            writer.add_document(**doc)
    reopened = whoosh_index.open_dir(str(tmp_path), indexname="ours")
    assert len(reopened._segments()) == 1
    assert not differing(postings(reopened), postings(stock))
