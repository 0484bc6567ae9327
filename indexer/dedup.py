"""The same article saved twice: exact copies (same words) and near copies (MinHash LSH,
by datasketch), so that one is indexed and the others are listed as its copies."""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import zlib
from typing import TYPE_CHECKING

import numpy as np

from .analysis import terms

if TYPE_CHECKING:
    from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
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


@dataclasses.dataclass(frozen=True)
class Signature:
    exact: str
    # NUM_PERM 32-bit hash values as bytes: a tuple of Python ints took nine times the
    # room, 230 MB for an incremental run over 100,000 articles.
    minhash: bytes

    def to_json(self) -> dict:
        return {"exact": self.exact, "minhash": base64.b64encode(self.minhash).decode()}

    @classmethod
    def from_json(cls, data: dict) -> Signature:
        minhash = data["minhash"]
        if isinstance(minhash, list):  # indexes written before signatures were packed
            return cls(data["exact"], np.array(minhash, dtype=np.uint32).tobytes())
        return cls(data["exact"], base64.b64decode(minhash))


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

    def __init__(self):
        self._exact: dict[str, str] = {}
        self._keys: dict[str, str] = {}
        self._signatures: dict[str, bytes] = {}
        self._lsh: MinHashLSH | None = None
        self._lookups = 0

    def add(self, key: str, sig: Signature) -> None:
        self.remove(key)
        self._exact.setdefault(sig.exact, key)
        self._keys[key] = sig.exact
        self._signatures[key] = sig.minhash
        if self._lsh is not None:
            self._lsh.insert(key, _minhash(sig))

    def remove(self, key: str) -> None:
        if key not in self._signatures:
            return
        if self._lsh is not None:
            self._lsh.remove(key)
        del self._signatures[key]
        exact = self._keys.pop(key)
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
            for key, minhash in self._signatures.items():
                self._lsh.insert(key, _minhash(Signature("", minhash)))
        query = np.frombuffer(sig.minhash, dtype=np.uint32)
        for key in sorted(self._lsh.query(_minhash(sig))):
            if _jaccard(np.frombuffer(self._signatures[key], dtype=np.uint32), query) >= THRESHOLD:
                return key
        return None

    def _scan(self, sig: Signature) -> str | None:
        """What the LSH would find: the signatures sharing a band with ``sig`` whose
        estimated Jaccard similarity reaches THRESHOLD (the first key in order)."""
        if not self._signatures:
            return None
        keys = list(self._signatures)
        table = np.frombuffer(b"".join(self._signatures.values()), dtype=np.uint32)
        same = table.reshape(len(keys), NUM_PERM) == np.frombuffer(sig.minhash, dtype=np.uint32)
        lsh = _lsh()
        banded = np.logical_or.reduce([same[:, start:end].all(axis=1)
                                       for start, end in lsh.hashranges])
        near = banded & (same.mean(axis=1) >= THRESHOLD)
        return min((keys[i] for i in np.flatnonzero(near)), default=None)


def _lsh() -> MinHashLSH:
    return _datasketch().MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    # As datasketch's MinHash.jaccard: the share of equal hash values.
    return float(np.count_nonzero(a == b)) / NUM_PERM


def _minhash(sig: Signature) -> MinHash:
    values = np.frombuffer(sig.minhash, dtype=np.uint32).astype(np.uint64)
    return _datasketch().MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashvalues=values,
                                 hashfunc=HASH, permutations=_permutations())


@functools.cache
def _permutations():
    # Drawing them costs more than hashing an article: draw once per process.
    return _datasketch().MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def _datasketch():
    # Imported when first needed: datasketch imports scipy (0.7 s at every start), which
    # a run that finds nothing changed never uses.
    import datasketch

    return datasketch
