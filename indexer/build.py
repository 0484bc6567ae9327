"""A corpus into the index: every file through the pipeline (``pipeline``), written
inside one commit-or-cancel block.

``index_corpus`` is incremental: a file whose bytes, manifest row and cleaning rules
are unchanged is not processed again. A broken file is skipped with its reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import itertools
import multiprocessing
import operator
import os
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from concurrent import futures
from pathlib import Path
from typing import NamedTuple, TypeVar

import orjson

from core import entities, files
from core.records import Document, LoadedFile, NotAnArticle, Skipped
from engines.whoosh import positions, segments, store
from engines.whoosh.schema import index_fields, stored_document
from indexer import cleaner, dedup, loader, metadata, passages, selfnames, state
from indexer.pipeline import PIPELINE_VERSION, Context, fingerprint, process, recanonical, row_for

T = TypeVar("T")
# Texts kept between the two passes over the corpus (judged by the files' bytes before
# they are read, by the texts' length after); the files past it are read twice.
MEMORY_BUDGET = 64 * 2**20
Progress = Callable[[Iterable[T], int, str], Iterable[T]]
# Articles handed to the pipeline's worker processes at a time (two such windows in
# flight keep both busy and memory bounded); a run with less work stays in one process.
WINDOW = 256
# A first build commits what it has after this many seconds of indexing, then after
# COMMIT_GROWTH times as long each time: a new archive answers within a minute of the start
# (at 100,000 files the first pass takes half of that) while the segments stay few.
FIRST_COMMIT = 5.0
COMMIT_GROWTH = 4
FORMAT_COUNTS = ("documents", "skipped", "copies")


@dataclasses.dataclass
class Summary:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: list[Skipped] = dataclasses.field(default_factory=list)
    passages: int = 0
    documents: int = 0
    # A file that is a copy of an indexed one -> the indexed one's path.
    copies: dict[str, str] = dataclasses.field(default_factory=dict)
    copy_fingerprints: dict[str, str] = dataclasses.field(default_factory=dict, repr=False)
    # Files indexed only in part, with why.
    warnings: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    # When the run ended (UTC, ISO 8601).
    finished: str = ""
    # Per file format: documents indexed, files or records skipped, copies found.
    formats: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)

    @property
    def indexed_anything(self) -> bool:
        return self.documents > 0

    def line(self) -> str:
        return (
            f"{self.documents} documents ({self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deleted} deleted, {len(self.skipped)} skipped, "
            f"{len(self.copies)} copies of others), "
            f"{self.passages} passages, {self.seconds:.1f} s"
        )

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["skipped"] = [dataclasses.asdict(s) for s in self.skipped]
        del data["copy_fingerprints"]
        return data

    def count_formats(self, documents: Mapping[str, int]) -> None:
        """Fill :attr:`formats` from the documents per format and what was skipped or copied."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FORMAT_COUNTS, 0))
        for fmt, count in documents.items():
            counts[fmt]["documents"] = count
        for skipped in self.skipped:
            counts[files.format_of(skipped.relpath)]["skipped"] += 1
        for copy in self.copies:
            counts[files.format_of(copy)]["copies"] += 1
        self.formats = dict(sorted(counts.items()))

    def copies_json(self) -> dict[str, dict]:
        """The copies file: each copy's original, and its fingerprint (to skip it next time)."""
        return {copy: {"original": original, "fingerprint": self.copy_fingerprints.get(copy)}
                for copy, original in self.copies.items()}


class CorpusFile(NamedTuple):
    """A file of the corpus: where it is, its path inside the corpus, and its stamp."""

    path: str
    relpath: str
    stamp: tuple[int, int]


