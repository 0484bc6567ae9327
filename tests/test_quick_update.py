"""A run that reads only what changed (``quick.run``) against one that looks at every
file (``plan.whole``, the oracle), over generated changes to a corpus: both must leave
the same index, report and state."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import threading
from concurrent.futures.process import BrokenProcessPool

import pytest

from engines import folder as index_folder
from engines.whoosh import store
from indexer import build, dedup, plan, state, state_db
from indexer import quick as quick_way

from .conftest import CORPUS, SHARED, seed_paragraphs

ROUNDS = 14
BANNER = "Follow BBC Business on Telegram for the latest"


@pytest.fixture(scope="module")
def bbc_rows() -> list[dict]:
    """90 BBC articles from the shared data; without it, 90 articles made of the seed
    articles' paragraphs (so that the check runs on every machine)."""
    path = SHARED / "data/news-corpus/bbc-news-2225.jsonl.gz"
    if path.exists():
        with gzip.open(path, "rt") as handle:
            return [json.loads(line) for line, _ in zip(handle, range(90), strict=False)]
    rng = random.Random(90)
    paragraphs = seed_paragraphs()
    return [{"id": f"seed-mix-{n:03d}", "title": " ".join(rng.choice(paragraphs).split()[:8]),
             "text": "\n\n".join(rng.sample(paragraphs, 4))} for n in range(90)]


def _make_corpus(corpus, rows: list[dict]) -> None:
    """The seeds at the top, BBC articles in two folders (one with a manifest naming the
    outlet, one without), and an export of three articles with a broken line."""
    shutil.copytree(CORPUS, corpus)
    for folder, part in (("business", rows[:24]), ("world", rows[24:40])):
        (corpus / folder).mkdir()
        for row in part:
            (corpus / folder / f"{row['id']}.txt").write_text(f"{row['title']}\n\n{row['text']}\n")
    (corpus / "business" / "sources.csv").write_text("file,outlet\n" + "".join(
        f"{row['id']}.txt,BBC News\n" for row in rows[:24]))
    _write_export(corpus, rows[40:43])


def _write_export(corpus, rows: list[dict]) -> None:
    lines = [json.dumps({"url": f"https://www.bbc.co.uk/news/{row['id']}", "outlet": "BBC News",
                         "title": row["title"], "text": row["text"]}) for row in rows]
    (corpus / "export.jsonl").write_text("\n".join([lines[0], "{not json", *lines[1:]]) + "\n")


