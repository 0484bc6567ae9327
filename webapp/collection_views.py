"""Press cuttings: collections of passages, as JSON (``/api/collections``) and as pages
(``/collections``) that work without JavaScript. Both render one object: the collection
resolved against the archive (:func:`indexer.dossier.resolve`)."""

from __future__ import annotations

import io
import unicodedata
import zipfile

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)

from search import dossier
from search.collection_store import Collection, Invalid, Store
from search.results import collection_json
from search.service import PassageGone
from webapp.access import csrf, require_write
from webapp.api import service
from webapp.downloads import attachment
from webapp.links import permalink
from webapp.params import BadParameter

api = Blueprint("collections_api", __name__, url_prefix="/api/collections")
pages = Blueprint("collections", __name__, url_prefix="/collections")
# The API is not for browsers' forms: it takes JSON only (which a cross-site form cannot
# send) and, with a token set, a bearer token (which a browser never adds by itself).
csrf.exempt(api)

EXPORTS = {
    "bibtex": ("bib", "application/x-bibtex"),
    "ris": ("ris", "application/x-research-info-systems"),
    "csl-json": ("json", "application/vnd.citationstyles.csl+json"),
    "markdown": ("md", "text/markdown; charset=utf-8"),
    "html": ("html", "text/html; charset=utf-8"),
    "zip": ("zip", "application/zip"),
}
# The printable dossier carries its own style, so that the downloaded file prints alone.
DOSSIER_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")


def choices():
    """The collections a passage can be added to (asked once per page)."""
    if "collection_choices" not in g:
        g.collection_choices = store().list()
    return g.collection_choices


def store() -> Store:
    return current_app.extensions["presscut.collections"]


def _collection(collection_id: str) -> Collection:
    found = store().get(collection_id)
    if found is None:
        abort(404, f"No collection with id {collection_id!r}.")
    return found


def _as_json(collection: Collection) -> dict:
    return collection_json(collection, dossier.resolve(collection, service()), permalink)


def _passage_text(passage_id: str) -> str:
    """The text of a passage that is in the archive now; 404 otherwise."""
    try:
        found = service().passage(passage_id)
    except PassageGone as gone:
        abort(404, f"{gone} Add the current passage instead.")
    if found is None:
        abort(404, f"No passage with id {passage_id!r}.")
    doc, passage = found
    return doc.passage_text(passage)


def _json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadParameter("Send a JSON object (Content-Type: application/json).")
    return body


def _field(body: dict, name: str, kind=str, default=None):
    value = body.get(name, default)
    if value is not None and not isinstance(value, kind):
        raise BadParameter(f"{name!r} must be {'text' if kind is str else 'a list of text'}.")
    return value


# -- JSON API (../shared/CONTRACT.md, "Collections") --------------------------------------
@api.post("")
def create():
    require_write()
    body = _json_body()
    try:
        collection = store().create(_field(body, "name", default=""),
                                    _field(body, "description", default=""))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    return jsonify(_as_json(collection)), 201


@api.get("")
def listing():
    return jsonify({"collections": [{"id": c.id, "name": c.name, "count": c.count}
                                    for c in store().list()]})


@api.get("/<collection_id>")
def show(collection_id: str):
    return jsonify(_as_json(_collection(collection_id)))


ALREADY = ("This passage was already in the collection: its note and tags are kept, and a "
           "note or tags given are added to them.")


@api.post("/<collection_id>/passages")
def add(collection_id: str):
    """Cut a passage into a collection: 201, or 200 when it was there already (its note
    and tags kept, those given added to them)."""
    require_write()
    body = _json_body()
    passage_id = _field(body, "passage_id", default="")
    _collection(collection_id)
    try:
        added = store().add(collection_id, passage_id, _passage_text(passage_id),
                            _field(body, "note"), body.get("tags"))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    if added is None:
        abort(404, f"No collection with id {collection_id!r}.")
    said = {"already_there": added.already, **({"message": ALREADY} if added.already else {})}
    return jsonify({**_as_json(added.collection), **said}), 200 if added.already else 201


@api.patch("/<collection_id>/passages/<passage_id>")
def annotate(collection_id: str, passage_id: str):
    """Change a cutting's note or tags: those given replace what it had."""
    require_write()
    body = _json_body()
    _collection(collection_id)
    try:
        collection = store().annotate(collection_id, passage_id, _field(body, "note"),
                                      body.get("tags"))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    if collection is None:
        abort(404, f"Passage {passage_id!r} is not in this collection.")
    return jsonify(_as_json(collection))


@api.delete("/<collection_id>/passages/<passage_id>")
def remove(collection_id: str, passage_id: str):
    require_write()
    _collection(collection_id)
    collection = store().remove(collection_id, passage_id)
    if collection is None:
        abort(404, f"Passage {passage_id!r} is not in this collection.")
    return jsonify(_as_json(collection))


@api.get("/<collection_id>/export")
def export(collection_id: str):
    return exported(_collection(collection_id), request.args.get("format", "markdown"))


