"""Press cuttings: named collections of passages, each with a note and tags, kept in a
SQLite database beside the index (never inside it, so a rebuild keeps them).

Each cutting keeps the passage's text as it was cut, and its source's citation data
(:class:`Kept`): if a later re-index changes the passage or drops its document, the
collection still shows and cites what was collected, and says that it changed.

One connection per call, WAL mode and ``BEGIN IMMEDIATE`` for every write: two browsers
adding to one collection at once are serialised by SQLite, not by luck.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from search.collection_schema import migrate
from search.kept import Kept

MAX_NAME = 200
MAX_NOTE = 10_000
MAX_TAGS = 50


class Invalid(ValueError):
    """A collection or cutting a person asked for that cannot be: the message says why."""


@dataclasses.dataclass(frozen=True)
class Cutting:
    """A passage in a collection, as it was when it was cut."""

    passage_id: str
    note: str
    tags: tuple[str, ...]
    text: str
    added: str
    kept: Kept | None = None


@dataclasses.dataclass(frozen=True)
class Collection:
    id: str
    name: str
    description: str
    created: str
    cuttings: tuple[Cutting, ...] = ()


@dataclasses.dataclass(frozen=True)
class Added:
    """A collection after a passage was cut into it, and whether it was there already
    (then the API and the page say :data:`ALREADY`)."""

    collection: Collection
    already: bool


ALREADY = ("This passage was already in the collection: its note and tags are kept, and a "
           "note or tags given are added to them.")


@dataclasses.dataclass(frozen=True)
class Listed:
    """A collection in the list of collections."""

    id: str
    name: str
    count: int


class Store:
    """The collections database at ``path``, created (and migrated) on first use."""

    def __init__(self, path: Path):
        self.path = path
        self._ready = False

    @contextmanager
    def _connection(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            db.execute("PRAGMA foreign_keys = ON")
            if not self._ready:
                db.execute("PRAGMA journal_mode = WAL")
                migrate(db)
                self._ready = True
            if not write:
                yield db
                return
            # Take the write lock now, not at the first write: reads in between see a
            # state no other writer can change (positions are computed from them).
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- collections ----------------------------------------------------------------------
    def create(self, name: str, description: str = "") -> Collection:
        name, description = _name(name), (description or "").strip()[:MAX_NOTE]
        collection = Collection(secrets.token_hex(4), name, description, _now())
        with self._connection(write=True) as db:
            db.execute("INSERT INTO collections (id, name, description, created) VALUES (?, ?, ?, ?)",
                       (collection.id, name, description, collection.created))
        return collection

    def list(self) -> list[Listed]:
        with self._connection() as db:
            rows = db.execute(
                "SELECT c.id, c.name, COUNT(k.passage_id) FROM collections c "
                "LEFT JOIN cuttings k ON k.collection_id = c.id GROUP BY c.id "
                "ORDER BY c.created, c.name").fetchall()
        return [Listed(*row) for row in rows]

    def get(self, collection_id: str) -> Collection | None:
        with self._connection() as db:
            return _read(db, collection_id)

    def delete(self, collection_id: str) -> bool:
        with self._connection(write=True) as db:
            return db.execute("DELETE FROM collections WHERE id = ?", (collection_id,)).rowcount > 0

    # -- cuttings -------------------------------------------------------------------------
    def add(self, collection_id: str, passage_id: str, text: str, note: str | None = None,
            tags: list[str] | tuple[str, ...] | str | None = None,
            kept: Kept | None = None) -> Added | None:
        """Cut a passage, with its source's citation data ``kept``, into the collection
        (last). One already there loses nothing: a note given goes under its note, tags
        given join its tags. None when there is no such collection."""
        note, tags = _note(note), _tags(tags or [])
        with self._connection(write=True) as db:
            if not _exists(db, collection_id):
                return None
            there = db.execute("SELECT note, tags FROM cuttings WHERE collection_id = ? AND "
                               "passage_id = ?", (collection_id, passage_id)).fetchone()
            if there is None:
                db.execute(
                    "INSERT INTO cuttings (collection_id, passage_id, position, note, tags, text,"
                    " added, source) VALUES (?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM"
                    " cuttings WHERE collection_id = ?), ?, ?, ?, ?, ?)",
                    (collection_id, passage_id, collection_id, note,
                     json.dumps(tags, ensure_ascii=False), text, _now(),
                     kept.to_json() if kept else None))
            else:
                joined = json.dumps(_tags(json.loads(there[1]) + tags), ensure_ascii=False)
                db.execute("UPDATE cuttings SET note = ?, tags = ?, source = COALESCE(source, ?) "
                           "WHERE collection_id = ? AND passage_id = ?",
                           (_joined(there[0], note), joined, kept.to_json() if kept else None,
                            collection_id, passage_id))
            return Added(_read(db, collection_id), there is not None)

    def annotate(self, collection_id: str, passage_id: str, note: str | None,
                 tags: list[str] | tuple[str, ...] | str | None = None) -> Collection | None:
        """Change a cutting's note and tags to those given (None: kept); None when it is
        not there."""
        note = None if note is None else _note(note)
        tags_json = None if tags is None else json.dumps(_tags(tags), ensure_ascii=False)
        with self._connection(write=True) as db:
            changed = db.execute(
                "UPDATE cuttings SET note = COALESCE(?, note), tags = COALESCE(?, tags) "
                "WHERE collection_id = ? AND passage_id = ?",
                (note, tags_json, collection_id, passage_id)).rowcount
            return _read(db, collection_id) if changed else None

    def unkept(self) -> list[str]:
        """The passages cut without their source's citation data (before it was kept)."""
        with self._connection() as db:
            return [row[0] for row in db.execute(
                "SELECT DISTINCT passage_id FROM cuttings WHERE source IS NULL")]

    def keep(self, passage_id: str, kept: Kept) -> int:
        """Give every cutting of ``passage_id`` that has none its source's data ``kept``."""
        with self._connection(write=True) as db:
            return db.execute("UPDATE cuttings SET source = ? WHERE passage_id = ? AND "
                              "source IS NULL", (kept.to_json(), passage_id)).rowcount

    def cutting(self, passage_id: str) -> Cutting | None:
        """``passage_id`` as it was cut into a collection (the first), or None: its text
        finds the paragraph again once its document left the archive."""
        if not self.path.exists():  # (a permalink nobody collected opens no database)
            return None
        with self._connection() as db:
            row = db.execute("SELECT passage_id, note, tags, text, added, source FROM cuttings "
                             "WHERE passage_id = ? ORDER BY added LIMIT 1", (passage_id,)).fetchone()
        return _cutting(*row) if row else None

    def remove(self, collection_id: str, passage_id: str) -> Collection | None:
        """Take a cutting out; None when it is not there."""
        with self._connection(write=True) as db:
            removed = db.execute("DELETE FROM cuttings WHERE collection_id = ? AND passage_id = ?",
                                 (collection_id, passage_id)).rowcount
            return _read(db, collection_id) if removed else None

    def move(self, collection_id: str, passage_id: str, steps: int) -> Collection | None:
        """Move a cutting ``steps`` places later (earlier if negative) in its collection."""
        with self._connection(write=True) as db:
            order = [row[0] for row in db.execute(
                "SELECT passage_id FROM cuttings WHERE collection_id = ? ORDER BY position",
                (collection_id,))]
            if passage_id not in order:
                return None
            old = order.index(passage_id)
            order.pop(old)
            order.insert(max(0, min(len(order), old + steps)), passage_id)
            db.executemany("UPDATE cuttings SET position = ? WHERE collection_id = ? AND passage_id = ?",
                           [(n, collection_id, pid) for n, pid in enumerate(order, 1)])
            return _read(db, collection_id)


