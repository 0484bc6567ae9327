"""Corpus files read under a budget: each file in a worker process whose memory is capped
(``RLIMIT_AS``) and which is stopped when the file takes too long, so that one hostile file
(a PDF that loops, a bomb that expands, a pipe that never ends) costs its own skip with
the reason, never the run. A worker stopped or dead is replaced; the others go on."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import multiprocessing
import os
import pickle
import resource
import signal
import time
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import connection
from typing import Any

from core.settings import ReadLimits

# Results read ahead of the one the caller waits for, at most: a slow file holds back
# what is handed out (in order), and what the others read waits in memory meanwhile.
LOOKAHEAD = 64
# prctl's option (linux/prctl.h) that has a signal sent to a process when its parent ends.
_PR_SET_PDEATHSIG = 1


@dataclasses.dataclass(frozen=True)
class Failure:
    """Why reading one file was given up (its skip reason)."""

    reason: str


class _Worker:
    """One reading process, and until when the task it reads may run."""

    def __init__(self, call: Callable[[Any], Any], limits: ReadLimits):
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, call, limits.memory),
                                       daemon=True, name="presscut-reader")
        self.process.start()
        child.close()
        self.deadline = 0.0

    def end(self) -> None:
        self.conn.close()
        self.process.kill()
        self.process.join()


class Readers:
    """Worker processes that run ``call`` on tasks under ``limits``, ``procs`` at once
    (started when first needed; :meth:`close` ends them)."""

    def __init__(self, call: Callable[[Any], Any], limits: ReadLimits, procs: int = 1):
        self.call, self.limits, self.procs = call, limits, max(1, procs)
        self._idle: list[_Worker] = []
        self._busy: dict[_Worker, int] = {}

    def __enter__(self) -> Readers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End every worker (what they were reading is given up)."""
        for worker in [*self._idle, *self._busy]:
            worker.end()
        self._idle, self._busy = [], {}

    def one(self, task: Any, size: int) -> Any:
        """``call(task)`` in a worker, or a :class:`Failure`; ``size``: the file's bytes."""
        return next(self.map([(task, size)]))

    def map(self, tasks: Iterable[tuple[Any, int]]) -> Iterator[Any]:
        """``call(task)`` of each task, in order, or a :class:`Failure` for each task whose
        reading failed; a task is a pair of what to read and its file's bytes."""
        pending = enumerate(tasks)
        done: dict[int, Any] = {}
        handed, sent, exhausted = 0, 0, False
        while True:
            while not exhausted and len(self._busy) < self.procs and sent - handed < LOOKAHEAD:
                item = next(pending, None)
                if item is None:
                    exhausted = True
                else:
                    number, (task, size) = item
                    self._send(number, task, size)
                    sent += 1
            while handed in done:
                yield done.pop(handed)
                handed += 1
            if exhausted and handed == sent:
                return
            if self._busy:  # (else all it had was handed out: hand out more)
                self._collect(done)

    def _send(self, number: int, task: Any, size: int) -> None:
        worker = self._idle.pop() if self._idle else _Worker(self.call, self.limits)
        worker.deadline = time.monotonic() + self.limits.seconds_for(size)
        worker.conn.send(task)
        self._busy[worker] = number

    def _collect(self, done: dict[int, Any]) -> None:
        """Wait for a worker to finish (or to run out of time), and note what it gave."""
        timeout = max(0.0, min(w.deadline for w in self._busy) - time.monotonic())
        ready = connection.wait([w.conn for w in self._busy], timeout)
        now = time.monotonic()
        for worker in list(self._busy):
            if worker.conn in ready:
                number = self._busy.pop(worker)
                try:
                    done[number] = worker.conn.recv()
                    self._idle.append(worker)
                except (EOFError, OSError):
                    done[number] = self._dead(worker)
            elif worker.deadline <= now:
                done[self._busy.pop(worker)] = Failure(
                    f"took longer than the {self.limits.seconds:.0f} s (and 1 s per MB) a file "
                    "may take to read: given up (setting PRESSCUT_READ_SECONDS)")
                worker.end()

    def _dead(self, worker: _Worker) -> Failure:
        worker.end()
        code = worker.process.exitcode
        ended = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
                 else f"exit code {code}")
        return Failure(f"its reader ended unexpectedly ({ended}), perhaps out of the "
                       f"{self.limits.memory // 2**20} MB of memory a file may take to read "
                       "(setting PRESSCUT_READ_MEMORY_MB)")


def _serve(conn: connection.Connection, call: Callable[[Any], Any], memory: int) -> None:
    """A worker: read the tasks that come, send back each result or why it failed."""
    # Ctrl-C is for the run, which ends its workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _cap_memory(memory)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        try:
            result = call(task)
        except MemoryError:
            result = Failure(f"needs more than the {memory // 2**20} MB of memory a file may "
                             "take to read (setting PRESSCUT_READ_MEMORY_MB)")
        except Exception as exc:  # whatever one file does to its reader is that file's skip
            result = Failure(f"could not be read ({type(exc).__name__}: {str(exc)[:200]})")
        try:
            conn.send(result)
        except (pickle.PicklingError, TypeError, AttributeError, MemoryError) as exc:
            # Pickled before a byte is sent: the pipe is whole for the why.
            conn.send(Failure(f"could not be read ({type(exc).__name__}: {str(exc)[:200]})"))


def _die_with_parent() -> None:
    """Be killed when the run ends, even killed outright: a worker looping in a hostile file
    would live on, and hold the index's writer lock it inherited (Linux; elsewhere the
    worker ends at its next task, when it finds the run's end of the pipe closed)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _cap_memory(extra: int) -> None:
    """Let this process grow by ``extra`` bytes of address space beyond what it has."""
    if extra <= 0:
        return
    try:
        with open("/proc/self/statm") as handle:  # Linux; elsewhere no cap
            size = int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = size + extra
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
