"""The first pass over the corpus: every file read once for each article's outlet and
short lines (what tells an outlet's boilerplate), the texts of the first files kept for the
second pass, the rest loaded again then (:class:`Reloader`). Files are read in worker
processes, under the budget of :mod:`indexer.budget`."""

from __future__ import annotations

import dataclasses
import functools
import os
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

from core import files
from core.records import LoadedFile, NotAnArticle, Skipped
from core.settings import ReadLimits
from indexer import budget, cleaner, loader, metadata, outlets, state, workers
from indexer.corpus_walk import CorpusFile
from indexer.pipeline import row_for
from indexer.summary import Progress

# Texts kept between the two passes over the corpus (judged by the files' bytes before
# they are read, by the texts' length after); the files past it are read twice.
MEMORY_BUDGET = 64 * 2**20


@dataclasses.dataclass(frozen=True, kw_only=True)
class Reading:
    """Where the corpus is (a real path: nothing outside it is read) and what reading one
    of its files may cost."""

    root: str
    limits: ReadLimits


@dataclasses.dataclass
class Seen:
    """An article after the first pass: loaded, or to be loaded again (memory budget, or a
    file the last run read and that did not change: ``unread``). ``path`` is its file's;
    ``relpath`` its own (``feed.rss#1a2b`` for a feed item)."""

    path: str
    relpath: str
    outlet: str
    loaded: LoadedFile | None
    lines: frozenset[str] = frozenset()
    unread: bool = False


class FirstPass:
    """Every file once: each article's outlet and short lines (the texts of the first files,
    up to MEMORY_BUDGET bytes, are kept). A file whose stamp the last run saw is not read:
    what it learnt then (``known``) stands. ``files`` is what the next run will know. Many
    files to read are read in worker processes: on a first build this pass is all that
    stands between a new archive and its first searchable articles."""

    def __init__(self, rows, names, skipped: list[Skipped], known: dict[str, state.FileSeen],
                 texts: Mapping[str, dict[str, LoadedFile | None]] | None = None, *,
                 reading: Reading):
        self.rows, self.names, self.skipped, self.known = rows, names, skipped, known
        self.reading = reading
        # Files of ``known`` read by this run already, and their texts by article.
        self.texts = texts or {}
        self.files: dict[str, state.FileSeen] = {}

    def run(self, files: list[CorpusFile], progress: Progress, procs: int = 1) -> list[Seen]:
        budget = MEMORY_BUDGET
        tasks: dict[str, Look] = {}
        for path, relpath, stamp in files:
            known = self.known.get(relpath)
            if known is None or known.stamp != stamp:
                budget -= stamp[0]
                tasks[relpath] = Look(path, relpath, stamp, budget >= 0)
        looked = iter(progress(self._looked(list(tasks.values()), procs), len(tasks), "Reading"))
        seen: list[Seen] = []
        kept = 0
        for path, relpath, _ in files:
            if relpath in tasks:
                known, loaded = next(looked)
                if isinstance(known, Skipped):
                    self.skipped.append(known)
                    continue
                # A compressed archive's texts can outgrow its bytes on disk.
                kept += sum(len(item.text) for item in loaded.values())
                if kept > MEMORY_BUDGET:
                    loaded = {}
                seen += [Seen(path, a.relpath, a.outlet, loaded.get(a.relpath), a.lines)
                         for a in known.articles]
            else:
                known = self.known[relpath]
                texts = self.texts.get(relpath)
                seen += [Seen(path, a.relpath, a.outlet, texts.get(a.relpath) if texts is not None else None,
                              a.lines, unread=texts is None) for a in known.articles]
            self.skipped += known.skipped
            self.files[relpath] = known
        return seen

    def _looked(self, tasks: list[Look], procs: int) -> Iterator[Looked]:
        """Each file as :func:`look` saw it, read by ``procs`` workers when there are many.
        A file whose reading failed (a timeout, a crash) is remembered with why, as read:
        read again at every run, a PDF that loops would cost its time budget each time."""
        call = functools.partial(look, rows=self.rows, names=self.names, reading=self.reading)
        procs = procs if len(tasks) >= workers.WINDOW else 1
        with budget.Readers(call, self.reading.limits, procs) as readers:
            results = readers.map((task, task.stamp[0]) for task in tasks)
            for task, result in zip(tasks, results, strict=True):
                if isinstance(result, budget.Failure):
                    result = (state.FileSeen(stamp=task.stamp, articles=(),
                                             skipped=(Skipped(task.relpath, result.reason),)), {})
                yield result


