"""What the last indexing run left beside the index, so the next one need not read it.

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
import gc
import hashlib
import itertools
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import orjson

from core.files import container_of
from core.records import Skipped
from engines.whoosh.store import DOCUMENTS_NAME, STATE_NAME, read_json, write_json
from indexer.cleaner import LineCounts
from indexer.dedup import Signature
from indexer.speakers import name_keys

# Changing the tables means the next run starts from the index (and reads every file).
FORMAT = 2
# Characters or bytes of a column a stored piece holds.
PIECE = 2**20
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE files (relpath TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
                    seen BLOB NOT NULL);
CREATE TABLE documents (seq INTEGER PRIMARY KEY, relpath TEXT NOT NULL UNIQUE,
                        file TEXT NOT NULL, fingerprint TEXT NOT NULL, passages INTEGER NOT NULL,
                        exact TEXT NOT NULL, minhash BLOB NOT NULL, persons BLOB NOT NULL);
CREATE INDEX documents_file ON documents (file);
-- Where each person name is met, by its name key (speakers.name_keys), and the spelling
-- met first for each key: what a run's speaker registry starts from.
CREATE TABLE persons (key TEXT NOT NULL, document INTEGER NOT NULL, position INTEGER NOT NULL,
                      name TEXT NOT NULL, PRIMARY KEY (key, document, position)) WITHOUT ROWID;
CREATE INDEX persons_document ON persons (document);
CREATE TABLE known (key TEXT PRIMARY KEY, name TEXT NOT NULL) WITHOUT ROWID;
-- Long values (every file's stamp, every document's signature) in pieces: a run that
-- changed a few of them writes the pieces that hold them, not 30 MB.
CREATE TABLE columns (name TEXT NOT NULL, piece INTEGER NOT NULL, value BLOB NOT NULL,
                      PRIMARY KEY (name, piece)) WITHOUT ROWID;
CREATE TABLE outlets (outlet TEXT PRIMARY KEY, documents INTEGER NOT NULL, counts BLOB NOT NULL);
"""


@dataclasses.dataclass(frozen=True)
class Indexed:
    """What an incremental run needs of one indexed file."""

    fingerprint: str
    passages: int
    signature: Signature
    # The spellings the speaker registry gave it (speakers, persons mentioned), in order:
    # a later run starts from them, so a name keeps the spelling the corpus met first.
    persons: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Article:
    """What the first pass learnt of one article of a file."""

    relpath: str
    outlet: str
    lines: frozenset[str]


@dataclasses.dataclass(frozen=True)
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
        return cls(stamp,
                   tuple(Article(r, o, frozenset(lines.split())) for r, o, lines in articles),
                   tuple(Skipped(r, reason) for r, reason in skipped))


@dataclasses.dataclass
class Head:
    """What the run that wrote an index saw and did, without the per-file part."""

    generation: int
    listing: str
    skipped: list[Skipped]
    warnings: list[str]
    documents: int
    passages: int
    # Documents indexed per file format ("html", "pdf", "warc"...).
    formats: dict[str, int]
    # The manifests' stamps, and a digest of their rows (unchanged stamps: not read again).
    manifests: dict[str, list[int]] = dataclasses.field(default_factory=dict)
    rows: str = ""

    def write(self, folder: Path) -> None:
        write_json(folder / STATE_NAME, {
            **dataclasses.asdict(self), "format": FORMAT,
            "skipped": [dataclasses.asdict(s) for s in self.skipped]})


@dataclasses.dataclass
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


@dataclasses.dataclass(frozen=True)
class Listing:
    """The corpus files a run listed, in order, and their stamps, encoded once: for the
    digest that tells an untouched corpus, and for the next run to compare with."""

    # Their paths inside the corpus, joined by NUL (which no file name holds).
    paths: str
    # Their sizes and dates, as pairs of 64-bit integers.
    stamps: bytes

    @classmethod
    def of(cls, stamps: dict[str, tuple[int, int]]) -> Listing:
        return cls("\0".join(stamps), np.fromiter(itertools.chain.from_iterable(stamps.values()),
                                                  dtype=np.int64, count=2 * len(stamps)).tobytes())

    def digest(self, *parts: str) -> str:
        """A digest of the listing and ``parts``."""
        hasher = hashlib.sha256(self.paths.encode("utf-8", "surrogateescape"))
        hasher.update(self.stamps)
        hasher.update(digest(*parts).encode())
        return hasher.hexdigest()


