"""The OpenSearch engine: the index in a cluster, behind the alias ``<prefix>-articles``;
the index folder keeps what stays on the indexing machine (writer lock, run report,
copies, progress, state), as with Whoosh."""

from __future__ import annotations

import contextlib
import functools
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from core.errors import EngineUnavailable, IndexMissing
from engines import folder
from engines.opensearch import client
from engines.opensearch.version import OpenSearchVersion
from engines.opensearch.writer import OpenSearchWriter, alias_of
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
            for name in corrections:
                version.raw_values(name)

    def last_run(self) -> dict:
        return folder.last_run(self.path)

    def progress(self) -> dict | None:
        found = folder.read_json(self.path.resolve() / folder.PROGRESS_NAME)
        return found if isinstance(found, dict) and folder.being_written(self.path) else None

    @contextlib.contextmanager
    def writer(self, rebuild: bool = False) -> Iterator[OpenSearchWriter]:
        """A run's :class:`engines.protocol.Writer`. ``rebuild``: write a new index and move
        the alias onto it at :meth:`~OpenSearchWriter.commit`, in one atomic request (call it
        once, at the end; searches see the old index until then, and still do if the run
        dies). Otherwise write into the alias's index; each commit makes the run's writes so
        far searchable. The first build of a prefix is aliased at once, so its commits show
        as they come. Leaving the block by an exception cancels; leaving it normally
        commits what is left."""
        with self.guard():
            writer = OpenSearchWriter(self.client, self.settings, rebuild)
        try:
            yield writer
        except BaseException:
            with self.guard():
                writer.cancel()
            raise
        with self.guard():
            writer.commit()


def open_engine(index: Path, settings: object = None) -> OpenSearchEngine:
    """The engine for the index folder ``index`` on the settings' cluster."""
    if settings is None:
        from core.settings import Settings
        settings = Settings.from_env()
    return OpenSearchEngine(index, settings)