@dataclasses.dataclass(frozen=True)
class Look:
    """One file for the first pass, and whether its texts are to be kept for the second."""

    path: str
    relpath: str
    stamp: tuple[int, int]
    keep: bool


# A file as the first pass saw it (or why it was skipped), and the texts it kept by article.
Looked = tuple[state.FileSeen | Skipped, dict[str, LoadedFile]]


def look(task: Look, rows: Mapping, names: Mapping, reading: Reading) -> Looked:
    """The first pass over one file: its articles' outlets and short lines."""
    try:
        loaded_all = loader.load_all(Path(task.path), task.relpath, reading.limits, reading.root)
    except NotAnArticle as exc:
        return Skipped(task.relpath, str(exc)), {}
    loaded = [item for item in loaded_all if isinstance(item, LoadedFile)]
    articles = tuple(state.Article(relpath=item.relpath,
                                   outlet=outlet_hint(item, row_for(item, rows), names),
                                   lines=cleaner.short_lines(item.text)) for item in loaded)
    seen = state.FileSeen(stamp=task.stamp, articles=articles,
                          skipped=tuple(item for item in loaded_all if isinstance(item, Skipped)))
    return seen, ({item.relpath: item for item in loaded} if task.keep else {})


class Reloader:
    """Loads again what the first pass could not keep; the articles of a container file
    come one after the other, so its last file's articles are kept for the next."""

    def __init__(self, skipped: list[Skipped], reading: Reading):
        self.skipped = skipped
        self.path: str | None = None
        self.articles: dict[str, LoadedFile] = {}
        # One worker, started when a file is first loaded again.
        self.readers = budget.Readers(functools.partial(reload, reading=reading), reading.limits)

    def __call__(self, item: Seen) -> LoadedFile | None:
        if item.path != self.path:
            self.path, self.articles = item.path, {}
            found = self.readers.one((item.path, files.container_of(item.relpath)),
                                     _size(item.path))
            if not isinstance(found, dict):  # changed on disk between the passes
                reason = found.reason if isinstance(found, budget.Failure) else found
                self.skipped.append(Skipped(item.relpath, reason))
                return None
            self.articles = found
        found = self.articles.get(item.relpath)
        if found is None:
            self.skipped.append(Skipped(item.relpath, "changed on disk while it was indexed"))
        return found

    def close(self) -> None:
        self.readers.close()


def reload(task: tuple[str, str], reading: Reading) -> dict[str, LoadedFile] | str:
    """The articles of one file loaded again, by their paths, or why they cannot be."""
    path, relpath = task
    try:
        return {a.relpath: a for a in loader.load_all(Path(path), relpath, reading.limits,
                                                      reading.root)
                if isinstance(a, LoadedFile)}
    except NotAnArticle as exc:
        return str(exc)


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def outlet_texts(seen: list[Seen]) -> dict[str, list[frozenset[str]]]:
    """The short lines of each outlet's articles (what tells its boilerplate)."""
    by_outlet: dict[str, list[frozenset[str]]] = defaultdict(list)
    for item in seen:
        if item.outlet:
            by_outlet[item.outlet].append(item.lines)
    return by_outlet


def outlet_hint(item: LoadedFile, row: Mapping[str, str], names: Mapping[str, str]) -> str:
    """The outlet an article is of, as the first pass can tell (manifest, else the page)."""
    if row.get("outlet"):
        return row["outlet"]
    url = row.get("url") or metadata.infer_url(item.page_meta)[0]
    outlet, _ = outlets.infer_outlet(item.text[:2000], item.page_meta, url, (), names)
    return outlet or ""
