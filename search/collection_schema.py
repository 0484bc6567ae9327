"""The collections database's schema, versioned (``PRAGMA user_version``) and migrated
on first use: an older database is brought up to date, a newer one refused."""

from __future__ import annotations

import sqlite3

# Each entry brings the schema from the version before it to its own (PRAGMA user_version).
MIGRATIONS = (
    """
    CREATE TABLE collections (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL
    );
    CREATE TABLE cuttings (
        collection_id TEXT NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
        passage_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        note TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        text TEXT NOT NULL,
        added TEXT NOT NULL,
        PRIMARY KEY (collection_id, passage_id)
    );
    CREATE INDEX cuttings_order ON cuttings (collection_id, position);
    """,
    # The source's citation data as JSON (Kept); NULL for cuttings made before it was
    # kept, until dossier.keep_sources finds their passage in the archive.
    """
    ALTER TABLE cuttings ADD COLUMN source TEXT;
    CREATE INDEX cuttings_passage ON cuttings (passage_id);
    """,
)


def migrate(db: sqlite3.Connection) -> None:
    """Bring the database ``db`` to the newest schema (refused when it is newer)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise RuntimeError(f"the collections database is of a newer Presscut (schema "
                               f"{version}, this one knows {len(MIGRATIONS)})")
        for number, script in enumerate(MIGRATIONS[version:], version + 1):
            for statement in filter(str.strip, script.split(";")):
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
