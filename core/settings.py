"""Every setting in one table: name, default, environment variable and help.

Nothing here runs at import time: callers build a :class:`Settings` from the
environment (``Settings.from_env``) or from explicit values (tests).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit


@dataclasses.dataclass(frozen=True)
class Setting:
    name: str
    default: object
    env: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("corpus", "corpus", "PRESSCUT_CORPUS", "Folder of documents to index."),
    Setting("index", "instance/index", "PRESSCUT_INDEX",
            "Folder of the index: the Whoosh index itself, and with any engine the writer "
            "lock, the last run's report and the state an incremental run starts from."),
    Setting("engine", "whoosh", "PRESSCUT_ENGINE",
            "Where the index lives: `whoosh` (embedded in the index folder, the default) or "
            "`opensearch` (an OpenSearch 2.x cluster, reached as the opensearch_* settings say)."),
    Setting("opensearch_url", "http://127.0.0.1:9201", "PRESSCUT_OPENSEARCH_URL",
            "OpenSearch cluster address(es), comma-separated (engine `opensearch`)."),
    Setting("opensearch_user", "", "PRESSCUT_OPENSEARCH_USER",
            "OpenSearch user name for HTTP basic authentication (with the password)."),
    Setting("opensearch_password", "", "PRESSCUT_OPENSEARCH_PASSWORD", "OpenSearch user's password."),
    Setting("opensearch_api_key", "", "PRESSCUT_OPENSEARCH_API_KEY",
            "OpenSearch API key (`id:key` or its base64 form), instead of a user and password."),
    Setting("opensearch_verify", 1, "PRESSCUT_OPENSEARCH_VERIFY",
            "Check the cluster's TLS certificate (1) or not (0: self-signed test clusters only)."),
    Setting("opensearch_prefix", "presscut", "PRESSCUT_OPENSEARCH_PREFIX",
            "Start of the OpenSearch index and alias names, so that archives can share a cluster."),
    Setting("opensearch_shards", 1, "PRESSCUT_OPENSEARCH_SHARDS",
            "Primary shards of a new OpenSearch index (1 keeps scores and facet counts exact)."),
    Setting("opensearch_replicas", 1, "PRESSCUT_OPENSEARCH_REPLICAS",
            "Copies of each shard on other nodes (1: a node can be lost without losing searches)."),
    Setting("host", "127.0.0.1", "PRESSCUT_HOST", "Address `presscut serve` listens on."),
    Setting("port", 5000, "PRESSCUT_PORT", "Port `presscut serve` listens on."),
    Setting("workers", 0, "PRESSCUT_WORKERS",
            "Processes of `presscut serve` (0: one per core); each answers with its threads."),
    Setting("threads", 8, "PRESSCUT_THREADS", "Threads of each server process."),
    Setting("per_page", 10, "PRESSCUT_PER_PAGE", "Results per page unless the request asks."),
    Setting("max_per_page", 100, "PRESSCUT_MAX_PER_PAGE", "Largest `per_page` a request may ask."),
    Setting("max_query_length", 1000, "PRESSCUT_MAX_QUERY_LENGTH",
            "Longest query string accepted, in characters."),
    Setting("aliases", "", "PRESSCUT_ALIASES",
            "Extra alias file (TOML, like core/data/aliases.toml), merged with the shipped "
            "one and a corpus's own aliases.toml; re-read when it changes."),
    Setting("passages_per_result", 3, "PRESSCUT_PASSAGES_PER_RESULT",
            "Best matching passages shown for each document."),
    Setting("base_url", "", "PRESSCUT_BASE_URL",
            "Public address of the server (https://archive.example.org); every permalink and "
            "citation uses it. Unset, the server uses the address each request came in on."),
    Setting("archive_name", "Presscut", "PRESSCUT_ARCHIVE_NAME",
            "Name of this archive as reference managers store it (Zotero's Archive field, "
            "beside the permalink as Loc. in Archive)."),
    Setting("trust_proxy", 0, "PRESSCUT_TRUST_PROXY",
            "Reverse proxies in front of the server whose X-Forwarded-Host/Proto/Prefix headers "
            "to believe (0: none)."),
    Setting("token", "", "PRESSCUT_TOKEN",
            "Secret that every write (collections) needs, as `Authorization: Bearer <token>` or "
            "through the login page. Unset, writes are allowed only when the server listens on "
            "a loopback address and trusts no proxy; elsewhere it serves read-only."),
    Setting("allowed_hosts", "", "PRESSCUT_ALLOWED_HOSTS",
            "Host names the server answers to besides its listen address and PRESSCUT_BASE_URL's "
            "(comma-separated; `.example.org` takes its subdomains too); any other Host header "
            "is refused, as a DNS-rebinding page would send."),
    Setting("collections", "", "PRESSCUT_COLLECTIONS",
            "SQLite file of the collections of passages [default: collections.sqlite3 beside "
            "the index folder, so a rebuild keeps them]."),
    Setting("secret_key", "", "PRESSCUT_SECRET_KEY",
            "Key that signs login cookies and form tokens [default: a random key kept in "
            "secret.key beside the collections file]."),
    Setting("read_seconds", 60, "PRESSCUT_READ_SECONDS",
            "Longest reading one corpus file may take, in seconds, plus a second per MB of the "
            "file; past it the file is skipped with the reason (a PDF that loops, say) and the "
            "run goes on."),
    Setting("read_memory_mb", 2048, "PRESSCUT_READ_MEMORY_MB",
            "Memory (address space) reading one corpus file may add, in MB; past it the file "
            "is skipped with the reason and the run goes on."),
    Setting("read_expanded_mb", 32, "PRESSCUT_READ_EXPANDED_MB",
            "Most a file or one of its records may expand to when read, in MB: a Word or "
            "OpenDocument file's unpacked contents, a web archive's page, a JSON line, a PDF's "
            "text; past it that file or record is skipped with the reason."),
    Setting("max_quote_length", 10000, "PRESSCUT_MAX_QUOTE_LENGTH",
            "Longest quote a check takes, in characters: a few paragraphs, and past the "
            "1,500 words a quote not in the archive is compared with (a check costs about a "
            "second a thousand characters at 3,000 articles, in its own process)."),
    Setting("max_batch", 300, "PRESSCUT_MAX_BATCH", "Most names or terms one batch takes."),
    Setting("heavy_requests", 1, "PRESSCUT_HEAVY_REQUESTS",
            "Long requests (quote checks, exports, batches) each server process answers at "
            "once, in a process of their own, so that readers keep being answered beside them."),
    Setting("heavy_queue", 2, "PRESSCUT_HEAVY_QUEUE",
            "Long requests that may wait for their turn in each server process (a minute at "
            "most); any beyond are answered 503 with a sentence and Retry-After."),
    Setting("heavy_nice", 10, "PRESSCUT_HEAVY_NICE",
            "How much lower the priority of the process answering long requests is than the "
            "readers' (Unix niceness, 0 to 19): on a busy machine readers go first."),
)


@dataclasses.dataclass(frozen=True)
class ReadLimits:
    """What reading one corpus file may cost (the ``read_*`` settings), in seconds and bytes."""

    seconds: float
    memory: int
    expanded: int

    @classmethod
    def default(cls) -> ReadLimits:
        return Settings.defaults().read_limits()

    def seconds_for(self, size: int) -> float:
        """How long a file of ``size`` bytes may take to read."""
        return self.seconds + size / 2**20


@dataclasses.dataclass(frozen=True)
class Settings:
    """Resolved settings; build with :meth:`from_env` or :meth:`defaults`."""

    corpus: Path
    index: Path
    engine: str
    opensearch_url: str
    opensearch_user: str
    opensearch_password: str
    opensearch_api_key: str
    opensearch_verify: int
    opensearch_prefix: str
    opensearch_shards: int
    opensearch_replicas: int
    host: str
    port: int
    workers: int
    threads: int
    per_page: int
    max_per_page: int
    max_query_length: int
    aliases: str
    passages_per_result: int
    base_url: str
    archive_name: str
    trust_proxy: int
    token: str
    allowed_hosts: str
    collections: str
    secret_key: str
    read_seconds: int
    read_memory_mb: int
    read_expanded_mb: int
    max_quote_length: int
    max_batch: int
    heavy_requests: int
    heavy_queue: int
    heavy_nice: int

    @classmethod
    def defaults(cls, **overrides: object) -> Settings:
        return cls.from_env({}, **overrides)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then the environment, then explicit ``overrides`` (not None)."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for setting in SETTINGS:
            value = overrides.get(setting.name)
            if value is None:
                value = environ.get(setting.env, setting.default)
            values[setting.name] = _coerce(setting, value)
        return cls(**values)

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)

    def problem(self) -> str | None:
        """What makes these settings unusable to serve or cite with, as a sentence for a
        person; None when nothing does."""
        if not 0 < self.port < 65536:
            return f"The port must be a number from 1 to 65535, not {self.port}."
        if self.base_url:
            try:
                parts = urlsplit(self.base_url)
            except ValueError:  # "http://[::1" and the like
                parts = urlsplit("")
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query \
                    or parts.fragment:
                return ("The public address (--base-url or PRESSCUT_BASE_URL) must be an http "
                        f"or https address such as https://archive.example.org, not "
                        f"{self.base_url!r}.")
        return None

    def collections_file(self) -> Path:
        """Where the collections live: the setting, or beside the index folder."""
        return Path(self.collections) if self.collections else self.index.parent / "collections.sqlite3"

    def secret_key_file(self) -> Path | None:
        """Where the key that signs cookies is kept, or None when the setting gives it."""
        return None if self.secret_key else self.collections_file().parent / "secret.key"

    def read_limits(self) -> ReadLimits:
        return ReadLimits(self.read_seconds, self.read_memory_mb * 2**20,
                          self.read_expanded_mb * 2**20)

    def inside_corpus(self) -> list[str]:
        """What must never lie in the corpus folder and does, each as a sentence: the index
        (its files would be read as articles) and the secret key (it would be searchable)."""
        found = [problem] if (problem := index_in_corpus(self.corpus, self.index)) else []
        key = self.secret_key_file()
        if key is not None and key.resolve().is_relative_to(self.corpus.resolve()):
            found.append(f"The secret key {key} would be kept inside the corpus folder "
                         f"{self.corpus}, where it would be indexed: put the collections file "
                         "elsewhere (PRESSCUT_COLLECTIONS) or set PRESSCUT_SECRET_KEY.")
        return found

    def alias_files(self) -> list[Path]:
        """Alias files besides the shipped one: the corpus's own, then the setting's."""
        files = [self.corpus / "aliases.toml"]
        return files + [Path(self.aliases)] if self.aliases else files


def index_in_corpus(corpus: Path, index: Path) -> str | None:
    """Why the index may not be at ``index``: inside the corpus folder, where the indexer
    would read its files as articles; None when it is elsewhere."""
    folder = corpus.resolve()
    if (index.parent.resolve() / index.name).is_relative_to(folder) or index.resolve().is_relative_to(folder):
        return (f"The index folder {index} is inside the corpus folder {corpus}: put it "
                "elsewhere (PRESSCUT_INDEX, --index).")
    return None


def _coerce(setting: Setting, value: object) -> object:
    if isinstance(setting.default, int):
        try:
            return int(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{setting.env} must be a whole number, not {value!r}") from exc
    if setting.name in ("corpus", "index"):
        return Path(str(value))
    return str(value)
