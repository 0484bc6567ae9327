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
from pathlib import Path

from .dedup import Signature
from .records import Skipped
from .store import DOCUMENTS_NAME, STATE_NAME, read_json, write_json


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
    # Documents indexed per file format ("html", "pdf", "warc"...).
    formats: dict[str, int] = dataclasses.field(default_factory=dict)

    def write(self, folder: Path) -> None:
        # The documents first: the header names the generation, so a run that dies
        # between the two leaves a header the next run does not trust.
        write_json(folder / DOCUMENTS_NAME, {
            "generation": self.generation,
            "documents": {path: [d.fingerprint, d.passages, d.signature.to_json(), d.speakers]
                          for path, d in self.documents.items()},
        })
        write_json(folder / STATE_NAME, {
            "generation": self.generation,
            "listing": self.listing,
            "skipped": [dataclasses.asdict(s) for s in self.skipped],
            "warnings": self.warnings,
            "documents": len(self.documents),
            "passages": sum(d.passages for d in self.documents.values()),
            "formats": self.formats,
        })


@dataclasses.dataclass(frozen=True)
class Head:
    """What the run that wrote an index saw and did, without the per-file part."""

    listing: str
    skipped: list[Skipped]
    warnings: list[str]
    documents: int
    passages: int
    formats: dict[str, int]


def head(folder: Path, generation: int) -> Head | None:
    """The head of the state written for index ``generation`` in ``folder``, or None."""
    try:
        data = read_json(folder / STATE_NAME)
        if data["generation"] != generation:
            return None
        return Head(data["listing"], [Skipped(**s) for s in data["skipped"]],
                    list(data["warnings"]), int(data["documents"]), int(data["passages"]),
                    dict(data["formats"]))
    except (KeyError, TypeError, ValueError):  # missing (None), or from another version
        return None


def read(folder: Path, generation: int) -> State | None:
    """The state written for index ``generation`` in ``folder``, or None."""
    try:
        head = read_json(folder / STATE_NAME)
        body = read_json(folder / DOCUMENTS_NAME)
        if head["generation"] != generation or body["generation"] != generation:
            return None
        return State(
            generation, head["listing"],
            {path: Indexed(fp, count, Signature.from_json(sig), tuple(speakers))
             for path, (fp, count, sig, speakers) in body["documents"].items()},
            [Skipped(**s) for s in head["skipped"]], list(head["warnings"]), dict(head["formats"]),
        )
    except (KeyError, TypeError, ValueError):  # missing (None), or from another version
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
