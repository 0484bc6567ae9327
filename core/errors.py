"""What can go wrong with an index, whichever engine holds it: the web app answers 503
for these, the CLI a sentence and its exit code."""

from __future__ import annotations


class IndexBusy(RuntimeError):
    """Another process is writing this index."""


class IndexMissing(FileNotFoundError):
    """There is no index at the path given."""


class InsideCorpus(ValueError):
    """The index would lie inside the corpus folder: refused, the indexer would read it."""


class BadQuery(ValueError):
    """A query that cannot be searched; the message tells a person what to change."""


class EngineUnavailable(ConnectionError):
    """The engine holding the index cannot be reached (a cluster down or refusing us);
    the message says which and what to check."""
