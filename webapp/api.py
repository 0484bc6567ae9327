"""The JSON API (../shared/CONTRACT.md). Every route returns what a page also shows."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, request

from core.facets import FACETS, SORTS
from search import citations, people
from search import story as stories
from search.results import document_json, passage_json, person_json, story_json, verify_json
from search.service import BadQuery, SearchService
from webapp.downloads import attachment
from webapp.limits import long_requests
from webapp.links import permalink
from webapp.params import (
    BadParameter,
    batch_queries,
    filters_from_json,
    quote_to_check,
    search_request,
)

bp = Blueprint("api", __name__, url_prefix="/api")


def service() -> SearchService:
    return current_app.extensions["presscut.search"]


OPENAPI = Path(__file__).with_name("openapi.json")


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of this API (fuzzed by the test suite with schemathesis);
    the facet and sort parameters come from the one table that defines them."""
    spec = json.loads(OPENAPI.read_text(encoding="utf-8"))
    spec["paths"]["/api/search"]["get"]["parameters"][1:1] = search_parameters()
    return jsonify(spec)


def search_parameters() -> list[dict]:
    """The facet filters and the sort of ``/api/search``, as OpenAPI parameters."""
    facets = [{"name": f.param, "in": "query", "description": f.help, "style": "form",
               "explode": True, "schema": {"type": "array", "items": {"type": "string"}}}
              for f in FACETS]
    return facets + [{"name": "sort", "in": "query",
                      "schema": {"type": "string", "enum": list(SORTS)}}]


@bp.get("/status")
def status():
    """Whether the server is ready: documents searchable, common words read ahead."""
    return jsonify(service().status())


@bp.get("/search")
def search():
    return jsonify(service().search(search_request(request.args)).to_json())


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    doc = service().document(doc_id) or abort(404, f"No document with id {doc_id!r}.")
    return jsonify(document_json(doc, service().copies_of(doc)))


@bp.get("/passages/<passage_id>")
def passage(passage_id: str):
    doc, p = find_passage(passage_id)
    return jsonify(passage_json(doc, p, permalink(p.passage_id), service().elsewhere(doc, p)))


def find_passage(passage_id: str):
    found = service().passage(passage_id)
    if found is None:
        abort(404, f"No passage with id {passage_id!r}.")
    return found


@bp.get("/cite/<passage_id>")
def cite(passage_id: str):
    fmt = request.args.get("format", "text") or "text"
    doc, p = find_passage(passage_id)
    try:
        body = citations.cite(doc, p, fmt, permalink(passage_id),
                              current_app.config["PRESSCUT"].archive_name)
    except citations.UnknownFormat as exc:
        raise BadParameter(str(exc)) from None
    content_type = citations.MEDIA_TYPES.get(fmt, "text/plain; charset=utf-8")
    headers = {}
    if request.args.get("download"):
        name = f"presscut-{passage_id}-{fmt}.{citations.EXTENSIONS.get(fmt, 'txt')}"
        headers["Content-Disposition"] = attachment(name, name)
    return Response(body, content_type=content_type, headers=headers)


@bp.get("/speakers/<path:name>")
def speaker(name: str):
    person = people.quoted(service(), name) or abort(404, f"No passage quotes {name!r}.")
    return jsonify(person_json(person, permalink))


@bp.get("/story")
def story():
    return jsonify(story_json(stories.follow(service(), search_request(request.args)),
                              permalink))


@bp.get("/entities/<path:name>")
def entity(name: str):
    """The passages naming them and, as ``quoted``, what they are quoted saying (under
    any speaker name of theirs: ``/api/speakers/<name>``'s object, or null)."""
    person = people.mentioned(service(), name) or abort(404, f"No document mentions {name!r}.")
    said = people.quoted(service(), person.name)
    return jsonify({**person_json(person, permalink),
                    "quoted": person_json(said, permalink) if said else None})


@bp.post("/batch")
def batch():
    """Many names or terms at once: for each, documents, outlets, first and last date."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("queries"), list):
        raise BadParameter('Send JSON like {"queries": ["Tokayev", "CSTO"]}, with any search '
                           "filters beside it.")
    queries = batch_queries(body["queries"])
    template = search_request(filters_from_json(body))
    long = long_requests()
    with long.turn():
        found = long.batch(queries, template)
    return jsonify({"results": [batch_row(row, q) for row, q in zip(found, queries, strict=True)]})


def batch_row(row, query: str) -> dict:
    """A batch result as JSON; a query that cannot be read says why, with no count."""
    if isinstance(row, BadQuery):
        return {"query": query, "total": 0, "outlets": [], "first_date": None,
                "last_date": None, "relaxed": None, "error": str(row)}
    return row.batch_json()


@bp.post("/verify")
def verify():
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict) or not isinstance(payload.get("quote"), str):
        raise BadParameter('Send JSON like {"quote": "the words to check"}.')
    quote = quote_to_check(payload["quote"])
    long = long_requests()
    with long.turn():
        check = long.check_quote(quote)
    return jsonify(verify_json(check))

