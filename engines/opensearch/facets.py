"""Facets as aggregations: each facet counted over the matches under every *other*
facet's filter (as ``WhooshVersion.find`` counts them), the commonest values first, the
selected ones always; a facet with corrections (``Ask.corrections``) is counted over its
raw values and merged here, each document once per name."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from core.facets import BY_NAME
from engines.opensearch.mapping import FACET_FIELDS
from engines.protocol import Ask, ValueMap

ALL = 1_000_000  # a terms aggregation's size that lists every value


def _both(clauses) -> dict:
    return {"bool": {"filter": list(clauses)}}


def merged(raw: tuple[str, ...], corrections: ValueMap) -> dict[str, list[str]]:
    """Each name the corrections count with the raw values counted as it."""
    codes, names = corrections.mapping(raw)
    groups: dict[str, list[str]] = defaultdict(list)
    for value, code in zip(raw, codes, strict=True):
        if code >= 0:
            groups[names[code]].append(value)
    return groups


def raw_selected(name: str, values, corrections: ValueMap | None,
                 raw_values: Callable[[str], tuple[str, ...]]) -> set[str]:
    """The stored values a filter on ``values`` lets through."""
    if corrections is None:
        return set(values)
    groups = merged(raw_values(name), corrections)
    return {raw for value in values for raw in groups.get(value, ())}


def aggregations(ask: Ask, having: dict[str, dict], raw_values) -> dict:
    """The ``aggs`` of a search: ``dates`` under every filter, and each facet's values."""
    aggs = {"dates": {"filter": _both(having.values()),
                      "aggs": {"v": {"terms": {"field": "date", "size": ALL}}}}}
    for name in ask.facets:
        field = FACET_FIELDS[name]
        corrections = ask.corrections.get(name)
        inner: dict = {}
        if corrections is not None or BY_NAME[name].chronological:
            inner["v"] = {"terms": {"field": field, "size": ALL}}
            if corrections is not None:
                groups = {n: {"terms": {field: raws}} for n, raws in
                          merged(raw_values(name), corrections).items() if len(raws) > 1}
                if groups:
                    inner["groups"] = {"filters": {"filters": groups}}
        else:
            inner["v"] = {"terms": {"field": field, "size": ask.facet_values,
                                    "order": [{"_count": "desc"}, {"_key": "asc"}]}}
            selected = sorted(ask.filters.get(name, ()))
            if selected:
                inner["selected"] = {"terms": {"field": field, "size": len(selected),
                                               "include": selected}}
        others = [clause for facet, clause in having.items() if facet != name]
        aggs[name] = {"filter": _both(others), "aggs": inner}
    return aggs


def read(name: str, aggs: dict, ask: Ask, raw_values) -> tuple[tuple[str, int], ...]:
    """A facet's (value, count) pairs from the answer, in the order the pages list them."""
    answer = aggs[name]
    counts = {b["key"]: b["doc_count"] for b in answer["v"]["buckets"]}
    selected = ask.filters.get(name, frozenset())
    if BY_NAME[name].chronological:
        return tuple(sorted({**dict.fromkeys(selected, 0), **counts}.items()))
    corrections = ask.corrections.get(name)
    if corrections is not None:
        groups = answer.get("groups", {}).get("buckets", {})
        # Mapped over every value, as the aggregations were: corrections may merge a
        # value into another only when that one exists ("Tokayev" into the full name).
        name_of = {raw: n for n, raws in merged(raw_values(name), corrections).items() for raw in raws}
        names = defaultdict(int)
        for value, count in counts.items():
            if value in name_of and name_of[value] not in groups:
                names[name_of[value]] += count
        names.update({n: b["doc_count"] for n, b in groups.items() if b["doc_count"]})
        order = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[:ask.facet_values]
    else:
        chosen = answer.get("selected", {}).get("buckets", ())
        names = {**counts, **{b["key"]: b["doc_count"] for b in chosen}}
        order = list(counts.items())
    shown = {value for value, _ in order}
    order += sorted(((value, names.get(value, 0)) for value in selected if value not in shown),
                    key=lambda kv: (-kv[1], kv[0]))
    return tuple(order)


def date_counts(aggs: dict) -> dict[str, int]:
    """Matches per date under every filter ("" for undated)."""
    return {b["key"]: b["doc_count"] for b in aggs["dates"]["v"]["buckets"]}


def span(counted: dict[str, int]) -> tuple[str | None, str | None]:
    """The earliest and latest dates counted."""
    dated = sorted(day for day, count in counted.items() if day and count)
    return (dated[0], dated[-1]) if dated else (None, None)