def exported(collection: Collection, fmt: str) -> Response:
    """The collection as a file: a bibliography, a dossier, or a ZIP of all of them."""
    if fmt not in EXPORTS:
        raise BadParameter(f"Unknown export format {fmt!r}; use one of {', '.join(EXPORTS)}.")
    entries = dossier.resolve(collection, service())
    extension, content_type = EXPORTS[fmt]
    name, ascii_name = _file_names(collection)
    headers = {"Content-Disposition": attachment(f"{name}.{extension}", f"{ascii_name}.{extension}")}
    if fmt == "zip":
        body = io.BytesIO()
        with zipfile.ZipFile(body, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in EXPORTS:
                if name != "zip":
                    archive.writestr(f"{_file_name(collection)}.{EXPORTS[name][0]}",
                                     _render(collection, entries, name))
        return Response(body.getvalue(), content_type=content_type, headers=headers)
    response = Response(_render(collection, entries, fmt), content_type=content_type,
                        headers=headers)
    if fmt == "html":
        response.headers["Content-Security-Policy"] = DOSSIER_CSP
    return response


def _render(collection: Collection, entries: list[dossier.Entry], fmt: str) -> str:
    if fmt == "markdown":
        return dossier.markdown(collection, entries, permalink)
    if fmt == "html":
        return render_template("dossier.html", collection=collection, entries=entries,
                               sources=dossier.sources(entries), permalink=permalink)
    return dossier.bibliography(entries, fmt, permalink)


def _file_name(collection: Collection) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in collection.name.lower()).strip("-")
    return f"presscut-{'-'.join(filter(None, slug.split('-')))[:60] or collection.id}"


def _file_names(collection: Collection) -> tuple[str, str]:
    """The export's name in the collection's own letters ("presscut-türkiyə"), and one in
    ASCII for clients that read only that: without accents where that is all it takes
    ("presscut-merida"), else the collection's id."""
    name = _file_name(collection)
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return name, plain if plain.isascii() else f"presscut-{collection.id}"


# -- pages (forms work without JavaScript) ---------------------------------------------
@pages.get("")
def index():
    return render_template("collections.html", collections=store().list(),
                           json_url=url_for("collections_api.listing"))


@pages.post("")
def create_page():
    require_write()
    try:
        collection = store().create(request.form.get("name", ""), request.form.get("description", ""))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    return redirect(url_for("collections.page", collection_id=collection.id), 303)


@pages.get("/<collection_id>")
def page(collection_id: str):
    collection = _collection(collection_id)
    entries = dossier.resolve(collection, service())
    return render_template("collection.html", collection=collection, entries=entries,
                           exports=EXPORTS, already=request.args.get("already"),
                           already_said=ALREADY, json_url=url_for("collections_api.show",
                                                             collection_id=collection_id))


@pages.post("/add")
def add_page():
    """"Add to collection" on a passage: into the chosen collection, or a new one."""
    require_write()
    passage_id = request.form.get("passage_id", "")
    text = _passage_text(passage_id)
    collection_id = request.form.get("collection", "")
    try:
        if collection_id in ("", "new"):
            if not request.form.get("name", "").strip():
                raise BadParameter("Name the new collection (or choose one of yours) and add "
                                   "the passage again.")
            collection_id = store().create(request.form["name"]).id
        added = store().add(collection_id, passage_id, text, request.form.get("note"),
                            request.form.get("tags"))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    if added is None:
        abort(404, f"No collection with id {collection_id!r}.")
    return redirect(url_for("collections.page", collection_id=collection_id,
                            already=passage_id if added.already else None,
                            _anchor=f"c-{passage_id}"), 303)


@pages.post("/<collection_id>/passages/<passage_id>")
def edit_page(collection_id: str, passage_id: str):
    """One form per cutting: its note and tags, move up or down, or remove it."""
    require_write()
    _collection(collection_id)
    action = request.form.get("action", "note")
    try:
        if action == "remove":
            changed = store().remove(collection_id, passage_id)
        elif action in ("up", "down"):
            changed = store().move(collection_id, passage_id, -1 if action == "up" else 1)
        else:
            changed = store().annotate(collection_id, passage_id, request.form.get("note", ""),
                                       request.form.get("tags", ""))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    if changed is None:
        abort(404, f"Passage {passage_id!r} is not in this collection.")
    anchor = None if action == "remove" else f"c-{passage_id}"
    return redirect(url_for("collections.page", collection_id=collection_id, _anchor=anchor), 303)


@pages.post("/<collection_id>/delete")
def delete_page(collection_id: str):
    require_write()
    if not store().delete(collection_id):
        abort(404, f"No collection with id {collection_id!r}.")
    return redirect(url_for("collections.index"), 303)


@pages.get("/<collection_id>/export.<fmt>")
def export_page(collection_id: str, fmt: str):
    return exported(_collection(collection_id), fmt)
