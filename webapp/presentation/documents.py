"""A document's and a passage's pages beside ``/api/documents/<id>`` and
``/api/passages/<id>``: the in-document search's marks, the paragraphs around a passage,
its citations, a link into the original at the passage, and head metadata for reference
managers; the story's page beside ``/api/story``."""

from __future__ import annotations

from urllib.parse import quote

from flask import url_for

from core.records import Document, Passage
from search import citations
from search.service import BadQuery
from webapp.api import service
from webapp.links import external, permalink
from webapp.params import url_with
from webapp.references import archive_name, head_tags


def document_page(doc: Document, q: str) -> dict:
    """Every paragraph with ``q``'s hits marked (``marked``; a query that cannot be read
    says why as ``error``, its paragraphs unmarked)."""
    try:
        marked, error = service().marked_passages(doc, q), None
    except BadQuery as exc:
        marked, error = service().marked_passages(doc, ""), str(exc)
    link = external("views.document", doc_id=doc.doc_id)
    return {"marked": marked, "q": q, "error": error, "permalink": link,
            "head_tags": head_tags(doc, None, link),
            "json_url": url_for("api.document", doc_id=doc.doc_id)}


def passage_page(doc: Document, p: Passage) -> dict:
    """The paragraph before and after, the citations in every format, and the original
    page's address scrolled to the passage."""
    index = doc.passages.index(p)
    link = permalink(p.passage_id)
    cites = [{"format": fmt, "label": citations.LABELS[fmt],
              "text": citations.cite(doc, p, fmt, link, archive_name()),
              "download": url_for("api.cite", passage_id=p.passage_id, format=fmt, download=1)}
             for fmt in citations.FORMATS]
    return {"before": [doc.passage_text(x) for x in doc.passages[max(0, index - 1) : index]],
            "after": [doc.passage_text(x) for x in doc.passages[index + 1 : index + 2]],
            "cites": cites, "fragment_url": fragment_url(doc, p),
            "head_tags": head_tags(doc, p, link), "unapi": external("references.unapi"),
            "json_url": url_for("api.passage", passage_id=p.passage_id)}


def fragment_url(doc: Document, p: Passage) -> str | None:
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


def story_page(q: str) -> dict:
    """The query the story follows, and the way back to its results."""
    return {"q": q, "json_url": url_with("api.story")}
