"""The corpus folder listed: every file the indexer reads, with its size and date, and the
files and folders it passes over, with why."""

from __future__ import annotations

import operator
import os
from pathlib import Path
from typing import NamedTuple

from core import files
from core.records import Skipped
from indexer import loader, metadata, state


class CorpusFile(NamedTuple):
    """A file of the corpus: where it is, its path inside the corpus, and its stamp."""

    path: str
    relpath: str
    stamp: tuple[int, int]


def corpus_files(corpus: Path, skipped: list[Skipped],
                 manifests: dict[str, list[int]] | None = None) -> dict[str, tuple[int, int]]:
    """Every corpus file under ``corpus`` by its path inside it, each folder's files before
    its subfolders, in name order, with its size and date (:func:`state.stamp`); the
    manifests' stamps go into ``manifests``.

    Symbolic links to folders are not followed (no loops); a folder named like a
    document is reported, and searched like any folder. Strings and ``os.scandir``
    rather than ``pathlib``, and no object per file: at 100,000 files they cost seconds of
    a small update.
    """
    found: dict[str, tuple[int, int]] = {}
    readable, stat = loader.is_corpus_file, os.stat

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as listed:
                entries = sorted(listed, key=operator.attrgetter("name"))
        except OSError:  # a folder that cannot be listed is passed over, as os.walk does
            return
        folders = [entry for entry in entries if _is_folder(entry)]
        followed = []
        for entry in folders:
            if _undecodable(entry.name):
                skipped.append(_badly_named(prefix, entry.name))
            elif entry.is_symlink():
                skipped.append(Skipped(prefix + entry.name, "is a link to a folder; not followed"))
            else:
                if readable(entry.name) and files.suffix_of(entry.name):
                    skipped.append(Skipped(prefix + entry.name, "is a directory, not a file"))
                followed.append(entry)
        names = [entry.name for entry in entries if not folders or not _is_folder(entry)]
        folder += "/"
        for name in names:
            if _undecodable(name):
                skipped.append(_badly_named(prefix, name))
            elif readable(name):
                try:
                    info = stat(folder + name)
                    found[prefix + name] = (info.st_size, info.st_mtime_ns)
                except OSError:
                    found[prefix + name] = (-1, -1)
            elif reason := loader.unread_reason(name):
                skipped.append(Skipped(prefix + name, reason))
            elif manifests is not None and name in metadata.MANIFEST_NAMES:
                manifests[prefix + name] = list(state.stamp(Path(folder + name)))
        for entry in followed:
            walk(entry.path, prefix + entry.name + "/")

    walk(os.fspath(corpus), "")
    return found


def _undecodable(name: str) -> bool:
    """Whether a name as the file system gave it has bytes that are not UTF-8 (Python
    keeps them as lone surrogates, which no path, identifier or JSON can carry)."""
    if name.isascii():
        return False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _badly_named(prefix: str, name: str) -> Skipped:
    shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return Skipped(prefix + shown, "its name is not UTF-8 text: rename it to index it")


def _is_folder(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False