def corpus_files(corpus: Path, skipped: list[Skipped],
                 manifests: dict[str, list[int]] | None = None) -> dict[str, tuple[int, int]]:
    """Every corpus file under ``corpus`` by its path inside it, each folder's files before
    its subfolders, in name order, with its size and date (:func:`state.stamp`); the
    manifests' stamps go into ``manifests``.

    Symbolic links to folders are not followed (no loops); a folder named like a
    document is reported, and searched like any folder. Strings and ``os.scandir``
    rather than ``pathlib``, and no object per file: at 100,000 files they cost seconds of
    a small update.
    """
    found: dict[str, tuple[int, int]] = {}
    readable, stat = loader.is_corpus_file, os.stat

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listed:
                entries = sorted(listed, key=operator.attrgetter("name"))
        except OSError:  # a folder that cannot be listed is passed over, as os.walk does
            return
        folders = [entry for entry in entries if _is_folder(entry)]
        followed = []
        for entry in folders:
            if _undecodable(entry.name):
                skipped.append(_badly_named(prefix, entry.name))
            elif entry.is_symlink():
                skipped.append(Skipped(prefix + entry.name, "is a link to a folder; not followed"))
            else:
                if readable(entry.name) and files.suffix_of(entry.name):
                    skipped.append(Skipped(prefix + entry.name, "is a directory, not a file"))
                followed.append(entry)
        names = [entry.name for entry in entries if not folders or not _is_folder(entry)]
        folder += "/"
        for name in names:
            if _undecodable(name):
                skipped.append(_badly_named(prefix, name))
            elif readable(name):
                try:
                    info = stat(folder + name)
                    found[prefix + name] = (info.st_size, info.st_mtime_ns)
                except OSError:
                    found[prefix + name] = (-1, -1)
            elif reason := loader.unread_reason(name):
                skipped.append(Skipped(prefix + name, reason))
            elif manifests is not None and name in metadata.MANIFEST_NAMES:
                manifests[prefix + name] = list(state.stamp(Path(folder + name)))
        for entry in followed:
            walk(entry.path, prefix + entry.name + "/")

    walk(os.fspath(corpus), "")
    return found


def _undecodable(name: str) -> bool:
    """Whether a name as the file system gave it has bytes that are not UTF-8 (Python
    keeps them as lone surrogates, which no path, identifier or JSON can carry)."""
    if name.isascii():
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _badly_named(prefix: str, name: str) -> Skipped:
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return Skipped(prefix + shown, "its name is not UTF-8 text: rename it to index it")


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def index_corpus(corpus: Path, index_path: Path, rebuild: bool = False,
                 progress: Progress = lambda items, total, label: items, wait: float = 0.0,
                 workers: int | None = None) -> Summary:
    """Bring the index at ``index_path`` up to date with ``corpus`` (call under no lock).

    ``workers``: processes that run the pipeline when there is much to do (default: one
    a core); ``progress(items, total, label)`` wraps each long pass (a progress bar).
    """
    started = time.monotonic()
    with store.writer_lock(index_path, wait=wait):
        summary = Summary()
        if rebuild or not store.exists(index_path) or not store.is_current(index_path):
            with store.build_aside(index_path) as aside:
                after = _update(aside.index, corpus, summary, progress, None, known_copies={},
                                workers=workers, aside=aside)
                _write_positions(aside.index, summary, progress)
                _finish(aside.target, summary, started, after)
        else:
            folder = index_path.resolve()
            ix = store.open_index(index_path)
            after = _update(ix, corpus, summary, progress, folder,
                            known_copies=store.copies(folder), workers=workers)
            # Also an index written before the lists were: an unchanged run writes them.
            _write_positions(ix, summary, progress)
            _finish(folder, summary, started, after)
    return summary


def _write_positions(ix, summary: Summary, progress: Progress = lambda items, total, label: items
                     ) -> None:
    """Write the phrase positions of the segments that lack them. Without them phrases are
    checked in Whoosh's own positions, slower but the same: a failure (a full disk) is
    reported and the run's index and state stand; the next run tries again."""
    try:
        positions.write(ix, progress)
    except (OSError, MemoryError, ValueError) as exc:
        # A new list: the state keeps the run's own warnings, not this one.
        summary.warnings = [*summary.warnings, f"phrase positions not written ({exc}): phrases "
                            "are checked without them, slower, until a run writes them"]


def _finish(folder: Path, summary: Summary, started: float,
            after: state.State | state.Change | None) -> None:
    summary.seconds = time.monotonic() - started
    summary.finished = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    store.write_run(folder, summary.to_json(), summary.copies_json())
    if after is not None:
        after.write(folder)


def _existing(ix) -> state.State:
    """What the index holds, read from its stored documents (when no state file matches)."""
    with ix.searcher() as searcher:
        documents = {
            f["path"]: state.Indexed(f["fingerprint"], len(f["record"]["passages"]),
                                     dedup.Signature.from_json(f["signature"]),
                                     _persons(f["record"]))
            for f in searcher.all_stored_fields()
        }
    return state.State(state.Head(ix.latest_generation(), "", [], [], 0, 0, {}),
                       state.Body("", {}, []), documents, {}, {})


def _persons(record: Mapping) -> tuple[str, ...]:
    """A stored document's speakers and the mentions shaped like persons (what the
    registry gave it, as near as the record tells)."""
    return tuple(dict.fromkeys([*record.get("speakers", ()),
                                *(name for name in record.get("mentions", ())
                                  if entities.kind_of(name) == "person")]))


@dataclasses.dataclass
class _Seen:
    """An article after the first pass: loaded, or to be loaded again (memory budget, or a
    file the last run read and that did not change: ``unread``). ``path`` is its file's;
    ``relpath`` its own (``feed.rss#1a2b`` for a feed item)."""

    path: str
    relpath: str
    outlet: str
    loaded: LoadedFile | None
    lines: frozenset[str] = frozenset()
    unread: bool = False


