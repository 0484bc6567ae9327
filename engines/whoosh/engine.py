"""The embedded engine: a Whoosh index in the index folder, its newest version opened
again when a commit or a swapped-in rebuild changes it."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from core.errors import IndexMissing
from engines import folder
from engines.protocol import ValueMap
from engines.whoosh import store, writing
from engines.whoosh.version import WhooshVersion

CHECK_EVERY = 1.0  # seconds between looks at the disk for a newer index


class WhooshEngine:
    """The Whoosh index at ``path``."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        self._version: WhooshVersion | None = None
        self._checked = 0.0

    def version(self) -> WhooshVersion:
        now = time.monotonic()
        with self._lock:
            version = self._version
            if version is None or now - self._checked > CHECK_EVERY:
                self._checked = now
                if version is None or store.generation_of(self.path) != version.key:
                    if version is not None:
                        version.retired.set()
                    version = self._version = WhooshVersion(self.path)
            return version

    def prepare(self, corrections: Mapping[str, ValueMap]) -> None:
        with contextlib.suppress(IndexMissing):
            version = self.version()
            for name, mapping in corrections.items():
                version.facet(name, mapping)

    def target(self, rebuild: bool, wait: float):
        return writing.target(self.path, rebuild, wait)

    def last_run(self) -> dict:
        return folder.last_run(self.path)

    def progress(self) -> dict | None:
        return store.progress(self.path)


def open_engine(index: Path, settings: object = None) -> WhooshEngine:
    """The engine of the index folder ``index`` (Whoosh needs no settings)."""
    return WhooshEngine(index)