def _exists(db: sqlite3.Connection, collection_id: str) -> bool:
    return db.execute("SELECT 1 FROM collections WHERE id = ?", (collection_id,)).fetchone() is not None


def _read(db: sqlite3.Connection, collection_id: str) -> Collection | None:
    row = db.execute("SELECT id, name, description, created FROM collections WHERE id = ?",
                     (collection_id,)).fetchone()
    if row is None:
        return None
    cuttings = tuple(_cutting(*found) for found in db.execute(
        "SELECT passage_id, note, tags, text, added, source FROM cuttings WHERE "
        "collection_id = ? ORDER BY position", (collection_id,)))
    return Collection(*row, cuttings=cuttings)


def _cutting(passage_id: str, note: str, tags: str, text: str, added: str,
             source: str | None) -> Cutting:
    return Cutting(passage_id, note, tuple(json.loads(tags)), text, added, Kept.from_json(source))


def _name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("A collection needs a name.")
    if len(name) > MAX_NAME:
        raise Invalid(f"A collection's name is at most {MAX_NAME} characters.")
    return name


def _note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise Invalid(f"A note is at most {MAX_NOTE:,} characters.")
    return note


def _joined(note: str, more: str) -> str:
    """A note given again for a cutting: under the note it has, unless that says it."""
    if not more or more in note:
        return note
    return _note(f"{note}\n\n{more}" if note else more)


def _tags(tags) -> list[str]:
    if isinstance(tags, str):
        tags = tags.split(",")
    if not isinstance(tags, list | tuple) or not all(isinstance(t, str) for t in tags):
        raise Invalid("Tags are a list of words (or one string, separated by commas).")
    cleaned = list(dict.fromkeys(" ".join(t.split()) for t in tags if t.strip()))
    if len(cleaned) > MAX_TAGS:
        raise Invalid(f"At most {MAX_TAGS} tags a passage.")
    return cleaned


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
