"""What the last indexing run left beside the index, so the next one need not read it.

An incremental run must know, per indexed file, its fingerprint, passage count, copy
signature and speakers. Reading them back from Whoosh unpickles every stored document
(minutes at 100,000 articles); this file holds just those, plus a digest of the corpus
listing so that a run over an untouched corpus stops after looking at file dates.

The file names the index generation it was written for: after a crash between the
commit and the write it no longer matches, and the caller falls back to the index.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

from .dedup import Signature
from .records import Skipped

STATE_NAME = "presscut-state.json"


@dataclasses.dataclass(frozen=True)
class Indexed:
    """What an incremental run needs of one indexed file."""

    fingerprint: str
    passages: int
    signature: Signature
    speakers: tuple[str, ...]


@dataclasses.dataclass
class State:
    generation: int
    listing: str
    documents: dict[str, Indexed]
    skipped: list[Skipped]
    warnings: list[str]

    def write(self, folder: Path) -> None:
        data = {
            "generation": self.generation,
            "listing": self.listing,
            "skipped": [dataclasses.asdict(s) for s in self.skipped],
            "warnings": self.warnings,
            "documents": {path: [d.fingerprint, d.passages, d.signature.to_json(), d.speakers]
                          for path, d in self.documents.items()},
        }
        tmp = folder / f".{STATE_NAME}.{os.getpid()}"
        tmp.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                       encoding="utf-8")
        os.replace(tmp, folder / STATE_NAME)


def read(folder: Path, generation: int) -> State | None:
    """The state written for index ``generation`` in ``folder``, or None."""
    try:
        data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
        if data["generation"] != generation:
            return None
        return State(
            generation, data["listing"],
            {path: Indexed(fp, count, Signature.from_json(sig), tuple(speakers))
             for path, (fp, count, sig, speakers) in data["documents"].items()},
            [Skipped(**s) for s in data["skipped"]], list(data["warnings"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def listing(files: list[tuple[Path, str]], *parts: str) -> str:
    """A digest of every corpus file's name, size and modification time, and ``parts``."""
    digest = hashlib.sha256()
    for path, relpath in files:
        try:
            info = path.stat()
        except OSError:
            digest.update(f"{relpath}\0gone\n".encode())
            continue
        digest.update(f"{relpath}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()
