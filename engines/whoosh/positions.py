"""Word positions of a segment's long posting lists as arrays, in files beside it.

Whoosh keeps a posting's positions as a pickle inside a pickled block of 128 postings, so
checking a phrase in a few hundred documents of a 60,000-document list ("in the")
unpickles most of its 500 blocks, about a quarter of a millisecond each: the whole cost
of a phrase of common words. Once a commit has made a segment, its lists of at least
LONG documents (exact words and pairs) are written out as three arrays: each posting's
document, where its positions start, and the positions. A phrase then finds its
candidates' positions by bisection. The files are named like the segment's own, so Whoosh
deletes them with it; a list not written (a short one, or a segment whose files are not
there yet) is read from Whoosh as before.
"""

from __future__ import annotations

import itertools
import json
import os
import pickle
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher

# A segment's list of at least this many documents (two of Whoosh's blocks) is written out.
LONG = 256
FIELDS = ("exact", "pairs")
TABLE = ".positions.json"  # written last: a segment with it has all its arrays
ARRAYS = ("docs", "at", "positions")


def _path(folder: Path, segment: str, name: str) -> Path:
    return folder / f"{segment}.positions_{name}.npy"


def _table(folder: Path, segment: str) -> Path:
    return folder / f"{segment}{TABLE}"


def blocks(cursor) -> tuple[W3LeafMatcher | None, frozenset | set]:
    """The codec's own cursor (blocks of postings) under Whoosh's filter of a segment's
    deleted documents, and those documents; None when the list is kept in the term's
    own entry. Reads whoosh-reloaded 2.7.5's W3 codec, the version pinned in
    pyproject.toml."""
    deleted: frozenset | set = frozenset()
    if isinstance(cursor, FilterMatcher) and cursor._exclude:
        cursor, deleted = cursor.child, cursor._ids
    return (cursor if isinstance(cursor, W3LeafMatcher) else None), deleted


def each_block(cursor: W3LeafMatcher) -> Iterator[W3LeafMatcher]:
    """The codec's cursor at each of its blocks in turn, from the one it is at, with the
    block's document numbers read."""
    while not cursor._atend:
        cursor._read_ids()
        yield cursor
        cursor._next_block()


def starts(reader, sidecar: Sidecar | None, field: str, term: str, docs: np.ndarray,
           shift: int) -> np.ndarray:
    """Where a phrase would start for each position of ``term`` in ``docs`` (sorted
    document numbers of the segment ``reader``) that stands ``shift`` words into it, as
    sorted ``doc << 32 | start``; from the written lists when ``sidecar`` holds the term."""
    if sidecar is not None and (field, term) in sidecar:
        held, found = sidecar.positions_in(field, term, docs)
    else:
        lists = listed(reader.postings(field, term), docs)
        lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        held = np.repeat(docs.astype(np.int64), lengths)
        found = np.fromiter(itertools.chain.from_iterable(lists), dtype=np.int64,
                            count=int(lengths.sum()))
    found = found - shift
    # A start before the text's first word is no phrase (and would spoil the key).
    keep = found >= 0
    return (held[keep] << 32) | found[keep]


def listed(cursor, docs: np.ndarray) -> list[list[int]]:
    """The positions of the cursor's word in each of ``docs`` (sorted; each should hold
    it, and one that does not gets none, never another document's).

    Whoosh's ``skip_to`` steps through a block one posting at a time in Python; this reads
    a block once and finds the documents in it by bisection (half the time of a phrase
    of common words at 100,000 articles). It reads the blocks of whoosh-reloaded 2.7.5's
    W3 codec, the version pinned in pyproject.toml."""
    # Only live documents are asked for: a deleted one in a block is never among them.
    inner, _ = blocks(cursor)
    if inner is None:  # a list kept in the term's own entry
        found = []
        for doc in docs.tolist():
            if cursor.is_active():
                cursor.skip_to(doc)
            held = cursor.is_active() and cursor.id() == doc
            found.append(cursor.value_as("positions") if held else [])
        return found
    cursor = inner
    decode = cursor.format.decoder("positions")
    found, i = [], 0
    while i < len(docs):
        while not cursor._atend and cursor.block_max_id() < docs[i]:
            cursor._next_block()
        if cursor._atend:
            return found + [[] for _ in range(len(docs) - i)]
        if cursor._ids is None:
            cursor._read_ids()
        if cursor._values is None:
            cursor._read_values()
        ids = np.asarray(cursor._ids)
        end = int(np.searchsorted(docs, cursor.block_max_id(), side="right"))
        wanted = docs[i:end]
        at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
        values = cursor._values
        found += [decode(values[k]) if held else []
                  for k, held in zip(at.tolist(), (ids[at] == wanted).tolist(), strict=True)]
        i = end
        if i < len(docs):
            cursor._next_block()
    return found


