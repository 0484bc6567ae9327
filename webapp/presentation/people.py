"""A person's page beside its JSON twin: ``/api/entities/<name>`` (the passages naming
them, and as ``quoted`` what they are quoted saying) or, for someone quoted and never
named, ``/api/speakers/<name>``. The page lists the quotes first, then the other passages
naming them, and counts both together: its lead sentence, dates, outlets and months."""

from __future__ import annotations

from collections import Counter

from flask import url_for

from search.people import spellings


def person_page(data: dict) -> dict:
    """The page's extras: ``person`` (everything listed, counted), ``quoted`` and
    ``others`` (the two lists), the lead sentence, the charts and the searches behind them."""
    named = data if data["facet"] == "mentioned" else None
    quoted = data["quoted"] if named else data
    said = quoted["passages"] if quoted else []
    seen = {p["passage_id"] for p in said}
    others = [p for p in named["passages"] if p["passage_id"] not in seen] if named else []
    listed = said + others
    # The documents behind the page: those naming them, else those quoting them.
    within = {"mentioned": data["name"]} if named else {"speaker": quoted["values"]}
    outlets = Counter(p["outlet"] for p in listed).most_common()
    kind = data["type"] or ""
    return {
        "person": {"kind": kind, "listed": len(listed),
                   "when": when(p["date"] for p in listed),
                   "spellings": spellings(data["name"], [p["text"] for p in listed])},
        "named": named, "quoted": quoted, "others": others,
        "them": "them" if kind in ("person", "") else "it",
        "summary": summary(named, quoted, len(others), len(outlets)),
        "truncated": any(p["truncated"] for p in (named, quoted) if p),
        "timeline": _month_bars(listed, within), "outlets": _outlet_bars(outlets, within),
        "search_within": within,
        "json_url": url_for("api.entity" if named else "api.speaker", name=data["name"]),
    }


def summary(named: dict | None, quoted: dict | None, others: int, outlets: int) -> str:
    """"Quoted in 2 passages of 1 document; named in 5 more, by 5 outlets"."""
    parts = [f"Quoted in {_count(len(quoted['passages']), 'passage')} of "
             f"{_count(quoted['documents'], 'document')}"] if quoted else []
    if named and quoted and others:
        parts.append(f"named in {others} more")
    elif named and not quoted:
        parts.append(f"Named in {_count(others, 'passage')} of "
                     f"{_count(named['documents'], 'document')}")
    return "; ".join(parts) + (f", by {_count(outlets, 'outlet')}" if outlets else "")


def when(dates) -> str:
    """When the passages are dated, at the dates' own precision: "on 2022-01-08" once
    when the first and the last agree (they said "2022-01 to 2022-01"), "in 2022-01" for
    a month, else "2022-01-07 to 2022-01-10"; empty when none is dated."""
    dated = sorted(d for d in dates if d)
    if not dated:
        return ""
    first, last = dated[0], dated[-1]
    if first != last:
        return f"{first} to {last}"
    return f"on {first}" if len(first) == 10 else f"in {first}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _month_bars(listed: list[dict], within: dict) -> list[dict]:
    months = sorted(Counter(p["date"][:7] for p in listed if p["date"]).items())
    top = max((n for _, n in months), default=0) or 1
    return [{"label": month, "count": n, "percent": round(100 * n / top),
             "url": url_for("views.search", **within, month=month)} for month, n in months]


def _outlet_bars(outlets: list[tuple[str, int]], within: dict) -> list[dict]:
    top = outlets[0][1] if outlets else 1
    return [{"label": outlet, "count": n, "percent": round(100 * n / top),
             "url": url_for("views.search", outlet=outlet, **within)} for outlet, n in outlets]
