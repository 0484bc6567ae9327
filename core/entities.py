"""What kind of thing a name is (person, organisation or place), by the rules of
``data/entities.toml``: the indexer types the names it finds with it, the search side
the names a corpus's corrections retype."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping

from core import data as shipped
from core.names import nominative

KINDS = ("person", "organisation", "place")
# Words that join the capitalised words of one name ("Ministry of Foreign Affairs").
JOINERS = {"of", "de", "al", "ul"}
# Azerbaijani case endings after a surname without an apostrophe ("Tokayevin").
CASE_ENDINGS = ("nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "a", "ə", "ya", "yə",
                 "da", "də", "dan", "dən", "la", "lə")

@functools.cache
def _data() -> dict:
    return shipped.toml("entities.toml")


@functools.cache
def version() -> str:
    """Changes when the rules do (part of every document's fingerprint: asked once a
    document, so read once)."""
    return (f"{_data()['version']}.{shipped.toml('inflection.toml')['version']}."
            f"{shipped.toml('gazetteer.toml')['version']}")


@dataclasses.dataclass(frozen=True)
class _Rules:
    types: Mapping[str, str]
    organisation: frozenset[str]
    place: frozenset[str]
    place_endings: tuple[str, ...]
    person_endings: tuple[str, ...]
    not_names: frozenset[str]
    not_in_names: frozenset[str]
    # The gazetteer's names by the language of text they are looked up in, and the
    # types table's own (looked up in any).
    gazetteer: Mapping[str, Mapping[str, str]]
    listed: Mapping[str, str]

    def organisation_word(self, word: str) -> bool:
        # A long enough stem with a case ending (Şurası, Партии); a short one only as is
        # ("Дума", not "Думаю"). Looked up by each prefix: a word is a few letters, the
        # table a few hundred stems.
        return word in self.organisation or any(
            word[:cut] in self.organisation for cut in range(max(5, len(word) - 7), len(word)))


@functools.cache
def name_rules() -> _Rules:
    data = _data()
    gazetteer = _gazetteer()
    types = {name: kind for names in gazetteer.values() for name, kind in names.items()}
    return _Rules({**types, **data["types"]}, frozenset(data["organisation_words"]),
                  frozenset(data["place_words"]), tuple(data["place_endings"]),
                  tuple(data["person_endings"]),
                  frozenset(data["not_names"]) | frozenset(data["not_names_acronyms"]),
                  frozenset(data["not_in_names"]), gazetteer, dict(data["types"]))


def _gazetteer() -> dict[str, dict[str, str]]:
    """data/gazetteer.toml's names by language: the first three fields of a line are
    English, Azerbaijani, Russian; later ones Russian when Cyrillic, else both others.
    Russian text writes foreign names in Latin letters (Google, Forbes), and so does
    Azerbaijani text those the line gives no Azerbaijani name."""
    found: dict[str, dict[str, str]] = {"en": {}, "az": {}, "ru": {}}
    data = shipped.toml("gazetteer.toml")
    for field, kind in (("places", "place"), ("organisations", "organisation")):
        for line in data[field]:
            for n, name in enumerate(part.strip() for part in line.split("|")):
                if not name:
                    continue
                cyrillic = any("а" <= c.lower() <= "я" for c in name)
                languages = (("en", "az", "ru")[n],) if n < 3 else (
                    ("ru",) if cyrillic else ("en", "az", "ru"))
                if n == 0:
                    fields = line.split("|")
                    languages += ("ru",) if len(fields) > 1 and fields[1].strip() else ("ru", "az")
                for language in languages:
                    found[language].setdefault(name, kind)
    return found


def kind_of(name: str, types: Mapping[str, str] | None = None) -> str | None:
    """``person``, ``organisation`` or ``place``, or None when the shape does not say."""
    rules = name_rules()
    # (Not a merged copy of the two: this is asked of every run of capitalised words.)
    for known in (types or {}, rules.types):
        if name in known:
            return known[name]
    words = name.split()
    if any(w in rules.place for w in words):
        return "place"
    if any(rules.organisation_word(w) for w in words) or any(w in JOINERS for w in words):
        return "organisation"
    if len(words) == 1:
        word = words[0]
        if word.isupper() and 2 <= len(word) <= 6:
            return "organisation"
        stem = without_case_ending(word)
        if stem.lower().endswith(rules.person_endings) and len(stem) >= 5:
            return "person"
        if nominative(word, "place").lower().endswith(rules.place_endings):
            return "place"
        return None
    return "person" if len(words) <= 3 else None


@functools.lru_cache(maxsize=200_000)
def without_case_ending(name: str) -> str:
    """``Tokayevin`` -> ``Tokayev``: the last word without an Azerbaijani case ending,
    when what is left has a surname's shape."""
    *head, last = name.split()
    endings = name_rules().person_endings
    for ending in CASE_ENDINGS:
        stem = last[: -len(ending)]
        if last.endswith(ending) and len(stem) >= 5 and stem.lower().endswith(endings) \
                and not last.lower().endswith(endings):
            return " ".join([*head, stem])
    return name
