"""The per-file part of the indexing state (:mod:`indexer.state`) as a SQLite database:
a run that changed a few files reads and writes only their rows."""

from __future__ import annotations

import contextlib
import gc
import os
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import orjson

from core.files import container_of
from engines.folder import DOCUMENTS_NAME
from indexer.cleaner import LineCounts
from indexer.dedup import Signature
from indexer.speakers import name_keys
from indexer.state import FORMAT, Body, Change, FileSeen, Head, Indexed, Listing, Signatures, State

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


def write(after: State | Change, folder: Path) -> None:
    """Write the state a run leaves: a whole one aside, then put in place; a change into the
    file the last run wrote. The head last."""
    if isinstance(after, State):
        _write_whole(after, folder)
    else:
        with contextlib.closing(_connect(folder / DOCUMENTS_NAME)) as db, db:
            _write_rows(db, after.body, after.head.generation, after.files, after.files_gone,
                        after.documents, after.documents_gone, after.counts)
            _write_columns(db, _columns(after.body, after.signatures), after.before)
    after.head.write(folder)


def _write_whole(whole: State, folder: Path) -> None:
    path = folder / DOCUMENTS_NAME
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.unlink(missing_ok=True)
    with _no_collection(), contextlib.closing(sqlite3.connect(tmp)) as db:
        db.executescript(_TABLES)
        with db:
            _write_rows(db, whole.body, whole.head.generation, whole.files, (),
                        whole.documents, (), whole.counts)
            _write_columns(db, _columns(whole.body, Signatures.of(whole.documents)), {})
    os.replace(tmp, path)
    # What versions before this one kept as one JSON file (80 MB at 100,000 articles).
    (folder / "presscut-documents.json").unlink(missing_ok=True)


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
        self.signatures = Signatures(keys=keys.split("\0") if keys else [],
                                     exacts=exacts.split("\0") if exacts else [],
                                     minhashes=columns["minhashes"])

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
        return {path: Indexed(fingerprint=fp, passages=count, signature=Signature(exact, minhash),
                              persons=tuple(orjson.loads(persons)))
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
            return State(head=head, body=self.body, documents=documents, files=files,
                         counts=self.counts(outlets))

    def _select(self, query: str, keys: Iterable) -> Iterator[tuple]:
        # In chunks: SQLite limits the parameters of one statement (999 before 3.32).
        keys, size = list(keys), self._db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        for start in range(0, len(keys), size):
            chunk = keys[start:start + size]
            yield from self._db.execute(query.format(",".join("?" * len(chunk))), chunk)


def previous(folder: Path, generation: int) -> Previous | None:
    """The per-file part written for index ``generation`` in ``folder``, or None."""
    path = folder / DOCUMENTS_NAME
    if not path.exists():
        return None
    db = _connect(path)
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        if meta["generation"] == generation and meta["format"] == FORMAT:
            return Previous(db, Body(hints=meta["hints"], repeats=orjson.loads(meta["repeats"]),
                                     unsettled=orjson.loads(meta["unsettled"]),
                                     unread=orjson.loads(meta["unread"]),
                                     absent=orjson.loads(meta["absent"])))
    except (sqlite3.Error, KeyError, ValueError):  # half written, or from another version
        pass
    db.close()
    return None


def _columns(body: Body, signatures: Signatures) -> dict[str, str | bytes]:
    listing = body.listing or Listing(paths="", stamps=b"")
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
