"""Request arguments <-> search requests. All search state lives in the query string."""

from __future__ import annotations

import re

from flask import current_app, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.search import SORTS, SearchRequest

# URL parameter -> facet name in results.
FACET_PARAMS = {"outlet": "outlet", "lang": "language", "month": "month", "speaker": "speaker"}
_MONTH = re.compile(r"^\d{4}-\d{2}$")
MAX_PAGE = 10_000


class BadParameter(ValueError):
    """A URL parameter with a value we cannot use; the message is for a person."""


def search_request(args: MultiDict, *, all_pages: bool = False) -> SearchRequest:
    """Read and check the search parameters of a request."""
    settings = current_app.config["PRESSCUT"]
    filters = []
    for param, facet in FACET_PARAMS.items():
        values = tuple(dict.fromkeys(v.strip() for v in args.getlist(param) if v.strip()))
        if param == "month":
            for value in values:
                if not _MONTH.match(value):
                    raise BadParameter(f"month must look like 2022-01, not {value!r}.")
        if values:
            filters.append((facet, values))
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"sort must be one of {', '.join(SORTS)}, not {sort!r}.")
    page = _integer(args, "page", 1, 1, MAX_PAGE)
    per_page = _integer(args, "per_page", settings.per_page, 1, settings.max_per_page)
    if all_pages:
        page, per_page = 1, 1_000_000
    return SearchRequest(q=args.get("q", ""), filters=tuple(filters), sort=sort,
                         page=page, per_page=per_page)


def _integer(args: MultiDict, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParameter(f"{name} must be a whole number, not {raw!r}.") from None
    if not low <= value <= high:
        raise BadParameter(f"{name} must be between {low} and {high}, not {value}.")
    return value


def url_with(endpoint: str = "views.search", **changes) -> str:
    """The current URL's parameters with ``changes`` (None removes a parameter)."""
    args = MultiDict(request.args)
    for key, value in changes.items():
        args.pop(key, None)
        if value is None:
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            args.add(key, item)
    return url_for(endpoint, **args.to_dict(flat=False))


def toggle_url(param: str, value: str) -> str:
    """URL that adds ``value`` to facet ``param``, or removes it when selected."""
    current = request.args.getlist(param)
    values = [v for v in current if v != value] if value in current else [*current, value]
    return url_with(**{param: values or None, "page": None})
