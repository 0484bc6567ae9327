"""What the last indexing run left beside the index, so the next one need not read it: the
records (this module) and the SQLite file that keeps them (:mod:`indexer.state_db`).

An incremental run must know, per indexed file, its fingerprint, passage count, copy
signature and speakers. Reading them back from Whoosh unpickles every stored document
(minutes at 100,000 articles); the state holds just those, plus a digest of the corpus
listing so that a run over an untouched corpus stops after looking at file dates.

It also keeps, per corpus file, its size and date and what the first pass learnt of it
(each article's outlet and the digests of its short lines), and per outlet how many of its
documents hold each short line, so that a run after one file changed reads that file only.

Two parts: a small head (JSON, read by every run) and the per-file part, a SQLite
database. A run that changed a few files reads and writes only their rows (``Previous``,
``Change``); at 100,000 articles reading the whole of it back as objects took 2-4 s. Both
name the index generation they were written for: after a crash between the commit and
the write they no longer match, and the caller falls back to the index.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import itertools
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from core.records import Skipped
from engines.folder import STATE_NAME, read_json, write_json
from indexer.cleaner import LineCounts
from indexer.dedup import Signature

# Changing the records or the tables (state_db) means the next run starts from the index
# (and reads every file).
FORMAT = 2


@dataclasses.dataclass(frozen=True, kw_only=True)
class Indexed:
    """What an incremental run needs of one indexed file."""

    fingerprint: str
    passages: int
    signature: Signature
    # The spellings the speaker registry gave it (speakers, persons mentioned), in order:
    # a later run starts from them, so a name keeps the spelling the corpus met first.
    persons: tuple[str, ...]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Article:
    """What the first pass learnt of one article of a file."""

    relpath: str
    outlet: str
    lines: frozenset[str]


@dataclasses.dataclass(frozen=True, kw_only=True)
class FileSeen:
    """One corpus file as the first pass saw it: its stamp, articles and skipped records."""

    stamp: tuple[int, int]
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]

    def to_json(self) -> list:
        return [[[a.relpath, a.outlet, " ".join(sorted(a.lines))] for a in self.articles],
                [[s.relpath, s.reason] for s in self.skipped]]

    @classmethod
    def from_json(cls, stamp: tuple[int, int], data: list) -> FileSeen:
        articles, skipped = data
        return cls(stamp=stamp,
                   articles=tuple(Article(relpath=r, outlet=o, lines=frozenset(lines.split()))
                                  for r, o, lines in articles),
                   skipped=tuple(Skipped(r, reason) for r, reason in skipped))


@dataclasses.dataclass(kw_only=True)
class Head:
    """What the run that wrote an index saw and did, without the per-file part."""

    generation: int
    listing: str
    skipped: list[Skipped] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    documents: int = 0
    passages: int = 0
    # Documents indexed per file format ("html", "pdf", "warc"...).
    formats: dict[str, int] = dataclasses.field(default_factory=dict)
    # The manifests' stamps, and a digest of their rows (unchanged stamps: not read again).
    manifests: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    rows: str = ""

    def write(self, folder: Path) -> None:
        write_json(folder / STATE_NAME, {
            **dataclasses.asdict(self), "format": FORMAT,
            "skipped": [dataclasses.asdict(s) for s in self.skipped]})


def head(folder: Path, generation: int) -> Head | None:
    """The head of the state written for index ``generation`` in ``folder``, or None."""
    try:
        data = read_json(folder / STATE_NAME)
        if data["generation"] != generation or data["format"] != FORMAT:
            return None
        del data["format"]
        return Head(**{**data, "skipped": [Skipped(**s) for s in data["skipped"]]})
    except (KeyError, TypeError, ValueError):  # missing (None), or from another version
        return None


@dataclasses.dataclass(kw_only=True)
class Body:
    """What the per-file part says besides its rows (the same whether whole or a change)."""

    # What each file's first pass learnt stays true while this is the same.
    hints: str
    # Per outlet, a digest of its repeated lines (a change reprocesses its files).
    repeats: dict[str, str]
    # Articles of the corpus files that are neither indexed nor copies (the pipeline said
    # they are not articles): every run processes them again.
    unsettled: list[str]
    # Every corpus file the run listed, and their stamps: the next run finds what changed
    # by comparing two arrays (100,000 stamps as objects: a third of a second).
    listing: Listing | None = None
    # Listed files the first pass could not read (not in the files table): read every run.
    unread: list[str] = dataclasses.field(default_factory=list)
    # Documents kept though the corpus no longer yields them (their file cannot be read, or
    # their record was skipped: nothing is lost): every run looks at their files again.
    absent: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Listing:
    """The corpus files a run listed, in order, and their stamps, encoded once: for the
    digest that tells an untouched corpus, and for the next run to compare with."""

    # Their paths inside the corpus, joined by NUL (which no file name holds).
    paths: str
    # Their sizes and dates, as pairs of 64-bit integers.
    stamps: bytes

    @classmethod
    def of(cls, stamps: dict[str, tuple[int, int]]) -> Listing:
        return cls(paths="\0".join(stamps),
                   stamps=np.fromiter(itertools.chain.from_iterable(stamps.values()),
                                      dtype=np.int64, count=2 * len(stamps)).tobytes())

    def digest(self, *parts: str) -> str:
        """A digest of the listing and ``parts``."""
        hasher = hashlib.sha256(self.paths.encode("utf-8", "surrogateescape"))
        hasher.update(self.stamps)
        hasher.update(digest(*parts).encode())
        return hasher.hexdigest()


@dataclasses.dataclass(frozen=True, kw_only=True)
class Signatures:
    """Every indexed document's copy signature, in the state's order, as three columns: a
    run that changed a few files reads them at once (as 100,000 rows: half a second)."""

    keys: list[str]
    exacts: list[str]
    # The MinHash values of each key, one after the other.
    minhashes: bytes

    @classmethod
    def of(cls, documents: dict[str, Indexed]) -> Signatures:
        return cls(keys=list(documents), exacts=[d.signature.exact for d in documents.values()],
                   minhashes=b"".join(d.signature.minhash for d in documents.values()))

    def without(self, keys: set[str]) -> Signatures:
        if not keys:
            return self
        kept = [n for n, key in enumerate(self.keys) if key not in keys]
        table = np.frombuffer(self.minhashes, dtype=np.uint32).reshape(len(self.keys), -1)
        return Signatures(keys=[self.keys[n] for n in kept], exacts=[self.exacts[n] for n in kept],
                          minhashes=table[kept].tobytes())

    def changed(self, documents: dict[str, Indexed], gone: set[str]) -> Signatures:
        """The columns once ``documents`` are written (a new one last) and ``gone`` removed."""
        place = self._places(documents)
        keys, exacts, rows = list(self.keys), list(self.exacts), bytearray(self.minhashes)
        for key, indexed in documents.items():
            exact, minhash = indexed.signature.exact, indexed.signature.minhash
            if key in place:
                n = place[key]
                exacts[n] = exact
                rows[n * len(minhash):(n + 1) * len(minhash)] = minhash
            else:
                keys.append(key)
                exacts.append(exact)
                rows += minhash
        return Signatures(keys=keys, exacts=exacts, minhashes=bytes(rows)).without(gone)

    def _places(self, keys: Iterable[str]) -> dict[str, int]:
        """Where these keys are (those that are there)."""
        keys = list(keys)
        if len(keys) > 64:
            wanted = set(keys)
            return {key: n for n, key in enumerate(self.keys) if key in wanted}
        # A few are looked for in the list, in C, rather than indexing 100,000 keys.
        places = {}
        for key in keys:
            with contextlib.suppress(ValueError):
                places[key] = self.keys.index(key)
        return places


@dataclasses.dataclass(kw_only=True)
class State:
    """The whole state, as objects: what a run that reads every file starts from and writes
    (:func:`indexer.state_db.write`)."""

    head: Head
    body: Body
    documents: dict[str, Indexed]
    files: dict[str, FileSeen]
    counts: dict[str, LineCounts]


@dataclasses.dataclass(kw_only=True)
class Change:
    """What a run that read a few files changes of the state: their rows only."""

    head: Head
    body: Body
    files: dict[str, FileSeen]
    files_gone: set[str]
    documents: dict[str, Indexed]
    documents_gone: set[str]
    counts: dict[str, LineCounts]
    signatures: Signatures
    # The columns as the last run wrote them (:attr:`indexer.state_db.Previous.columns`).
    before: dict[str, str | bytes]


def stamp(path: Path | os.DirEntry) -> tuple[int, int]:
    """A file's size and modification time (how make and rsync judge a change); (-1, -1)
    when it is gone."""
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def digest(*parts: str) -> str:
    """A digest of ``parts`` in order."""
    # One string hashed at once: 100,000 calls to update() cost a tenth of a second.
    return hashlib.sha256("".join(f"{part}\0" for part in parts).encode()).hexdigest()
