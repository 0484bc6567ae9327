"""The index folder's own files, whichever engine holds the documents: the writer lock
(``<index>.lock``, released by the kernel if the process dies), what the last run did
(report), which files were copies of others, how far a first build is, and the state an
incremental run starts from. They stay on the machine that indexes."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

import orjson

from core.errors import IndexBusy

REPORT_NAME = "presscut-report.json"
COPIES_NAME = "presscut-copies.json"
STATE_NAME = "presscut-state.json"
# How far a first build is, while it runs (removed when the run ends).
PROGRESS_NAME = "presscut-progress.json"
# The per-file part of the state (SQLite), apart: an untouched corpus is recognised without it.
DOCUMENTS_NAME = "presscut-state.sqlite3"


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
