"""A new archive answers while its first build runs: `presscut index` in its own process,
searched from outside as bench/first_result.py does (the reader who came at the start)."""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from whoosh.index import FileIndex
from whoosh.multiproc import SubWriterTask

from core.analysis import WORD, fold, stem
from engines.whoosh import generation, matching, query, store
from indexer import build, decisions
from presscut import runs

from .conftest import CORPUS, seed_paragraphs, shared

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import first_result  # noqa: E402

ARTICLES = 2000
START = ("from engines.whoosh import writing; writing.FIRST_COMMIT = 0.5; "
         "from presscut.cli import main; main()")


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
        try:
            build.wait(120)
        except subprocess.TimeoutExpired:
            build.kill()
            pytest.fail("the interrupted build did not end within two minutes")
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


def _seed_made(corpus: Path, articles: int) -> Path:
    """``articles`` articles of five paragraphs drawn from the seed articles."""
    paragraphs = seed_paragraphs()
    rng = random.Random(articles)
    corpus.mkdir()
    for n in range(articles):
        (corpus / f"{n:04d}.txt").write_text("\n\n".join(rng.sample(paragraphs, 5)), "utf-8")
    return corpus


def test_an_interrupted_build_leaves_no_process_behind(tmp_path, monkeypatch):
    """A first build stopped (Ctrl-C) while Whoosh's writer has worker processes ends
    them: an interrupted build once hung at exit, joining one that waited for documents."""
    corpus = _seed_made(tmp_path / "corpus", 300)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)  # the writer's two processes
    started = []
    start = SubWriterTask.start
    monkeypatch.setattr(SubWriterTask, "start", lambda task: (started.append(task), start(task)))
    write, calls = decisions.Run.write, itertools.count()

    def interrupted(run, *args):
        if next(calls) == 250:
            raise KeyboardInterrupt
        return write(run, *args)
    monkeypatch.setattr(decisions.Run, "write", interrupted)
    # Processes other tests' apps keep (their long requests' process) are not this run's.
    before = set(multiprocessing.active_children())
    with pytest.raises(KeyboardInterrupt):
        build.index_corpus(corpus, tmp_path / "index", workers=1)
    left = [p for p in multiprocessing.active_children() if p not in before]
    for process in left:  # so that a failure here does not hang the test run at its exit
        process.terminate()
        process.join()
    assert started, "the writer started no process: nothing was checked"
    assert left == []


def _children(pid: int) -> set[int]:
    try:
        return {int(child) for child in
                Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except FileNotFoundError:
        return set()


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs (an ended one its parent has not waited for is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_killed_build_ends_its_processes_and_frees_the_index(tmp_path):
    """``kill`` (SIGTERM) on `presscut index` while its worker processes run: it ends
    them and itself, and the next run may write the index. Killed outright, the workers
    once waited for ever, holding the writer lock (every later run said "busy")."""
    corpus = _seed_made(tmp_path / "corpus", 1500)
    index = tmp_path / "index"
    command = [sys.executable, "-m", "presscut", "index", "--corpus", str(corpus),
               "--index", str(index)]
    run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and run.poll() is None and time.monotonic() < deadline:
            workers |= _children(run.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the run started no worker processes: nothing was checked"
        run.send_signal(signal.SIGTERM)
        _, errors = run.communicate(timeout=60)
        assert run.returncode == 128 + signal.SIGTERM, errors
        assert "Traceback" not in errors
        time.sleep(0.5)
        assert {pid for pid in workers if _alive(pid)} == set()
    finally:
        if run.poll() is None:
            run.kill()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    again = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr


def test_the_processes_a_run_forks_keep_sigterms_default():
    """A run ends on SIGTERM by a handler of its own, but its pools end their workers with
    SIGTERM: a worker that had the handler could leave a pool's end waiting for it for
    ever (about one pool in a thousand, seen here)."""
    def report() -> None:
        os._exit(0 if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL else 1)
    with runs.ended_by_kill():
        assert signal.getsignal(signal.SIGTERM) != signal.SIG_DFL
        child = multiprocessing.get_context("fork").Process(target=report)
        child.start()
        child.join(30)
    assert child.exitcode == 0
