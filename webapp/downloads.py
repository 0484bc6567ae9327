"""Results exports (CSV, JSON), streamed page by page: a request never holds more than
one page of documents, and stops at EXPORT_LIMIT documents. The first page is searched
before anything is streamed, so that a query the search page refuses is refused here too
(a 400 with its sentence), not broken off inside a response already sent as 200."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable, Iterator
from urllib.parse import quote

from flask import Response
from werkzeug.http import dump_options_header

from search.results import ResultDoc, SearchRequest, SearchResult, result_json
from search.service import SearchService
from webapp.links import absolute

EXPORT_LIMIT = 10_000  # documents in one export (README "Export")
PAGE = 100
CSV_COLUMNS = ("doc_id", "title", "outlet", "date", "language", "url", "score",
               "passage_id", "permalink", "passage")
Permalink = Callable[[str], str]
# A cell starting with one of these is a formula to a spreadsheet (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A CSV cell a spreadsheet shows rather than runs: text that would start a formula
    (``=HYPERLINK(...)`` in a document's title) gets a leading apostrophe, as OWASP advises."""
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def attachment(name: str, fallback: str) -> str:
    """The Content-Disposition of a download called ``name`` (RFC 6266): a name beyond
    ASCII goes in ``filename*`` as UTF-8 (RFC 5987), which browsers read, beside the ASCII
    ``fallback`` in ``filename``; a header is Latin-1 at most, and gunicorn refuses any
    other (the encoding is werkzeug's ``send_file``'s)."""
    if name.isascii():
        return dump_options_header("attachment", {"filename": name})
    return dump_options_header("attachment", {
        "filename": fallback, "filename*": "UTF-8''" + quote(name, safe="!#$&+-.^_`|~")})


def _pages(service: SearchService, req: SearchRequest) -> tuple[SearchResult, Iterator[ResultDoc]]:
    """The first page (for the totals) and every exported document, page by page."""
    first = service.search(dataclasses.replace(req, page=1, per_page=PAGE))
    wanted = min(first.total, EXPORT_LIMIT)

    def documents() -> Iterator[ResultDoc]:
        result, page = first, 1
        while True:
            yield from result.results[: max(0, wanted - (page - 1) * PAGE)]
            if page * PAGE >= wanted:
                return
            page += 1
            result = service.search(dataclasses.replace(req, page=page, per_page=PAGE))
    return first, documents()


def as_csv(service: SearchService, req: SearchRequest, permalink: Permalink) -> Iterator[str]:
    """One row per passage shown for each document, with the passage's permalink."""
    _, documents = _pages(service, req)
    return _csv_rows(documents, permalink)


def _csv_rows(documents: Iterator[ResultDoc], permalink: Permalink) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)

    def row(values) -> str:
        out.seek(0)
        out.truncate()
        writer.writerow([cell(v) for v in values])
        return out.getvalue()

    yield row(CSV_COLUMNS)
    for r in documents:
        for p in r.passages:
            yield row((r.doc_id, r.title, r.outlet, r.date or "", r.language, r.url or "",
                       r.score, p.passage_id, permalink(p.passage_id), p.text))


def as_json(service: SearchService, req: SearchRequest, permalink: Permalink) -> Iterator[str]:
    """The ``/api/search`` object with every exported document in ``results``."""
    first, documents = _pages(service, req)
    return _json_parts(first, documents, permalink)


def _json_parts(first: SearchResult, documents: Iterator[ResultDoc],
                permalink: Permalink) -> Iterator[str]:
    head = first.to_json()
    head.update(page=1, per_page=min(first.total, EXPORT_LIMIT), limit=EXPORT_LIMIT,
                truncated=first.total > EXPORT_LIMIT, results=[])
    text = json.dumps(head, ensure_ascii=False)
    opening, closing = text.split('"results": []')
    yield opening + '"results": ['
    for n, r in enumerate(documents):
        item = result_json(r)
        for p in item["passages"]:
            p["permalink"] = permalink(p["passage_id"])
        yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
    yield "]" + closing


FORMATS = {"csv": as_csv, "json": as_json}
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


# "relaxed": why "documents" counts those with some of the words, when it does.
BATCH_COLUMNS = ("query", "documents", "first_date", "last_date", "outlets", "results_url", "error",
                 "relaxed")


def batch_csv(rows: list[dict]) -> Response:
    """A batch's table as CSV: one row a query, its outlets as "Outlet: count; ..."."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(BATCH_COLUMNS)
    for r in rows:
        outlets = "; ".join(f"{o['value']}: {o['count']}" for o in r["outlets"])
        writer.writerow([cell(v) for v in (
            r["query"], r["total"], r["first_date"] or "", r["last_date"] or "", outlets,
            absolute(r["url"]), r.get("error", ""), (r["relaxed"] or {}).get("message", ""))])
    return Response(out.getvalue(), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": attachment("presscut-batch.csv", "presscut-batch.csv")})
