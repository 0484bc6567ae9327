"""The facets and sorts people filter and order by: one table, read by the index schema,
the search service, the URL parameters, the pages, the CLI and the OpenAPI description.

Adding a facet is one row here plus the value it takes from a document (``schema``).
"""

from __future__ import annotations

import dataclasses
import re


@dataclasses.dataclass(frozen=True)
class Facet:
    name: str  # in results and requests ("language")
    param: str  # in URLs and on the command line ("lang")
    label: str  # on the page
    column: str  # the index column holding its values (several joined by MULTI)
    help: str
    # Values a request may give (None: any); a bad one is answered with ``example``.
    pattern: re.Pattern[str] | None = None
    example: str = ""
    # Listed in value order, every value (for the timeline), rather than commonest first.
    chronological: bool = False


FACETS: tuple[Facet, ...] = (
    Facet("outlet", "outlet", "Outlet", "outlet_facet", "Only this outlet (repeat for several)."),
    Facet("language", "lang", "Language", "lang",
          "Only this language, as a code or a name: en, English, az (repeat for several)."),
    Facet("month", "month", "Month", "month", "Only this month, YYYY-MM (repeat for several).",
          re.compile(r"^\d{4}-\d{2}$"), "2022-01", chronological=True),
    Facet("speaker", "speaker", "Speaker", "speaker_facet",
          "Only documents quoting this person or body (repeat for several)."),
)
BY_NAME = {facet.name: facet for facet in FACETS}
BY_PARAM = {facet.param: facet for facet in FACETS}
# Several values of one document in one column cell.
MULTI = "\x1f"

SORTS: dict[str, str] = {
    "relevance": "Relevance",
    "-date": "Newest first",
    "date": "Oldest first",
}