def _update(ix, corpus: Path, summary: Summary, progress: Progress, folder: Path | None,
            known_copies: dict[str, dict], workers: int | None = None,
            aside: store.Aside | None = None) -> state.State | state.Change | None:
    """Index what changed (``folder``: the index's, None on a first build); the state to
    keep, or None when nothing did."""
    workers = workers or os.cpu_count() or 1
    context = Context.for_corpus(corpus)
    # Started first: its imports overlap the listing of the corpus.
    with _helper(context, folder is not None and workers > 1) as helper:
        manifests: dict[str, list[int]] = {}
        stamps = corpus_files(corpus, summary.skipped, manifests)
        head = state.head(folder, ix.latest_generation()) if folder else None
        rows = None
        if head and head.manifests == manifests:
            rows_digest = head.rows  # no manifest changed: rows are read only where needed
        else:
            rows = metadata.read_manifests(corpus, manifests)
            # (orjson: the manifests' 100,000 rows at 100,000 articles took 0.7 s with json.)
            rows_digest = state.digest(orjson.dumps(rows, option=orjson.OPT_SORT_KEYS).decode())
        # What each file's first pass learnt stays true while these are the same.
        hints = state.digest(rows_digest, context.digest, cleaner.rules().version,
                             selfnames.version(), entities.version(), PIPELINE_VERSION)
        skipped = orjson.dumps([dataclasses.asdict(s) for s in summary.skipped]).decode()
        listing = state.Listing.of(stamps)
        listed = listing.digest(hints, skipped)
        if head and head.listing == listed:
            # No file changed size or date since the last run (how make and rsync judge).
            _unchanged(summary, head, known_copies)
            return None
        run = _Inputs(ix, corpus, summary, progress, stamps, context, rows, known_copies,
                      workers, aside, state.Head(0, listed, [], [], 0, 0, {}, manifests,
                                                 rows_digest), hints, helper, listing)
        previous = state.previous(folder, ix.latest_generation()) if folder else None
        read = _Read({}, {})
        try:
            if previous and head and previous.body.hints == hints:
                done = _quick(run, previous, head)
                if isinstance(done, state.Change):
                    return done
                read = done
            before = (previous.whole(head) if previous and head
                      else _existing(ix) if folder else None)
        finally:
            if previous:
                previous.close()
        return _whole(run, before, read)


@contextlib.contextmanager
def _helper(context: Context, wanted: bool) -> Iterator[futures.ProcessPoolExecutor | None]:
    """A worker process for the pipeline of an incremental run with a few texts to process,
    started before the corpus is listed: it imports what signing a text needs (datasketch
    and scipy, 0.7 s) on the other core meanwhile. An executor, not a pool: a worker that
    dies (or cannot import) is an error, where a pool would wait for it for ever."""
    if not wanted:
        yield None
        return
    with futures.ProcessPoolExecutor(1, multiprocessing.get_context("fork"), _start_worker,
                                     ({"context": context, "sign": True},)) as executor:
        executor.submit(int)  # starts the process (and its imports) now
        yield executor


@dataclasses.dataclass(frozen=True)
class _Read:
    """The files a run read before it found it must look at every file: what the first
    pass learnt of them, and their texts by article (None: past the memory budget)."""

    files: dict[str, state.FileSeen]
    texts: dict[str, dict[str, LoadedFile | None]]


@dataclasses.dataclass
class _Inputs:
    """What a run found before it decides how much to read again."""

    ix: object
    corpus: Path
    summary: Summary
    progress: Progress
    # Every corpus file's stamp, by its path inside the corpus (:func:`corpus_files`).
    stamps: dict[str, tuple[int, int]]
    context: Context
    # The manifests' rows (None until needed: none changed since the last run).
    rows: dict[str, dict[str, str]] | None
    known_copies: dict[str, dict]
    workers: int
    aside: store.Aside | None
    head: state.Head
    hints: str
    helper: futures.ProcessPoolExecutor | None
    listing: state.Listing

    def files(self, only: Container[str] | None = None) -> list[CorpusFile]:
        """The corpus files (``only`` these), in order."""
        base = os.fspath(self.corpus)
        return [CorpusFile(os.path.join(base, relpath), relpath, stamp)
                for relpath, stamp in self.stamps.items() if only is None or relpath in only]

    def finish(self, run: _Run, documents: int, passages: int, formats_: Counter,
               ) -> state.Head:
        """Fill the summary, and the head of the state to write."""
        summary = self.summary
        summary.copies = run.copies
        summary.documents, summary.passages = documents, passages
        summary.count_formats(formats_)
        summary.skipped.sort(key=lambda s: (s.relpath, s.reason))
        return dataclasses.replace(self.head, generation=self.ix.latest_generation(),
                                   skipped=summary.skipped, warnings=summary.warnings,
                                   documents=documents, passages=passages, formats=dict(formats_))


