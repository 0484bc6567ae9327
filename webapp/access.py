"""Who may write (collections): reads are open to all.

With ``PRESSCUT_TOKEN`` set, a write needs ``Authorization: Bearer <token>`` (the API) or
the signed session cookie the login page sets (the pages, whose forms carry Flask-WTF's
CSRF token). The cookie names a login kept on the server (:mod:`webapp.logins`), which
/logout ends, and carries the token's generation: a new token ends every login made with
the old one. Without a token, writes are allowed only when the server listens on a
loopback address and trusts no proxy: only this machine can reach it, and behind a proxy
every request comes from the proxy's address. Elsewhere it serves read-only.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

from core.settings import Settings
from webapp.logins import Logins

bp = Blueprint("access", __name__)
csrf = CSRFProtect()


def init_app(app, settings: Settings) -> None:
    key = settings.secret_key_file()
    if key is not None and key.resolve().is_relative_to(settings.corpus.resolve()):
        # The indexer would read it, and anyone could search for it.
        raise ValueError(" ".join(settings.inside_corpus()))
    app.secret_key = settings.secret_key or _kept_key(key)
    # A form token lives as long as the session it belongs to, not an hour.
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.session_interface = _Sessions()
    app.extensions["presscut.logins"] = Logins(
        settings.collections_file().parent / "logins.sqlite3",
        app.permanent_session_lifetime.total_seconds())
    csrf.init_app(app)
    app.jinja_env.globals["can_write"] = can_write
    app.jinja_env.globals["write_mode"] = write_mode
    app.register_blueprint(bp)


def _kept_key(path: Path) -> str:
    """A random key kept in ``path`` (so logins survive a restart), made on first use."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(key)
        return key
    except FileExistsError:  # another worker made it first
        return path.read_text(encoding="ascii").strip()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def write_mode(settings: Settings | None = None) -> str:
    """``token`` (writes need it), ``local`` (loopback, no proxy: open) or ``read-only``."""
    settings = settings or current_app.config["PRESSCUT"]
    if settings.token:
        return "token"
    return "local" if is_loopback(settings.host) and not settings.trust_proxy else "read-only"


def read_only_reason(settings: Settings) -> str:
    """Why a server without a token refuses writes, in a sentence."""
    if settings.trust_proxy:
        return ("This archive is served read-only: it trusts a proxy in front of it "
                "(PRESSCUT_TRUST_PROXY), so every request comes from the proxy's address and "
                "anyone who reaches the proxy could write; writes need PRESSCUT_TOKEN.")
    return ("This archive is served read-only: writes need PRESSCUT_TOKEN to be set on the "
            "server, or a server that listens on this machine only.")


def can_write() -> bool:
    """Whether this request may write (pages show their forms only then)."""
    mode = write_mode()
    if mode == "token":
        return _logged_in() or _bearer() == "right"
    return mode == "local"


def require_write() -> None:
    """Abort with 401 (no credentials), 403 (wrong token, or a read-only server) unless
    this request may write."""
    mode = write_mode()
    if mode == "read-only":
        abort(403, read_only_reason(current_app.config["PRESSCUT"]))
    if mode == "local":
        return
    bearer = _bearer()
    if bearer == "right" or (bearer is None and _logged_in()):
        return
    if bearer == "wrong":
        abort(403, "The token given is not this archive's.")
    abort(401, "Writing needs the archive's token: send `Authorization: Bearer <token>`, or "
               "log in on the login page.")


def _bearer() -> str | None:
    """``right``, ``wrong`` or None (no bearer token sent)."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, given = header.partition(" ")
    token = current_app.config["PRESSCUT"].token
    if scheme.lower() != "bearer" or not token:
        return "wrong"
    return "right" if hmac.compare_digest(given.strip().encode(), token.encode()) else "wrong"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The token as a form, for the pages: a signed session cookie remembers it."""
    target = _local(request.values.get("next", ""))
    if write_mode() != "token":
        return redirect(target)
    error = None
    if request.method == "POST":
        given = request.form.get("token", "")
        token = current_app.config["PRESSCUT"].token
        if hmac.compare_digest(given.encode(), token.encode()):
            session.clear()
            session["writer"] = _logins().start()
            session["generation"] = _generation()
            return redirect(target)
        error = "That is not this archive's token."
    return render_template("login.html", error=error, target=target), 401 if error else 200


@bp.post("/logout")
def logout():
    """The login ends on the server too: a copy of the cookie no longer writes."""
    _logins().end(session.get("writer"))
    session.clear()
    return redirect(url_for("views.search"))


def _logins() -> Logins:
    return current_app.extensions["presscut.logins"]


def _generation() -> str:
    """The token's generation: changes with the token, and tells nothing of it."""
    key, token = current_app.secret_key, current_app.config["PRESSCUT"].token
    return hmac.new(str(key).encode(), token.encode(), hashlib.sha256).hexdigest()[:32]


def _logged_in() -> bool:
    """A session of a login that is still live, made with the token as it is now."""
    generation = session.get("generation")
    return (isinstance(generation, str) and hmac.compare_digest(generation, _generation())
            and _logins().live(session.get("writer")))


def _local(target: str) -> str:
    """Only a path of this site is a place to go back to (no open redirect): browsers
    drop tabs and line breaks from a URL and read a backslash as a slash, so a slash, a
    tab and a slash, or a backslash, would lead off the site."""
    if (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and target.isprintable() and not any(c.isspace() for c in target)
            and not urlsplit(target).netloc):
        return target
    return url_for("views.search")


class _Sessions(SecureCookieSessionInterface):
    """The session cookie gets ``Secure`` when served over HTTPS: the request's own scheme
    (as a trusted proxy reports it) or the public address's."""

    def get_cookie_secure(self, app) -> bool:
        return (super().get_cookie_secure(app) or request.is_secure
                or app.config["PRESSCUT"].base_url.startswith("https://"))