@dataclasses.dataclass(frozen=True)
class Signatures:
    """Every indexed document's copy signature, in the state's order, as three columns: a
    run that changed a few files reads them at once (as 100,000 rows: half a second)."""

    keys: list[str]
    exacts: list[str]
    # The MinHash values of each key, one after the other.
    minhashes: bytes

    @classmethod
    def of(cls, documents: dict[str, Indexed]) -> Signatures:
        return cls(list(documents), [d.signature.exact for d in documents.values()],
                   b"".join(d.signature.minhash for d in documents.values()))

    def without(self, keys: set[str]) -> Signatures:
        if not keys:
            return self
        kept = [n for n, key in enumerate(self.keys) if key not in keys]
        table = np.frombuffer(self.minhashes, dtype=np.uint32).reshape(len(self.keys), -1)
        return Signatures([self.keys[n] for n in kept], [self.exacts[n] for n in kept],
                          table[kept].tobytes())

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
        return Signatures(keys, exacts, bytes(rows)).without(gone)

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


@dataclasses.dataclass
class State:
    """The whole state, as objects: what a run that reads every file starts from and writes."""

    head: Head
    body: Body
    documents: dict[str, Indexed]
    files: dict[str, FileSeen]
    counts: dict[str, LineCounts]

    def write(self, folder: Path) -> None:
        """Write the per-file part aside and put it in place, then the head."""
        path = folder / DOCUMENTS_NAME
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.unlink(missing_ok=True)
        with _no_collection(), contextlib.closing(sqlite3.connect(tmp)) as db:
            db.executescript(_TABLES)
            with db:
                _write_rows(db, self.body, self.head.generation, self.files, (),
                            self.documents, (), self.counts)
                _write_columns(db, _columns(self.body, Signatures.of(self.documents)), {})
        os.replace(tmp, path)
        # What versions before this one kept as one JSON file (80 MB at 100,000 articles).
        (folder / "presscut-documents.json").unlink(missing_ok=True)
        self.head.write(folder)


@dataclasses.dataclass
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
    # The columns as the last run wrote them (:attr:`Previous.columns`).
    before: dict[str, str | bytes]

    def write(self, folder: Path) -> None:
        with contextlib.closing(_connect(folder / DOCUMENTS_NAME)) as db, db:
            _write_rows(db, self.body, self.head.generation, self.files, self.files_gone,
                        self.documents, self.documents_gone, self.counts)
            _write_columns(db, _columns(self.body, self.signatures), self.before)
        self.head.write(folder)


def _write_rows(db: sqlite3.Connection, body: Body, generation: int,
                files: dict[str, FileSeen], files_gone: Iterable[str],
                documents: dict[str, Indexed], documents_gone: Iterable[str],
                counts: dict[str, LineCounts]) -> None:
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [
        ("generation", generation), ("format", FORMAT), ("hints", body.hints),
        ("repeats", orjson.dumps(body.repeats)), ("unsettled", orjson.dumps(body.unsettled)),
        ("unread", orjson.dumps(body.unread)), ("absent", orjson.dumps(body.absent))])
    db.executemany("DELETE FROM files WHERE relpath = ?", ((p,) for p in files_gone))
    db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                   ((p, *seen.stamp, orjson.dumps(seen.to_json())) for p, seen in files.items()))
    keys = _forget_persons(db, [*documents_gone, *documents])
    db.executemany("DELETE FROM documents WHERE relpath = ?", ((p,) for p in documents_gone))
    # An updated document keeps its place (its seq), a new one comes last: the order a
    # run meets the known names in (speakers.Registry.add_known).
    db.executemany(
        "INSERT INTO documents (relpath, file, fingerprint, passages, exact, minhash, persons) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (relpath) DO UPDATE SET "
        "fingerprint = excluded.fingerprint, passages = excluded.passages, "
        "exact = excluded.exact, minhash = excluded.minhash, persons = excluded.persons",
        ((p, container_of(p), d.fingerprint, d.passages, d.signature.exact, d.signature.minhash,
          orjson.dumps(d.persons)) for p, d in documents.items()))
    named = [(_key(name), n, name, p) for p, d in documents.items()
             for n, name in enumerate(d.persons)]
    db.executemany("INSERT INTO persons SELECT ?, seq, ?, ? FROM documents WHERE relpath = ?",
                   named)
    keys.update(key for key, *_ in named)
    db.executemany("DELETE FROM known WHERE key = ?", ((key,) for key in keys))
    db.executemany("INSERT INTO known SELECT key, name FROM persons WHERE key = ? "
                   "ORDER BY document, position LIMIT 1", ((key,) for key in keys))
    for outlet, (number, lines) in counts.items():
        if number:
            db.execute("INSERT OR REPLACE INTO outlets VALUES (?, ?, ?)",
                       (outlet, number, orjson.dumps(lines)))
        else:
            db.execute("DELETE FROM outlets WHERE outlet = ?", (outlet,))


