"""A corpus's corrections of the names found in it (``entities.toml``), applied at
search time: no re-indexing."""

from __future__ import annotations

import os
import threading
import tomllib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np

from core.entities import KINDS, kind_of
from core.names import name_key


class Corrections:
    """A corpus's corrections of the names found (``entities.toml``), read again when the
    file changes: [merge] a spelling into another, ``drop`` a name, [types] a type.
    A surname alone is merged into the one full name it belongs to, if only one."""

    def __init__(self, files: Iterable[Path] = ()):
        self.files = [Path(p) for p in files]
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self.merge: dict[str, str] = {}
        self.drop: frozenset[str] = frozenset()
        self.types: dict[str, str] = {}
        # Each name's type, asked for every facet value of every search: kept per stamp.
        self._kinds: dict[str, str | None] = {}
        self._kinds_stamp: tuple | None = None
        # The full names of people by surname, of the names last asked about (and stamp).
        self._surnames: tuple[object, tuple | None, dict[str, list[str]]] = ((), None, {})

    @property
    def stamp(self) -> tuple:
        with self._lock:
            stamp = tuple(_mtime(p) for p in self.files)
            if stamp != self._stamp:
                merge, drop, types = {}, set(), {}
                for path in self.files:
                    if path.is_file():
                        data = tomllib.loads(path.read_text(encoding="utf-8"))
                        merge.update({k: v for k, v in data.get("merge", {}).items()
                                      if isinstance(v, str)})
                        drop.update(v for v in data.get("drop", []) if isinstance(v, str))
                        types.update({k: v for k, v in data.get("types", {}).items() if v in KINDS})
                self.merge, self.drop, self.types = merge, frozenset(drop), types
                self._stamp = stamp
            return stamp

    def mapping(self, values: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]:
        """For facet values (by code): the code of what each counts as (-1: dropped), and
        the names those codes stand for."""
        kind = self.kinds()  # (re-reads the file if it changed)
        by_surname = _by_surname(values, kind)
        names: dict[str, int] = {}
        codes = np.full(len(values), -1, dtype=np.int64)
        for code, value in enumerate(values):
            target = self._target(value, by_surname, kind)
            if target in self.drop or value in self.drop or kind(target) is None:
                continue
            codes[code] = names.setdefault(target, len(names))
        return codes, tuple(names)

    def counted_as(self, name: str, names: Sequence[str]) -> str:
        """The name ``name`` counts as among ``names`` (the mentioned names as counted):
        the one the file merges it into, or for a surname alone, the one full name of a
        person among ``names`` that it belongs to; else ``name``. A speaker known by
        surname ("Tokayev") is so the person the mentions name in full."""
        kind = self.kinds()
        known, stamp, by_surname = self._surnames
        if known is not names or stamp != self._kinds_stamp:
            by_surname = _by_surname(names, kind)
            self._surnames = (names, self._kinds_stamp, by_surname)
        return self._target(name, by_surname, kind)

    def _target(self, value: str, by_surname: dict[str, list[str]], kind) -> str:
        target = self.merge.get(value, value)
        if " " not in target and kind(target) == "person":
            fulls = by_surname.get(name_key(target) or target, [])
            if len(fulls) == 1:
                target = self.merge.get(fulls[0], fulls[0])
        return target

    def kind(self, name: str) -> str | None:
        return self.kinds()(name)

    def kinds(self) -> Callable[[str], str | None]:
        """:meth:`kind` for many names: the file's date looked at once, not once a name
        (a search asks for a hundred)."""
        stamp = self.stamp
        if self._kinds_stamp != stamp:
            self._kinds, self._kinds_stamp = {}, stamp
        known, types = self._kinds, self.types

        def kind(name: str) -> str | None:
            if name not in known:
                known[name] = kind_of(name, types)
            return known[name]
        return kind

    def merged_into(self, name: str) -> frozenset[str]:
        """``name`` and every spelling the corrections count as it: merged by the file, or
        its surname alone (which counts as it where it is its one full name)."""
        self.stamp  # noqa: B018
        found = {name} | {raw for raw, target in self.merge.items() if target == name}
        if len(name.split()) > 1 and self.kind(name) == "person":
            found.add(name.split()[-1])
        return frozenset(found)


def _by_surname(values: Sequence[str], kind) -> dict[str, list[str]]:
    """The full names of people among ``values``, by their surname's key."""
    found: dict[str, list[str]] = {}
    for full in values:
        if " " in full and kind(full) == "person":
            found.setdefault(name_key(full.split()[-1]) or full, []).append(full)
    return found


def _mtime(path: Path) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None
