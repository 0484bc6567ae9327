"""RSS and Atom feed files (``.rss``, ``.atom``, or ``.xml`` holding a feed), read by
feedparser: one document per item, with its link, date, title and author."""

from __future__ import annotations

import hashlib
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
                "feed:author": entry.get("author", ""), "feed:channel": channel,
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