class Previous:
    """The per-file part of the state as the last run left it, read row by row."""

    def __init__(self, db: sqlite3.Connection, body: Body):
        self._db, self.body = db, body
        # The long values as written, to write back only the pieces a run changes.
        self.columns = columns = _read_columns(db)
        self._listed, self._stamps = columns["listed"], columns["stamps"]
        keys, exacts = columns["keys"], columns["exacts"]
        self.signatures = Signatures(keys.split("\0") if keys else [],
                                     exacts.split("\0") if exacts else [], columns["minhashes"])

    def close(self) -> None:
        self._db.close()

    def changed(self, stamps: dict[str, tuple[int, int]], listing: Listing
                ) -> tuple[set[str], set[str]]:
        """Of the files listed now (their ``stamps``, and as a ``listing``), those the first
        pass must read (new, changed since the last run read them, or unreadable then); and
        the files the last run read that are gone."""
        if listing.paths == self._listed:  # the same files: compare their stamps at once
            old = np.frombuffer(self._stamps, dtype=np.int64).reshape(-1, 2)
            new = np.frombuffer(listing.stamps, dtype=np.int64).reshape(-1, 2)
            listed = list(stamps)
            found = {listed[n] for n in np.flatnonzero((old != new).any(axis=1))}
            return found | set(self.body.unread), set()
        known = self.files_seen()
        return ({path for path, stamp in stamps.items() if known.get(path) != stamp},
                known.keys() - stamps.keys())

    def files_seen(self) -> dict[str, tuple[int, int]]:
        """Every file the last run saw whole: its size and date."""
        return {path: (size, mtime)
                for path, size, mtime in self._db.execute("SELECT relpath, size, mtime FROM files")}

    def files(self, relpaths: Iterable[str] | None = None) -> dict[str, FileSeen]:
        """What the first pass learnt of these files (None: of every file)."""
        query = "SELECT relpath, size, mtime, seen FROM files"
        rows = (self._db.execute(query) if relpaths is None
                else self._select(query + " WHERE relpath IN ({})", relpaths))
        return {path: FileSeen.from_json((size, mtime), orjson.loads(seen))
                for path, size, mtime, seen in rows}

    def documents(self, files: Iterable[str] | None = None) -> dict[str, Indexed]:
        """The documents of these corpus files (None: of all), in the order the state
        keeps them."""
        query = "SELECT seq, relpath, fingerprint, passages, exact, minhash, persons FROM documents"
        rows = sorted(self._db.execute(query) if files is None
                      else self._select(query + " WHERE file IN ({})", files))
        return {path: Indexed(fp, count, Signature(exact, minhash), tuple(orjson.loads(persons)))
                for _, path, fp, count, exact, minhash, persons in rows}

    def indexed(self, relpaths: Iterable[str]) -> set[str]:
        """Which of these are indexed documents."""
        return {path for path, in self._select(
            "SELECT relpath FROM documents WHERE relpath IN ({})", relpaths)}

    def known_names(self) -> Iterator[tuple[tuple[str, ...], str]]:
        """Per name key of the indexed documents' persons, the spelling met first."""
        return ((tuple(key.split("\x1f")), name)
                for key, name in self._db.execute("SELECT key, name FROM known"))

    def counts(self, outlets: Iterable[str]) -> dict[str, LineCounts]:
        found = {outlet: (number, Counter(orjson.loads(counts))) for outlet, number, counts
                 in self._select("SELECT outlet, documents, counts FROM outlets "
                                 "WHERE outlet IN ({})", outlets)}
        return {outlet: found.get(outlet, (0, Counter())) for outlet in outlets}

    def whole(self, head: Head) -> State:
        """Everything, as objects."""
        with _no_collection():
            files, documents = self.files(), self.documents()
            outlets = [outlet for outlet, in self._db.execute("SELECT outlet FROM outlets")]
            return State(head, self.body, documents, files, self.counts(outlets))

    def _select(self, query: str, keys: Iterable) -> Iterator[tuple]:
        # In chunks: SQLite limits the parameters of one statement (999 before 3.32).
        keys, size = list(keys), self._db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        for start in range(0, len(keys), size):
            chunk = keys[start:start + size]
            yield from self._db.execute(query.format(",".join("?" * len(chunk))), chunk)


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


