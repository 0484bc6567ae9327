"""Passages, ids and the index: offsets exact, ids stable, runs incremental and safe."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from core.ids import document_id
from engines import folder
from engines.whoosh import store, writing
from engines.whoosh.schema import stored_document
from indexer import build, decisions, first_pass, loader, state, state_db
from search.service import SearchRequest, SearchService

from .conftest import CORPUS, SEEDS, shared


@pytest.mark.parametrize("seed", SEEDS)
def test_passage_offsets_are_exact(seed_docs, seed):
    doc = seed_docs[seed]
    assert doc.passages
    for passage in doc.passages:
        text = doc.text[passage.start : passage.end]
        assert text and text == text.strip() and "\n\n" not in text
    assert doc.text[doc.passages[-1].end :] == ""


def ids(index) -> dict[str, list[str]]:
    service = SearchService(index)
    return {file: [p.passage_id for p in service.document(document_id(file))
                   .passages] for file in SEEDS.values()}


def test_ids_are_stable_across_reindexing_and_added_files(tmp_path, seed_index, corpus_copy):
    first = ids(seed_index)
    index = tmp_path / "again"
    build.index_corpus(corpus_copy, index, rebuild=True)
    assert ids(index) == first
    (corpus_copy / "extra.txt").write_text(
        "A new outlet reports that the talks in Almaty ended without agreement today.\n")
    summary = build.index_corpus(corpus_copy, index)
    assert (summary.added, summary.unchanged) == (1, 5)
    assert ids(index) == first


def test_incremental_run_updates_and_deletes(tmp_path, corpus_copy):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    path = corpus_copy / SEEDS["vikendi"]
    path.write_text(path.read_text() + "\nA paragraph the editors added later, with Zhanaozen.\n")
    (corpus_copy / SEEDS["caucasus"]).unlink()
    summary = build.index_corpus(corpus_copy, index)
    assert (summary.updated, summary.deleted, summary.unchanged) == (1, 1, 3)
    service = SearchService(index)
    assert service.search(SearchRequest(q='"editors added later"')).total == 1
    assert service.search(SearchRequest(q="Jeyhun Mammadov")).total == 0


def test_bad_files_are_skipped_with_reasons_and_the_rest_indexed(tmp_path, corpus_copy):
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "image.txt").write_bytes(bytes(range(256)) * 10)
    (corpus_copy / "folder.html").mkdir()
    (corpus_copy / "cp1251.txt").write_bytes(
        "Дорогой житель города Баку! Вы тоже можете внести свой вклад в борьбу с изменением "
        "климата, сообщили в министерстве.".encode("cp1251"))
    summary = build.index_corpus(corpus_copy, tmp_path / "index")
    reasons = {s.relpath: s.reason for s in summary.skipped}
    assert set(reasons) == {"empty.txt", "image.txt", "folder.html"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["image.txt"]
    assert "directory" in reasons["folder.html"]
    assert summary.documents == 6
    report = (tmp_path / "index" / folder.REPORT_NAME).read_text()
    assert "image.txt" in report


def test_names_that_are_not_text_are_skipped_with_reasons_and_the_rest_indexed(
        tmp_path, corpus_copy):
    """A file system allows names of any bytes (a Latin-1 name from an old disk): such a
    file or folder, and a manifest inside that folder, are passed over with a reason, by
    a first build and the runs after it (one such name once ended every run)."""
    raw = os.fsencode(corpus_copy)
    article = sorted(corpus_copy.glob("*.txt"))[0].read_bytes()
    with open(raw + b"/caf\xe9.txt", "wb") as handle:
        handle.write(article)
    os.mkdir(raw + b"/r\xe9sum\xe9s")
    for name in (b"copy.txt", b"sources.csv"):
        with open(raw + b"/r\xe9sum\xe9s/" + name, "wb") as handle:
            handle.write(article if name.endswith(b".txt")
                         else (corpus_copy / "sources.csv").read_bytes())
    index = tmp_path / "index"
    for rebuild in (False, False, True):
        summary = build.index_corpus(corpus_copy, index, rebuild=rebuild)
        assert {(s.relpath, s.reason) for s in summary.skipped} == {
            (name, "its name is not UTF-8 text: rename it to index it")
            for name in ("caf\\xe9.txt", "r\\xe9sum\\xe9s")}
        assert summary.documents == len(SEEDS)
    assert SearchService(index).search(SearchRequest(q="Tokayev")).total > 0


def test_rebuild_swaps_generations_and_keeps_the_previous(tmp_path):
    index = tmp_path / "index"
    build.index_corpus(CORPUS, index)
    first = index.resolve()
    build.index_corpus(CORPUS, index, rebuild=True)
    assert index.is_symlink() and index.resolve() != first
    assert first.exists()  # a server may still read it
    assert SearchService(index).search(SearchRequest(q="Tokayev")).total == 5


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path):
    index = tmp_path / "index"
    with folder.writer_lock(index), pytest.raises(folder.IndexBusy, match="being written"):
        build.index_corpus(CORPUS, index)


def test_a_killed_rebuild_leaves_the_previous_index_serving(tmp_path):
    index = tmp_path / "index"
    build.index_corpus(CORPUS, index)
    # A rebuild in another process, killed while it writes.
    script = textwrap.dedent(f"""
        import os, signal
        from pathlib import Path
        from indexer import build
        real = build._update
        def dying(ix, *args, **kwargs):
            real(ix, *args, **kwargs)
            os.kill(os.getpid(), signal.SIGKILL)
        build._update = dying
        build.index_corpus(Path({str(CORPUS)!r}), Path({str(index)!r}), rebuild=True)
    """)
    proc = subprocess.run([sys.executable, "-c", script], env=dict(os.environ))
    assert proc.returncode == -9
    assert SearchService(index).search(SearchRequest(q="Tokayev")).total == 5
    partials = list((tmp_path / "index.generations").glob("*.partial"))
    assert partials  # what the killed run left ...
    build.index_corpus(CORPUS, index, rebuild=True)
    assert not list((tmp_path / "index.generations").glob("*.partial"))  # ... is cleaned up


def test_server_side_service_sees_a_new_index_without_restart(tmp_path, corpus_copy, monkeypatch):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    service = SearchService(index)
    assert service.search(SearchRequest(q="Zhanaozen")).total == 1
    monkeypatch.setattr("engines.whoosh.engine.CHECK_EVERY", 0.0)
    (corpus_copy / "zhanaozen.txt").write_text(
        "Oil workers in Zhanaozen gathered again on Monday, a week after the first protests.\n")
    build.index_corpus(corpus_copy, index, rebuild=True)
    assert service.search(SearchRequest(q="Zhanaozen")).total == 2


def _summary(summary: build.Summary) -> tuple:
    return (summary.documents, summary.passages, summary.copies,
            sorted((s.relpath, s.reason) for s in summary.skipped))


def test_an_untouched_corpus_is_not_read_again(tmp_path, corpus_copy, monkeypatch):
    shutil.copy(corpus_copy / SEEDS["turan"], corpus_copy / "saved-twice.txt")
    (corpus_copy / "empty.txt").write_bytes(b"")
    index = tmp_path / "index"
    first = build.index_corpus(corpus_copy, index)
    assert first.copies and first.skipped

    def no_reading(*args):
        raise AssertionError("an untouched corpus file was read again")

    with monkeypatch.context() as patch:
        patch.setattr(loader, "load", no_reading)
        again = build.index_corpus(corpus_copy, index)
    assert _summary(again) == _summary(first)
    assert (again.unchanged, again.added, again.updated) == (6, 0, 0)

    # A newer date sends the run through the files, which are found unchanged.
    os.utime(corpus_copy / SEEDS["novator"])
    touched = build.index_corpus(corpus_copy, index)
    assert _summary(touched) == _summary(first) and touched.unchanged == 6


def _reading_recorded(patch, log):
    """The corpus files the indexer reads from now on (their relative paths), as a call
    that lists them: they are read in worker processes, which append them to ``log``."""
    load_all = loader.load_all

    def recording(path, relpath, *args):
        with log.open("a", encoding="utf-8") as handle:
            handle.write(relpath + "\n")
        return load_all(path, relpath, *args)

    patch.setattr(loader, "load_all", recording)
    return lambda: log.read_text("utf-8").splitlines() if log.exists() else []


def _index_view(index) -> dict:
    """Every stored document's path, text and passage ids: what a rebuild must agree with."""
    with store.open_index(index).searcher() as searcher:
        docs = [stored_document(fields) for fields in searcher.all_stored_fields()]
    return {doc.relpath: (doc.text, [p.passage_id for p in doc.passages]) for doc in docs}


