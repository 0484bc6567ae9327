"""HTML pages. Each renders the same result objects as its JSON twin in ``api``."""

from __future__ import annotations

import csv
import dataclasses
import io
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, url_for

from core.facets import BY_NAME, SORTS
from core.files import FORMAT_LABELS
from core.ids import document_id
from search import citations, people
from search import story as stories
from search.results import SearchResult, document_json, match_json, verify_json
from search.service import BadQuery
from search.verify import MAX_WORDS, QuoteTooLong
from webapp import downloads as exports
from webapp import feeds
from webapp.api import batch_row, find_passage, service
from webapp.limits import long_requests
from webapp.links import LONGEST_REQUEST_LINE, external, permalink
from webapp.params import (
    BadParameter,
    batch_queries,
    path_urls,
    quote_to_check,
    search_request,
    toggle_url,
    toggle_urls,
    url_with,
)
from webapp.references import archive_name, head_tags

bp = Blueprint("views", __name__)
# Skipped files and copies listed on /status; /api/status has them all.
STATUS_LIST = 200
# Values of a facet shown before "N more" (the API has them all).
FACET_SHOWN = 12


@bp.get("/")
def search():
    req = search_request(request.args)
    hidden = [(BY_NAME[facet].param, value) for facet, values in req.filters for value in values]
    hidden += [(name, value) for name, value in (("from", req.date_from), ("to", req.date_to))
               if value]
    try:
        result = service().search(req)
    except BadQuery as exc:
        # A paragraph pasted as a query: the quote checker takes it (by POST, as long as it is).
        long_quote = len(req.q) > current_app.config["PRESSCUT"].max_query_length
        return render_template("search.html", req=req, result=None, error=str(exc),
                               facets=[], selected=[], charts=None, sorts=SORTS,
                               hidden_filters=hidden, long_quote=long_quote), 400
    return render_template("search.html", req=req, result=result, error=None, FACET_SHOWN=FACET_SHOWN,
                           facets=facet_views(result), selected=selected_views(result),
                           charts=chart_views(result), hidden_filters=hidden, sorts=SORTS,
                           json_url=url_with("api.search"), pages=page_links(result),
                           story=stories.likely(service(), result.results[:5]),
                           unquoted=unquoted_offer(result))


def unquoted_offer(result: SearchResult) -> dict | None:
    """A quoted phrase no document holds: the same words unquoted, when some document has
    all of them (``{"q", "url", "count"}``), else None."""
    req = result.request
    if result.total or '"' not in req.q:
        return None
    words = " ".join(req.q.replace('"', " ").split())
    try:
        found = service().search(dataclasses.replace(req, q=words, page=1, per_page=0,
                                                     facets=()))
    except BadQuery:
        return None
    # The documents with every word, not those a relaxed search adds with some of them.
    every = found.relaxed.complete if found.relaxed else found.total
    if not every:
        return None
    return {"q": words, "url": url_with(q=words, page=None), "count": every}


# The page of each value of these facets: what a speaker is quoted saying, where a name is.
PEOPLE = {"speaker": "views.speaker", "mentioned": "views.entity"}


@dataclasses.dataclass(frozen=True, slots=True)
class FacetOption:
    """One value of a facet as the results page lists it (an object, not a dict: Jinja
    looks an attribute up first, and a page lists a few hundred values)."""

    value: str
    label: str
    count: int
    selected: bool
    kind: str
    toggle_url: str
    person_url: str | None


@dataclasses.dataclass(frozen=True, slots=True)
class FacetView:
    name: str
    label: str
    chronological: bool
    options: list[FacetOption]


def facet_views(result: SearchResult) -> list[FacetView]:
    """Facets as the template shows them: each value knows its count and toggle URL."""
    views = []
    for name, values in result.facets.items():
        if not values:
            continue  # e.g. no speakers known yet: hide the facet
        urls = toggle_urls(BY_NAME[name].param, [v.value for v in values])
        # A speaker's quotes, a mentioned name's passages.
        people = (path_urls(PEOPLE[name], "name", [v.value for v in values])
                  if name in PEOPLE else {})
        views.append(FacetView(name, BY_NAME[name].label, BY_NAME[name].chronological, [
            FacetOption(v.value, v.label or v.value, v.count, v.selected, v.kind, urls[v.value],
                        people.get(v.value))
            for v in values]))
    return views


def selected_views(result: SearchResult) -> list[dict]:
    req = result.request
    chips = [{"label": BY_NAME[facet].label, "value": BY_NAME[facet].label_of(value),
              "remove_url": toggle_url(BY_NAME[facet].param, value)}
             for facet, values in req.filters for value in values]
    if req.date_from or req.date_to:
        chips.append({"label": "Dates", "value": f"{req.date_from or '…'} – {req.date_to or '…'}",
                      "remove_url": url_with(**{"from": None, "to": None, "page": None})})
    return chips


