"""The OpenSearch engine: the index in a cluster, behind the alias ``<prefix>-articles``;
the index folder keeps what stays on the indexing machine (writer lock, run report,
copies, progress, state), as with Whoosh."""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Mapping
from pathlib import Path

from core.errors import EngineUnavailable, IndexMissing
from engines import folder
from engines.opensearch import client, target
from engines.opensearch.version import OpenSearchVersion
from engines.opensearch.writer import alias_of, is_current
from engines.protocol import ValueMap

CHECK_EVERY = 1.0  # seconds between asking the cluster whether the index changed


class OpenSearchEngine:
    """The index the settings' cluster and prefix name, for the index folder ``path``."""

    def __init__(self, path: Path, settings):
        self.path, self.settings = path, settings
        self.client = client.connect(settings)
        self.alias = alias_of(settings)
        self.guard = functools.partial(client.reachable, settings, self.alias)
        self._lock = threading.Lock()
        self._version: OpenSearchVersion | None = None
        self._checked = 0.0

    def _key(self) -> str:
        """The index behind the alias and its last commit's stamp."""
        with self.guard():
            found = self.client.indices.get_mapping(index=self.alias)
        (name, body), *_ = sorted(found.items())
        if not is_current(name, self.alias):
            raise IndexMissing(f"The index {name!r} was built by an older Presscut: run "
                               "`presscut index --engine opensearch` to rebuild it.")
        return f"{name}@{body['mappings'].get('_meta', {}).get('commit', 0)}"

    def version(self) -> OpenSearchVersion:
        now = time.monotonic()
        with self._lock:
            version = self._version
            if version is None or now - self._checked > CHECK_EVERY:
                key = self._key()
                self._checked = now
                if version is None or key != version.key:
                    version = self._version = OpenSearchVersion(
                        self.client, self.alias, key, self.path, self.guard)
            return version

    def prepare(self, corrections: Mapping[str, ValueMap]) -> None:
        # A server starts even while the cluster is away: searches answer 503 meanwhile.
        with contextlib.suppress(IndexMissing, EngineUnavailable):
            version = self.version()
            for name, mapping in corrections.items():
                version.groups(name, mapping)

    def last_run(self) -> dict:
        return folder.last_run(self.path)

    def progress(self) -> dict | None:
        found = folder.read_json(self.path.resolve() / folder.PROGRESS_NAME)
        return found if isinstance(found, dict) and folder.being_written(self.path) else None

    def target(self, rebuild: bool, wait: float):
        """The index a run writes (:func:`engines.opensearch.target.target`), every
        request's failure in Presscut's words."""
        return _guarded(self.guard, target.target(self.client, self.settings, self.path,
                                                  rebuild, wait))


@contextlib.contextmanager
def _guarded(guard, block):
    with guard(), block as made:
        yield made


def open_engine(index: Path, settings: object = None) -> OpenSearchEngine:
    """The engine for the index folder ``index`` on the settings' cluster."""
    if settings is None:
        from core.settings import Settings
        settings = Settings.from_env()
    return OpenSearchEngine(index, settings)
