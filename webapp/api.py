"""The JSON API (../shared/CONTRACT.md). Every route returns what a page also shows: the
``*_data`` functions here make each answer's object, for the route and for its page
(``webapp.presentation`` adds what only the page needs)."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, request

from core.facets import FACETS, SORTS
from core.records import Document
from search import citations, dossier, people
from search import story as stories
from search.people import person_json
from search.results import SearchRequest, document_json, passage_json, verify_json
from search.service import BadQuery, PassageMoved, SearchService
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
    return jsonify(document_data(find_document(doc_id)))


def find_document(doc_id: str) -> Document:
    return service().document(doc_id) or abort(404, f"No document with id {doc_id!r}.")


def document_data(doc: Document) -> dict:
    return document_json(doc, service().copies_of(doc))


@bp.get("/passages/<passage_id>")
def passage(passage_id: str):
    return jsonify(passage_data(*find_passage(passage_id)))


def passage_data(doc, p) -> dict:
    return passage_json(doc, p, permalink(p.passage_id), service().elsewhere(doc, p))


def find_passage(passage_id: str):
    """The passage and its document; 404 otherwise, linking where a collection's cutting
    of it stands now when its document left the archive (:class:`PassageMoved`)."""
    found = service().passage(passage_id)
    if found is None:
        cutting = current_app.extensions["presscut.collections"].cutting(passage_id)
        same = cutting and dossier.identical(cutting, service())
        if same:
            raise PassageMoved(*same)
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
    return jsonify(story_data(search_request(request.args)))


def story_data(req: SearchRequest) -> dict:
    return stories.story_json(stories.follow(service(), req), permalink)


@bp.get("/entities/<path:name>")
def entity(name: str):
    """The passages naming them and, as ``quoted``, what they are quoted saying (under
    any speaker name of theirs: ``/api/speakers/<name>``'s object, or null)."""
    person = people.mentioned(service(), name) or abort(404, f"No document mentions {name!r}.")
    return jsonify(entity_data(person))


def entity_data(person: people.Person) -> dict:
    said = people.quoted(service(), person.name)
    return {**person_json(person, permalink),
            "quoted": person_json(said, permalink) if said else None}


def person_data(name: str) -> dict | None:
    """What the page of ``name`` shows: ``/api/entities/<name>``'s object when the archive
    names them, else ``/api/speakers/<name>``'s; None when it neither names nor quotes them."""
    named = people.mentioned(service(), name)
    if named:
        return entity_data(named)
    said = people.quoted(service(), name)
    return person_json(said, permalink) if said else None


@bp.post("/batch")
def batch():
    """Many names or terms at once: for each, documents, outlets, first and last date."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("queries"), list):
        raise BadParameter('Send JSON like {"queries": ["Tokayev", "CSTO"]}, with any search '
                           "filters beside it.")
    return jsonify(batch_data(batch_queries(body["queries"]),
                              search_request(filters_from_json(body))))


def batch_data(queries: list[str], template: SearchRequest) -> dict:
    long = long_requests()
    with long.turn():
        found = long.batch(queries, template)
    return {"results": [batch_row(row, q) for row, q in zip(found, queries, strict=True)]}


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
    return jsonify(verify_data(payload["quote"]))


def verify_data(quote: str) -> dict:
    """The check of ``quote`` (a long request: it waits for its turn)."""
    quote = quote_to_check(quote)
    long = long_requests()
    with long.turn():
        return verify_json(long.check_quote(quote))

