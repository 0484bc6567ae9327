"""The facets and sorts people filter and order by: one table, read by the index schema,
the search service, the URL parameters, the pages, the CLI and the OpenAPI description.

Adding a facet is one row here plus the value it takes from a document (``schema``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

# Languages a news archive is likely to hold, by ISO 639-1 code (what documents carry).
LANGUAGES = {
    "az": "Azerbaijani", "en": "English", "ru": "Russian", "tr": "Turkish", "kk": "Kazakh",
    "uz": "Uzbek", "ky": "Kyrgyz", "ka": "Georgian", "hy": "Armenian", "uk": "Ukrainian",
    "be": "Belarusian", "fa": "Persian", "ar": "Arabic", "de": "German", "fr": "French",
    "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "pl": "Polish",
    "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "he": "Hebrew", "hi": "Hindi",
}


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
    # Value -> what a person reads (and may type instead of the value).
    labels: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # The value of a document that has none (its count and filter like any other value).
    missing: str = ""

    def label_of(self, value: str) -> str:
        return self.labels.get(value, value)

    def refusal(self, value: str) -> str | None:
        """Why ``value`` cannot be one of this facet's (a sentence for a person), or None."""
        if self.pattern and not self.pattern.match(value):
            return f"{self.param} must look like {self.example}, not {value!r}."
        return None

    def value_of(self, typed: str) -> str:
        """The value a person meant: ``English`` or ``english`` is ``en``."""
        typed = typed.strip()
        by_label = {label.casefold(): value for value, label in self.labels.items()}
        return by_label.get(typed.casefold(), typed.lower() if typed.lower() in self.labels else typed)


FACETS: tuple[Facet, ...] = (
    Facet("outlet", "outlet", "Outlet", "outlet_facet", "Only this outlet (repeat for several)."),
    Facet("language", "lang", "Language", "lang",
          "Only this language, as a code or a name: en, English, az (repeat for several).",
          labels=LANGUAGES),
    Facet("month", "month", "Month", "month",
          "Only this month, YYYY-MM, or undated documents: undated (repeat for several).",
          re.compile(r"^(\d{4}-(0[1-9]|1[0-2])|undated)$"), "2022-01 (or undated)", chronological=True,
          labels={"undated": "Undated"}, missing="undated"),
    Facet("speaker", "speaker", "Speaker", "speaker_facet",
          "Only documents quoting this person or body (repeat for several)."),
    Facet("mentioned", "mentioned", "Mentioned", "mentioned_facet",
          "Only documents mentioning this person, organisation or place (repeat for several)."),
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
