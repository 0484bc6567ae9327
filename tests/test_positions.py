"""Phrase positions written beside each segment (``indexer/positions.py``) against the
two things they stand for: Whoosh's own decoding of its posting blocks, and a brute-force
reading of the texts. The archive is BBC articles from ``../shared/data/news-corpus``,
written straight into Whoosh in three segments of several hundred, so that the common
words' lists span several of Whoosh's 128-posting blocks at the default LONG; then
documents are deleted, among them whole leading blocks."""

from __future__ import annotations

import gzip
import json
import random
import shutil
from collections import defaultdict

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from core.analysis import WORD, common_words, terms
from engines.whoosh import matching, positions, writing
from engines.whoosh.schema import build_schema
from indexer import build
from search.results import SearchRequest
from search.service import SearchService

from .conftest import CORPUS, shared

SEED = 20261123
BLOCK = 128  # postings in one of Whoosh's blocks


def both_ways(reader, sidecar: positions.Sidecar, field: str, term: str, docs: np.ndarray
              ) -> tuple[dict[int, list[int]], dict[int, list[int]]]:
    """A term's positions in each of ``docs`` that holds it: as Whoosh's own cursor
    decodes them, and as written."""
    expected = {}
    cursor = reader.postings(field, term)
    while cursor.is_active():
        expected[cursor.id()] = cursor.value_as("positions")
        cursor.next()
    held, found = sidecar.positions_in(field, term, docs)
    got = defaultdict(list)
    for doc, position in zip(held.tolist(), found.tolist(), strict=True):
        got[doc].append(position)
    return expected, dict(got)


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """(index, live document numbers -> texts' folded words) after three commits and the
    deletions of a fourth."""
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt", encoding="utf-8") as f:
        articles = [json.loads(line) for line in f][:1300]
    # One text repeats a sentence past a thousand "the"s: a list longer than one of
    # pickle's batches of appended items.
    sentence = next(s for s in articles[0]["text"].split(". ") if " the " in s)
    articles.append({"text": ". ".join([sentence] * 600)})
    folder = tmp_path_factory.mktemp("positions")
    ix = whoosh_index.create_in(str(folder), build_schema())
    texts: dict[str, list[str]] = {}
    rng = random.Random(SEED)
    for part in (articles[:300], articles[300:900], articles[900:]):
        writer = ix.writer(compound=False)
        for article in part:
            doc_id = str(len(texts))
            writer.add_document(doc_id=doc_id, exact=article["text"], pairs=article["text"])
            texts[doc_id] = terms(article["text"])
        writer.commit(merge=False)
        assert positions.write(ix) == 1  # as a build does after each commit
    writer = ix.writer(compound=False)
    # The whole first segment, and the second's first blocks.
    for doc_id in [str(n) for n in range(450)] + rng.sample(sorted(texts), 150):
        if doc_id in texts:
            writer.delete_by_term("doc_id", doc_id)
            del texts[doc_id]
    writer.commit(merge=False)
    assert positions.write(ix) == 0  # deletions make no new segment
    return ix, texts


def test_written_lists_are_whooshs_across_blocks_and_deletions(archive):
    ix, _ = archive
    blocks = deleted = 0
    with ix.searcher() as searcher:
        for reader, _ in searcher.reader().leaf_readers():
            sidecar = positions.Sidecar.of(reader)
            live = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
            assert sidecar.terms and all(last - first >= positions.LONG
                                         for first, last in sidecar.terms.values())
            for field, term in sidecar.terms:
                expected, got = both_ways(reader, sidecar, field, term, live)
                assert got == expected, (field, term)
                first, last = sidecar.terms[(field, term)]
                blocks = max(blocks, -(-(last - first) // BLOCK))
                deleted += len(sidecar.docs[first:last]) > len(expected)
            assert np.array_equal(  # and where phrases start, both ways
                positions.starts(reader, sidecar, "exact", "the", live, 2),
                positions.starts(reader, None, "exact", "the", live, 2))
    assert blocks >= 4 and deleted > 10


def test_phrases_agree_with_the_texts(archive):
    ix, texts = archive
    rng = random.Random(SEED)
    common = sorted(common_words() & {w for words in texts.values() for w in words})
    docs = sorted(texts)
    wrong = []
    with ix.searcher() as searcher:
        size = searcher.doc_count_all()
        live = np.zeros(size, dtype=bool)
        live[list(searcher.reader().all_doc_ids())] = True
        ids = {n: searcher.stored_fields(n)["doc_id"] for n in np.flatnonzero(live).tolist()}
        postings = matching.Postings(size)
        for trial in range(300):
            n = rng.randint(2, 5)
            if trial % 3:
                words = texts[rng.choice(docs)]
                at = rng.randrange(max(1, len(words) - n))
                phrase = words[at:at + n]
            else:  # common words in an order the texts may or may not hold
                phrase = [rng.choice(common) for _ in range(n)]
            if len(phrase) < 2:
                continue
            mask = matching.matches(wq.Phrase("exact", phrase), searcher, postings, live).mask
            got = {ids[d] for d in np.flatnonzero(mask).tolist()}
            expected = {d for d, words in texts.items()
                        if any(words[i:i + n] == phrase for i in range(len(words) - n + 1))}
            if got != expected:
                wrong.append((" ".join(phrase), sorted(got ^ expected)[:3]))
    assert not wrong


def test_a_first_build_writes_positions_after_each_commit(tmp_path, monkeypatch):
    """The seeds and 300 BBC articles through ``presscut index`` into an empty folder,
    committing as it goes: every segment gets its positions as it is committed."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n == 300:
                break
            article = json.loads(line)
            (corpus / f"bbc-{n}.txt").write_text(f"{article['title']}\n\n{article['text']}\n", "utf-8")
    monkeypatch.setattr(writing, "FIRST_COMMIT", 0.5)
    monkeypatch.setattr(positions, "LONG", 40)
    writes = []
    real = positions.write

    def counted(ix, *args, **kwargs):
        writes.append(real(ix, *args, **kwargs))
        return writes[-1]

    monkeypatch.setattr(positions, "write", counted)
    build.index_corpus(corpus, tmp_path / "index")
    assert sum(1 for n in writes if n) >= 2  # at a commit on the way, not only the last
    folder = (tmp_path / "index").resolve()
    service = SearchService(tmp_path / "index")
    for reader, _ in service._current().searcher().reader().leaf_readers():
        assert (folder / f"{reader.segment().segment_id()}{positions.TABLE}").exists()
    assert any(("exact", "the") in positions.Sidecar.of(reader)
               for reader, _ in service._current().searcher().reader().leaf_readers())


def test_positions_that_cannot_be_written_cost_a_warning_not_the_run(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)

    def full(*args):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patched:
        patched.setattr(positions, "_write_segment", full)
        summary = build.index_corpus(corpus, tmp_path / "index")
    assert summary.documents == 5
    assert [w for w in summary.warnings if w.startswith("phrase positions not written")]
    folder = (tmp_path / "index").resolve()
    assert not list(folder.glob("*.positions*"))
    service = SearchService(tmp_path / "index")
    text = (CORPUS / next(p.name for p in sorted(CORPUS.glob("*.txt")))).read_text("utf-8")
    phrase = " ".join(WORD.findall(text)[10:13])
    assert service.search(SearchRequest(q=f'"{phrase}"')).total >= 1
    # The next run, with room again, writes them, and has nothing to warn about.
    again = build.index_corpus(corpus, tmp_path / "index")
    assert again.unchanged == 5 and not [w for w in again.warnings if "positions" in w]
    assert list(folder.glob("*.positions*"))
