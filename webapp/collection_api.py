"""Press cuttings as JSON (``/api/collections``, ../shared/CONTRACT.md "Collections") and
as files (bibliographies, dossiers, a ZIP of all). The pages (``collection_views``) render
the same object: the collection resolved against the archive (:func:`search.dossier.resolve`)."""

from __future__ import annotations

import io
import unicodedata
import zipfile

from flask import Blueprint, Response, abort, current_app, jsonify, request

from search import dossier, kept
from search.collection_store import ALREADY, Collection, Invalid, Store
from search.kept import Kept
from search.service import PassageGone
from webapp.access import csrf, require_write
from webapp.api import service
from webapp.downloads import attachment
from webapp.links import permalink
from webapp.params import BadParameter
from webapp.presentation import render
from webapp.presentation.tools import dossier_page

api = Blueprint("collections_api", __name__, url_prefix="/api/collections")
# The API is not for browsers' forms: it takes JSON only (which a cross-site form cannot
# send) and, with a token set, a bearer token (which a browser never adds by itself).
csrf.exempt(api)

# The printable dossier carries its own style, so that the downloaded file prints alone.
DOSSIER_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
               "form-action 'none'; frame-ancestors 'none'")


def store() -> Store:
    return current_app.extensions["presscut.collections"]


def find_collection(collection_id: str) -> Collection:
    found = store().get(collection_id)
    if found is None:
        abort(404, f"No collection with id {collection_id!r}.")
    return found


def collection_data(collection: Collection) -> dict:
    """``/api/collections/<id>``'s object (the collection page's and the dossier's ``data``)."""
    return dossier.collection_json(collection, resolved(collection), permalink)


def resolved(collection: Collection) -> list[dossier.Entry]:
    """The collection read against the archive; a cutting made before collections kept
    their sources gets its source kept now, if the archive still holds it."""
    entries = dossier.resolve(collection, service())
    dossier.keep_found(store(), entries)
    return entries


def listing_data() -> dict:
    """``/api/collections``'s object (the collections page's ``data``)."""
    return {"collections": [{"id": c.id, "name": c.name, "count": c.count}
                            for c in store().list()]}


def to_cut(passage_id: str) -> tuple[str, Kept]:
    """The text of a passage that is in the archive now, and its source's citation data
    (kept with the cutting); 404 otherwise."""
    try:
        found = service().passage(passage_id)
    except PassageGone as gone:
        abort(404, f"{gone} Add the current passage instead.")
    if found is None:
        abort(404, f"No passage with id {passage_id!r}.")
    doc, passage = found
    return doc.passage_text(passage), kept.of(doc, passage)


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


@api.post("")
def create():
    require_write()
    body = _json_body()
    try:
        collection = store().create(_field(body, "name", default=""),
                                    _field(body, "description", default=""))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    return jsonify(collection_data(collection)), 201


@api.get("")
def listing():
    return jsonify(listing_data())


@api.get("/<collection_id>")
def show(collection_id: str):
    return jsonify(collection_data(find_collection(collection_id)))


@api.post("/<collection_id>/passages")
def add(collection_id: str):
    """Cut a passage into a collection: 201, or 200 when it was there already (its note
    and tags kept, those given added to them)."""
    require_write()
    body = _json_body()
    passage_id = _field(body, "passage_id", default="")
    find_collection(collection_id)
    text, source = to_cut(passage_id)
    try:
        added = store().add(collection_id, passage_id, text, _field(body, "note"),
                            body.get("tags"), source)
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    if added is None:
        abort(404, f"No collection with id {collection_id!r}.")
    said = {"already_there": added.already, **({"message": ALREADY} if added.already else {})}
    return jsonify({**collection_data(added.collection), **said}), 200 if added.already else 201


@api.patch("/<collection_id>/passages/<passage_id>")
def annotate(collection_id: str, passage_id: str):
    """Change a cutting's note or tags: those given replace what it had."""
    require_write()
    body = _json_body()
    find_collection(collection_id)
    try:
        collection = store().annotate(collection_id, passage_id, _field(body, "note"),
                                      body.get("tags"))
    except Invalid as exc:
        raise BadParameter(str(exc)) from None
    if collection is None:
        abort(404, f"Passage {passage_id!r} is not in this collection.")
    return jsonify(collection_data(collection))


@api.delete("/<collection_id>/passages/<passage_id>")
def remove(collection_id: str, passage_id: str):
    require_write()
    find_collection(collection_id)
    collection = store().remove(collection_id, passage_id)
    if collection is None:
        abort(404, f"Passage {passage_id!r} is not in this collection.")
    return jsonify(collection_data(collection))


@api.get("/<collection_id>/export")
def export(collection_id: str):
    return exported(find_collection(collection_id), request.args.get("format", "markdown"))


def exported(collection: Collection, fmt: str) -> Response:
    """The collection as a file: a bibliography, a dossier, or a ZIP of all of them."""
    if fmt not in dossier.EXPORTS:
        raise BadParameter(f"Unknown export format {fmt!r}; use one of "
                           f"{', '.join(dossier.EXPORTS)}.")
    entries = resolved(collection)
    extension, content_type, _ = dossier.EXPORTS[fmt]
    name, ascii_name = _file_names(collection)
    headers = {"Content-Disposition": attachment(f"{name}.{extension}", f"{ascii_name}.{extension}")}
    if fmt == "zip":
        body = io.BytesIO()
        with zipfile.ZipFile(body, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in dossier.EXPORTS:
                if name != "zip":
                    archive.writestr(f"{_file_name(collection)}.{dossier.EXPORTS[name][0]}",
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
        data = dossier.collection_json(collection, entries, permalink)
        return render("dossier.html", data, dossier_page(entries))
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