def _whole(inputs: _Inputs, before: state.State | None, read: _Read) -> state.State:
    """A run that looks at every file (the first pass knows the unchanged ones, and
    those already ``read``)."""
    summary, context = inputs.summary, inputs.context
    rows = (inputs.rows if inputs.rows is not None
            else metadata.read_manifests(inputs.corpus, inputs.head.manifests))
    existing = before.documents if before else {}
    for indexed in existing.values():
        context.speakers.add_known(indexed.persons)
    known_files = before.files if before and before.body.hints == inputs.hints else {}
    first = _FirstPass(rows, context.outlet_names, summary.skipped, {**known_files, **read.files},
                       read.texts)
    seen = first.run(inputs.files(), inputs.progress, inputs.workers)
    counts = cleaner.line_counts(_outlet_texts(seen))
    repeated = cleaner.repeated_in(counts)
    repeats = {outlet: state.digest(*sorted(lines)) for outlet, lines in repeated.items()}
    present = {item.relpath for item in seen}
    signatures = state.Signatures.of({relpath: indexed for relpath, indexed in existing.items()
                                      if relpath in present})
    registry = dedup.Registry.of(signatures.keys, signatures.exacts, signatures.minhashes)
    run = _Run(summary, context, rows, existing, inputs.known_copies, repeated, present,
               registry)
    if known_files:
        run.trust_unread({outlet for outlet in {item.outlet for item in seen}
                          if before.body.repeats.get(outlet) == repeats.get(outlet)})
    # Two is what Whoosh's multi-process writer was measured safe and fastest with; a
    # small incremental change is not worth starting processes (nor adding segments).
    _write(inputs, run, seen, 1 if existing else min(2, os.cpu_count() or 1))
    current = run.current
    head = inputs.finish(run, len(current), sum(d.passages for d in current.values()),
                         Counter(files.format_of(relpath) for relpath in current))
    body = _body(inputs, repeats, run, first.files, inputs.stamps.keys() - first.files.keys())
    return state.State(head, body, current, first.files, counts)


