"""Aliases of organisations and places (data/aliases.toml and the user's own files),
applied to the query string when it is read: no re-indexing when they change."""

from __future__ import annotations

import dataclasses
import os
import threading
import tomllib
from collections.abc import Iterable
from pathlib import Path

from core import data as shipped
from core.analysis import WORD, fold


@dataclasses.dataclass(frozen=True)
class Variant:
    words: tuple[str, ...]  # folded
    prefix: bool  # a trailing * in the file: any ending of the last word
    text: str  # as written


@dataclasses.dataclass(frozen=True)
class Expansion:
    """A query string with aliases spelled out, and which were used."""

    text: str
    used: tuple[tuple[str, tuple[str, ...]], ...]  # (as typed, the group's names)


def parse_groups(toml_text: str) -> list[list[str]]:
    return [list(group["names"]) for group in tomllib.loads(toml_text).get("group", [])]


def _variant(name: str) -> Variant:
    prefix = name.endswith("*")
    return Variant(tuple(fold(w) for w in WORD.findall(name.rstrip("*"))), prefix, name)


class AliasTable:
    """Groups of names; re-read from their files when a file changes."""

    def __init__(self, extra_files: Iterable[Path] = ()):
        self.extra_files = [Path(p) for p in extra_files]
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._groups: list[list[Variant]] = []

    def groups(self) -> list[list[Variant]]:
        stamp = tuple(_mtime(p) for p in self.extra_files)
        with self._lock:
            if stamp != self._stamp:
                texts = [shipped.text("aliases.toml")]
                texts += [p.read_text(encoding="utf-8") for p in self.extra_files if p.is_file()]
                self._groups = [[_variant(n) for n in group]
                                for text in texts for group in parse_groups(text)]
                self._stamp = stamp
            return self._groups

    def group_of(self, name: str) -> list[Variant]:
        """The group ``name`` is in (KTMT's has CSTO and ОДКБ), or none."""
        words = [fold(w) for w in WORD.findall(name)]
        return next((group for group in self.groups()
                     if words and any(_matches(v, words) for v in group)), [])

    def expand(self, query: str) -> Expansion:
        """``query`` with each alias outside quotes and fields replaced by its group."""
        tokens = [(m.start(), m.end(), fold(m.group())) for m in WORD.finditer(query)]
        free = [not _quoted_or_field(query, start) for start, _, _ in tokens]
        replacements: list[tuple[int, int, str, str, tuple[str, ...]]] = []
        taken: set[int] = set()
        candidates = sorted(((v, g) for g in self.groups() for v in g),
                            key=lambda vg: -len(vg[0].words))
        for variant, group in candidates:
            n = len(variant.words)
            for i in range(len(tokens) - n + 1):
                span = range(i, i + n)
                if taken & set(span) or not all(free[k] for k in span):
                    continue
                if _matches(variant, [tokens[k][2] for k in span]) and _adjacent(query, tokens, i, n):
                    start, end = tokens[i][0], tokens[i + n - 1][1]
                    replacements.append((start, end, _render(group), query[start:end],
                                         tuple(v.text.rstrip("*") for v in group)))
                    taken |= set(span)
        text = query
        for start, end, rendered, _, _ in sorted(replacements, reverse=True):
            text = text[:start] + rendered + text[end:]
        used = tuple((typed, names) for _, _, _, typed, names in sorted(replacements))
        return Expansion(text, used)


def _mtime(path: Path) -> float | None:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return None


def _matches(variant: Variant, words: list[str]) -> bool:
    if variant.prefix:
        return words[:-1] == list(variant.words[:-1]) and words[-1].startswith(variant.words[-1])
    return words == list(variant.words)


def _adjacent(query: str, tokens, i: int, n: int) -> bool:
    return all(query[tokens[k][1] : tokens[k + 1][0]].strip(" -'’") == ""
               for k in range(i, i + n - 1))


def _quoted_or_field(query: str, position: int) -> bool:
    before = query[:position]
    return before.count('"') % 2 == 1 or before.endswith(":")


def _render(group: list[Variant]) -> str:
    parts = []
    for v in group:
        if not v.words:
            continue
        if len(v.words) == 1:
            parts.append(v.words[0] + ("*" if v.prefix else ""))
        else:
            parts.append('"' + " ".join(v.words) + '"')
    return "(" + " OR ".join(parts) + ")"
