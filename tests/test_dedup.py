"""Copy detection: comparing a few texts with every signature finds what the LSH finds."""

from __future__ import annotations

import gzip
import json
import random

from indexer import dedup

from .conftest import shared


def test_a_scan_of_every_signature_finds_what_the_lsh_finds():
    # The oracle is datasketch's LSH, which a run builds once it has looked up SCANS texts.
    rng = random.Random(5)
    with gzip.open(shared("data/news-corpus/bbc-news-2225.jsonl.gz"), "rt", encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f][:400]
    signatures = {f"a{n:04d}": dedup.signature(text) for n, text in enumerate(texts[:300])}
    scanning, hashing = dedup.Registry(), dedup.Registry()
    hashing._lookups = dedup.SCANS  # the next lookup builds the LSH
    for key, sig in signatures.items():
        for registry in (scanning, hashing):
            registry.add(key, sig)
    # As a run updates documents: some taken out, some of them added again (last).
    for key in list(signatures)[::7]:
        for registry in (scanning, hashing):
            registry.remove(key)
    for key in list(signatures)[::21]:
        for registry in (scanning, hashing):
            registry.add(key, signatures[key])
    # The same registry in bulk, as a run reads it from the state.
    kept = {key: sig for key, sig in signatures.items() if key in scanning._rows}
    bulk = dedup.Registry.of(list(kept), [sig.exact for sig in kept.values()],
                             b"".join(sig.minhash for sig in kept.values()))
    lookups = []
    for text in texts[300:] + texts[:300]:
        paragraphs = text.split("\n")
        cut = rng.randrange(len(paragraphs))
        # Near copies (a paragraph dropped, a word changed), far ones, and unseen texts.
        variants = ["\n".join(paragraphs[:cut] + paragraphs[cut + 1:]),
                    text.replace(" the ", " a ", rng.randint(1, 40)), text + " Updated."]
        lookups += [dedup.signature(v) for v in variants]
    found = 0
    for sig in lookups:
        scanning._lookups = bulk._lookups = 0  # keep scanning
        expected = hashing.original_of(sig)
        assert scanning.original_of(sig) == expected == bulk.original_of(sig)
        found += expected is not None
    assert 300 < found < len(lookups)  # both kinds of answer were checked
