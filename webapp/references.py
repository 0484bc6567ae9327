"""What reference managers (Zotero, Mendeley, Paperpile) read from our pages: the head
metadata of passage and document pages, and an unAPI server (https://unapi.info) that
gives a passage page's item as RIS, which Zotero's unAPI translator prefers to the head
tags; there the passage is a note of the item (RIS ``N1``), not its abstract."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request
from markupsafe import escape

from core.records import Document, Passage
from search import citations, embedded
from webapp.api import find_passage
from webapp.links import permalink

bp = Blueprint("references", __name__)
FORMATS = {"ris": citations.MEDIA_TYPES["ris"]}


def archive_name() -> str:
    """The archive's name (the ``archive_name`` setting)."""
    return current_app.config["PRESSCUT"].archive_name


def head_tags(doc: Document, passage: Passage | None, location: str) -> list[embedded.Tag]:
    """The ``<meta>`` tags a passage page (or, without ``passage``, a document page) saves
    as: a newspaper article of the outlet, filed in this archive at ``location``."""
    return embedded.head_tags(doc, passage, location, archive_name())


@bp.get("/unapi")
def unapi():
    """unAPI: the formats offered (for an ``id``, answered 300), or a passage's item in
    one of them (RIS, written for Zotero, the one client of unAPI)."""
    passage_id, fmt = request.args.get("id"), request.args.get("format")
    if fmt and not passage_id:
        abort(400, "Give the id of a passage with the format, as in /unapi?id=<passage id>&format=ris.")
    if not passage_id:
        return _formats(None, 200)
    doc, p = find_passage(passage_id)
    if not fmt:
        return _formats(passage_id, 300)
    if fmt not in FORMATS:
        abort(406, f"No format {fmt!r} here; this server gives {', '.join(FORMATS)}.")
    body = citations.zotero_ris(doc, p, permalink(passage_id), archive_name())
    return Response(body, mimetype=FORMATS[fmt])


def _formats(passage_id: str | None, status: int) -> Response:
    ident = f' id="{escape(passage_id)}"' if passage_id else ""
    items = "".join(f'<format name="{name}" type="{media}"/>' for name, media in FORMATS.items())
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<formats{ident}>{items}</formats>\n'
    return Response(body, status=status, mimetype="application/xml")
