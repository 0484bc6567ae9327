"""One opened version of the index, with what a search needs of it read once: live
documents, facet values and dates as arrays, stem groups, copies, and postings read
ahead in the background."""

from __future__ import annotations

import dataclasses
import threading
import time
import weakref
from collections import defaultdict
from pathlib import Path

import numpy as np
from whoosh.index import TOC, FileIndex
from whoosh.searching import Searcher

from core.facets import BY_NAME, MULTI
from engines import folder
from engines.whoosh import matching, query, store
from engines.whoosh.postings import Postings
from engines.whoosh.schema import FACET_COLUMNS

# Tries at opening the latest commit while a build may be replacing it.
RETRIES = 10
WARM_FROM = 5000  # documents from which an opened index reads its common words ahead


class Generation:
    """The index at ``path`` as it is now (a later commit or swap is a new generation)."""

    def __init__(self, path: Path):
        self.key = store.generation_of(path)
        self.index = store.open_index(path)
        # Every searcher of this generation reads the commit it was made from. A first
        # build commits as it goes: a searcher opened a moment later read a later commit,
        # with more documents than the arrays below hold.
        self.local = threading.local()
        # Searchers hold open files: close them once nothing uses this version any more.
        self._opened: list = []
        weakref.finalize(self, _close_all, self._opened)
        with self._first() as searcher:
            reader = searcher.reader()
            self.date_values = tuple(b.decode("utf-8") for b in reader.lexicon("date"))
            self.size = reader.doc_count_all()
            self.live = np.zeros(self.size, dtype=bool)
            self.live[list(reader.all_doc_ids())] = True
            # An index without documents has no columns to read (Whoosh raises).
            empty = not self.live.any()
            self.facets = {facet: FacetArrays.read(reader, column, empty, BY_NAME[facet].missing)
                           for facet, column in FACET_COLUMNS.items()}
            self.days, self.dates = _date_order(reader, self.size, empty)
            self.variants = query.stem_variants(reader)
        self.postings = Postings(self.size)
        # Facets as a corpus's corrections count them, by the corrections' file stamp.
        self.corrected: dict[tuple, FacetArrays] = {}
        self.warmed = threading.Event()
        self.retired = threading.Event()
        if self.size >= WARM_FROM:
            threading.Thread(target=self._warm, name="presscut-warm", daemon=True).start()
        else:
            self.warmed.set()
        self.suggestions: dict[tuple[str, int], str | None] = {}
        # One thread corrects spelling at a time: others asking the same wait for its
        # answer instead of walking the vocabulary too (seconds each at 100,000 articles).
        self.suggesting = threading.Lock()
        self.copies: dict[str, list[str]] = defaultdict(list)
        for copy, known in folder.copies(path.resolve()).items():
            self.copies[known["original"]].append(copy)

    def searcher(self):
        searcher = getattr(self.local, "searcher", None)
        if searcher is None:
            searcher = self.local.searcher = self._open(weighting=matching.Bm25())
            self._opened.append(searcher)
        return searcher

    def _first(self) -> Searcher:
        """A searcher of the latest commit, which becomes this generation's."""
        attempt = 0
        while True:
            self._toc = TOC.read(self.index.storage, self.index.indexname)
            try:
                return self._open()
            except store.IndexMissing:
                # A commit came between reading the table of contents and opening its
                # segments (Whoosh's own reader() retries the same way).
                attempt += 1
                if attempt == RETRIES:
                    raise
                time.sleep(0.05)

    def _open(self, **kwargs) -> Searcher:
        toc = self._toc
        try:
            reader = FileIndex._reader(self.index.storage, toc.schema, toc.segments,
                                       toc.generation)
        except OSError:
            # A later commit merged this one's segments away before this thread opened
            # them: the service opens the index anew at its next look (search.CHECK_EVERY).
            raise store.IndexMissing("The archive changed while it was being read "
                                     "(it is being indexed): ask again.") from None
        return Searcher(reader, fromindex=self.index, **kwargs)

    def _warm(self) -> None:
        # Searches are served meanwhile; they find more words ready as this goes on.
        try:
            with self._open() as searcher:
                for field in ("exact", "title"):
                    self.postings.warm(searcher, field, self.retired)
                for field in ("exact", "title"):
                    self.postings.words(searcher, field)
        except Exception:  # noqa: BLE001 - read-ahead only; a vanished index just ends it
            pass
        finally:
            self.warmed.set()

    def dated(self, days) -> np.ndarray:
        """A mask of the documents dated one of ``days``."""
        wanted = [n for n, day in enumerate(self.days) if day in set(days)]
        return np.isin(self.dates, wanted)

    def span(self, docs: np.ndarray) -> tuple[str | None, str | None]:
        """The earliest and the latest date of the documents in the mask ``docs``."""
        ranks = self.dates[docs]
        # No date is the empty string, which sorts first.
        dated = ranks[ranks != 0] if self.days and self.days[0] == "" else ranks
        if not dated.size:
            return None, None
        return self.days[int(dated.min())], self.days[int(dated.max())]

    def date_counts(self, docs: np.ndarray) -> dict[str, int]:
        """Documents of the mask ``docs`` per date ("" for undated)."""
        counted = np.bincount(self.dates[docs], minlength=len(self.days))
        return {self.days[i]: int(counted[i]) for i in np.flatnonzero(counted)}

    def mask(self, docnums) -> np.ndarray:
        found = np.zeros(self.size, dtype=bool)
        found[np.fromiter(docnums, dtype=np.int64)] = True
        return found


