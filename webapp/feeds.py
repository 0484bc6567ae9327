"""A search as an Atom 1.0 feed of its newest matching documents, for a feed reader; the
feed is as new as the last indexing run.

Dates keep their precision here too: only a document dated to the day has a
``<published>``. One dated to a month says its month in the entry, and is ``<updated>``
(which Atom requires) on the day the archive read it, never on an invented day of its
month."""

from __future__ import annotations

import dataclasses
import re

from flask import render_template

from core.facets import BY_NAME
from search.results import ResultDoc, SearchRequest
from search.service import SearchService
from webapp.links import absolute, external
from webapp.params import url_with

# Entries of a search's feed: the newest matching documents.
FEED_ENTRIES = 50
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def atom(service: SearchService, request: SearchRequest) -> str:
    """The feed of ``request``'s newest matches, as XML."""
    req = dataclasses.replace(request, sort="-date", page=1, per_page=FEED_ENTRIES)
    result = service.search(req)
    built = service.status()["last_run"].get("finished") or "1970-01-01T00:00:00+00:00"
    entries = [_entry(service, r, built) for r in result.results]
    filters = ", ".join(f"{BY_NAME[f].label}: {' or '.join(map(BY_NAME[f].label_of, v))}"
                        for f, v in req.filters)
    title = " · ".join(filter(None, [f"“{req.q}”" if req.q else "All documents", filters]))
    return render_template("feed.xml", title=f"{title} — Presscut", entries=entries,
                           self_url=absolute(url_with("views.feed", page=None)),
                           page_url=absolute(url_with("views.search", page=None)),
                           updated=built)


def _entry(service: SearchService, r: ResultDoc, built: str) -> dict:
    summary = r.passages[0].text if r.passages else ""
    entry = {"id": external("views.document", doc_id=r.doc_id), "title": r.title, "url": r.url,
             "outlet": r.outlet, "authors": r.authors or (r.outlet,), "published": None}
    if r.date and len(r.date) == 10:
        entry["published"] = entry["updated"] = f"{r.date}T00:00:00Z"
        return {**entry, "summary": summary}
    doc = service.document(r.doc_id)
    read = f"{doc.indexed}T00:00:00Z" if doc is not None and doc.indexed else built
    said = f"Dated {r.date}, no day given." if r.date else "Undated."
    return {**entry, "updated": read, "summary": f"{said} {summary}".strip()}


def xml_text(value: str) -> str:
    """Text with the control characters XML 1.0 forbids taken out (a corpus may hold them)."""
    return _XML_FORBIDDEN.sub("", str(value))
