"""The Whoosh index in the index folder: the one module that knows its layout.

``<index>`` is a symbolic link to one generation under ``<index>.generations/``. A
rebuild writes a new generation aside and swaps the link atomically, so readers see
the old index or the new one, never half of one. Beside Whoosh's files a generation
holds the folder's own files (:mod:`engines.folder`).
"""

from __future__ import annotations

import contextlib
import mmap
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from core.errors import IndexMissing
from engines.folder import PROGRESS_NAME, being_written, read_json
from engines.whoosh.schema import VERSION, build_schema

KEEP_GENERATIONS = 2
SCHEMA_NAME = "presscut-schema"


def exists(path: Path) -> bool:
    return path.is_dir() and whoosh_index.exists_in(str(path))


def is_current(path: Path) -> bool:
    """Whether the index at ``path`` has this version's fields (else it must be rebuilt)."""
    try:
        return (path / SCHEMA_NAME).read_text().strip() == VERSION
    except OSError:
        return False


def open_index(path: Path) -> whoosh_index.Index:
    """Open the index for reading; raise :class:`IndexMissing` with a hint."""
    if not exists(path):
        if being_written(path):
            raise IndexMissing("The archive is being indexed: its first documents become "
                               "searchable within a minute.")
        raise IndexMissing(f"No index at {path}. Build one with `presscut index`.")
    return MappedStorage(str(path.resolve())).open_index()


class MappedStorage(FileStorage):
    """Index files opened memory-mapped.

    Segments are written as separate files (a compound segment is copied into memory
    by every searcher that opens it), and Whoosh reads a plain file with a seek and a
    read system call per value: forty for one stored document. Through a map those
    reads are memory copies, and the page cache is shared by every searcher.
    """

    def open_file(self, name: str, **kwargs) -> StructFile:
        with open(os.path.join(self.folder, name), "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:  # an empty file cannot be mapped
                return super().open_file(name, **kwargs)
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        return StructFile(mapped, name=name, **kwargs)


def generation_of(path: Path) -> str:
    """What identifies the index currently behind ``path`` (changes on every commit)."""
    real = path.resolve()
    tocs = sorted(p.name for p in real.glob("_MAIN_*.toc")) if real.is_dir() else []
    return f"{real}:{tocs[-1] if tocs else ''}"


def _generations_dir(path: Path) -> Path:
    return path.with_name(path.name + ".generations")


class Aside:
    """A new index being built beside ``path`` (:func:`build_aside`): write to ``index``;
    :meth:`publish` shows what is committed so far when nothing is shown at ``path`` yet."""

    def __init__(self, path: Path, target: Path):
        self.path, self.target = path, target
        self.index = whoosh_index.create_in(str(target), build_schema())
        self.published = False

    @property
    def first(self) -> bool:
        """Whether this is the first index at ``path`` (nothing to keep showing meanwhile)."""
        return not self.target.name.endswith(".partial")

    def publish(self) -> None:
        """Link ``path`` to this index as committed so far (a first build only: a rebuild
        keeps the old index shown until it is done)."""
        if self.first and not self.published:
            _swap_link(self.path, self.target)
            self.published = True


@contextlib.contextmanager
def build_aside(path: Path) -> Iterator[Aside]:
    """Create an empty index beside ``path``; on success swap it in, on error drop it
    (a first build that published part of itself keeps that part: the next run goes on
    from it).

    Call with the writer lock held.
    """
    generations = _generations_dir(path)
    generations.mkdir(parents=True, exist_ok=True)
    _remove_partials(generations)
    # A first build may be shown before it is done, so it is not named partial.
    target = Path(tempfile.mkdtemp(prefix=time.strftime("%Y%m%dT%H%M%S-"),
                                   suffix="" if not exists(path) else ".partial", dir=generations))
    (target / SCHEMA_NAME).write_text(VERSION)
    aside = None
    try:
        aside = Aside(path, target)
        yield aside
    except BaseException:
        if aside is None or not aside.published:
            shutil.rmtree(target, ignore_errors=True)
        raise
    final = target.with_suffix("") if target.name.endswith(".partial") else target
    target.rename(final)
    _swap_link(path, final)
    _prune(generations, keep=final)


def _swap_link(path: Path, target: Path) -> None:
    if path.exists() and not path.is_symlink():
        # An index from before generations existed: move it among them first.
        path.rename(_generations_dir(path) / f"legacy-{time.strftime('%Y%m%dT%H%M%S')}")
    tmp_link = path.with_name(f".{path.name}.{os.getpid()}.link")
    with contextlib.suppress(FileNotFoundError):
        tmp_link.unlink()
    tmp_link.symlink_to(os.path.relpath(target, path.parent))
    os.replace(tmp_link, path)


def _remove_partials(generations: Path) -> None:
    """What a killed build left behind (only called under the writer lock)."""
    for partial in generations.glob("*.partial"):
        shutil.rmtree(partial, ignore_errors=True)


def _prune(generations: Path, keep: Path) -> None:
    # Keep the previous generation too: a server may still be reading it.
    old = sorted((g for g in generations.iterdir() if g.is_dir() and g != keep),
                 key=lambda g: g.stat().st_mtime)
    for stale in old[: max(0, len(old) - (KEEP_GENERATIONS - 1))]:
        shutil.rmtree(stale, ignore_errors=True)


def progress(path: Path) -> dict | None:
    """``{"done", "total"}`` while the index at ``path`` is being built, else None."""
    # The file first: a finished build has none, and every page asks (listing the
    # index's folder to see it is one cost a millisecond at 100,000 articles).
    found = read_json(path.resolve() / PROGRESS_NAME)
    return found if isinstance(found, dict) and exists(path) and being_written(path) else None