def test_one_changed_file_is_the_only_one_read(tmp_path, corpus_copy, monkeypatch):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    path = corpus_copy / SEEDS["vikendi"]
    path.write_text(path.read_text() + "\nA paragraph the editors added later, with Zhanaozen.\n")
    with monkeypatch.context() as patch:
        read = _reading_recorded(patch, tmp_path / "read.log")
        summary = build.index_corpus(corpus_copy, index)
    assert read() == [SEEDS["vikendi"]]
    assert (summary.updated, summary.unchanged, summary.added) == (1, 4, 0)
    rebuilt = tmp_path / "rebuilt"
    build.index_corpus(corpus_copy, rebuilt)
    assert _index_view(index) == _index_view(rebuilt)


def test_a_line_that_becomes_an_outlets_boilerplate_reprocesses_its_unread_files(
        tmp_path, monkeypatch):
    """Six BBC articles of one outlet; a banner added to four of them makes it that outlet's
    boilerplate, so the two untouched files are processed again too (their repeated-line
    statistics changed) and the index agrees with a rebuild."""
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt") as handle:
        rows = [json.loads(line) for line, _ in zip(handle, range(6), strict=False)]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for row in rows:
        (corpus / f"{row['id']}.txt").write_text(f"{row['title']}\n\n{row['text']}\n")
    (corpus / "manifest.csv").write_text("file,outlet\n" + "".join(
        f"{row['id']}.txt,BBC News\n" for row in rows))
    index = tmp_path / "index"
    build.index_corpus(corpus, index)
    banner = "Follow BBC Business on Telegram for the latest"
    for row in rows[:4]:
        path = corpus / f"{row['id']}.txt"
        path.write_text(path.read_text() + banner + "\n")
    with monkeypatch.context() as patch:
        read = _reading_recorded(patch, tmp_path / "read.log")
        summary = build.index_corpus(corpus, index)
    assert sorted(read()) == sorted(f"{row['id']}.txt" for row in rows)
    assert summary.updated == 6
    view = _index_view(index)
    assert not any(banner in text for text, _ in view.values())
    rebuilt = tmp_path / "rebuilt"
    build.index_corpus(corpus, rebuilt)
    assert view == _index_view(rebuilt)