def _quick(inputs: _Inputs, previous: state.Previous, head: state.Head) -> state.Change | _Read:
    """A run that reads only the files that changed (and the few the last run could not
    settle), when no outlet's boilerplate changes with them; when one does (every file of
    that outlet must be read again: :func:`_whole`), what it read.

    It does what :func:`_whole` would, reading only the rows of the state those files
    touch: at 100,000 articles the whole state is seconds of objects."""
    summary, context, stamps = inputs.summary, inputs.context, inputs.stamps
    touched, gone = previous.changed(stamps, inputs.listing)
    unsettled = {files.container_of(relpath) for relpath in previous.body.unsettled}
    absent = {files.container_of(relpath) for relpath in previous.body.absent}
    # Their documents must be looked at again: gone for good, or still kept.
    gone |= absent - stamps.keys()
    # A copy whose original's file changed may have to stand on its own: look again.
    changed = touched | gone
    copies = {files.container_of(copy) for copy, found in inputs.known_copies.items()
              if files.container_of(found["original"]) in changed}
    redo = (touched | unsettled | absent | copies) & stamps.keys()
    old = previous.files(redo | gone)
    rows = inputs.rows
    if rows is None:
        rows = metadata.read_manifests(inputs.corpus, _manifests_over(inputs.head.manifests, redo))
    skipped = len(summary.skipped)
    first = _FirstPass(rows, context.outlet_names, summary.skipped, old)
    seen = first.run(inputs.files(redo), inputs.progress, inputs.workers)
    counts = previous.counts({a.outlet for seen_ in (*old.values(), *first.files.values())
                              for a in seen_.articles if a.outlet})
    for sign, seen_ in [*((-1, f) for f in old.values()), *((1, f) for f in first.files.values())]:
        for article in seen_.articles:
            if article.outlet:
                number, lines = counts[article.outlet]
                lines.update(dict.fromkeys(article.lines, sign))
                counts[article.outlet] = (number + sign, lines)
    counts = {outlet: (number, +lines) for outlet, (number, lines) in counts.items()}
    repeated = cleaner.repeated_in(counts)
    if any(previous.body.repeats.get(outlet) != (state.digest(*sorted(repeated[outlet]))
                                                 if outlet in repeated else None)
           for outlet in counts):
        del summary.skipped[skipped:]  # the whole run finds them again
        texts: dict[str, dict[str, LoadedFile | None]] = defaultdict(dict)
        for item in seen:
            if not item.unread:
                texts[files.container_of(item.relpath)][item.relpath] = item.loaded
        return _Read({relpath: first.files[relpath] for relpath in texts}, texts)
    existing = previous.documents(redo | gone)
    articles = {item.relpath for item in seen}
    present = _Present(stamps.keys(), redo, articles)
    context.speakers.add_first(previous.known_names())
    helper = inputs.helper
    present_ = previous.signatures.without(existing.keys() - articles)
    registry = dedup.Registry.of(present_.keys, present_.exacts, present_.minhashes,
                                 (lambda: helper.submit(dedup.bands).result()) if helper else None)
    run = _Run(summary, context, rows, existing, inputs.known_copies, repeated, present, registry)
    # No outlet's boilerplate changed (or the run went through every file).
    run.trust_unread({item.outlet for item in seen})
    _write(inputs, run, seen, 1)
    # The articles of the files not read again: unchanged, as the last run left them.
    kept = {copy: found for copy, found in inputs.known_copies.items()
            if _untouched(files.container_of(copy), stamps, redo)}
    for copy, found in kept.items():
        run.copies[copy] = found["original"]
        summary.copy_fingerprints[copy] = found["fingerprint"]
    summary.unchanged += head.documents - len(existing) + len(kept)
    # What the first pass skipped in them (not what the pipeline refused of an article
    # that keeps its earlier document: the last run said so, and :func:`_whole` is silent).
    indexed = previous.indexed(s.relpath for s in head.skipped)
    summary.skipped += [s for s in head.skipped if s.relpath not in indexed
                        and _untouched(files.container_of(s.relpath), stamps, redo)]
    current = run.current
    per_format = Counter(head.formats)
    per_format.subtract(files.format_of(relpath) for relpath in existing)
    per_format.update(files.format_of(relpath) for relpath in current)
    new_head = inputs.finish(
        run, head.documents - len(existing) + len(current),
        head.passages - sum(d.passages for d in existing.values())
        + sum(d.passages for d in current.values()), +per_format)
    # The files of the last run's unsettled and absent documents were all read again (or
    # are gone), and every other document is present: the body holds for the whole state.
    body = _body(inputs, previous.body.repeats, run, first.files, redo - first.files.keys())
    deleted = existing.keys() - current.keys()
    return state.Change(new_head, body, first.files, (redo | gone) - first.files.keys(), current,
                        deleted, counts, previous.signatures.changed(current, deleted),
                        previous.columns)


def _body(inputs: _Inputs, repeats: dict[str, str], run: _Run,
          files: dict[str, state.FileSeen], unread: Iterable[str]) -> state.Body:
    """What the state says besides its rows, once ``run`` has written the articles of
    ``files`` (what the first pass saw) and found ``unread`` files unreadable."""
    current = run.current
    unsettled = sorted(article.relpath for seen in files.values() for article in seen.articles
                       if article.relpath not in current and article.relpath not in run.copies)
    absent = sorted(relpath for relpath in current if relpath not in run.present)
    return state.Body(inputs.hints, repeats, unsettled, inputs.listing, sorted(unread), absent)


def _untouched(file: str, stamps: Mapping[str, object], redo: set[str]) -> bool:
    return file in stamps and file not in redo


class _Present:
    """Whether an article is in the corpus now, for a run that read only ``redo``: the
    articles of every other file of the corpus are what they were."""

    def __init__(self, files, redo: set[str], articles: set[str]):
        self.files, self.redo, self.articles = files, redo, articles

    def __contains__(self, relpath: str) -> bool:
        file = files.container_of(relpath)
        return file in self.files and (file not in self.redo or relpath in self.articles)


def _manifests_over(manifests: dict[str, list[int]], files: set[str]) -> list[str]:
    """The manifests that can name these files: those of their folders and above."""
    folders = {""}
    for relpath in files:
        parts = relpath.split("/")[:-1]
        folders.update("/".join(parts[:n]) for n in range(1, len(parts) + 1))
    return [manifest for manifest in manifests if manifest.rpartition("/")[0] in folders]


def _write(inputs: _Inputs, run: _Run, seen: list[_Seen], procs: int) -> None:
    """Every job of ``seen`` through the pipeline into the index, committed at the end
    (and on the way, on a first build)."""
    commits = _Commits(inputs.ix, procs, inputs.aside, len(seen), inputs.summary)
    with inputs.ix.searcher() as searcher:
        try:
            jobs = filter(None, map(run.job, inputs.progress(seen, len(seen), "Indexing")))
            for job, outcome in _produced(jobs, inputs.context, inputs.workers, inputs.helper):
                run.write(job, outcome, commits.writer, searcher)
                commits.tick(len(run.current))
            run.delete_gone(commits.writer)
            commits.writer.commit()
        except BaseException:
            commits.cancel()
            raise


