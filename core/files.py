"""Corpus files by kind: which format a file's suffix names, which reader of
``indexer.readers`` reads it, and the names of files and of the articles inside them.
The search side reads this table without loading any reader."""

from __future__ import annotations

import hashlib
import re

HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
# An article of a container file is ``<file>#<key>``, the key this many bytes in hex.
_KEY_BYTES = 5
_MEMBER_KEY = re.compile(f"[0-9a-f]{{{2 * _KEY_BYTES}}}")
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
# Formats read by a module of their own (in indexer/readers/), each through a well-kept
# library, imported only when a file of theirs is met: the search side never loads them.
READERS = {
    ".pdf": ("pdf", "pdf"),
    ".docx": ("docx", "office"),
    ".odt": ("odt", "office"),
    ".warc": ("warc", "webarchive"),
    ".warc.gz": ("warc", "webarchive"),
    ".wacz": ("wacz", "webarchive"),
    ".rss": ("feed", "feed"),
    ".atom": ("feed", "feed"),
    ".xml": ("feed", "feed"),
    ".jsonl": ("jsonl", "tables"),
    ".csv": ("csv", "tables"),
}
# What each format is called where people read it (/status).
FORMAT_LABELS = {"text": "Text dumps", "html": "Saved web pages", "pdf": "PDF", "docx": "Word (.docx)",
                 "odt": "OpenDocument (.odt)", "warc": "WARC web archives", "wacz": "WACZ web archives",
                 "feed": "RSS and Atom feeds", "jsonl": "JSON-lines exports", "csv": "CSV exports"}
# Formats that hold many articles: each becomes a document named ``<file>#<key>``.
CONTAINERS = {"warc", "wacz", "feed", "jsonl", "csv"}

def suffix_of(name: str) -> str:
    """The suffix that names a file's format (``.warc.gz`` is one)."""
    lower = name.lower()
    if lower.endswith(".warc.gz"):
        return ".warc.gz"
    # Path(lower).suffix, without making a Path (a tenth of a second per 10,000 files).
    dot = lower.rfind(".")
    return lower[dot:] if 0 < dot < len(lower) - 1 else ""


def format_of(relpath: str) -> str:
    """The format of a corpus file, or of the container a document came out of."""
    suffix = suffix_of(container_of(relpath))
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    return READERS[suffix][0] if suffix in READERS else suffix.lstrip(".")


def container_of(relpath: str) -> str:
    """The corpus file a document's path names: ``feed.rss#1a2b3c4d5e`` -> ``feed.rss``
    (a file named ``feed.csv#1.txt`` is its own: only :func:`member_path`'s keys count)."""
    head, sep, key = relpath.rpartition("#")
    if (sep and _MEMBER_KEY.fullmatch(key) and suffix_of(head) in READERS
            and READERS[suffix_of(head)][0] in CONTAINERS):
        return head
    return relpath


def member_path(relpath: str, key: str) -> str:
    """The path of one article inside a container file, stable while its key is."""
    return f"{relpath}#{hashlib.blake2b(key.encode(), digest_size=_KEY_BYTES).hexdigest()}"
