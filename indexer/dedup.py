"""The same article saved twice: exact copies (same words) and near copies (MinHash LSH,
by datasketch), so that one is indexed and the others are listed as its copies."""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import zlib

import numpy as np
from datasketch import MinHash, MinHashLSH

from .analysis import terms

NUM_PERM = 64
# Word 5-gram Jaccard similarity from which two texts count as one article: syndicated
# copies with a different headline, a changed byline or a trimmed footer stay above it.
THRESHOLD = 0.85
SHINGLE = 5
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
    minhash = MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME, hashfunc=HASH,
                      permutations=_permutations())
    minhash.update_batch(list(shingles))
    return Signature(exact, minhash.hashvalues.astype(np.uint32).tobytes())


class Registry:
    """The documents seen so far, by signature; finds the one a new text copies."""

    def __init__(self):
        self._exact: dict[str, str] = {}
        self._lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
        self._hashes: dict[str, MinHash] = {}
        self._keys: dict[str, str] = {}

    def add(self, key: str, sig: Signature) -> None:
        self.remove(key)
        minhash = _minhash(sig)
        self._exact.setdefault(sig.exact, key)
        self._lsh.insert(key, minhash)
        self._hashes[key] = minhash
        self._keys[key] = sig.exact

    def remove(self, key: str) -> None:
        if key not in self._hashes:
            return
        self._lsh.remove(key)
        del self._hashes[key]
        exact = self._keys.pop(key)
        if self._exact.get(exact) == key:
            del self._exact[exact]

    def original_of(self, sig: Signature) -> str | None:
        """The key of an earlier document this one copies, exactly or nearly."""
        if sig.exact in self._exact:
            return self._exact[sig.exact]
        minhash = _minhash(sig)
        candidates = sorted(self._lsh.query(minhash))
        for key in candidates:
            if self._hashes[key].jaccard(minhash) >= THRESHOLD:
                return key
        return None


def _minhash(sig: Signature) -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME,
                   hashvalues=np.frombuffer(sig.minhash, dtype=np.uint32).astype(np.uint64),
                   hashfunc=HASH, permutations=_permutations())


@functools.cache
def _permutations():
    # Drawing them costs more than hashing an article: draw once per process.
    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations
