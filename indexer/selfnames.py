"""How an article names its own outlet ("Kanal.az xəbər verir ki", "сообщает Trend",
"(AFP) -"): the forms are data (``data/self_references.toml``), one table for every
language; this module only turns them into patterns and finds the earliest."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from core import data as shipped

# A web name: Kanal.az, Shafaqadogru.com, Hurriyet.com.tr.
WEB_NAME = r"[A-Za-z][\w-]*(?:\.[a-z]{2,6}){1,2}\b"
# Only so far into the text does a dateline stand.
START = 120


@functools.cache
def _data() -> dict:
    return shipped.toml("self_references.toml")


def version() -> str:
    """Changes when the forms do (part of every document's fingerprint)."""
    return str(_data()["version"])


@functools.cache
def _patterns(names: tuple[str, ...]) -> tuple[tuple[re.Pattern[str], bool, tuple[str, ...]], ...]:
    known = sorted({*names, *_data()["agencies"]}, key=len, reverse=True)
    outlet = "(?P<outlet>" + "|".join([WEB_NAME, *(re.escape(n) + r"(?!\w)" for n in known)]) + ")"
    site = f"(?P<outlet>{WEB_NAME})"
    return tuple((re.compile(rule["form"].replace("{outlet}", outlet).replace("{site}", site)),
                  rule.get("at") == "start", tuple(rule.get("cues", ())))
                 for rule in _data()["rule"])


def find(text: str, names: Iterable[str] = ()) -> str | None:
    """The outlet ``text`` names as its own, earliest in the text, or None. ``names``
    are outlet names known to the corpus (the outlet table's values)."""
    best: tuple[int, str] | None = None
    for pattern, at_start, cues in _patterns(tuple(sorted(set(names)))):
        if cues and not any(cue in text for cue in cues):
            continue
        match = pattern.search(text[:START] if at_start else text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match["outlet"])
    if best is None:
        return None
    name = best[1]
    return name[0].upper() + name[1:]
