"""Presscut's web app: HTML pages and the JSON API; a page renders its JSON twin's object
(``webapp.presentation``). It never imports Whoosh or bs4: it goes through
:mod:`search.service`."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from core.facets import LANGUAGES
from core.settings import Settings
from search.citations import one_line
from search.collection_store import Store
from search.service import SearchService


def create_app(settings: Settings | None = None) -> Flask:
    """Application factory; ``settings`` defaults to the environment's."""
    settings = settings or Settings.from_env()
    app = Flask(__name__, template_folder=str(templates_folder()))
    if settings.trust_proxy:
        n = settings.trust_proxy
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n, x_prefix=n)
    app.config["PRESSCUT"] = settings
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["presscut.search"] = SearchService.for_settings(settings)

    app.extensions["presscut.collections"] = Store(settings.collections_file())

    from webapp import access, api, collection_api, collection_views, errors, hosts, limits, references, views
    from webapp.params import url_with

    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.filters["one_line"] = one_line
    app.jinja_env.globals["languages"] = LANGUAGES
    app.jinja_env.globals["collection_choices"] = collection_views.choices
    # A first build still running: every page says how far it is.
    app.jinja_env.globals["indexing"] = lambda: app.extensions["presscut.search"].indexing()

    hosts.init_app(app, settings)  # first: a request for another host gets nothing else
    access.init_app(app, settings)
    limits.init_app(app, settings)
    # Reads that take a body (a quote, a list of names) change nothing: no form token.
    access.csrf.exempt(api.bp)
    access.csrf.exempt(views.verify)
    access.csrf.exempt(views.batch)
    app.register_blueprint(api.bp)
    app.register_blueprint(views.bp)
    app.register_blueprint(references.bp)
    app.register_blueprint(collection_api.api)
    app.register_blueprint(collection_views.pages)
    errors.init_app(app)
    app.after_request(_security_headers)
    return app


def templates_folder() -> Path:
    """The checkout's top-level templates/, which an installed package carries as
    webapp/templates (pyproject.toml maps one onto the other)."""
    installed = Path(__file__).with_name("templates")
    return installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "templates"


# Documents are hostile: even if something slipped through escaping, no script of theirs runs.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    # Nothing to other sites; this site's own forms do send it: over HTTPS, Flask-WTF refuses
    # a form without a Referer of this host ("no-referrer" made every login fail there).
    "Referrer-Policy": "same-origin",
}


def _security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response
