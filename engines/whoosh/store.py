"""The index folder: the one module that knows its layout.

``<index>`` is a symbolic link to one generation under ``<index>.generations/``. A
rebuild writes a new generation aside and swaps the link atomically, so readers see
the old index or the new one, never half of one. Writers hold an exclusive lock on
``<index>.lock``; the kernel releases it if the process dies. Beside Whoosh's files a
generation holds what the last run did (report), which files were copies of others,
and the state an incremental run starts from (``state``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import mmap
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import orjson
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile

from core.errors import IndexBusy, IndexMissing
from engines.whoosh.schema import VERSION, build_schema

KEEP_GENERATIONS = 2
REPORT_NAME = "presscut-report.json"
COPIES_NAME = "presscut-copies.json"
STATE_NAME = "presscut-state.json"
SCHEMA_NAME = "presscut-schema"
# How far a first build is, while it runs (removed when the run ends).
PROGRESS_NAME = "presscut-progress.json"
# The per-file part of the state (SQLite), apart: an untouched corpus is recognised without it.
DOCUMENTS_NAME = "presscut-state.sqlite3"


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


@contextlib.contextmanager
def writer_lock(path: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the exclusive writer lock of ``path``, waiting up to ``wait`` seconds."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_name(path.name + ".lock")
    with open(lock_path, "a+") as handle:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise IndexBusy(
                        f"The index at {path} is being written by {holder}. "
                        "Wait for it to finish, or pass --wait SECONDS."
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


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


def write_json(path: Path, data: object, readable: bool = False) -> None:
    """Write ``data`` to ``path`` whole or not at all (a reader never sees half a file);
    ``readable``: indented, for the files a person opens."""
    # orjson: the per-file state is 80 MB at 100,000 articles, and the standard library's
    # encoder took 2 s of a run that re-indexed one file (orjson 0.25 s, the same bytes).
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    tmp.write_bytes(orjson.dumps(data, option=orjson.OPT_NON_STR_KEYS
                                 | (orjson.OPT_INDENT_2 if readable else 0)))
    os.replace(tmp, path)


def read_json(path: Path) -> object | None:
    """What :func:`write_json` wrote at ``path``, or None when it is missing or unreadable."""
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, ValueError):  # (orjson's JSONDecodeError is a ValueError)
        return None


def being_written(path: Path) -> bool:
    """Whether a writer holds the lock of the index at ``path`` now."""
    lock_path = path.with_name(path.name + ".lock")
    try:
        with open(lock_path, "rb") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
    except FileNotFoundError:
        pass
    return False


def write_progress(folder: Path, done: int, total: int) -> None:
    """How far a first build is: ``done`` of ``total`` articles searchable."""
    write_json(folder / PROGRESS_NAME, {"done": done, "total": total})


def progress(path: Path) -> dict | None:
    """``{"done", "total"}`` while the index at ``path`` is being built, else None."""
    # The file first: a finished build has none, and every page asks (listing the
    # index's folder to see it is one cost a millisecond at 100,000 articles).
    found = read_json(path.resolve() / PROGRESS_NAME)
    return found if isinstance(found, dict) and exists(path) and being_written(path) else None


def copies(folder: Path) -> dict[str, dict]:
    """Files the last run found to be copies: path -> {"original", "fingerprint"}."""
    found = read_json(folder / COPIES_NAME)
    return found if isinstance(found, dict) else {}


def last_run(path: Path) -> dict:
    """What the run that wrote the index at ``path`` did (``{}`` before any)."""
    found = read_json(path.resolve() / REPORT_NAME)
    return found if isinstance(found, dict) else {}


def write_run(folder: Path, report: dict, copies: dict[str, dict]) -> None:
    """Record what an indexing run did, beside the generation it wrote."""
    write_json(folder / REPORT_NAME, report, readable=True)
    write_json(folder / COPIES_NAME, copies, readable=True)
    with contextlib.suppress(FileNotFoundError):
        (folder / PROGRESS_NAME).unlink()
