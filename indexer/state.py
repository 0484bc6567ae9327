"""What the last indexing run left beside the index, so the next one need not read it.

An incremental run must know, per indexed file, its fingerprint, passage count, copy
signature and speakers. Reading them back from Whoosh unpickles every stored document
(minutes at 100,000 articles); this file holds just those, plus a digest of the corpus
listing so that a run over an untouched corpus stops after looking at file dates.

It also keeps, per corpus file, its size and date and what the first pass learnt of it
(each article's outlet and the digests of its short lines), so that a run after one file
changed reads that file only: the repeated-line statistics come from the state.

The file names the index generation it was written for: after a crash between the
commit and the write it no longer matches, and the caller falls back to the index.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import os
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
    # The spellings the speaker registry gave it (speakers, persons mentioned), in order:
    # a later run starts from them, so a name keeps the spelling the corpus met first.
    persons: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Article:
    """What the first pass learnt of one article of a file."""

    relpath: str
    outlet: str
    lines: frozenset[str]


@dataclasses.dataclass(frozen=True)
class FileSeen:
    """One corpus file as the first pass saw it: its stamp, articles and skipped records."""

    stamp: tuple[int, int]
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]

    def to_json(self) -> list:
        return [list(self.stamp), [[a.relpath, a.outlet, " ".join(sorted(a.lines))]
                                   for a in self.articles],
                [[s.relpath, s.reason] for s in self.skipped]]

    @classmethod
    def from_json(cls, data: list) -> FileSeen:
        stamp, articles, skipped = data
        return cls((int(stamp[0]), int(stamp[1])),
                   tuple(Article(r, o, frozenset(lines.split())) for r, o, lines in articles),
                   tuple(Skipped(r, reason) for r, reason in skipped))


@dataclasses.dataclass
class State:
    generation: int
    listing: str
    documents: dict[str, Indexed]
    skipped: list[Skipped]
    warnings: list[str]
    # Documents indexed per file format ("html", "pdf", "warc"...).
    formats: dict[str, int] = dataclasses.field(default_factory=dict)
    # Per corpus file, what the first pass saw; valid while ``hints`` is the same.
    files: dict[str, FileSeen] = dataclasses.field(default_factory=dict)
    hints: str = ""
    # Per outlet, a digest of its repeated lines (a change reprocesses its files).
    repeats: dict[str, str] = dataclasses.field(default_factory=dict)

    def write(self, folder: Path) -> None:
        # The documents first: the header names the generation, so a run that dies
        # between the two leaves a header the next run does not trust.
        with _no_collection():
            self._write(folder)

    def _write(self, folder: Path) -> None:
        write_json(folder / DOCUMENTS_NAME, {
            "generation": self.generation,
            "documents": {path: [d.fingerprint, d.passages, d.signature.to_json(), d.persons]
                          for path, d in self.documents.items()},
            "files": {path: seen.to_json() for path, seen in self.files.items()},
            "hints": self.hints,
            "repeats": self.repeats,
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
    with _no_collection():
        return _read(folder, generation)


@contextlib.contextmanager
def _no_collection():
    """The cyclic garbage collector paused: it would walk the 100,000s of objects the state
    is made of again and again while they are built (a third of reading it), and none of
    them form cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(folder: Path, generation: int) -> State | None:
    try:
        head = read_json(folder / STATE_NAME)
        body = read_json(folder / DOCUMENTS_NAME)
        if head["generation"] != generation or body["generation"] != generation:
            return None
        return State(
            generation, head["listing"],
            {path: Indexed(fp, count, Signature.from_json(sig), tuple(persons))
             for path, (fp, count, sig, persons) in body["documents"].items()},
            [Skipped(**s) for s in head["skipped"]], list(head["warnings"]), dict(head["formats"]),
            {path: FileSeen.from_json(seen) for path, seen in body["files"].items()},
            body["hints"], dict(body["repeats"]),
        )
    except (KeyError, TypeError, ValueError):  # missing (None), or from another version
        return None


def stamp(path: Path | os.DirEntry) -> tuple[int, int]:
    """A file's size and modification time (how make and rsync judge a change); (-1, -1)
    when it is gone."""
    try:
        info = path.stat()
    except OSError:
        return (-1, -1)
    return (info.st_size, info.st_mtime_ns)


def digest(*parts: str) -> str:
    """A digest of ``parts`` in order."""
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode())
        hasher.update(b"\0")
    return hasher.hexdigest()


def listing(stamps: dict[str, tuple[int, int]], *parts: str) -> str:
    """A digest of every corpus file's name, size and modification time, and ``parts``."""
    return digest(*(f"{relpath}\0{size}\0{mtime}" for relpath, (size, mtime) in stamps.items()),
                  *parts)
