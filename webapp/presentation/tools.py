"""The working pages beside their twins: the quote check (``POST /api/verify``), many
names at once (``POST /api/batch``), what the archive holds (``/api/status``), and the
collections (``/api/collections``, one collection, and its printable dossier)."""

from __future__ import annotations

from flask import request, url_for

from core.facets import BY_NAME
from core.files import FORMAT_LABELS
from core.ids import document_id
from search import dossier
from search.collection_store import ALREADY
from search.results import SearchRequest
from search.verify import MAX_WORDS
from webapp.links import LONGEST_REQUEST_LINE, external, permalink

# Skipped files and copies listed on /status; /api/status has them all.
STATUS_LIST = 200


def verify_page(quote: str, data: dict | None) -> dict:
    """The quote as typed, and a link that repeats the check (none for a quote too long
    for an address: the page says to cite the passages instead)."""
    share_url = external("views.verify", quote=quote) if data and "verdict" in data else None
    if share_url and len(share_url.encode()) > LONGEST_REQUEST_LINE - 100:
        share_url = None
    return {"quote": quote, "share_url": share_url, "max_words": f"{MAX_WORDS:,}"}


def batch_page(text: str, data: dict | None, template: SearchRequest | None = None) -> dict:
    """The names as typed, each row's link to its results page (``urls``, in the rows'
    order) and the largest count (the bars' scale)."""
    rows = data.get("results", []) if data else []
    urls = [batch_url(row["query"], template) for row in rows] if template else []
    return {"text": text, "urls": urls,
            "top": max((r["total"] for r in rows), default=0) or 1}


def batch_url(query: str, template: SearchRequest) -> str:
    """The results page of one name of a batch, under the batch's filters."""
    filters = {BY_NAME[facet].param: list(values) for facet, values in template.filters}
    dates = {k: v for k, v in (("from", template.date_from), ("to", template.date_to)) if v}
    return url_for("views.search", q=query, **filters, **dates)


def status_page(data: dict) -> dict:
    """The copies the last run found, each linked to the document it copies."""
    copies = [{"copy": copy, "original": original,
               "url": url_for("views.document", doc_id=document_id(original))}
              for copy, original in data["last_run"].get("copies", {}).items()]
    return {"copies": copies, "shown": STATUS_LIST, "format_labels": FORMAT_LABELS,
            "json_url": url_for("api.status")}


def collections_page() -> dict:
    return {"json_url": url_for("collections_api.listing")}


def collection_page(data: dict) -> dict:
    """The exports offered, and after "Add to collection" of a passage it held already,
    the sentence saying so beside that passage."""
    return {"exports": {fmt: label for fmt, (_, _, label) in dossier.EXPORTS.items()},
            "already": request.args.get("already"),
            "already_said": ALREADY,
            "json_url": url_for("collections_api.show", collection_id=data["id"])}


def dossier_page(entries: list[dossier.Entry]) -> dict:
    """The list of sources, one a document, each with the numbers of its cuttings."""
    sources = [{"cited": s.cited(permalink), "cuts": s.cuts} for s in dossier.sources(entries)]
    return {"sources": sources, "permalink": permalink}
