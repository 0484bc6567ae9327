"""Dates at the precision their source gives: a document dated "2022-01" is a month,
one dated "2022-01-07" a day. A date query or range finds every document whose date
falls wholly inside it: ``date:2022`` finds the months and days of 2022, and
``date:[2022-01-08 TO 2022-01-31]`` finds the days in range but not a document dated
only "2022-01" (it may be from the 3rd: a citing tool does not claim what it cannot know).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
FORMAT_HELP = "Dates look like 2022, 2022-01 or 2022-01-07."


class BadDate(ValueError):
    """A date a person typed that is not one; the message says what would be."""


def span(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date of any precision stands for."""
    found = _DATE.match(value.strip())
    if not found:
        raise BadDate(f"{value!r} is not a date. {FORMAT_HELP}")
    year, month, day = (int(part) if part else None for part in found.groups())
    try:
        if day is not None:
            first = last = dt.date(year, month, day)
        elif month is not None:
            first = dt.date(year, month, 1)
            last = dt.date(year, month, calendar.monthrange(year, month)[1])
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    except ValueError:
        raise BadDate(f"{value!r} is not a day of the calendar. {FORMAT_HELP}") from None
    return first, last


def in_order(start: str | None, end: str | None) -> None:
    """Refuse a range that ends before it starts: it would match nothing, and a person
    would read "nothing in those days" rather than "the dates are the wrong way round"."""
    if start and end and span(start)[0] > span(end)[1]:
        raise BadDate(f"The dates are the wrong way round: {start} is after {end}.")


def within(values: Iterable[str], start: str | None, end: str | None,
           start_excluded: bool = False, end_excluded: bool = False) -> list[str]:
    """The dates among ``values`` that fall wholly between ``start`` and ``end`` (either
    may be open); an excluded bound leaves out everything its own date stands for."""
    in_order(start, end)
    low = high = None
    if start:
        first, last = span(start)
        low = last + dt.timedelta(days=1) if start_excluded else first
    if end:
        first, last = span(end)
        high = first - dt.timedelta(days=1) if end_excluded else last
    inside = []
    for value in values:
        try:
            first, last = span(value)
        except BadDate:  # undated documents carry an empty date
            continue
        if (low is None or first >= low) and (high is None or last <= high):
            inside.append(value)
    return inside
