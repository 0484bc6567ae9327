"""HTML pages. Each renders the object its JSON twin in ``api`` returns for the same
request, as ``data``, beside the extras ``webapp.presentation`` builds (and no others)."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)

from search import people
from search.service import BadQuery
from search.verify import QuoteTooLong
from webapp import downloads as exports
from webapp import feeds
from webapp.api import (
    batch_data,
    document_data,
    find_document,
    find_passage,
    passage_data,
    person_data,
    service,
    story_data,
    verify_data,
)
from webapp.errors import error_json
from webapp.limits import long_requests
from webapp.links import external, permalink
from webapp.params import BadParameter, batch_queries, search_request
from webapp.presentation import render, results, tools
from webapp.presentation.documents import document_page, passage_page, story_page
from webapp.presentation.people import person_page

bp = Blueprint("views", __name__)


@bp.get("/")
def search():
    req = search_request(request.args)
    try:
        result = service().search(req)
    except BadQuery as exc:
        return render("search.html", error_json(str(exc)), results.refused(req)), 400
    data = result.to_json()
    return render("search.html", data, results.answered(req, data, result.results))


@bp.get("/export.<fmt>")
def export(fmt: str):
    """The results of the current query, filters and sort as CSV or JSON, streamed."""
    if fmt not in exports.FORMATS:
        abort(404, "Export as .csv or .json.")
    req = search_request(request.args)
    long = long_requests()
    name = f"presscut-results.{fmt}"
    return long.streaming(lambda: exports.FORMATS[fmt](long, req, permalink),
                          content_type=exports.MEDIA_TYPES[fmt],
                          headers={"Content-Disposition": exports.attachment(name, name)})


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    doc = find_document(doc_id)
    return render("document.html", document_data(doc),
                  document_page(doc, request.args.get("q", "")))


@bp.get("/p/<passage_id>")
def passage(passage_id: str):
    doc, p = find_passage(passage_id)
    return render("passage.html", passage_data(doc, p), passage_page(doc, p))


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    """The quote checker; ``GET /verify?quote=...`` is the same check as a link to share."""
    quote = (request.form if request.method == "POST" else request.args).get("quote", "")
    data = None
    if quote.strip():
        try:
            data = verify_data(quote)
        except (BadQuery, BadParameter, QuoteTooLong) as exc:
            data = error_json(str(exc))
    status = 400 if data and "error" in data else 200
    return render("verify.html", data, tools.verify_page(quote, data)), status


@bp.get("/status")
def status():
    """What the archive holds and what the last indexing run did, per format."""
    data = service().status()
    return render("status.html", data, tools.status_page(data))


@bp.route("/batch", methods=["GET", "POST"])
def batch():
    """Many names or terms at once (pasted, or a CSV's first column): for each, how many
    documents, in which outlets, first and last date, and a link to its results."""
    if request.method == "GET":
        return render("batch.html", None, tools.batch_page("", None))
    text = request.form.get("queries", "")
    lines = text.splitlines()
    upload = request.files.get("file")
    if upload and upload.filename:
        lines += _uploaded_terms(upload.read())
    try:
        queries = batch_queries(lines)
        template = search_request(request.form)
    except BadParameter as exc:
        return render("batch.html", error_json(str(exc)), tools.batch_page(text, None)), 400
    data = batch_data(queries, template)
    extras = tools.batch_page("\n".join(queries), data, template)
    if request.form.get("format") == "csv":
        return exports.batch_csv([{**row, "url": url} for row, url
                                  in zip(data["results"], extras["urls"], strict=True)])
    return render("batch.html", data, extras)


def _uploaded_terms(data: bytes) -> list[str]:
    """A CSV's (or a text file's) first cell of each row; a header named like one is dropped."""
    text = data.decode("utf-8-sig", errors="replace")
    cells = [row[0] for row in csv.reader(io.StringIO(text)) if row]
    if cells and cells[0].strip().lower() in ("query", "term", "name", "names", "terms"):
        cells = cells[1:]
    return cells


@bp.get("/speaker/<path:name>")
def speaker(name: str):
    """What one person or body is quoted saying: on their one page (``entity``)."""
    return redirect(url_for("views.entity", name=people.name_of(service(), name),
                            _anchor="quoted"))


@bp.get("/entity/<path:name>")
def entity(name: str):
    """One person's (organisation's, place's) page, whichever way the archive has them:
    what they are quoted saying, then every other passage naming them, by date."""
    known = people.name_of(service(), name)
    if known != name:  # "Tokayev" is Kasym Jomart Tokayev: one person, one page
        return redirect(url_for("views.entity", name=known))
    data = person_data(name) or abort(
        404, f"No passage of the archive quotes or names {name!r}.")
    return render("person.html", data, person_page(data))


@bp.get("/story")
def story():
    """The same statement in several outlets, one line each: who carried it, and when."""
    req = search_request(request.args)
    return render("story.html", story_data(req), story_page(req.q))


@bp.get("/feed.atom")
def feed():
    """The search as an Atom 1.0 feed of its newest matching documents (``feeds``)."""
    return Response(feeds.atom(service(), search_request(request.args)),
                    mimetype="application/atom+xml")


bp.app_template_filter("xml_text")(feeds.xml_text)


@bp.get("/opensearch.xml")
def opensearch():
    xml = render_template("opensearch.xml", search_url=external("views.search"),
                          json_url=external("api.search"))
    return Response(xml, mimetype="application/opensearchdescription+xml")