def previous(folder: Path, generation: int) -> Previous | None:
    """The per-file part written for index ``generation`` in ``folder``, or None."""
    path = folder / DOCUMENTS_NAME
    if not path.exists():
        return None
    db = _connect(path)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta["generation"] == generation and meta["format"] == FORMAT:
            return Previous(db, Body(meta["hints"], orjson.loads(meta["repeats"]),
                                     orjson.loads(meta["unsettled"]),
                                     unread=orjson.loads(meta["unread"]),
                                     absent=orjson.loads(meta["absent"])))
    except (sqlite3.Error, KeyError, ValueError):  # half written, or from another version
        pass
    db.close()
    return None


def _columns(body: Body, signatures: Signatures) -> dict[str, str | bytes]:
    listing = body.listing or Listing("", b"")
    return {"listed": listing.paths, "stamps": listing.stamps,
            "keys": "\0".join(signatures.keys), "exacts": "\0".join(signatures.exacts),
            "minhashes": signatures.minhashes}


def _write_columns(db: sqlite3.Connection, columns: dict[str, str | bytes],
                   before: dict[str, str | bytes]) -> None:
    """Write the pieces of ``columns`` that differ from ``before``."""
    for name, value in columns.items():
        old = before.get(name)
        starts = range(0, len(value), PIECE)
        db.executemany("INSERT OR REPLACE INTO columns VALUES (?, ?, ?)",
                       ((name, n, value[at:at + PIECE]) for n, at in enumerate(starts)
                        if old is None or old[at:at + PIECE] != value[at:at + PIECE]))
        db.execute("DELETE FROM columns WHERE name = ? AND piece >= ?", (name, len(starts)))


def _read_columns(db: sqlite3.Connection) -> dict[str, str | bytes]:
    pieces: dict[str, list] = {}
    for name, value in db.execute("SELECT name, value FROM columns ORDER BY name, piece"):
        pieces.setdefault(name, []).append(value)
    empty = {"listed": "", "stamps": b"", "keys": "", "exacts": "", "minhashes": b""}
    return {name: value[:0].join(pieces.get(name, ())) for name, value in empty.items()}


def _forget_persons(db: sqlite3.Connection, relpaths: list[str]) -> set[str]:
    """Take these documents' person names out of the table; the keys they had."""
    keys: set[str] = set()
    for relpath in relpaths:
        for seq, in db.execute("SELECT seq FROM documents WHERE relpath = ?", (relpath,)):
            keys.update(key for key, in db.execute("SELECT key FROM persons WHERE document = ?",
                                                   (seq,)))
            db.execute("DELETE FROM persons WHERE document = ?", (seq,))
    return keys


def _key(name: str) -> str:
    return "\x1f".join(name_keys(name))


def _connect(path: Path) -> sqlite3.Connection:
    # The writer lock of the index keeps other runs out; nothing else opens this file.
    return sqlite3.connect(path, isolation_level="DEFERRED")


@contextlib.contextmanager
def _no_collection():
    """The cyclic garbage collector paused: it would walk the 100,000s of objects the state
    is made of again and again while they are built (a third of reading it), and none of
    them form cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


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