def _date_order(reader, size: int, empty: bool) -> tuple[tuple[str, ...], np.ndarray]:
    """The distinct dates in order, and each document's as its number in that order
    (the order of their text; no date sorts first)."""
    order = np.zeros(size, dtype=np.int32)
    if empty:
        return (), order
    dates = reader.column_reader("date")
    days = sorted({str(dates[d]) for d in reader.all_doc_ids()})
    rank = {day: n for n, day in enumerate(days)}
    for docnum in reader.all_doc_ids():
        order[docnum] = rank[str(dates[docnum])]
    return tuple(days), order


@dataclasses.dataclass(frozen=True)
class FacetArrays:
    """One facet's values as arrays: counting the values of N matches is one bincount
    in C, where a Python loop over the matches was most of a common word's search time."""

    values: tuple[str, ...]  # value code -> value
    codes: dict[str, int]
    owner: np.ndarray  # for every (document, value) pair, in document order: the document...
    code: np.ndarray  # ...and the value's code
    starts: np.ndarray  # document d's pairs are [starts[d], starts[d + 1])

    @classmethod
    def read(cls, reader, column: str, empty: bool = False, missing: str = "") -> FacetArrays:
        """The column's values; a document without one holds ``missing`` (if any)."""
        codes: dict[str, int] = {}
        owner, code = [], []
        stored = None if empty else reader.column_reader(column)
        for docnum in () if empty else reader.all_doc_ids():
            for value in [v for v in str(stored[docnum]).split(MULTI) if v] or [missing]:
                if value:
                    owner.append(docnum)
                    code.append(codes.setdefault(value, len(codes)))
        return cls.of_pairs(tuple(codes), np.array(owner, dtype=np.int64),
                            np.array(code, dtype=np.int64), reader.doc_count_all())

    @classmethod
    def of_pairs(cls, values: tuple[str, ...], owner: np.ndarray, code: np.ndarray,
                 size: int) -> FacetArrays:
        """The facet of (document, value code) pairs sorted by document."""
        return cls(values, {v: i for i, v in enumerate(values)}, owner, code,
                   np.searchsorted(owner, np.arange(size + 1)))

    def having(self, values: frozenset[str], size: int) -> np.ndarray:
        """A mask of the documents with any of ``values``."""
        mask = np.zeros(size, dtype=bool)
        wanted = [self.codes[v] for v in values if v in self.codes]
        mask[self.owner[np.isin(self.code, wanted)]] = True
        return mask

    def merged(self, codes: np.ndarray, names: tuple[str, ...]) -> FacetArrays:
        """These values counted as others: value ``i`` as ``names[codes[i]]``, or not at all
        when ``codes[i]`` is -1; a document holding two values merged into one counts once."""
        code = codes[self.code] if self.code.size else self.code
        keep = code >= 0
        # Each pair as one number, so that the distinct pairs are one sort of integers in
        # document order (sorting the pairs as rows took 2 s at 100,000 articles).
        width = max(1, len(names))
        pairs = np.unique(self.owner[keep] * width + code[keep])
        return FacetArrays.of_pairs(names, pairs // width, pairs % width, self.starts.size - 1)

    def counted(self, docs: np.ndarray) -> np.ndarray:
        """Documents per value code among the documents of the mask ``docs``."""
        # Only the pairs of the fewer side are read: the matches, or when they are most
        # of the archive, the others (subtracted from every document's counts).
        if np.count_nonzero(docs) * 2 <= docs.size:
            return self._count(np.flatnonzero(docs))
        every = np.bincount(self.code, minlength=len(self.values))
        return every - self._count(np.flatnonzero(~docs))

    def _count(self, docnums: np.ndarray) -> np.ndarray:
        first, lengths = self.starts[docnums], np.diff(self.starts)[docnums]
        # The pairs of each document one after another: its first pair's index, plus 0, 1...
        shift = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
        return np.bincount(self.code[shift + np.arange(shift.size)], minlength=len(self.values))

    def counts(self, docs: np.ndarray) -> dict[str, int]:
        """Documents per value among the documents of the mask ``docs``."""
        counted = self.counted(docs)
        return {self.values[i]: int(counted[i]) for i in np.flatnonzero(counted)}

    def top(self, counted: np.ndarray, n: int) -> list[tuple[str, int]]:
        """The ``n`` values most documents hold by ``counted`` (:meth:`counted`'s answer),
        most first (equal counts by value), with their counts."""
        held = np.flatnonzero(counted)
        if held.size > n:
            # Only values counted at least as often as the n-th are sorted in Python.
            nth = np.partition(counted[held], held.size - n)[held.size - n]
            held = held[counted[held] >= nth]
        return sorted(((self.values[i], int(counted[i])) for i in held),
                      key=lambda kv: (-kv[1], kv[0]))[:n]

    def count_of(self, counted: np.ndarray, value: str) -> int:
        """How many documents hold ``value`` by ``counted`` (:meth:`counted`'s answer)."""
        code = self.codes.get(value)
        return 0 if code is None else int(counted[code])


def _close_all(searchers: list) -> None:
    for searcher in searchers:
        searcher.close()
