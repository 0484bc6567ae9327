"""The corpus folder listed: every file the indexer reads, with its size and date, and the
files and folders it passes over, with why."""

from __future__ import annotations

import operator
import os
import stat
from pathlib import Path
from typing import NamedTuple

from core import files
from core.records import Skipped
from indexer import loader, metadata


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

    The walk never leaves the corpus: links to folders are not followed (no loops), nor
    links to files outside it (the server's key, /etc/passwd); and it reads regular files
    only (a named pipe would wait for ever, a device give bytes without end), each refusal
    in ``skipped`` with why. A folder named like a document is reported, and searched like
    any folder. Strings and ``os.scandir`` rather than ``pathlib``, and no object per file:
    at 100,000 files they cost seconds of a small update.
    """
    found: dict[str, tuple[int, int]] = {}
    root, readable = os.path.realpath(corpus), loader.is_corpus_file

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
        for entry in (entries if not folders else [e for e in entries if not _is_folder(e)]):
            name, relpath = entry.name, prefix + entry.name
            if _undecodable(name):
                skipped.append(_badly_named(prefix, name))
            elif readable(name):
                if isinstance(stamp := _stamp(entry, root), str):
                    skipped.append(Skipped(relpath, stamp))
                else:
                    found[relpath] = stamp
            elif reason := loader.unread_reason(name):
                skipped.append(Skipped(relpath, reason))
            elif manifests is not None and name in metadata.MANIFEST_NAMES:
                _manifest(entry, relpath, root, manifests, skipped)
        for entry in followed:
            walk(entry.path, prefix + entry.name + "/")

    walk(os.fspath(corpus), "")
    return found


def _stamp(entry: os.DirEntry, root: str) -> tuple[int, int] | str:
    """A file's size and date; or why it is refused: a link out of the corpus, or not a
    regular file (judged without opening it); (-1, -1) when it cannot be looked at (said
    when it is read: a link to nothing, say)."""
    if entry.is_symlink() and os.path.exists(entry.path) and not loader.inside(entry.path, root):
        return loader.OUTSIDE
    try:
        info = os.stat(entry.path)
    except OSError:
        return (-1, -1)
    if not stat.S_ISREG(info.st_mode):
        return loader.not_regular(info.st_mode)
    return (info.st_size, info.st_mtime_ns)


def _manifest(entry: os.DirEntry, relpath: str, root: str, manifests: dict[str, list[int]],
              skipped: list[Skipped]) -> None:
    found = _stamp(entry, root)
    if isinstance(found, str):
        skipped.append(Skipped(relpath, found))
    elif found == (-1, -1):
        skipped.append(Skipped(relpath, "cannot be read"))
    else:
        manifests[relpath] = list(found)


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
