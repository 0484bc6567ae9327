"""The engine protocol: the one seam between Presscut and where an index lives.

The search service reads through :class:`Engine` and :class:`Version`; the build writes
through an engine's writer. Everything that crosses is ours: a parsed query stays the
engine's own object (each engine has its own query language), and comes back in
:class:`Found` as documents, scores and counts. Highlighting, snippets, quote verdicts and
citations are worked out by ``search/`` on the stored documents, so they read the same
whichever engine answered.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

import numpy as np

from core.aliases import AliasTable
from core.marks import Highlight
from core.records import Document, Signature


class ValueMap(Protocol):
    """How a facet's raw values count (a corpus's name corrections): ``stamp`` changes
    when the mapping does; ``mapping(values)`` gives each value's code in the returned
    names (-1: dropped)."""

    @property
    def stamp(self) -> tuple: ...

    def mapping(self, values: tuple[str, ...]) -> tuple[np.ndarray, tuple[str, ...]]: ...


@dataclasses.dataclass(frozen=True, kw_only=True)
class Ask:
    """One question to a version of the index."""

    parsed: object  # what the version's own ``parse`` gave
    filters: Mapping[str, frozenset[str]] = dataclasses.field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    sort: str = "relevance"  # relevance, -date or date
    first: int = 0  # the window of ranked documents wanted: [first, last)
    last: int = 10
    facets: tuple[str, ...] = ()  # facets to count over every match
    facet_values: int = 100  # values a facet lists, commonest first (months: all)
    relax_below: int = 0  # plain words matched by fewer documents: any of the words
    corrections: Mapping[str, ValueMap] = dataclasses.field(default_factory=dict)
    timeline: bool = True  # the matches counted per date


@dataclasses.dataclass(frozen=True, kw_only=True)
class Found:
    """What a version answered to an :class:`Ask`."""

    total: int
    page: tuple[tuple[Document, float], ...]
    facets: Mapping[str, tuple[tuple[str, int], ...]]
    # Plain words no document held all together: (words, documents with every word).
    relaxed: tuple[int, int] | None = None
    first_date: str | None = None
    last_date: str | None = None
    date_counts: Mapping[str, int] = dataclasses.field(default_factory=dict)


class Version(Protocol):
    """One version of the index, as it stood when opened."""

    key: str

    def documents(self) -> int:
        """How many documents are searchable."""

    def warm(self) -> bool:
        """Whether common words are read ahead (answers are at full speed)."""

    def parse(self, text: str, aliases: AliasTable, max_length: int):
        """``text`` as this engine's query (raises :class:`core.errors.BadQuery`); the
        result has ``text``, ``has_terms``, ``aliases`` (each typed name with its group)
        and ``questions`` (question marks read as punctuation)."""

    def find(self, ask: Ask) -> Found:
        """The matches of ``ask``: a window of them ranked, counts over all of them."""

    def highlight(self, parsed) -> Highlight:
        """What passages should mark for ``parsed``."""

    def suggest(self, parsed, total: int) -> str | None:
        """A spelling of the query that finds more than ``total`` documents, or None."""

    def document(self, doc_id: str) -> Document | None:
        """The stored document ``doc_id``, or None."""

    def copies_of(self, relpath: str) -> Sequence[str]:
        """Corpus files that hold the same article and were not indexed apart."""

    def frequency(self, folded: str) -> int:
        """Documents holding the folded word in any of its forms."""

    def values(self, facet: str, corrections: ValueMap | None = None) -> tuple[str, ...]:
        """Every value of ``facet`` (counted as ``corrections`` say, when given)."""


# A run's long passes are wrapped by this (a progress bar on a terminal).
Progress = Callable[[Iterable, int, str], Iterable]


class Writer(Protocol):
    """What a run writes through: documents by their path in the corpus. Nothing is
    searchable before :meth:`commit`; :meth:`cancel` drops what was not committed."""

    def stored(self, relpath: str) -> Document | None:
        """The document indexed from ``relpath`` before this run, or None."""

    def replace(self, doc: Document, signature: Signature) -> None:
        """Index ``doc``, in place of any document from the same path."""

    def delete(self, relpath: str) -> None:
        """Remove the document from ``relpath``."""

    def progress(self, done: int) -> None:
        """How far the run is (``done`` articles): a first build may commit on the way, so
        that the first documents are searchable early."""

    def commit(self) -> None:
        """Make everything written so far searchable, at once."""

    def cancel(self) -> None:
        """Give up what is not committed."""


class Target(Protocol):
    """The index a run writes, held under the index folder's writer lock: a new index
    (a first build or a rebuild, shown only once it is complete, or as it commits on a
    first build) or the one in place (an incremental run)."""

    # The index folder whose state the run may read (None: the index is new).
    folder: Path | None
    # The folder where the run's report and state go.
    written: Path
    # The copies the last run found (path -> {"original", "fingerprint"}).
    known_copies: dict[str, dict]
    # What the engine has to tell of the run (a warning a line).
    warnings: list[str]

    def generation(self) -> int:
        """The index's latest commit: the state a run writes names it."""

    def indexed(self) -> Iterable[tuple[str, str, dict, dict]]:
        """Every document held, as (path, fingerprint, record, signature's JSON)."""

    def writer(self, procs: int, total: int) -> Writer:
        """A writer of ``total`` articles, in ``procs`` processes where the engine can."""

    def upkeep(self, progress: Progress) -> None:
        """What the engine does after a run's last commit (Whoosh: phrase positions)."""


class Engine(Protocol):
    """An index, wherever it lives, at its newest version."""

    def target(self, rebuild: bool, wait: float) -> AbstractContextManager[Target]:
        """The index to write, under the writer lock (waiting up to ``wait`` seconds);
        new when ``rebuild``. Leaving the block without an error puts a new index in
        place atomically; with an error, searches keep the index there was."""

    def version(self) -> Version:
        """The newest version (the same object until the index changes)."""

    def prepare(self, corrections: Mapping[str, ValueMap]) -> None:
        """Open the index and read what the first search needs now (a server process
        does this as it starts); an index not written yet is opened later."""

    def last_run(self) -> dict:
        """What the indexing run that wrote the newest version did (``{}`` before any)."""

    def progress(self) -> dict | None:
        """``{"done", "total"}`` articles while a first build is running, else None."""


# An engine's factory: the index folder (lock, run report and state always live there,
# whichever engine holds the documents) and the settings.
Factory = Callable[..., Engine]
