"""Web archives: WARC files (``.warc``, ``.warc.gz``, read by warcio) and WACZ packages
(a ZIP of WARCs, as Webrecorder and ArchiveWeb.page write them).

Every HTML page a response record holds becomes a document with its original URL; the
capture's date stands in for the article's only when the page gives none. Two captures
of the same page are found as copies by the indexer's copy detection; the same capture
stored twice (one address, one date) is one article.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from core import files
from core.records import LoadedFile, NotAnArticle, Skipped
from core.settings import ReadLimits
from indexer import loader
from indexer.readers import expanded_past

HTML_TYPES = ("text/html", "application/xhtml+xml")


def read(file: BinaryIO, relpath: str, fmt: str, limits: ReadLimits) -> list[LoadedFile | Skipped]:
    count = _Count(limits.expanded)
    try:
        if fmt == "wacz":
            found = list(_wacz(file, relpath, count))
        else:
            found = list(_records(file, relpath, fmt, count))
    except (ArchiveLoadFailed, zipfile.BadZipFile, EOFError, ValueError, zlib.error) as exc:
        kind = "damaged compressed data" if isinstance(exc, zlib.error) else type(exc).__name__
        raise NotAnArticle(f"is not a readable {fmt.upper()} file ({kind}: {exc})") from exc
    if not count.records:
        # warcio reads a damaged gzip stream as an archive without records.
        raise NotAnArticle(f"is not a readable {fmt.upper()} file (no WARC record found)")
    if not found:
        raise NotAnArticle(f"holds no captured HTML page (of {count.records} records)")
    return found


class _Count:
    """The records read so far, and the most one page may expand to."""

    def __init__(self, limit: int):
        self.records, self.limit = 0, limit


def _wacz(file: BinaryIO, relpath: str, count: _Count) -> Iterator[LoadedFile | Skipped]:
    with zipfile.ZipFile(file) as package:
        warcs = [name for name in package.namelist()
                 if name.startswith("archive/") and name.endswith((".warc", ".warc.gz"))]
        if not warcs:
            raise NotAnArticle("is a ZIP without WARC files under archive/, not a WACZ")
        for name in sorted(warcs):
            with package.open(name) as stream:
                yield from _records(stream, relpath, "wacz", count)


def _records(stream: BinaryIO, relpath: str, fmt: str, count: _Count
             ) -> Iterator[LoadedFile | Skipped]:
    for record in ArchiveIterator(stream):
        count.records += 1
        if record.rec_type != "response" or record.http_headers is None:
            continue
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        status = record.http_headers.get_statuscode()
        if not content_type.startswith(HTML_TYPES) or status != "200":
            continue
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        captured = record.rec_headers.get_header("WARC-Date") or ""
        member = files.member_path(relpath, f"{uri} {captured}")
        # No more than the limit is unpacked (the rest of the record is passed over).
        body = record.content_stream().read(count.limit + 1)
        if len(body) > count.limit:
            yield Skipped(member, f"(the capture of {uri}) is a page of {expanded_past(count.limit)}")
            continue
        try:
            html, encoding = loader.decode(body)
        except NotAnArticle as exc:
            yield Skipped(member, f"(the capture of {uri}) {exc}")
            continue
        yield loader.from_html(member, html, encoding, hashlib.sha256(body).hexdigest(), fmt,
                               {"warc:target-uri": uri, "warc:date": captured})