class _Run:
    """One run's decisions, file by file: unchanged, a copy, added or updated, gone."""

    def __init__(self, summary: Summary, context: Context, rows: Mapping[str, Mapping[str, str]],
                 existing: dict[str, state.Indexed], known_copies: dict[str, dict],
                 repeated: dict[str, frozenset[str]], present: Container[str],
                 registry: dedup.Registry):
        self.summary, self.context, self.rows = summary, context, rows
        self.existing, self.known_copies = existing, known_copies
        self.repeated, self.present, self.registry = repeated, present, registry
        # What the index holds once this run commits, kept current as files are written.
        self.current = dict(existing)
        self.copies: dict[str, str] = {}
        self.reload = _Reloader(summary.skipped)
        self.trusted: set[str] = set()

    def trust_unread(self, outlets: set[str]) -> None:
        """Take an untouched file's articles of these outlets (whose repeated lines did not
        change) as unchanged without reading them."""
        self.trusted = outlets

    def job(self, item: _Seen) -> _Job | None:
        """What the pipeline must do for ``item``; None when it is settled already
        (unchanged, a known copy, or unreadable now)."""
        if item.unread and item.outlet in self.trusted and self._unread(item):
            return None
        loaded = item.loaded or self.reload(item)
        if loaded is None:
            return None
        row = row_for(loaded, self.rows)
        outlet_lines = self.repeated.get(item.outlet, frozenset())
        old = self.existing.get(item.relpath)
        print_ = fingerprint(loaded, row, outlet_lines, self.context)
        if (old and old.fingerprint == print_) or self._known_copy(item.relpath, old, print_):
            self.summary.unchanged += 1
            return None
        return _Job(loaded, row, outlet_lines)

    def write(self, job: _Job, outcome: _Outcome | str, writer, searcher) -> None:
        """Index what the pipeline made of ``job`` (or note why it is not an article),
        unless it is a copy of a document indexed before it."""
        relpath = job.loaded.relpath
        if isinstance(outcome, str):
            self.summary.skipped.append(Skipped(relpath, outcome))
            return
        doc, sig, persons = outcome
        # Workers learn spellings apart: the first spelling met in corpus order is the one.
        canonical = self.context.speakers.canonical
        doc = recanonical(doc, canonical, persons)
        persons = {canonical(name) for name in persons}
        self.summary.warnings += [f"{relpath}: {note}" for note in doc.notes]
        old = self.existing.get(relpath)
        self.registry.remove(relpath)
        original = self.registry.original_of(sig)
        if original:
            self._copy(relpath, original, doc.fingerprint)
            if old:  # it was indexed on its own before: now it is a copy
                writer.delete_by_term("path", relpath)
                del self.current[relpath]
            return
        self.registry.add(relpath, sig)
        if old:
            doc = _carry_history(doc, stored_document(searcher.document(path=relpath)))
        writer.update_document(**index_fields(doc, sig))
        self.current[relpath] = state.Indexed(
            doc.fingerprint, len(doc.passages), sig,
            tuple(dict.fromkeys(n for n in (*doc.speakers, *doc.mentions) if n in persons)))
        if old:
            self.summary.updated += 1
        else:
            self.summary.added += 1

    def _unread(self, item: _Seen) -> bool:
        """Whether an article of an untouched file is settled by what the last run kept."""
        known = self.known_copies.get(item.relpath)
        if item.relpath in self.existing or (
                known and self._known_copy(item.relpath, None, known["fingerprint"])):
            self.summary.unchanged += 1
            return True
        return False

    def _known_copy(self, relpath: str, old: state.Indexed | None, print_: str) -> bool:
        """A copy the last run found, unchanged, of a file still here: not processed again."""
        known = self.known_copies.get(relpath)
        if old or not known or known["fingerprint"] != print_ or known["original"] not in self.present:
            return False
        self._copy(relpath, known["original"], print_)
        return True

    def _copy(self, relpath: str, original: str, print_: str) -> None:
        self.copies[relpath] = original
        self.summary.copy_fingerprints[relpath] = print_

    def delete_gone(self, writer) -> None:
        # A file that cannot be read now keeps what it gave before (nothing is lost).
        unreadable = {s.relpath for s in self.summary.skipped}
        gone = {relpath for relpath in self.existing if relpath not in self.present
                and relpath not in unreadable and files.container_of(relpath) not in unreadable}
        for relpath in gone:
            writer.delete_by_term("path", relpath)
            self.current.pop(relpath, None)
            self.summary.deleted += 1


