"""Indexing from the command line, whichever engine holds the index: refusing a corpus
that holds the index or the secret key, a run that a kill ends as cleanly as Ctrl-C, its
progress bar, and whether an index is there to search."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sqlite3
import sys

import click

from core.errors import EngineUnavailable, IndexMissing
from core.settings import Settings
from engines import open_engine
from engines.whoosh import store
from indexer import build
from search import dossier
from search.collection_store import Store
from search.service import SearchService

EXIT_BUSY = 75  # EX_TEMPFAIL: try again later

# Also cli.EXIT_BAD_INPUT: an option or setting that cannot be used.
EXIT_BAD_INPUT = 2


def refuse_inside_corpus(settings: Settings) -> None:
    """Stop, saying why, when the index or the secret key would lie in the corpus: the
    indexer would read them, and serve the key that signs logins to anyone who searched."""
    problems = settings.inside_corpus()
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        sys.exit(EXIT_BAD_INPUT)


@contextlib.contextmanager
def ended_by_kill():
    """A run stopped by ``kill`` (SIGTERM) ends as one stopped by Ctrl-C does: it gives up
    what it had not committed and ends its worker processes. Killed outright, it left them
    waiting for work for ever, holding the index's writer lock."""
    previous = signal.signal(signal.SIGTERM, _stop)
    _workers_keep_the_default()
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(signum, frame):
    raise SystemExit(128 + signum)


@functools.cache
def _workers_keep_the_default() -> None:
    # A process forked meanwhile (the pipeline's pool, Whoosh's writer) gets SIGTERM's
    # default back: pools end their workers with it, and with this handler in them a
    # pool's end could wait for ever for a worker that did not end.
    def default() -> None:
        if signal.getsignal(signal.SIGTERM) is _stop:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.register_at_fork(after_in_child=default)


def index(settings: Settings, rebuild: bool = False, wait: float = 0.0):
    """The corpus into the settings' engine; a cluster that cannot be reached is a
    sentence, exit status EX_TEMPFAIL."""
    try:
        with ended_by_kill():
            if settings.collections_file().exists():  # before the run can lose a source
                _keep_sources(settings)
            engine = open_engine(settings.index, settings.engine, settings)
            return build.index_corpus(settings.corpus, settings.index, rebuild=rebuild,
                                      progress=progress_bar, wait=wait, engine=engine,
                                      limits=settings.read_limits())
    except EngineUnavailable as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BUSY)


def _keep_sources(settings: Settings) -> None:
    """Keep collected passages' sources; a collections database that cannot be read (a
    newer version's, locked, broken) is said, and the run goes on: indexing comes first."""
    try:
        dossier.keep_sources(Store(settings.collections_file()),
                             SearchService.for_settings(settings))
    except (sqlite3.Error, RuntimeError) as exc:
        click.echo(f"Warning: the collections in {settings.collections_file()} could not be "
                   f"read to keep their sources ({exc}); indexing goes on.", err=True)


def progress_bar(items, total, label):
    """``items`` with a progress bar on a terminal (``label`` names the pass)."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    unit = "file" if label == "Reading" else "article"
    return tqdm(items, total=total, unit=unit, desc=label, file=sys.stderr)


def unbuilt(settings: Settings, serving: bool = False) -> str | None:
    """Why the settings' index cannot be searched yet, as a sentence; None when it can.
    ``serving``: a cluster that cannot be reached is said and served anyway (searches
    answer 503 until it is back)."""
    if settings.engine == "whoosh":
        if not store.exists(settings.index):
            return f"No index at {settings.index}: run `presscut index` first."
        if not store.is_current(settings.index):
            return (f"The index at {settings.index} was built by an older Presscut: run "
                    "`presscut index` to rebuild it.")
        return None
    try:
        open_engine(settings.index, settings.engine, settings).version()
    except IndexMissing as exc:
        return str(exc)
    except EngineUnavailable as exc:
        if not serving:
            raise
        click.echo(f"Warning: {exc} Serving anyway.", err=True)
    return None
