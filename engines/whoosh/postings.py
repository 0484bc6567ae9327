"""Each word's postings (document numbers and weights) read from Whoosh once per index
version and kept within a memory budget, as numpy arrays; and each field's document
lengths. :mod:`matching` turns queries of words into operations on them."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh.reading import TermNotFound

from engines.whoosh import positions

# Postings kept per index version, in bytes: at 100,000 articles the 1,000 commonest
# words take about 130 MB.
BUDGET = 384 * 2**20
# Words in at least this share of the documents are read ahead when an index opens.
WARM_SHARE = 0.01
# Phrases whose matching documents are kept per index version (least recently used
# dropped): paging, filtering, sorting and exporting one search each ask again.
PHRASES = 512


class Postings:
    """Each word's document numbers and weights, read once and kept (least recently
    used words are dropped past the budget), and each field's document lengths."""

    def __init__(self, size: int, budget: int = BUDGET):
        self.size = size
        self.budget = budget
        self._kept: OrderedDict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._lengths: dict[str, np.ndarray] = {}
        self._words: dict[str, list[str]] = {}
        self._phrases: OrderedDict[tuple[str, tuple[str, ...]], np.ndarray] = OrderedDict()
        self._sidecars: dict[str, positions.Sidecar] = {}
        self._bytes = 0
        self._lock = threading.Lock()
        self._words_lock = threading.Lock()

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self._kept

    def of(self, searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(document numbers, weights) of one word of one field."""
        key = (field, text)
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        found = _read(searcher, field, text)
        with self._lock:
            if key not in self._kept:
                self._kept[key] = found
                self._bytes += found[0].nbytes + found[1].nbytes
                while self._bytes > self.budget and len(self._kept) > 1:
                    _, (docs, weights) = self._kept.popitem(last=False)
                    self._bytes -= docs.nbytes + weights.nbytes
        return found

    def sidecar(self, reader) -> positions.Sidecar | None:
        """The long lists written beside a segment (looked for again until they are)."""
        segment = reader.segment().segment_id()
        found = self._sidecars.get(segment)
        if found is None:
            found = positions.Sidecar.of(reader)
            if found is not None:
                self._sidecars[segment] = found
        return found

    def phrase(self, field: str, words: tuple[str, ...], find) -> np.ndarray:
        """The mask of the documents holding ``words`` in a row in ``field``: ``find()``'s
        answer, kept for the next asking (checking positions is a phrase's whole cost)."""
        key = (field, words)
        with self._lock:
            packed = self._phrases.get(key)
            if packed is not None:
                self._phrases.move_to_end(key)
        if packed is None:
            # A bit a document: 12.5 KB at 100,000 documents however many match.
            packed = np.packbits(find())
            with self._lock:
                self._phrases[key] = packed
                while len(self._phrases) > PHRASES:
                    self._phrases.popitem(last=False)
        return np.unpackbits(packed, count=self.size).astype(bool)

    def warm(self, searcher, field: str, stop: threading.Event) -> int:
        """Read ahead the words of ``field`` in WARM_SHARE of the documents or more,
        commonest first, up to the budget: the words that cost most to read at query
        time. Returns how many were read."""
        reader = searcher.reader()
        least = max(1, int(WARM_SHARE * self.size))
        common = sorted(((n, word) for word, n in _frequencies(reader, field) if n >= least),
                        reverse=True)
        self.lengths(searcher, field)
        read = 0
        for _, word in common:
            if stop.is_set() or self._bytes > self.budget * 0.8:
                break
            self.of(searcher, field, word)
            read += 1
        return read

    def words(self, searcher, field: str) -> list[str]:
        """The vocabulary of ``field``, sorted (read once, by one thread; seconds at
        100,000 articles, so the read-ahead reads it)."""
        found = self._words.get(field)
        if found is None:
            with self._words_lock:
                found = self._words.get(field)
                if found is None:
                    found = [b.decode("utf-8") for b in searcher.reader().lexicon(field)]
                    self._words[field] = found
        return found

    def lengths(self, searcher, field: str) -> np.ndarray:
        """Every document's length in ``field`` (as Whoosh stores it, for BM25F)."""
        with self._lock:
            if field not in self._lengths:
                reader = searcher.reader()
                self._lengths[field] = np.fromiter(
                    (reader.doc_field_length(d, field, 1) for d in range(self.size)),
                    dtype=np.float32, count=self.size)
            return self._lengths[field]


def _frequencies(reader, field: str):
    for btext in reader.lexicon(field):
        word = btext.decode("utf-8")
        yield word, reader.doc_frequency(field, word)


def _read(searcher, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    docs, weights = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.float32)]
    for reader, offset in searcher.reader().leaf_readers():
        # Asked once, not "in" and then again for the postings: a segment's term lookup
        # is Whoosh's Python, and a word not read ahead is looked up in every segment.
        try:
            whole = reader.postings(field, text)
        except TermNotFound:
            continue
        ids, found = _segment_postings(whole)
        docs.append(ids + offset)
        weights.append(found)
    return np.concatenate(docs).astype(np.int32), np.concatenate(weights)


def _segment_postings(whole) -> tuple[np.ndarray, np.ndarray]:
    """One segment's document numbers and weights of a term, deleted documents left out."""
    cursor, deleted = positions.blocks(whole)
    if cursor is None:  # a short list kept in the term's own entry
        postings = []
        while whole.is_active():
            postings.append((whole.id(), whole.weight()))
            whole.next()
        return (np.array([d for d, _ in postings], dtype=np.int32),
                np.array([w for _, w in postings], dtype=np.float32))
    ids, found = [np.zeros(0, dtype=np.int32)], [np.zeros(0, dtype=np.float32)]
    # A block's ids and weights at once, not one posting at a time in Python (most of the
    # time of a word not read ahead: 130,000 postings took half a second). Whoosh's filter
    # may have read past every posting already (all deleted).
    for block in positions.each_block(cursor):
        block._read_weights()
        ids.append(np.asarray(block._ids, dtype=np.int32))
        found.append(np.asarray(block._weights, dtype=np.float32))
    ids, found = np.concatenate(ids), np.concatenate(found)
    if deleted:
        keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int32, count=len(deleted)))
        ids, found = ids[keep], found[keep]
    return ids, found
