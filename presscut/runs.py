"""What an indexing run started from the command line needs around it: refusing a
corpus that holds the index or the secret key, ending on ``kill`` as on Ctrl-C, and a
progress bar on a terminal."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys

import click

from core.settings import Settings

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


def progress_bar(items, total, label):
    """``items`` with a progress bar on a terminal (``label`` names the pass)."""
    if not sys.stderr.isatty():
        return items
    from tqdm import tqdm

    unit = "file" if label == "Reading" else "article"
    return tqdm(items, total=total, unit=unit, desc=label, file=sys.stderr)
