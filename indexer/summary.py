"""What one indexing run did: counts, what was skipped and why, copies, warnings; written
as the run's report (``presscut-report.json``) and shown on /status. And how a run shows
how far it is (:data:`Progress`)."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

from core import files
from core.records import Skipped

T = TypeVar("T")
# ``progress(items, total, label)`` wraps each long pass of a run (a progress bar).
Progress = Callable[[Iterable[T], int, str], Iterable[T]]
FORMAT_COUNTS = ("documents", "skipped", "copies")


@dataclasses.dataclass
class Summary:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    skipped: list[Skipped] = dataclasses.field(default_factory=list)
    passages: int = 0
    documents: int = 0
    # A file that is a copy of an indexed one -> the indexed one's path.
    copies: dict[str, str] = dataclasses.field(default_factory=dict)
    copy_fingerprints: dict[str, str] = dataclasses.field(default_factory=dict, repr=False)
    # Files indexed only in part, with why.
    warnings: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0
    # When the run ended (UTC, ISO 8601).
    finished: str = ""
    # Per file format: documents indexed, files or records skipped, copies found.
    formats: dict[str, dict[str, int]] = dataclasses.field(default_factory=dict)

    @property
    def indexed_anything(self) -> bool:
        return self.documents > 0

    def line(self) -> str:
        return (
            f"{self.documents} documents ({self.added} added, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.deleted} deleted, {len(self.skipped)} skipped, "
            f"{len(self.copies)} copies of others), "
            f"{self.passages} passages, {self.seconds:.1f} s"
        )

    def to_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["skipped"] = [dataclasses.asdict(s) for s in self.skipped]
        del data["copy_fingerprints"]
        return data

    def count_formats(self, documents: Mapping[str, int]) -> None:
        """Fill :attr:`formats` from the documents per format and what was skipped or copied."""
        counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FORMAT_COUNTS, 0))
        for fmt, count in documents.items():
            counts[fmt]["documents"] = count
        for skipped in self.skipped:
            counts[files.format_of(skipped.relpath)]["skipped"] += 1
        for copy in self.copies:
            counts[files.format_of(copy)]["copies"] += 1
        self.formats = dict(sorted(counts.items()))

    def copies_json(self) -> dict[str, dict]:
        """The copies file: each copy's original, and its fingerprint (to skip it next time)."""
        return {copy: {"original": original, "fingerprint": self.copy_fingerprints.get(copy)}
                for copy, original in self.copies.items()}
