"""One error handler: JSON for /api, an HTML page otherwise. Never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from core.errors import EngineUnavailable, IndexMissing
from search.service import BadQuery, PassageGone, PassageMoved
from search.verify import QuoteTooLong
from webapp.params import BadParameter

log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.register_error_handler(BadQuery, lambda exc: _answer(400, str(exc)))
    app.register_error_handler(QuoteTooLong, lambda exc: _answer(400, str(exc)))
    app.register_error_handler(BadParameter, lambda exc: _answer(400, str(exc)))
    app.register_error_handler(IndexMissing, lambda exc: _answer(503, str(exc)))
    app.register_error_handler(EngineUnavailable, lambda exc: _answer(503, str(exc)))
    app.register_error_handler(PassageGone, _gone)
    app.register_error_handler(PassageMoved, _moved)
    app.register_error_handler(HTTPException, _http)
    app.register_error_handler(Exception, _unexpected)


def _http(exc: HTTPException):
    response, status = _answer(exc.code or 500, exc.description or exc.name)
    # What the exception says besides its page: Retry-After of a 503, Allow of a 405.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    return response, status, headers


def _gone(exc: PassageGone):
    """A retired permalink: 404, with the way to the document and its nearest passage."""
    links = {"doc_id": exc.doc.doc_id,
             "document_url": url_for("views.document", doc_id=exc.doc.doc_id),
             "nearest": exc.nearest.passage_id if exc.nearest else None,
             "nearest_url": url_for("views.passage", passage_id=exc.nearest.passage_id)
             if exc.nearest else None}
    return _answer(404, str(exc), links)


def _moved(exc: PassageMoved):
    """A permalink whose document left the archive: 404, with the way to the very same
    paragraph under its new id (the old id named a file's path, which changed)."""
    links = {"doc_id": exc.doc.doc_id,
             "document_url": url_for("views.document", doc_id=exc.doc.doc_id),
             "successor": exc.passage.passage_id,
             "successor_url": url_for("views.passage", passage_id=exc.passage.passage_id)}
    return _answer(404, str(exc), links)


def _unexpected(exc: Exception):
    log.exception("unexpected error on %s", request.path)
    return _answer(500, "Something went wrong on our side; the error has been logged.")


def error_json(message: str, links: dict | None = None) -> dict:
    """What the API answers for a request it refuses (and a page's ``data`` then)."""
    return {"error": message, **(links or {})}


def _answer(status: int, message: str, links: dict | None = None):
    if request.path.startswith("/api/") or request.path == "/api":
        response = jsonify(error_json(message, links))
    else:
        response = render_template("error.html", status=status, message=message,
                                   links=links or {})
    return response, status