@dataclasses.dataclass(frozen=True)
class _Job:
    """One article for the pipeline, with what it needs besides the corpus context."""

    loaded: LoadedFile
    row: Mapping[str, str]
    repeated: frozenset[str]


_Outcome = tuple[Document, dedup.Signature, frozenset[str]]
# What a worker process was started with (its pool's initializer fills it).
_given: dict[str, object] = {}


def _start_worker(given: dict[str, object]) -> None:
    _given.update(given)
    if given.get("sign"):
        dedup.prepare()


def _outcome(job: _Job, context: Context | None = None) -> _Outcome | str:
    """The pipeline on one article (its document, copy signature and the person names it
    was given), or why it is not an article."""
    context = context or _given["context"]
    context.speakers.handed.clear()
    try:
        doc = process(job.loaded, job.row, job.repeated, context)
    except NotAnArticle as exc:
        return str(exc)
    return doc, dedup.signature(doc.text), frozenset(context.speakers.handed)


def _produced(jobs: Iterator[_Job], context: Context, workers: int,
              helper: futures.ProcessPoolExecutor | None = None
              ) -> Iterator[tuple[_Job, object]]:
    """Each job with its :func:`_outcome`, in order: in worker processes when there is more
    than a window of work, a window at a time with the next one already under way; less
    in the ``helper`` process when there is one."""
    window = list(itertools.islice(jobs, WINDOW))
    if helper is not None and len(window) < WINDOW:
        yield from zip(window, helper.map(_outcome, window), strict=True)
        return
    if workers < 2 or len(window) < WINDOW:
        for job in itertools.chain(window, jobs):
            yield job, _outcome(job, context)
        return
    with multiprocessing.Pool(workers, _start_worker, ({"context": context},)) as pool:
        pending = (window, pool.map_async(_outcome, window, chunksize=8))
        while pending:
            window = list(itertools.islice(jobs, WINDOW))
            following = (window, pool.map_async(_outcome, window, chunksize=8)) if window else None
            yield from zip(pending[0], pending[1].get(), strict=True)
            pending = following


class _Commits:
    """The writer of a run. A first build commits what it has every so often (after
    FIRST_COMMIT seconds, then COMMIT_GROWTH times as long each time) and shows the index
    from its first commit on, with how far it is; any other run commits once, at its end."""

    def __init__(self, ix, procs: int, aside: store.Aside | None, total: int, summary: Summary):
        self.ix, self.procs, self.aside, self.total, self.summary = ix, procs, aside, total, summary
        self.interval = FIRST_COMMIT
        self.due = time.monotonic() + self.interval
        self.writer = self._open()

    def _open(self):
        return segments.writer(self.ix, procs=self.procs, limitmb=512,
                               multisegment=self.procs > 1, compound=False)

    def tick(self, done: int) -> None:
        """Commit and show what is written when a first build is due to."""
        if self.aside is None or not self.aside.first or time.monotonic() < self.due:
            return
        self.writer.commit()
        store.write_progress(self.aside.target, done, self.total)
        self.aside.publish()
        _write_positions(self.ix, self.summary)
        self.interval *= COMMIT_GROWTH
        self.due = time.monotonic() + self.interval
        self.writer = self._open()

    def cancel(self) -> None:
        """Give up what is not committed, and end the writer's processes."""
        self.writer.cancel()
        # Whoosh's multi-process writer cancels its worker processes only in this
        # process's copies of them: they would wait for documents for ever, and exiting
        # joins them (an interrupted first build hung so).
        for task in getattr(self.writer, "tasks", ()):
            task.terminate()
            task.join()


def _unchanged(summary: Summary, head: state.Head, known_copies: dict[str, dict]) -> None:
    """``summary`` of a run that found nothing to do."""
    summary.skipped = list(head.skipped)
    summary.warnings = list(head.warnings)
    summary.copies = {copy: known["original"] for copy, known in known_copies.items()}
    summary.copy_fingerprints = {copy: known["fingerprint"] for copy, known in known_copies.items()}
    summary.unchanged = head.documents + len(known_copies)
    summary.documents = head.documents
    summary.passages = head.passages
    summary.count_formats(head.formats)


def _carry_history(doc: Document, old: Document) -> Document:
    """``doc`` knowing which of ``old``'s passage ids are gone, and where to send readers."""
    return dataclasses.replace(doc, retired=passages.retire(old, doc))