def _first_pass(index) -> dict:
    folder, generation = index.resolve(), store.open_index(index).latest_generation()
    previous = state_db.previous(folder, generation)
    try:
        return previous.whole(state.head(folder, generation)).files
    finally:
        previous.close()


def _records(index) -> dict[str, dict]:
    with store.open_index(index).searcher() as searcher:
        return {f["path"]: f["record"] for f in searcher.all_stored_fields()}


def _bbc_rows(count: int) -> list[dict]:
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt") as handle:
        return [json.loads(line) for line, _ in zip(handle, range(count), strict=False)]


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory):
    """The seeds spread among 600 BBC articles, so that worker processes see them apart:
    "Ali Karimli" first, "Ali Kerimli" and "Əli Kərimli" in later windows of work."""
    corpus = tmp_path_factory.mktemp("mixed")
    texts = [f"{row['title']}\n\n{row['text']}\n" for row in _bbc_rows(600)]
    for position, seed in ((0, "caucasus"), (12, "turan"), (300, "novator"), (301, "vikendi"),
                           (590, "eurasianet")):
        texts.insert(position, (CORPUS / SEEDS[seed]).read_text())
    for n, text in enumerate(texts):
        (corpus / f"{n:04d}.txt").write_text(text)
    return corpus


def test_the_pipeline_in_worker_processes_writes_what_one_process_writes(tmp_path, mixed_corpus,
                                                                          monkeypatch):
    one = build.index_corpus(mixed_corpus, tmp_path / "one", workers=1)
    # Both passes in workers, and a third of the texts read again in the second pass.
    corpus_bytes = sum(path.stat().st_size for path in mixed_corpus.iterdir())
    monkeypatch.setattr(first_pass, "MEMORY_BUDGET", corpus_bytes // 3)
    two = build.index_corpus(mixed_corpus, tmp_path / "two", workers=2)
    assert _summary(one) == _summary(two) and one.documents + len(one.copies) == 605
    records = _records(tmp_path / "one")
    assert records == _records(tmp_path / "two")
    # What the first pass learnt of each file, kept for the next run, is the same too.
    assert _first_pass(tmp_path / "one") == _first_pass(tmp_path / "two")
    # The first spelling met in corpus order is everyone's, whichever process met it.
    speakers = {name for r in records.values() for name in r.get("speakers", ())}
    assert "Ali Karimli" in speakers and not {"Ali Kerimli", "Əli Kərimli"} & speakers


def test_a_first_build_is_searchable_while_it_runs(tmp_path, corpus_copy, monkeypatch):
    """With commits due after every article, each one is searchable as soon as it is
    written, the archive says how far it is, and the end result is a normal index."""
    index = tmp_path / "index"
    monkeypatch.setattr(writing, "FIRST_COMMIT", 0.0)
    seen = []
    tick = writing.WhooshWriter.progress

    def watching(self, done):
        tick(self, done)
        if store.exists(index):
            seen.append((SearchService(index).status()["documents"], store.progress(index)))

    monkeypatch.setattr(writing.WhooshWriter, "progress", watching)
    summary = build.index_corpus(corpus_copy, index)
    assert [documents for documents, _ in seen] == [1, 2, 3, 4, 5]
    assert [progress for _, progress in seen] == [{"done": n, "total": 5} for n in range(1, 6)]
    assert store.progress(index) is None and summary.documents == 5
    assert _records(index) == _records(build_fresh(tmp_path, corpus_copy))


def build_fresh(tmp_path, corpus) -> object:
    index = tmp_path / "fresh"
    build.index_corpus(corpus, index)
    return index


def test_an_interrupted_first_build_keeps_what_it_committed_and_goes_on(
        tmp_path, corpus_copy, monkeypatch):
    index = tmp_path / "index"
    with monkeypatch.context() as patch:
        patch.setattr(writing, "FIRST_COMMIT", 0.0)
        write = decisions.Run.write

        def interrupted(self, job, outcome, writer):
            if len(self.current) == 3:
                raise KeyboardInterrupt
            write(self, job, outcome, writer)

        patch.setattr(decisions.Run, "write", interrupted)
        with pytest.raises(KeyboardInterrupt):
            build.index_corpus(corpus_copy, index)
    assert SearchService(index).status()["documents"] == 3
    summary = build.index_corpus(corpus_copy, index)
    assert (summary.added, summary.unchanged, summary.documents) == (2, 3, 5)
    assert _records(index) == _records(build_fresh(tmp_path, corpus_copy))


def test_a_state_file_from_another_index_version_is_not_trusted(tmp_path, corpus_copy):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    state_file = index.resolve() / folder.STATE_NAME
    data = json.loads(state_file.read_text())
    data["generation"] -= 1  # as if the run died between its commit and this file
    data["documents"] = {}
    state_file.write_text(json.dumps(data))
    path = corpus_copy / SEEDS["vikendi"]
    path.write_text(path.read_text() + "\nA paragraph the editors added later, with Zhanaozen.\n")
    summary = build.index_corpus(corpus_copy, index)
    assert (summary.updated, summary.unchanged, summary.documents) == (1, 4, 5)