class Sidecar:
    """One segment's written lists: a term's positions in given documents, as starts."""

    def __init__(self, folder: Path, segment: str):
        table = json.loads(_table(folder, segment).read_text(encoding="utf-8"))
        self.terms = {(field, term): span for field, terms in table.items()
                      for term, span in terms.items()}
        self.docs, self.at, self.positions = (np.load(_path(folder, segment, name), mmap_mode="r")
                                              for name in ARRAYS)

    @classmethod
    def of(cls, reader) -> Sidecar | None:
        """The written lists of a Whoosh segment reader, or None when there are none."""
        folder, segment = Path(reader.storage().folder), reader.segment().segment_id()
        try:
            return cls(folder, segment)
        except (OSError, ValueError, EOFError):
            # Not written yet, or gone: a later commit merged the segment away and Whoosh
            # deleted its files, which this older reader still holds open (ours it did
            # not). Or damaged (a crash mid-write): Whoosh's own positions still answer.
            return None

    def __contains__(self, key: tuple[str, str]) -> bool:
        return key in self.terms

    def positions_in(self, field: str, term: str, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each position of ``term`` in ``docs`` (sorted segment document numbers) and the
        document it is in, in order."""
        first, last = self.terms[(field, term)]
        listed = self.docs[first:last]
        if not len(listed):  # every document of the list deleted before it was written
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        at = np.minimum(np.searchsorted(listed, docs), len(listed) - 1)
        held = at[listed[at] == docs] + first
        begin, end = self.at[held], self.at[held + 1]
        lengths = end - begin
        # The wanted postings' slices of the positions as one index array, not a slice each.
        index = np.repeat(begin - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        return (np.repeat(self.docs[held].astype(np.int64), lengths),
                self.positions[index].astype(np.int64))


def write(ix, progress=lambda items, total, label: items, long: int | None = None) -> int:
    """Write the lists of at least ``long`` (LONG) documents of every segment of ``ix``
    that has none written yet (call under the writer lock); the number of segments
    written."""
    long = LONG if long is None else long
    folder = Path(ix.storage.folder)
    with ix.reader() as reader:
        # An index without documents has a reader without a segment: nothing to write.
        leaves = [leaf for leaf, _ in reader.leaf_readers() if leaf.segment() is not None
                  and not _table(folder, leaf.segment().segment_id()).exists()]
        if leaves:
            for leaf in progress(leaves, len(leaves), "Phrase positions"):
                _write_segment(leaf, folder, long)
    return len(leaves)


def _write_segment(reader, folder: Path, long: int) -> None:
    segment = reader.segment().segment_id()
    table: dict[str, dict[str, list[int]]] = {}
    columns: dict[str, list[np.ndarray]] = {name: [np.zeros(0, dtype=np.int32)] for name in ARRAYS}
    written = 0
    for field in FIELDS:
        if field not in reader.schema or not reader.schema[field].format.supports("positions"):
            continue
        table[field] = {}
        for text, info in reader.iter_field(field):
            if info.doc_frequency() < long:
                continue
            ids, lengths, found = _decoded(reader.postings(field, text))
            table[field][text.decode("utf-8")] = [written, written + len(ids)]
            written += len(ids)
            for name, column in zip(ARRAYS, (ids, lengths, found), strict=True):
                columns[name].append(column)
    docs, lengths, found = (np.concatenate(columns[name]) for name in ARRAYS)
    arrays = {"docs": docs, "at": np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
              "positions": found}
    for name, array in arrays.items():
        _replace(_path(folder, segment, name), lambda f, a=array: np.save(f, a))
    _replace(_table(folder, segment),
             lambda f: f.write(json.dumps(table, ensure_ascii=False).encode("utf-8")))


def _decoded(postings) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A list's document numbers, how many positions each has, and the positions (Whoosh's
    W3 codec of whoosh-reloaded 2.7.5, pinned in pyproject.toml, pickles each posting's
    position deltas behind a count)."""
    cursor, _ = blocks(postings)
    ids: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
    deltas: list[list[int]] = []
    if cursor is None:  # a short list kept in the term's own entry
        while postings.is_active():
            ids.append(np.array([postings.id()], dtype=np.int32))
            deltas.extend(_deltas([postings.value()]))
            postings.next()
    else:
        # Deleted documents stay: a phrase only ever asks for live ones.
        for block in each_block(cursor):
            block._read_values()
            ids.append(np.asarray(block._ids, dtype=np.int32))
            deltas.extend(_deltas(block._values))
    lengths = np.fromiter(map(len, deltas), dtype=np.int32, count=len(deltas))
    total = np.cumsum(np.fromiter(itertools.chain.from_iterable(deltas), dtype=np.int64,
                                  count=int(lengths.sum())))
    # The running sum of the deltas, restarted at each posting: its positions.
    before = np.repeat(np.concatenate([[0], total])[np.cumsum(lengths) - lengths], lengths)
    return np.concatenate(ids), lengths, (total - before).astype(np.int32)


def _deltas(values) -> list[list[int]]:
    """Each value's position deltas: a count, then a pickle (protocol 2) of the list.
    The pickles go through one ``loads`` as the items of a list of them (one call, not
    one a posting: most of the time of writing a segment's lists)."""
    found = pickle.loads(b"\x80\x02(" + b"".join(v[6:-1] for v in values) + b"l.")  # noqa: S301
    if len(found) != len(values):
        raise ValueError("the index's positions are not in the form of the pinned Whoosh")
    return found


def _replace(path: Path, write) -> None:
    """Write ``path`` aside and move it in place (a reader never sees half a file)."""
    aside = path.with_name(path.name + ".tmp")
    with open(aside, "wb") as f:
        write(f)
    os.replace(aside, path)
