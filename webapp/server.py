"""The production server: gunicorn, several processes each with threads.

One Python process runs Python on one core at a time, so readers at once need several
processes. They are forked from one that has built the app (preloaded), so every worker
signs with the same key; each opens the index itself on its first request, and the index
files are memory-mapped, so their pages are shared through the page cache.
"""

from __future__ import annotations

import errno
import os
import socket

from flask import Flask
from gunicorn.app.base import BaseApplication

from core.settings import Settings
from webapp.links import LONGEST_REQUEST_LINE


def workers(settings: Settings) -> int:
    """Processes to serve with: the setting, or one per core."""
    return settings.workers or os.cpu_count() or 1


def listen_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on ``host``:``port``, as a sentence; None when it can.
    Asked before gunicorn starts, which would retry for seconds and print its tracebacks."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As gunicorn binds: a port left in TIME_WAIT by a stopped server is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except socket.gaierror:
        return f"Cannot listen on {host!r}: no such address on this machine."
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return (f"Port {port} on {host} is already in use (by another server?): stop it, "
                    "or choose another port with --port.")
        return f"Cannot listen on {host} port {port}: {exc.strerror or exc}."
    return None


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class _Gunicorn(BaseApplication):
    def __init__(self, app: Flask, options: dict):
        self.app, self.options = app, options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self) -> Flask:
        return self.app


def _warm(app: Flask) -> None:
    app.extensions["presscut.long"].warm()
    app.extensions["presscut.search"].open()


def serve(app: Flask, settings: Settings) -> None:
    """Serve ``app`` until stopped (SIGTERM or Ctrl-C)."""
    _Gunicorn(app, {
        "bind": [bind_address(settings.host, settings.port)],
        "workers": workers(settings),
        "worker_class": "gthread",
        "threads": settings.threads,
        "preload_app": True,
        "proc_name": "presscut",
        # Exports stream up to 10,000 documents: a worker is not killed for a long answer.
        "timeout": 300,
        # A request line as long as gunicorn allows (it is 4,094 bytes unless raised): a
        # query longer than the limit (1,000 characters), or a pasted paragraph, reaches the
        # app, which says why it is refused, where gunicorn answered with a bare "URI Too Long".
        "limit_request_line": LONGEST_REQUEST_LINE,
        "graceful_timeout": 10,
        # Each process reads its index ahead as it starts (a minute at 100,000 articles),
        # not while its first readers wait; so does its process for long requests.
        "post_worker_init": lambda worker: _warm(app),
        "worker_exit": lambda arbiter, worker: app.extensions["presscut.long"].stop(),
        "loglevel": "warning",
        "accesslog": None,
    }).run()
