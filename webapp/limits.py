"""Long requests take turns, apart from the readers, so that readers keep being answered.

A quote check, an export or a batch costs seconds; a few at once took every reader from
a fifth of a second to half a minute (issue 35). Each server process answers at most
``PRESSCUT_HEAVY_REQUESTS`` of them at once, lets ``PRESSCUT_HEAVY_QUEUE`` more wait for
their turn, and answers any beyond at once with 503, a sentence and ``Retry-After``.
Their searching runs in a process of their own, at a lower priority
(``PRESSCUT_HEAVY_NICE``): Python runs one thread of a process at a time, so a long
request in the readers' process held every reader to half speed or less; and on a busy
machine the readers' processes go first.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from flask import Flask, Response, current_app, stream_with_context
from werkzeug.exceptions import ServiceUnavailable

from core.settings import Settings
from search.service import SearchService

RETRY_AFTER = 30  # seconds: about what a long request takes
LONGEST_WAIT = 60  # seconds a request waits in line before it is answered 503


class Busy(ServiceUnavailable):
    """Every turn for long requests is taken, and the line is full."""

    description = ("The server is busy with other long requests (quote checks, exports, "
                   f"batches); try again in {RETRY_AFTER} seconds. Searching and reading "
                   "stay open meanwhile.")

    def get_headers(self, environ=None, scope=None):
        return [*super().get_headers(environ, scope), ("Retry-After", str(RETRY_AFTER))]


class LongRequests:
    """Turns for long requests, and the process that searches for them: its
    ``check_quote``, ``batch`` and ``search`` are the search service's."""

    def __init__(self, settings: Settings):
        self._settings = settings
        running = max(1, settings.heavy_requests)
        self._running = threading.Semaphore(running)
        self._admitted = threading.Semaphore(running + max(0, settings.heavy_queue))
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def take(self) -> Callable[[], None]:
        """Wait for a turn (raise :class:`Busy` when the line is full, or after
        LONGEST_WAIT seconds in it); return what gives it back, to be called once (more
        calls do nothing)."""
        if not self._admitted.acquire(blocking=False):
            raise Busy()
        if not self._running.acquire(timeout=LONGEST_WAIT):
            self._admitted.release()
            raise Busy()
        given = threading.Event()

        def give_back() -> None:
            if not given.is_set():
                given.set()
                self._running.release()
                self._admitted.release()
        return give_back

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        """A turn for the length of a ``with`` block."""
        give_back = self.take()
        try:
            yield
        finally:
            give_back()

    def streaming(self, body: Callable[[], Iterator[str]], **response) -> Response:
        """A response streaming ``body()``, holding a turn until all of it is sent or the
        reader leaves (the server's close of the response)."""
        give_back = self.take()
        try:
            streamed = Response(stream_with_context(_given_back_after(body(), give_back)),
                                **response)
        except BaseException:
            give_back()
            raise
        streamed.call_on_close(give_back)
        return streamed

    def start(self) -> ProcessPoolExecutor:
        """The searching process, started on first use (or by the server, ahead)."""
        with self._lock:
            if self._pool is None:
                # Spawned, not forked: the server's threads may hold locks at any moment.
                self._pool = ProcessPoolExecutor(
                    max(1, self._settings.heavy_requests), multiprocessing.get_context("spawn"),
                    initializer=_open, initargs=(self._settings, os.getpid()))
                # An app let go of (a test's) lets its process go too.
                weakref.finalize(self, self._pool.shutdown, wait=False, cancel_futures=True)
            return self._pool

    def warm(self) -> None:
        """Start the searching process and have it read its index ahead, not waiting."""
        self.start().submit(_answer, "open", ())

    def stop(self) -> None:
        """End the searching process now (the server process is ending): not after the
        long request it may be answering, which would outlast the server's grace time."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            for child in multiprocessing.active_children():
                child.terminate()

    def _call(self, method: str, *args):
        pool = self.start()
        try:
            return pool.submit(_answer, method, args).result()
        except BrokenProcessPool:
            with self._lock:  # it died (the machine out of memory?): a new one next time
                if self._pool is pool:
                    self._pool = None
            raise Busy("The process answering long requests stopped (out of memory?); a new "
                       f"one starts with the next: try again in {RETRY_AFTER} seconds.") from None

    def check_quote(self, quote: str):
        """The search service's quote check, answered apart."""
        return self._call("check_quote", quote)

    def batch(self, queries: list[str], template):
        """The search service's batch, answered apart."""
        return self._call("batch", queries, template)

    def search(self, request):
        """The search service's search (an export's page), answered apart."""
        return self._call("search", request)


def _given_back_after(body: Iterator[str], give_back: Callable[[], None]) -> Iterator[str]:
    try:
        yield from body
    finally:
        give_back()


_SERVICE: SearchService | None = None  # in the searching process


def _open(settings: Settings, parent: int) -> None:
    global _SERVICE
    os.nice(max(0, settings.heavy_nice))
    _SERVICE = SearchService.for_settings(settings)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


def _end_with(parent: int) -> None:
    """End this process when the server process that started it is gone: killed (a
    worker past its timeout), it cannot say so, and this one would wait for ever."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _answer(method: str, args: tuple):
    return getattr(_SERVICE, method)(*args)


def init_app(app: Flask, settings: Settings) -> None:
    app.extensions["presscut.long"] = LongRequests(settings)


def long_requests() -> LongRequests:
    """This server process's turns and searching process for long requests."""
    return current_app.extensions["presscut.long"]
