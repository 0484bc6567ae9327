"""Links that leave this page: permalinks and citations point at the public address
(``PRESSCUT_BASE_URL``), else at the address the request came in on, never at the
server's own idea of where it runs."""

from __future__ import annotations

from flask import current_app, request, url_for

# Bytes of a request line ("GET /?q=... HTTP/1.1") the server takes: gunicorn's largest
# bounded value (webapp/server.py); a longer link is not offered.
LONGEST_REQUEST_LINE = 8190


def external(endpoint: str, **values) -> str:
    """The absolute URL of ``endpoint`` as the world reaches it."""
    base = current_app.config["PRESSCUT"].base_url.rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)


def absolute(path: str) -> str:
    """A path of this site (as ``url_for`` gives it) as the world reaches it."""
    base = current_app.config["PRESSCUT"].base_url.rstrip("/")
    return (base or request.host_url.rstrip("/")) + path


def permalink(passage_id: str) -> str:
    """A passage's permalink as the world reaches it."""
    return external("views.passage", passage_id=passage_id)
