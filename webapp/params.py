"""Request arguments <-> search requests. All search state lives in the query string."""

from __future__ import annotations

from urllib.parse import quote, quote_plus, urlencode

from flask import current_app, g, request, url_for
from werkzeug.datastructures import MultiDict

from core.facets import FACETS, SORTS
from search.results import SearchRequest

MAX_PAGE = 10_000
# The characters werkzeug leaves unescaped in a query string it builds, and in a path part.
QUERY_SAFE = "!$'()*,/:;?@"
PATH_SAFE = "!$&'()*+,/:;=@"


class BadParameter(ValueError):
    """A URL parameter with a value we cannot use; the message is for a person."""


def search_request(args: MultiDict) -> SearchRequest:
    """Read and check the search parameters of a request."""
    settings = current_app.config["PRESSCUT"]
    filters = []
    for facet in FACETS:
        values = tuple(dict.fromkeys(facet.value_of(v) for v in args.getlist(facet.param)
                                     if v.strip()))
        for value in values:
            if facet.refusal(value):
                raise BadParameter(facet.refusal(value))
        if values:
            filters.append((facet.name, values))
    sort = args.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        raise BadParameter(f"sort must be one of {', '.join(SORTS)}, not {sort!r}.")
    page = _integer(args, "page", 1, 1, MAX_PAGE)
    per_page = _integer(args, "per_page", settings.per_page, 1, settings.max_per_page)
    return SearchRequest(q=args.get("q", ""), filters=tuple(filters), sort=sort,
                         page=page, per_page=per_page, date_from=args.get("from", "").strip(),
                         date_to=args.get("to", "").strip())


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
    given = args.to_dict(flat=False)
    base = _base(endpoint)
    if base is None:
        # A parameter given once is passed as a value, so it can fill a path (``/export.<fmt>``).
        return url_for(endpoint, **{key: values if len(values) > 1 else values[0]
                                    for key, values in given.items()})
    # A results page prints hundreds of links (one per facet value): building each through
    # the URL map was a third of the page's time. Encoded as url_for encodes a query.
    query = _query(given.items())
    return f"{base}?{query}" if query else base


def _base(endpoint: str) -> str | None:
    """The endpoint's URL without parameters, or None when its path takes some (once per
    request)."""
    bases = g.setdefault("presscut_bases", {})
    if endpoint not in bases:
        takes = any(rule.arguments for rule in current_app.url_map.iter_rules(endpoint))
        bases[endpoint] = None if takes else url_for(endpoint)
    return bases[endpoint]


def toggle_url(param: str, value: str) -> str:
    """URL that adds ``value`` to facet ``param``, or removes it when selected."""
    return toggle_urls(param, [value])[value]


def toggle_urls(param: str, values) -> dict[str, str]:
    """:func:`toggle_url` of each of ``values`` (a facet's hundred values), the other
    parameters encoded once; with the page left out, as a new filter starts at page 1."""
    current = request.args.getlist(param)
    others = MultiDict(request.args)
    others.pop(param, None)
    others.pop("page", None)
    rest = _query(others.to_dict(flat=False).items())
    adding = _query([(param, current)])
    base = _base("views.search")
    key = quote_plus(param, safe=QUERY_SAFE)
    urls = {}
    for value in values:
        if value in current:
            tail = _query([(param, [v for v in current if v != value])])
        else:
            # What urlencode writes for the one pair, without its machinery each time.
            tail = "&".join(filter(None, (adding, f"{key}={quote_plus(value, safe=QUERY_SAFE)}")))
        query = "&".join(filter(None, (rest, tail)))
        urls[value] = f"{base}?{query}" if query else base
    return urls


def path_urls(endpoint: str, arg: str, values) -> dict[str, str]:
    """``url_for(endpoint, **{arg: value})`` of each of ``values`` (a facet's hundred
    people), the URL map walked once: the value encoded as werkzeug encodes a path."""
    marker = "\x00"  # never in a value's encoding: werkzeug writes it %00
    head, tail = url_for(endpoint, **{arg: marker}).split(quote(marker), 1)
    return {value: f"{head}{quote(value, safe=PATH_SAFE)}{tail}" for value in values}


def _query(grouped) -> str:
    return urlencode([(key, value) for key, values in grouped for value in values],
                     safe=QUERY_SAFE)


def batch_queries(lines) -> list[str]:
    """The queries of a batch: one a line (or CSV row's first cell), blanks and repeats
    dropped, at most ``PRESSCUT_MAX_BATCH`` (a list of names for a story, not a crawl)."""
    queries = list(dict.fromkeys(q.strip() for q in lines if isinstance(q, str) and q.strip()))
    if not queries:
        raise BadParameter("Give at least one name or term, one a line.")
    most = current_app.config["PRESSCUT"].max_batch
    if len(queries) > most:
        raise BadParameter(f"At most {most:,} names or terms at once, not {len(queries):,}: "
                           "send them in several batches.")
    return queries


def quote_to_check(text: str) -> str:
    """A quote no longer than ``PRESSCUT_MAX_QUOTE_LENGTH`` (a check's cost grows with it)."""
    most = current_app.config["PRESSCUT"].max_quote_length
    if len(text) > most:
        raise BadParameter(f"The quote is {len(text):,} characters long; a check takes at "
                           f"most {most:,}. Check it a paragraph at a time.")
    return text


def filters_from_json(body: dict) -> MultiDict:
    """The search filters of a JSON body (``{"outlet": ["Turan"], "from": "2022-01"}``) as
    the URL parameters they stand for."""
    args = MultiDict()
    for name in [f.param for f in FACETS] + ["from", "to"]:
        value = body.get(name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                args.add(name, item)
            elif item is not None:
                raise BadParameter(f"{name!r} must be text or a list of text.")
    return args
