"""A new archive answers while its first build runs: `presscut index` in its own process,
searched from outside as bench/first_result.py does (the reader who came at the start)."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh.index import FileIndex

from indexer import build, generation, matching, query, store
from indexer.analysis import WORD, fold, stem

from .conftest import CORPUS, shared

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import first_result  # noqa: E402

ARTICLES = 2000
START = "from indexer import build; build.FIRST_COMMIT = 0.5; from presscut.cli import main; main()"


@pytest.mark.slow
def test_a_first_build_answers_searches_long_before_it_ends(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt") as handle:
        for n, line in zip(range(ARTICLES), handle, strict=False):
            row = json.loads(line)
            (corpus / f"{n:04d}.txt").write_text(f"{row['title']}\n\n{row['text']}\n", "utf-8")
    index = first_result.emptied(tmp_path / "index")
    # The CLI itself, committing first after half a second rather than five: a machine
    # with many cores indexes these articles in a few seconds.
    build = subprocess.Popen([sys.executable, "-c", START, "index", "--corpus", str(corpus),
                              "--index", str(index)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = first_result.first_answer(index, "government", build, time.monotonic())
    finally:
        build.send_signal(signal.SIGINT)
        build.wait()
    assert first is not None, "the build ended before any search answered"
    assert first["progress"] is not None, "the first answer came after the build"
    done = first["progress"]["done"]
    assert 0 < done < first["progress"]["total"] == ARTICLES
    # It answered from part of the archive: fewer articles than a brute-force reading of
    # all of them finds the word in (as searched: every word of its stem).
    wanted = stem("government")
    holding = sum(any(stem(fold(w)) == wanted for w in WORD.findall(path.read_text("utf-8")))
                  for path in corpus.iterdir())
    assert 0 < first["found"] < holding
    # The interrupted build kept what it had committed: the archive still answers.
    assert store.exists(index)


def test_a_generation_reads_the_commit_it_was_made_from(tmp_path):
    """A first build commits as it goes: a searcher a thread opens after a commit must
    still read the commit its generation's arrays were made from (a search once failed
    on a document number past their end)."""
    index = tmp_path / "index"
    build.index_corpus(CORPUS, index)
    gen = generation.Generation(index)
    writer = store.open_index(index).writer()
    writer.add_document(exact="tokayev government", title="Tokayev")
    writer.commit(merge=False)
    searcher = gen.searcher()  # this thread's, opened after the commit
    assert searcher.doc_count_all() == gen.size
    for q in ("Tokayev", "government", '"tokayev government"'):
        parsed = query.parse(q, searcher.schema, variants=gen.variants)
        found = matching.matches(parsed.query, searcher, gen.postings, gen.live)
        assert found.mask.shape == (gen.size,)
    # The commit is there for the next generation (the service makes one at its next look).
    assert store.open_index(index).doc_count_all() == gen.size + 1
    assert store.generation_of(index) != gen.key


def test_a_commit_that_merges_segments_away_is_retried_then_told(seed_index, monkeypatch):
    """Opening a commit whose segments a later one removed: a new generation reads the
    next commit; a thread of an old one gets a sentence (a 503), not a crash."""
    opened = FileIndex._reader
    vanish = iter([True])

    def reader(*args, **kwargs):
        if next(vanish, False):
            raise FileNotFoundError("segment merged away")
        return opened(*args, **kwargs)
    monkeypatch.setattr(FileIndex, "_reader", staticmethod(reader))
    gen = generation.Generation(seed_index)  # the first try fails, the second opens
    assert gen.size == 5
    monkeypatch.setattr(FileIndex, "_reader", staticmethod(
        lambda *a, **k: (_ for _ in ()).throw(FileNotFoundError("gone"))))
    with pytest.raises(store.IndexMissing, match="ask again"):
        gen.searcher()
