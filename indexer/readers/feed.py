"""RSS and Atom feed files (``.rss``, ``.atom``, or ``.xml`` holding a feed), read by
feedparser: one document per item, with its link, date, title and authors.

Authors come in every form feeds use: RSS's ``email (Name)``, ``Name <email>``, a bare
address (no name: no author), ``dc:creator`` (once or repeated), Atom's
``<author><name>``, several authors. feedparser's own reading of an address cuts a
domain such as ``.example`` short ("ple (Kamran Velibeyov"), so the names are read here
from what the feed says.
"""

from __future__ import annotations

import hashlib
import re
import time
from typing import BinaryIO

import feedparser

from core import files
from core.records import LoadedFile, NotAnArticle, Skipped
from core.settings import ReadLimits
from indexer import htmlpage


def read(file: BinaryIO, relpath: str, fmt: str, limits: ReadLimits) -> list[LoadedFile | Skipped]:
    data = file.read()
    parsed = feedparser.parse(data)
    if not parsed.version:
        problem = f" ({parsed.bozo_exception})" if parsed.get("bozo_exception") else ""
        raise NotAnArticle(f"is not an RSS or Atom feed{problem}")
    channel = parsed.feed.get("title", "")
    found: list[LoadedFile | Skipped] = []
    for number, entry in enumerate(parsed.entries, 1):
        key = entry.get("id") or entry.get("link") or entry.get("title") or str(number)
        member = files.member_path(relpath, key)
        html = _content(entry)
        text = htmlpage.fragment(html) if html else ""
        if not text:
            found.append(Skipped(member, f"(item {number} of the feed) has no text"))
            continue
        meta = {"feed:link": entry.get("link", ""), "feed:title": entry.get("title", ""),
                "feed:author": "; ".join(authors(entry, parsed.version)), "feed:channel": channel,
                "feed:published": _date(entry)}
        found.append(LoadedFile(member, "html", parsed.get("encoding") or "utf-8",
                                hashlib.sha256(html.encode()).hexdigest(), text,
                                {k: v for k, v in meta.items() if v}, format=fmt))
    if not parsed.entries:
        raise NotAnArticle("is a feed without items")
    return found


def _content(entry) -> str:
    """The fullest text an item carries: its content, else its summary."""
    contents = [c.get("value", "") for c in entry.get("content", [])]
    best = max(contents, key=len, default="")
    summary = entry.get("summary", "")
    return best if len(best) >= len(summary) else summary


def _date(entry) -> str:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else ""


_EMAIL = r"[^\s@<>()]+@[^\s@<>()]+"
# "news@site (Name)", "Name <news@site>", "Name (news@site)", and a bare address.
_NAMED = (re.compile(rf"^{_EMAIL}\s*\((?P<name>[^()]*)\)$"),
          re.compile(rf"^(?P<name>[^<>]*?)\s*<{_EMAIL}>$"),
          re.compile(rf"^(?P<name>[^()]*?)\s*\({_EMAIL}\)$"),
          re.compile(rf"^(?P<name>)(?:mailto:)?{_EMAIL}$"))
_BY = re.compile(r"^(?:by|müəllif:|автор:)\s+", re.I)
# Several people in one field: "Kamran Velibeyov, Aysel Mammadova and Tural Aliyev".
_SEVERAL = re.compile(r"\s*(?:;|,|&|\band\b|\bvə\b|\bи\b)\s*")


def authors(entry, version: str) -> list[str]:
    """The names of an item's authors, each once; never an e-mail address."""
    given = entry.get("authors") or []
    if version.startswith("atom") or not any("email" in a for a in given):
        # Atom's <name>, or names feedparser did not try to take an address from.
        raw = [a.get("name", "") for a in given] or [entry.get("author", "")]
    elif len(given) == 1:
        raw = [entry.get("author", "")]
    else:
        raw = [_unmangled(a.get("name", "")) for a in given]
    return list(dict.fromkeys(name for value in raw for name in _names(value)))


def _unmangled(name: str) -> str:
    """An RSS author's name as feedparser split it from "news@site.example (Name)" when
    it cut the address short: "ple (Name" -> "Name"; the rest of an address alone -> ""."""
    if "(" in name:
        return name.rsplit("(", 1)[1].rstrip(")")
    if "<" in name:
        return name.split("<", 1)[0]
    return "" if name.islower() and " " not in name else name


def _names(value: str) -> list[str]:
    value = _BY.sub("", " ".join(value.split()))
    for pattern in _NAMED:
        match = pattern.match(value)
        if match:
            value = match["name"].strip()
            break
    if not value or value.startswith(("http://", "https://")):
        return []
    parts = [p for p in _SEVERAL.split(value) if p]
    # "Velibeyov, Kamran" is one person written surname first.
    if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
        return parts
    return [value]