def chart_views(result: SearchResult) -> dict:
    """The timeline of the matches, and bars per outlet scaled to the largest count."""
    def bars(name: str) -> list[dict]:
        values = result.facets.get(name, ())
        top = max((v.count for v in values), default=0) or 1
        urls = toggle_urls(BY_NAME[name].param, [v.value for v in values if v.count])
        return [{"label": v.value, "count": v.count, "percent": round(100 * v.count / top),
                 "url": urls[v.value]} for v in values if v.count]
    return {"timeline": timeline_view(result), "outlet": bars("outlet")}


def timeline_view(result: SearchResult) -> dict | None:
    """The matches over time as columns: each links to its day (a from-to range) or month."""
    line = result.timeline
    if line is None or not any(n for _, n in line.bins):
        return None
    top = max(n for _, n in line.bins)
    if line.unit == "day":
        link = lambda value: url_with(**{"from": value, "to": value, "page": None})  # noqa: E731
    else:
        link = toggle_urls("month", [value for value, _ in line.bins]).__getitem__
    columns = [{"label": value, "count": n, "height": round(90 * n / top, 1) if n else 0,
                "x": index * 10, "url": link(value)} for index, (value, n) in enumerate(line.bins)]
    return {"unit": line.unit, "columns": columns, "width": 10 * len(columns),
            "month_only": line.month_only, "undated": line.undated}


def page_links(result: SearchResult) -> dict:
    page, pages = result.request.page, result.pages
    return {
        "prev": url_with(page=page - 1) if page > 1 else None,
        "next": url_with(page=page + 1) if page < pages else None,
        "numbers": [{"number": n, "url": url_with(page=n), "current": n == page}
                    for n in range(max(1, page - 4), min(pages, page + 4) + 1)],
    }


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
    doc = service().document(doc_id) or abort(404, f"No document with id {doc_id!r}.")
    q = request.args.get("q", "")
    try:
        passages = service().marked_passages(doc, q)
        error = None
    except BadQuery as exc:
        passages, error = service().marked_passages(doc, ""), str(exc)
    link = external("views.document", doc_id=doc_id)
    return render_template("document.html", doc=doc, meta=doc.metadata, passages=passages,
                           q=q, error=error, json=document_json(doc, service().copies_of(doc)),
                           json_url=url_for("api.document", doc_id=doc_id), permalink=link,
                           head_tags=head_tags(doc, None, link))


@bp.get("/p/<passage_id>")
def passage(passage_id: str):
    doc, p = find_passage(passage_id)
    index = doc.passages.index(p)
    link = permalink(passage_id)
    cites = [{"format": fmt, "label": citations.LABELS[fmt],
              "text": citations.cite(doc, p, fmt, link, archive_name()),
              "download": url_for("api.cite", passage_id=passage_id, format=fmt, download=1)}
             for fmt in citations.FORMATS]
    return render_template(
        "passage.html", doc=doc, meta=doc.metadata, passage=p, text=doc.passage_text(p),
        before=[doc.passage_text(x) for x in doc.passages[max(0, index - 1) : index]],
        after=[doc.passage_text(x) for x in doc.passages[index + 1 : index + 2]],
        cites=cites, permalink=link, fragment_url=fragment_url(doc, p),
        head_tags=head_tags(doc, p, link), unapi=external("references.unapi"),
        elsewhere=[match_json(m) for m in service().elsewhere(doc, p)],
        json_url=url_for("api.passage", passage_id=passage_id))


def fragment_url(doc, p) -> str | None:
    """The original article's URL with a text fragment that scrolls to the passage:
    start and end words, with a prefix or suffix where those alone are not unique."""
    if not doc.metadata.url:
        return None
    words = doc.passage_text(p).split()
    before = doc.text[: p.start].split()[-3:]
    after = doc.text[p.end :].split()[:3]
    start, end = " ".join(words[:4]), " ".join(words[-4:])
    parts = [_fragment(start)]
    if len(words) > 8:
        parts.append(_fragment(end))
    else:
        parts[0] = _fragment(" ".join(words))
    if before and doc.text.count(start) > 1:
        parts.insert(0, _fragment(" ".join(before)) + "-")
    if after and len(words) > 8 and doc.text.count(end) > 1:
        parts.append("-" + _fragment(" ".join(after)))
    return f"{doc.metadata.url}#:~:text={','.join(parts)}"


def _fragment(words: str) -> str:
    # In a text directive "-", "," and "&" are syntax: they must be percent-encoded.
    return quote(words, safe="").replace("-", "%2D")


