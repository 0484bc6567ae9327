"""Logins kept on the server: a session cookie names its login, and a login ends on the
server at /logout, so a copy of the cookie taken before no longer writes. (A signed
cookie alone is good for as long as the key that signed it.)

A SQLite file beside the collections, shared by every server process; one connection
per call, as the collections store does.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from contextlib import closing
from pathlib import Path

SCHEMA = "CREATE TABLE IF NOT EXISTS logins (id TEXT PRIMARY KEY, started REAL NOT NULL)"


class Logins:
    """The live logins in ``path``; each lives ``lifetime`` seconds at most."""

    def __init__(self, path: Path, lifetime: float):
        self.path, self.lifetime = path, lifetime

    def _run(self, sql: str, *args) -> list:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            db.execute(SCHEMA)
            return db.execute(sql, args).fetchall()

    def start(self) -> str:
        """A new login's id (and the ones that outlived their time are forgotten)."""
        self._run("DELETE FROM logins WHERE started < ?", time.time() - self.lifetime)
        login = secrets.token_urlsafe(24)
        self._run("INSERT INTO logins VALUES (?, ?)", login, time.time())
        return login

    def live(self, login: object) -> bool:
        return isinstance(login, str) and bool(self._run(
            "SELECT 1 FROM logins WHERE id = ? AND started >= ?", login,
            time.time() - self.lifetime))

    def end(self, login: object) -> None:
        if isinstance(login, str):
            self._run("DELETE FROM logins WHERE id = ?", login)
