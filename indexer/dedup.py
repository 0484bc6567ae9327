"""The same article saved twice: exact copies (same words) and near copies (MinHash LSH,
by datasketch), so that one is indexed and the others are listed as its copies."""

from __future__ import annotations

import functools
import hashlib
import zlib
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from core.analysis import terms
from core.records import Signature

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
# Bytes of one signature's MinHash values (32-bit each).
_WIDTH = NUM_PERM * 4
# Word 5-gram Jaccard similarity from which two texts count as one article: syndicated
# copies with a different headline, a changed byline or a trimmed footer stay above it.
THRESHOLD = 0.85
SHINGLE = 5
# Texts a run compares with every signature before it builds the LSH index.
SCANS = 64
# Stored signatures must be read back with the scheme that made them.
SCHEME = "affine32"
# Shingles are hashed with CRC-32 (in C): SHA-1 in datasketch's default wrapper cost more
# than the rest of the pipeline for an article. Changing it means re-indexing (build.py).
HASH = zlib.crc32


def signature(text: str) -> Signature:
    """What identifies ``text`` for duplicate detection."""
    words = terms(text)
    exact = hashlib.blake2b(" ".join(words).encode(), digest_size=16).hexdigest()
    shingles = {" ".join(words[i : i + SHINGLE]).encode()
                for i in range(max(1, len(words) - SHINGLE + 1))}
    minhash = _datasketch().MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=HASH,
                                    permutations=_permutations())
    minhash.update_batch(list(shingles))
    return Signature(exact, minhash.hashvalues.astype(np.uint32).tobytes())


class Registry:
    """The documents seen so far, by signature; finds the one a new text copies.

    The LSH index is built only once a run has looked up SCANS texts: a run that changes a
    few files of a large archive compares them with every signature as arrays instead
    (building the LSH of 100,000 articles took 6 s), finding exactly what the LSH would."""

    def __init__(self, bands: Callable[[], tuple[tuple[int, int], ...]] | None = None):
        # Where the LSH's bands lie (:func:`bands`; a run may ask a process that has
        # datasketch imported already).
        self._bands = bands or globals()["bands"]
        self._exact: dict[str, str] = {}
        # Each key's exact digest and MinHash values are a row of a list and of one table
        # (rows of removed keys stay, unused): a run over 100,000 documents makes no object
        # per signature.
        self._rows: dict[str, int] = {}
        self._exacts: list[str] = []
        self._table: bytes | bytearray = bytearray()
        self._lsh: MinHashLSH | None = None
        self._lookups = 0

    @classmethod
    def of(cls, keys: list[str], exacts: list[str], minhashes: bytes,
           bands: Callable[[], tuple[tuple[int, int], ...]] | None = None) -> Registry:
        """A registry of these documents (their keys, exact digests and MinHash values one
        after the other), as if added in order. In bulk: 100,000 :meth:`add` calls took a
        third of a second."""
        registry = cls(bands)
        # The first key of a digest wins, as with add().
        registry._exact = dict(zip(reversed(exacts), reversed(keys), strict=True))
        registry._rows = dict(zip(keys, range(len(keys)), strict=True))
        registry._exacts = list(exacts)
        registry._table = minhashes  # copied when a key is added
        return registry

    def add(self, key: str, sig: Signature) -> None:
        self.remove(key)
        self._exact.setdefault(sig.exact, key)
        self._rows[key] = len(self._exacts)
        self._exacts.append(sig.exact)
        if isinstance(self._table, bytes):
            self._table = bytearray(self._table)
        self._table += sig.minhash
        if self._lsh is not None:
            self._lsh.insert(key, _minhash(sig))

    def remove(self, key: str) -> None:
        if key not in self._rows:
            return
        if self._lsh is not None:
            self._lsh.remove(key)
        exact = self._exacts[self._rows.pop(key)]
        if self._exact.get(exact) == key:
            del self._exact[exact]

    def original_of(self, sig: Signature) -> str | None:
        """The key of an earlier document this one copies, exactly or nearly."""
        if sig.exact in self._exact:
            return self._exact[sig.exact]
        self._lookups += 1
        if self._lsh is None and self._lookups <= SCANS:
            return self._scan(sig)
        if self._lsh is None:
            self._lsh = _lsh()
            for key in self._rows:
                self._lsh.insert(key, _minhash(Signature("", self._minhash(key))))
        query = np.frombuffer(sig.minhash, dtype=np.uint32)
        for key in sorted(self._lsh.query(_minhash(sig))):
            if _jaccard(np.frombuffer(self._minhash(key), dtype=np.uint32), query) >= THRESHOLD:
                return key
        return None

    def _minhash(self, key: str) -> bytes:
        row = self._rows[key]
        return bytes(self._table[row * _WIDTH:(row + 1) * _WIDTH])

    def _scan(self, sig: Signature) -> str | None:
        """What the LSH would find: the signatures sharing a band with ``sig`` whose
        estimated Jaccard similarity reaches THRESHOLD (the first key in order)."""
        if not self._rows:
            return None
        if not isinstance(self._bands, tuple):
            self._bands = self._bands()
        # Every row at once, those of removed keys too (cheaper than leaving them out);
        # the view of the table lives only in this expression (it could not grow under one).
        same = (np.frombuffer(self._table, dtype=np.uint32).reshape(-1, NUM_PERM)
                == np.frombuffer(sig.minhash, dtype=np.uint32))
        banded = np.logical_or.reduce([same[:, start:end].all(axis=1)
                                       for start, end in self._bands])
        near = banded & (same.mean(axis=1) >= THRESHOLD)
        keys = list(self._rows)
        rows = np.fromiter(self._rows.values(), dtype=np.int64, count=len(keys))
        return min((keys[i] for i in np.flatnonzero(near[rows])), default=None)


@functools.cache
def bands() -> tuple[tuple[int, int], ...]:
    """The hash ranges of the LSH's bands (datasketch chooses them for THRESHOLD)."""
    return tuple((int(start), int(end)) for start, end in _lsh().hashranges)


def _lsh() -> MinHashLSH:
    return _datasketch().MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    # As datasketch's MinHash.jaccard: the share of equal hash values.
    return float(np.count_nonzero(a == b)) / NUM_PERM


def _minhash(sig: Signature) -> MinHash:
    values = np.frombuffer(sig.minhash, dtype=np.uint32).astype(np.uint64)
    return _datasketch().MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=values,
                                 hashfunc=HASH, permutations=_permutations())


def prepare() -> None:
    """Import and draw what :func:`signature` needs (a worker does it ahead of its texts)."""
    _permutations()


@functools.cache
def _permutations():
    # Drawing them costs more than hashing an article: draw once per process.
    return _datasketch().MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def _datasketch():
    # Imported when first needed: datasketch imports scipy (0.7 s at every start), which
    # a run that finds nothing changed never uses.
    import datasketch

    return datasketch