@bp.route("/verify", methods=["GET", "POST"])
def verify():
    """The quote checker; ``GET /verify?quote=...`` is the same check as a link to share."""
    quote_text = (request.form if request.method == "POST" else request.args).get("quote", "")
    check, error = None, None
    if quote_text.strip():
        try:
            quote_to_check(quote_text)
            long = long_requests()
            with long.turn():
                check = verify_json(long.check_quote(quote_text))
        except (BadQuery, BadParameter, QuoteTooLong) as exc:
            error = str(exc)
    share_url = external("views.verify", quote=quote_text) if check else None
    if share_url and len(share_url.encode()) > LONGEST_REQUEST_LINE - 100:
        share_url = None  # the page says to cite the passages instead
    return render_template("verify.html", quote=quote_text, check=check, error=error,
                           max_words=f"{MAX_WORDS:,}",
                           share_url=share_url), 400 if error else 200


@bp.get("/status")
def status():
    """What the archive holds and what the last indexing run did, per format."""
    status = service().status()
    copies = [{"copy": copy, "original": original,
               "url": url_for("views.document", doc_id=document_id(original))}
              for copy, original in status["last_run"].get("copies", {}).items()]
    return render_template("status.html", status=status, copies=copies, shown=STATUS_LIST,
                           json_url=url_for("api.status"), format_labels=FORMAT_LABELS)


@bp.route("/batch", methods=["GET", "POST"])
def batch():
    """Many names or terms at once (pasted, or a CSV's first column): for each, how many
    documents, in which outlets, first and last date, and a link to its results."""
    if request.method == "GET":
        return render_template("batch.html", rows=None, text="", error=None)
    text = request.form.get("queries", "")
    lines = text.splitlines()
    upload = request.files.get("file")
    if upload and upload.filename:
        lines += _uploaded_terms(upload.read())
    try:
        queries = batch_queries(lines)
        template = search_request(request.form)
    except BadParameter as exc:
        return render_template("batch.html", rows=None, text=text, error=str(exc)), 400
    long = long_requests()
    with long.turn():
        found = long.batch(queries, template)
    rows = [_batch_view(row, q, template) for row, q in zip(found, queries, strict=True)]
    if request.form.get("format") == "csv":
        return exports.batch_csv(rows)
    top = max((r["total"] for r in rows), default=0) or 1
    return render_template("batch.html", rows=rows, text="\n".join(queries), error=None, top=top)


def _uploaded_terms(data: bytes) -> list[str]:
    """A CSV's (or a text file's) first cell of each row; a header named like one is dropped."""
    text = data.decode("utf-8-sig", errors="replace")
    cells = [row[0] for row in csv.reader(io.StringIO(text)) if row]
    if cells and cells[0].strip().lower() in ("query", "term", "name", "names", "terms"):
        cells = cells[1:]
    return cells


def _batch_view(row, query: str, template) -> dict:
    view = batch_row(row, query)
    filters = {BY_NAME[facet].param: list(values) for facet, values in template.filters}
    view["url"] = url_for("views.search", q=query, **filters,
                          **{k: v for k, v in (("from", template.date_from),
                                               ("to", template.date_to)) if v})
    return view


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
    page = people.page(service(), name) or abort(
        404, f"No passage of the archive quotes or names {name!r}.")
    person = page.person
    # The documents behind the page: those naming them, else those quoting them.
    within = {"mentioned": person.name} if page.named else {"speaker": list(page.spoken_as)}
    top = max((n for _, n in person.months), default=0) or 1
    timeline = [{"label": month, "count": n, "percent": round(100 * n / top),
                 "url": url_for("views.search", **within, month=month)}
                for month, n in person.months]
    return render_template("person.html", page=page, timeline=timeline, search_within=within,
                           json_url=url_for("api.entity" if page.named else "api.speaker",
                                            name=person.name))


@bp.get("/story")
def story():
    """The same statement in several outlets, one line each: who carried it, and when."""
    req = search_request(request.args)
    return render_template("story.html", req=req, story=stories.follow(service(), req),
                           json_url=url_with("api.story"))


@bp.get("/feed.atom")
def feed():
    """The search as an Atom 1.0 feed of its newest matching documents (``feeds``)."""
    return Response(feeds.atom(service(), search_request(request.args)),
                    mimetype="application/atom+xml")


bp.app_template_filter("xml_text")(feeds.xml_text)


@bp.get("/opensearch.xml")
def opensearch():
    xml = render_template("opensearch.xml",
                          search_url=external("views.search"),
                          json_url=external("api.search"))
    return Response(xml, mimetype="application/opensearchdescription+xml")