class _FirstPass:
    """Every file once: each article's outlet and short lines (the texts of the first files,
    up to MEMORY_BUDGET bytes, are kept). A file whose stamp the last run saw is not read:
    what it learnt then (``known``) stands. ``files`` is what the next run will know. Many
    files to read are read in worker processes: on a first build this pass is all that
    stands between a new archive and its first searchable articles."""

    def __init__(self, rows, names, skipped: list[Skipped], known: dict[str, state.FileSeen],
                 texts: Mapping[str, dict[str, LoadedFile | None]] | None = None):
        self.rows, self.names, self.skipped, self.known = rows, names, skipped, known
        # Files of ``known`` read by this run already, and their texts by article.
        self.texts = texts or {}
        self.files: dict[str, state.FileSeen] = {}

    def run(self, files: list[CorpusFile], progress: Progress, workers: int = 1) -> list[_Seen]:
        budget = MEMORY_BUDGET
        tasks: dict[str, _Look] = {}
        for path, relpath, stamp in files:
            known = self.known.get(relpath)
            if known is None or known.stamp != stamp:
                budget -= stamp[0]
                tasks[relpath] = _Look(path, relpath, stamp, budget >= 0)
        looked = iter(progress(self._looked(list(tasks.values()), workers), len(tasks), "Reading"))
        seen: list[_Seen] = []
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
                seen += [_Seen(path, a.relpath, a.outlet, loaded.get(a.relpath), a.lines)
                         for a in known.articles]
            else:
                known = self.known[relpath]
                texts = self.texts.get(relpath)
                seen += [_Seen(path, a.relpath, a.outlet, texts.get(a.relpath) if texts is not None else None,
                               a.lines, unread=texts is None) for a in known.articles]
            self.skipped += known.skipped
            self.files[relpath] = known
        return seen

    def _looked(self, tasks: list[_Look], workers: int) -> Iterator[_Looked]:
        if workers < 2 or len(tasks) < WINDOW:
            yield from (_look(task, self.rows, self.names) for task in tasks)
            return
        given = {"rows": self.rows, "names": self.names}
        with multiprocessing.Pool(workers, _start_worker, (given,)) as pool:
            yield from pool.imap(_look, tasks, chunksize=32)


@dataclasses.dataclass(frozen=True)
class _Look:
    """One file for the first pass, and whether its texts are to be kept for the second."""

    path: str
    relpath: str
    stamp: tuple[int, int]
    keep: bool


# A file as the first pass saw it (or why it was skipped), and the texts it kept by article.
_Looked = tuple[state.FileSeen | Skipped, dict[str, LoadedFile]]
def _look(task: _Look, rows: Mapping | None = None, names: Mapping | None = None) -> _Looked:
    """The first pass over one file: its articles' outlets and short lines."""
    if rows is None:
        rows, names = _given["rows"], _given["names"]
    try:
        loaded_all = loader.load_all(Path(task.path), task.relpath)
    except NotAnArticle as exc:
        return Skipped(task.relpath, str(exc)), {}
    loaded = [item for item in loaded_all if isinstance(item, LoadedFile)]
    articles = tuple(state.Article(item.relpath, _outlet_hint(item, row_for(item, rows), names),
                                   cleaner.short_lines(item.text)) for item in loaded)
    seen = state.FileSeen(task.stamp, articles,
                          tuple(item for item in loaded_all if isinstance(item, Skipped)))
    return seen, ({item.relpath: item for item in loaded} if task.keep else {})


class _Reloader:
    """Loads again what the first pass could not keep; the articles of a container file
    come one after the other, so its last file's articles are kept for the next."""

    def __init__(self, skipped: list[Skipped]):
        self.skipped = skipped
        self.path: str | None = None
        self.articles: dict[str, LoadedFile] = {}

    def __call__(self, item: _Seen) -> LoadedFile | None:
        if item.path != self.path:
            self.path, self.articles = item.path, {}
            try:
                container = files.container_of(item.relpath)
                self.articles = {a.relpath: a for a in loader.load_all(Path(item.path), container)
                                 if isinstance(a, LoadedFile)}
            except NotAnArticle as exc:  # changed on disk between the passes
                self.skipped.append(Skipped(item.relpath, str(exc)))
                return None
        found = self.articles.get(item.relpath)
        if found is None:
            self.skipped.append(Skipped(item.relpath, "changed on disk while it was indexed"))
        return found


def _outlet_texts(seen: list[_Seen]) -> dict[str, list[frozenset[str]]]:
    by_outlet: dict[str, list[frozenset[str]]] = defaultdict(list)
    for item in seen:
        if item.outlet:
            by_outlet[item.outlet].append(item.lines)
    return by_outlet


def _outlet_hint(item: LoadedFile, row: Mapping[str, str], names: Mapping[str, str]) -> str:
    if row.get("outlet"):
        return row["outlet"]
    url = row.get("url") or metadata.infer_url(item.page_meta)[0]
    outlet, _ = metadata.infer_outlet(item.text[:2000], item.page_meta, url, (), names)
    return outlet or ""
