"""The search page's extras beside ``/api/search``'s object: the form's state, each
facet value's toggle link, the active filters as chips, the charts' geometry, the page
links, the story link and, for a phrase no document holds, the same words unquoted."""

from __future__ import annotations

import dataclasses

from core.analysis import WORD, fold
from core.facets import BY_NAME, SORTS
from search import story
from search.results import ResultDoc, SearchRequest, count_verb
from search.service import BadQuery
from webapp.api import service
from webapp.params import path_urls, toggle_url, toggle_urls, url_with

# Values of a facet shown before "N more" (the API has them all).
FACET_SHOWN = 12
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


def form(req: SearchRequest) -> dict:
    """What the search box, the sort and the date range carry over: the request as asked."""
    hidden = [(BY_NAME[facet].param, value) for facet, values in req.filters for value in values]
    hidden += [(name, value) for name, value in (("from", req.date_from), ("to", req.date_to))
               if value]
    return {"req": req, "hidden_filters": hidden, "sorts": SORTS}


def refused(req: SearchRequest) -> dict:
    """The page of a query that cannot be read (its ``data`` is the API's error): a
    paragraph pasted as a query is offered to the quote checker (by POST, as long as it is)."""
    return {**form(req), "long_quote": len(req.q) > service().max_query_length}


def answered(req: SearchRequest, data: dict, hits: tuple[ResultDoc, ...]) -> dict:
    """The page of an answered search: ``data`` is ``/api/search``'s object, ``hits`` the
    same results as records (the story link follows their passages)."""
    return {**form(req), "FACET_SHOWN": FACET_SHOWN, "facets": facet_views(data["facets"]),
            "selected": selected_views(data), "charts": chart_views(data),
            "pages": page_links(data), "verb": count_verb(data["total"], bool(data["relaxed"])),
            "also_searched": also_searched(data["aliases"]),
            "json_url": url_with("api.search"), "story": story.likely(service(), hits[:5]),
            "unquoted": unquoted_offer(req, data)}


def also_searched(aliases: list[dict]) -> list[tuple[str, list[str]]]:
    """Each alias typed, with the other names it searched (not the one typed again)."""
    return [(a["typed"], [n for n in a["searched"] if _words(n) != _words(a["typed"])])
            for a in aliases]


def _words(name: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in WORD.findall(name))


def unquoted_offer(req: SearchRequest, data: dict) -> dict | None:
    """A quoted phrase no document holds: the same words unquoted, when some document has
    all of them (``{"q", "url", "count"}``), else None."""
    if data["total"] or '"' not in req.q:
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


def facet_views(facets: dict[str, list[dict]]) -> list[FacetView]:
    """Facets as the template shows them: each value knows its count and toggle URL."""
    views = []
    for name, values in facets.items():
        if not values:
            continue  # e.g. no speakers known yet: hide the facet
        urls = toggle_urls(BY_NAME[name].param, [v["value"] for v in values])
        # A speaker's quotes, a mentioned name's passages.
        people = (path_urls(PEOPLE[name], "name", [v["value"] for v in values])
                  if name in PEOPLE else {})
        views.append(FacetView(name, BY_NAME[name].label, BY_NAME[name].chronological, [
            FacetOption(v["value"], v["label"], v["count"], v["selected"], v.get("type", ""),
                        urls[v["value"]], people.get(v["value"]))
            for v in values]))
    return views


def selected_views(data: dict) -> list[dict]:
    """The filters in force, each with the link that removes it."""
    chips = [{"label": BY_NAME[facet].label, "value": BY_NAME[facet].label_of(value),
              "remove_url": toggle_url(BY_NAME[facet].param, value)}
             for facet, values in data["filters"].items() for value in values]
    if data["from"] or data["to"]:
        chips.append({"label": "Dates", "value": f"{data['from'] or '…'} – {data['to'] or '…'}",
                      "remove_url": url_with(**{"from": None, "to": None, "page": None})})
    return chips


def chart_views(data: dict) -> dict:
    """The timeline of the matches, and bars per outlet scaled to the largest count."""
    values = [v for v in data["facets"].get("outlet", ()) if v["count"]]
    top = max((v["count"] for v in values), default=0) or 1
    urls = toggle_urls(BY_NAME["outlet"].param, [v["value"] for v in values])
    return {"timeline": timeline_view(data["timeline"]),
            "outlet": [{"label": v["value"], "count": v["count"],
                        "percent": round(100 * v["count"] / top), "url": urls[v["value"]]}
                       for v in values]}


def timeline_view(line: dict | None) -> dict | None:
    """The matches over time as columns: each links to its day (a from-to range) or month."""
    if line is None or not any(b["count"] for b in line["bins"]):
        return None
    top = max(b["count"] for b in line["bins"])
    if line["unit"] == "day":
        link = lambda value: url_with(**{"from": value, "to": value, "page": None})  # noqa: E731
    else:
        link = toggle_urls("month", [b["value"] for b in line["bins"]]).__getitem__
    columns = [{"label": b["value"], "count": b["count"],
                "height": round(90 * b["count"] / top, 1) if b["count"] else 0,
                "x": index * 10, "url": link(b["value"])} for index, b in enumerate(line["bins"])]
    return {"unit": line["unit"], "columns": columns, "width": 10 * len(columns),
            "month_only": line["month_only"], "undated": line["undated"]}


def page_links(data: dict) -> dict:
    """How many pages of results, and the links to the ones around this one."""
    page, pages = data["page"], max(1, -(-data["total"] // data["per_page"]))
    return {
        "count": pages,
        "prev": url_with(page=page - 1) if page > 1 else None,
        "next": url_with(page=page + 1) if page < pages else None,
        "numbers": [{"number": n, "url": url_with(page=n), "current": n == page}
                    for n in range(max(1, page - 4), min(pages, page + 4) + 1)],
        # A page past the results (an old link, a typed number) says where they end.
        "past": {"last": pages, "url": url_with(page=pages)}
        if data["total"] and page > pages else None,
    }
