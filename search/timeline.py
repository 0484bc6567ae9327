"""The matches of a search over time: a bin per day when they span a few weeks, else a
bin per month, empty bins included (a gap in coverage is information too). Documents
dated only to a month are counted apart on a day timeline, never put on a day."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Mapping

# Matches spanning at most this many days are shown day by day.
DAY_SPAN = 62


@dataclasses.dataclass(frozen=True)
class Timeline:
    unit: str  # "day" or "month"
    bins: tuple[tuple[str, int], ...]  # (YYYY-MM-DD or YYYY-MM, documents), in order
    month_only: int = 0  # documents dated to a month, apart from a day timeline
    undated: int = 0

    def to_json(self) -> dict:
        return {"unit": self.unit, "bins": [{"value": v, "count": n} for v, n in self.bins],
                "month_only": self.month_only, "undated": self.undated}


def build(dates: Mapping[str, int]) -> Timeline:
    """The timeline of documents counted by their date ("" undated, "YYYY-MM" a month)."""
    undated = dates.get("", 0)
    days = {d: n for d, n in dates.items() if len(d) == 10 and n}
    months = {d: n for d, n in dates.items() if len(d) == 7 and n}
    if days:
        first, last = dt.date.fromisoformat(min(days)), dt.date.fromisoformat(max(days))
        # Month-dated documents stay apart, if they fall within the months the days span.
        inside = all(min(days)[:7] <= m <= max(days)[:7] for m in months)
        if (last - first).days < DAY_SPAN and inside:
            span = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
            return Timeline("day", tuple((d.isoformat(), days.get(d.isoformat(), 0)) for d in span),
                            sum(months.values()), undated)
    per_month: Counter[str] = Counter()
    for date, n in {**days, **months}.items():
        per_month[date[:7]] += n
    if not per_month:
        return Timeline("month", (), 0, undated)
    return Timeline("month", tuple((m, per_month.get(m, 0)) for m in _months(min(per_month),
                                                                            max(per_month))),
                    0, undated)


def _months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found