class _Changes:
    """Random changes of the kinds a corpus sees between two runs."""

    def __init__(self, corpus, rows: list[dict], rng: random.Random):
        self.corpus, self.rng = corpus, rng
        self.spare = list(rows[43:])
        self.sentences = [s.strip() + "." for row in rows for s in row["text"].split(".")
                          if len(s.split()) > 6]

    def articles(self):
        return sorted(p for p in self.corpus.rglob("*.txt")
                      if p.name != "README.txt" and p.is_file())

    def apply(self, kind: str = "") -> str:
        kind = kind or self.rng.choice(["append", "append", "append", "delete", "add", "copy", "copy",
                                "touch", "break_", "restore", "banner", "manifest", "export",
                                "original", "drop_broken", "empty_row", "to_folder", "hashed",
                                "outletless", "outletless"])
        getattr(self, kind)()
        return kind

    def append(self):
        for path in self.rng.sample(self.articles(), self.rng.randint(1, 3)):
            path.write_text(path.read_text() + "\n" + self.rng.choice(self.sentences) + "\n")

    def delete(self):
        self.rng.choice(self.articles()).unlink()

    def add(self):
        if self.spare:
            row = self.spare.pop()
            folder = self.corpus / self.rng.choice(["business", "world", "."])
            (folder / f"{row['id']}.txt").write_text(f"{row['title']}\n\n{row['text']}\n")

    def copy(self):
        # Saved twice, with another headline: a near copy of an indexed article.
        source = self.rng.choice(self.articles())
        text = source.read_text()
        (source.parent / f"copy-{self.rng.randrange(10**6)}.txt").write_text(
            "Another headline\n\n" + text.split("\n", 1)[-1])

    def touch(self):
        os.utime(self.rng.choice(self.articles()))

    def break_(self):
        self.rng.choice(self.articles()).write_bytes(b"")

    def restore(self):
        empty = [p for p in self.articles() if p.stat().st_size == 0]
        if empty:
            empty[0].write_text("Restored\n\n" + " ".join(self.rng.sample(self.sentences, 6)))

    def drop_broken(self):
        # A file that cannot be read (its documents kept) goes.
        empty = [p for p in self.articles() if p.stat().st_size == 0]
        if empty:
            empty[0].unlink()
        else:
            self.break_()

    def empty_row(self):
        # An export row keeps its URL and loses its text: its record is skipped under the
        # article's own path, and its document is kept.
        rows = [json.loads(line) for line in (self.corpus / "export.jsonl").read_text().splitlines()
                if line.startswith("{\"")]
        rows[self.rng.randrange(len(rows))]["text"] = ""
        (self.corpus / "export.jsonl").write_text(
            "\n".join(json.dumps(row) for row in rows) + "\n")

    def to_folder(self):
        # An article becomes a folder of the same name (reported, its document kept).
        path = self.rng.choice(self.articles())
        path.unlink()
        path.mkdir()

    def hashed(self):
        # A text file whose name looks like an article of an export, added or edited.
        path = self.corpus / "world" / "feed.csv#1.txt"
        text = path.read_text() if path.exists() else "Feed notes\n\n"
        path.write_text(text + " ".join(self.rng.sample(self.sentences, 3)) + "\n")

    def outletless(self):
        # An export naming no outlet: a record the pipeline always refuses (so the file is
        # read again at every run), and an article that is sometimes refused too (its
        # document is then kept as it was).
        text = " ".join(self.rng.sample(self.sentences, 5))
        rows = [{"id": "a", "title": "Notes",
                 "text": text if self.rng.random() < 0.6 else "Be the first to comment."},
                {"id": "u", "text": "Be the first to comment."}]
        (self.corpus / "notes.jsonl").write_text("\n".join(json.dumps(row) for row in rows))

    def banner(self, share: float = 0.0, line: str = BANNER):
        # One more file with the line, or enough of an outlet's files to make it boilerplate.
        business = [p for p in self.articles() if p.parent.name == "business"]
        for path in self.rng.sample(business, max(1, int(len(business) * share))):
            path.write_text(path.read_text() + line + "\n")

    def boilerplate(self):
        # A line new to the outlet: its boilerplate changes.
        self.banner(1, f"{BANNER} {self.rng.randrange(10**6)}")

    def manifest(self):
        manifest = self.corpus / "business" / "sources.csv"
        lines = manifest.read_text().splitlines()
        n = self.rng.randrange(1, len(lines))
        lines[n] = lines[n].replace("BBC News", "BBC Business")
        manifest.write_text("\n".join(lines) + "\n")

    def export(self):
        rows = [json.loads(line) for line in (self.corpus / "export.jsonl").read_text().splitlines()
                if line.startswith("{\"")]
        rows[self.rng.randrange(len(rows))]["text"] += " " + self.rng.choice(self.sentences)
        if len(rows) > 1 and self.rng.random() < 0.5:
            rows.pop()
        (self.corpus / "export.jsonl").write_text(
            "\n".join(json.dumps(row) for row in rows) + "\n")

    def original(self):
        # The original of a copy goes: the copy must stand on its own.
        copies = [p for p in self.articles() if p.name.startswith("copy-")]
        if copies:
            text = copies[0].read_text().split("\n", 1)[-1]
            for path in self.articles():
                if not path.name.startswith("copy-") and path.read_text().endswith(text):
                    path.unlink()
                    return
        self.copy()



