"""Which passages of a document a result shows, and the short fragments around their
hits that a person scans (the whole passage stays one click away)."""

from __future__ import annotations

from core.records import Document, Passage
from search import highlight
from search.results import PassageHit

FRAGMENTS = 2  # fragments a passage shows at most
BEFORE, AFTER = 70, 130  # characters of context around a hit: about two lines in all
ELLIPSIS = "…"


def best(doc: Document, marker: highlight.Marker, count: int) -> tuple[PassageHit, ...]:
    """The ``count`` passages with most of the query in them, best first (the lead if none)."""
    scored = []
    for order, passage in enumerate(doc.passages):
        text = doc.passage_text(passage)
        found = marker.find(text)
        if found.spans:
            scored.append(((-found.matched, -len(found.spans), order), passage, text, found))
    if not scored:
        lead = doc.passages[0]
        return (_hit(lead, doc.passage_text(lead), highlight.NOTHING),)
    scored.sort(key=lambda item: item[0])
    # Only the passages shown are rendered.
    return tuple(_hit(p, text, found) for _, p, text, found in scored[:count])


def marked(doc: Document, marker: highlight.Marker) -> tuple[PassageHit, ...]:
    """Every passage of ``doc``, with the marker's hits marked."""
    texts = [(p, doc.passage_text(p)) for p in doc.passages]
    return tuple(_hit(p, text, marker.find(text)) for p, text in texts)


def _hit(p: Passage, text: str, found: highlight.Found) -> PassageHit:
    return PassageHit(p.passage_id, text, highlight.render(text, found), p.start, p.end,
                      found.variants, fragment(text, found))


def fragment(text: str, found: highlight.Found) -> str:
    """Up to FRAGMENTS stretches of ``text`` around its first hits, as HTML with the hits
    marked and an ellipsis wherever text was left out."""
    if len(text) <= BEFORE + AFTER + 40:
        return highlight.render(text, found)
    windows = _windows(text, found.spans or ((0, 0),))[:FRAGMENTS]
    parts: list[str] = []
    for start, end in windows:
        inside = [(max(a, start) - start, min(b, end) - start) for a, b in found.spans
                  if a < end and b > start]
        parts.append(highlight.render(text[start:end], highlight.Found(tuple(inside), len(inside))))
    head = ELLIPSIS if windows[0][0] > 0 else ""
    tail = ELLIPSIS if windows[-1][1] < len(text) else ""
    return head + f" {ELLIPSIS} ".join(parts) + tail


def _windows(text: str, spans: tuple[tuple[int, int], ...]) -> list[tuple[int, int]]:
    """Stretches around each hit, cut at spaces, overlapping ones merged."""
    return highlight.merge([(_space_before(text, max(0, a - BEFORE)),
                             _space_after(text, min(len(text), b + AFTER))) for a, b in spans])


def _space_before(text: str, at: int) -> int:
    if at == 0:
        return 0
    found = text.find(" ", at)
    return found + 1 if 0 <= found < at + 20 else at


def _space_after(text: str, at: int) -> int:
    if at >= len(text):
        return len(text)
    found = text.rfind(" ", 0, at)
    return found if found > at - 20 else at
