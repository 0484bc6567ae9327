"""Press cuttings as pages (``/collections``) whose forms work without JavaScript: the
list, one collection (the object of ``/api/collections/<id>``), and "Add to collection"
under any passage. The JSON API and the exported files are ``collection_api``."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, request, url_for

from search.collection_store import Invalid
from webapp.access import require_write
from webapp.collection_api import (
    collection_data,
    exported,
    find_collection,
    listing_data,
    store,
    to_cut,
)
from webapp.params import BadParameter
from webapp.presentation import render, tools

pages = Blueprint("collections", __name__, url_prefix="/collections")


def choices():
    """The collections a passage can be added to (asked once per page)."""
    if "collection_choices" not in g:
        g.collection_choices = store().list()
    return g.collection_choices


@pages.get("")
def index():
    return render("collections.html", listing_data(), tools.collections_page())


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
    data = collection_data(find_collection(collection_id))
    return render("collection.html", data, tools.collection_page(data))


@pages.post("/add")
def add_page():
    """"Add to collection" on a passage: into the chosen collection, or a new one."""
    require_write()
    passage_id = request.form.get("passage_id", "")
    text, source = to_cut(passage_id)
    collection_id = request.form.get("collection", "")
    try:
        if collection_id in ("", "new"):
            if not request.form.get("name", "").strip():
                raise BadParameter("Name the new collection (or choose one of yours) and add "
                                   "the passage again.")
            collection_id = store().create(request.form["name"]).id
        added = store().add(collection_id, passage_id, text, request.form.get("note"),
                            request.form.get("tags"), source)
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
    find_collection(collection_id)
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
    return exported(find_collection(collection_id), fmt)