def _whole_state(index) -> tuple[state.State, list]:
    folder, generation = index.resolve(), store.open_index(index).latest_generation()
    previous = state_db.previous(folder, generation)
    try:
        return (previous.whole(state.head(folder, generation)),
                [sorted(previous.known_names()), previous.columns])
    finally:
        previous.close()


def _comparable(summary: build.Summary, index) -> dict:
    whole, known = _whole_state(index)
    with store.open_index(index).searcher() as searcher:
        records = {f["path"]: (f["fingerprint"], f["record"]) for f in searcher.all_stored_fields()}
    report = summary.to_json()
    del report["seconds"], report["finished"]
    head = {**vars(whole.head), "generation": None}
    return {"report": report, "records": records, "head": head, "body": vars(whole.body),
            "documents": list(whole.documents.items()), "files": whole.files,
            "counts": whole.counts, "known": known, "copies": index_folder.copies(index.resolve())}


@pytest.mark.parametrize("seed", [18, 7, 3])
def test_a_run_reading_only_what_changed_leaves_what_a_run_reading_everything_does(
        tmp_path, bbc_rows, monkeypatch, seed):
    # Columns in pieces of a few bytes, so that a run writes some of them and not others.
    monkeypatch.setattr(state_db, "PIECE", 97)
    corpus = tmp_path / "corpus"
    _make_corpus(corpus, bbc_rows)
    quick, whole = tmp_path / "quick", tmp_path / "whole"
    build.index_corpus(corpus, quick)
    build.index_corpus(corpus, whole)
    taken = []
    real_quick = quick_way.run

    def recorded(*args):
        done = real_quick(*args)
        taken.append(isinstance(done, state.Change))
        return done

    changes = _Changes(corpus, bbc_rows, random.Random(seed))
    for n in range(ROUNDS):
        # One round alone changes an outlet's boilerplate (with other changes, a manifest
        # row say, the run might not try the quick way at all).
        kinds = ([changes.apply("boilerplate")] if n == ROUNDS // 2
                 else [changes.apply() for _ in range(changes.rng.randint(1, 3))])
        with monkeypatch.context() as patch:
            patch.setattr(quick_way, "run", recorded)
            fast = build.index_corpus(corpus, quick)
        with monkeypatch.context() as patch:
            patch.setattr(quick_way, "run", lambda *args: plan.Read({}, {}))
            slow = build.index_corpus(corpus, whole)
        assert _comparable(fast, quick) == _comparable(slow, whole), (n, kinds)
    # Both ways were exercised: changes read alone, and boilerplate that sent a run
    # through every file.
    assert taken.count(True) >= ROUNDS // 2 and False in taken, taken


def test_a_helper_process_that_dies_is_an_error_and_loses_nothing(tmp_path, corpus_copy,
                                                                  monkeypatch):
    """The helper that signs changed texts cannot start (here its imports end the process):
    the run fails with that error instead of waiting for it, and the index is as it was."""
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    before = _comparable(build.index_corpus(corpus_copy, index), index)["records"]
    changed = sorted(corpus_copy.glob("*.txt"))[2]
    changed.write_text(changed.read_text() + "\nA paragraph the editors added later.\n")
    monkeypatch.setattr(dedup, "prepare", lambda: os._exit(3))
    raised: list[BaseException] = []

    def run() -> None:
        try:
            build.index_corpus(corpus_copy, index)
        except BaseException as exc:  # noqa: BLE001 - what the run raised is the point
            raised.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(120)
    assert not thread.is_alive(), "the run waited for a dead helper"
    assert raised and isinstance(raised[0], BrokenProcessPool), raised
    assert _comparable(build.Summary(), index)["records"] == before
    monkeypatch.undo()
    assert build.index_corpus(corpus_copy, index).updated == 1
