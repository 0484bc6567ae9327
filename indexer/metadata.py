"""Stage 3: what a document is. The manifest wins; otherwise each field is inferred by
its own function, trying its sources in the order written there (the outlet's in
``outlets``).

Every ``infer_*`` function returns ``(value, source)`` so that ``presscut extract
--json`` can show where each value came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from urllib.parse import unquote, urlparse

from core.records import LoadedFile, Metadata, is_web_url
from indexer import cleaner, language
from indexer.outlets import DATELINE_SLASH, DATELINE_WIRE, Found, infer_outlet

MANIFEST_NAMES = ("sources.csv", "manifest.csv")

_BYLINE_PREFIX = re.compile(r"^(?:by|author:|müəllif:|автор:)\s+", re.I)
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>\d{1,2})(?:[/-](?P<d>\d{1,2}))?(?:/|$|-)")
_ISO_DATE = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?")
_STARTS_CAPITAL = re.compile(r"^[\W\d]*[A-ZÀ-ÞƏĞİÖŞÜÇА-ЯЁ]")


def read_manifests(corpus: Path, only: Iterable[str] | None = None) -> dict[str, dict[str, str]]:
    """Manifest rows of every ``sources.csv`` under ``corpus``, keyed by the file's path
    relative to ``corpus`` (a manifest names files relative to its own folder); ``only``:
    of these manifests (paths inside ``corpus``) and no others."""
    rows: dict[str, dict[str, str]] = {}
    found: dict[str, list[Path]] = {name: [] for name in MANIFEST_NAMES}
    if only is not None:
        for relpath in only:
            found[relpath.rpartition("/")[2]].append(corpus / relpath)
    else:
        # os.walk, not Path.rglob: at 100,000 files rglob took a second a name.
        for root, _, files in os.walk(corpus):
            for name in MANIFEST_NAMES:
                if name in files:
                    found[name].append(Path(root, name))
    for name in MANIFEST_NAMES:
        for manifest in sorted(found[name]):
            folder = manifest.parent.relative_to(corpus)
            prefix = "" if folder == Path() else folder.as_posix() + "/"
            with manifest.open(newline="", encoding="utf-8-sig") as handle:
                for row in _rows(handle):
                    file = row.get("file", "")
                    if file:
                        rows[_joined(prefix, folder, file)] = row
    return rows


def _rows(handle) -> Iterator[dict[str, str]]:
    """The rows of a CSV file as csv.DictReader reads them, values stripped, a missing
    value "", unnamed columns dropped. DictReader's Python loop took a second a 100,000
    rows; this is csv.reader's C loop and one dict a row."""
    lines = csv.reader(handle)
    header = next(lines, None)
    if header is None:
        return
    named = [(n, key) for n, key in enumerate(header) if key]
    for values in lines:
        if not values:
            continue  # a blank line, which DictReader skips too
        values += [""] * (len(header) - len(values))
        yield {key: values[n].strip() for n, key in named}


def _joined(prefix: str, folder: Path, file: str) -> str:
    # A plain file name joins as a string; anything pathlib would normalise goes through it.
    if "/" in file or file in (".", ".."):
        return (folder / file).as_posix()
    return prefix + file


def describe(loaded: LoadedFile, paragraphs: tuple[str, ...], row: Mapping[str, str],
             removed: tuple[str, ...] = (), outlet_names: Mapping[str, str] | None = None
             ) -> Metadata:
    """Metadata of one document: manifest row first, then what the file gives away
    (the removed boilerplate too: a newsletter line names its outlet)."""
    text = "\n".join(paragraphs)
    meta = loaded.page_meta
    url, url_src = _manifest("url", row) or infer_url(meta)
    if url and not is_web_url(url):
        url, url_src = None, f"refused ({url_src} gave no http(s) URL)"
    outlet, outlet_src = _manifest("outlet", row) or infer_outlet(text, meta, url, removed,
                                                                   outlet_names)
    date, date_src = _manifest_date(row) or infer_date(text, meta, url)
    title, title_src = _manifest("title", row) or infer_title(paragraphs, meta, outlet, url)
    lang, lang_src = _manifest("language", row) or infer_language(text, meta)
    authors, authors_src = _manifest_authors(row) or infer_authors(meta, removed)
    return Metadata(
        title=title or loaded.relpath,
        outlet=outlet or "Unknown outlet",
        date=date,
        language=(lang or "und").lower(),
        authors=authors,
        url=url,
        sources={"url": url_src, "outlet": outlet_src, "date": date_src, "title": title_src,
                 "language": lang_src, "authors": authors_src},
        archived_url=_manifest_archive(row),
    )


def _manifest(field: str, row: Mapping[str, str]) -> Found | None:
    value = row.get(field, "").strip()
    return (value, "manifest") if value else None


def _manifest_archive(row: Mapping[str, str]) -> str | None:
    """The manifest's ``archived_url`` if it is an http(s) address (it is cited and linked)."""
    value = row.get("archived_url", "").strip()
    return value if value and is_web_url(value) else None


def _manifest_date(row: Mapping[str, str]) -> Found | None:
    value = row.get("date", "").strip()
    return (normalise_date(value), "manifest") if value and normalise_date(value) else None


def _manifest_authors(row: Mapping[str, str]) -> tuple[tuple[str, ...], str] | None:
    value = row.get("authors", "").strip()
    return (split_authors(value), "manifest") if value else None


def split_authors(value: str) -> tuple[str, ...]:
    """Authors are separated by ``;`` (a comma may sit inside "Last, First")."""
    return tuple(a.strip() for a in re.split(r"[;|]", value) if a.strip())


def normalise_date(value: str) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM`` at the precision ``value`` has; None if not a date."""
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    return _valid_date(match["y"], match["m"], match["d"])


def _valid_date(year: str, month: str, day: str | None) -> str | None:
    try:
        if day:
            return dt.date(int(year), int(month), int(day)).isoformat()
        dt.date(int(year), int(month), 1)
        return f"{int(year):04d}-{int(month):02d}"
    except ValueError:
        return None


def infer_url(meta: Mapping[str, str]) -> Found:
    """Canonical link, og:url, a feed item's link, a web archive's or a printed page's
    address."""
    for key in ("link:canonical", "og:url", "feed:link", "warc:target-uri", "pdf:url"):
        if meta.get(key, "").startswith(("http://", "https://")):
            return meta[key], key
    return None, "none"


def infer_date(text: str, meta: Mapping[str, str], url: str | None) -> Found:
    """Page metadata, a feed item's date, the date printed at the top of a PDF, the
    dateline's day, the URL path, the day a web archive captured the page; never a day
    that is not given."""
    for key in ("article:published_time", "jsonld:datePublished", "time:datetime",
                "date", "pubdate", "dc.date", "dcterms.date", "feed:published", "pdf:date"):
        found = normalise_date(meta.get(key, ""))
        if found:
            return found, key
    match = DATELINE_SLASH.search(text[:600])
    if match:
        day, month, year = match["date"].split(".")
        year = f"20{year}" if len(year) == 2 else year
        found = _valid_date(year, month, day)
        if found:
            return found, "dateline"
    if url:
        match = _URL_DATE.search(urlparse(url).path)
        if match:
            found = _valid_date(match["y"], match["m"], match["d"])
            if found:
                return found, "url-path"
    # When a web archive caught the page: the article is no later than that.
    found = normalise_date(meta.get("warc:date", ""))
    if found:
        return found, "warc:date"
    return None, "none"


def infer_title(
    paragraphs: tuple[str, ...], meta: Mapping[str, str], outlet: str | None, url: str | None
) -> Found:
    """og:title, JSON-LD headline, a feed item's title, <h1> (or a document's first heading,
    or the headline printed on a PDF's first page),
    <title> (or a PDF's or document's title) less the site's name, a dump's headline,
    the URL's last segment, the text's opening words."""
    for key in ("og:title", "jsonld:headline", "feed:title", "h1", "pdf:headline"):
        if meta.get(key):
            return meta[key], key
    for key in ("html:title", "pdf:title", "docx:title", "odt:title"):
        if meta.get(key):
            return strip_site_suffix(meta[key], outlet), key
    if paragraphs and reads_as_headline(paragraphs[0]):
        return paragraphs[0], "first-line"
    if url and title_from_url(url):
        return title_from_url(url), "url-path"
    if paragraphs:
        return first_words(paragraphs[0]), "first-sentence"
    return None, "none"


def reads_as_headline(line: str) -> bool:
    """A short capitalised line that does not end a sentence."""
    words = line.split()
    return (
        2 <= len(words) <= 20
        and not line.rstrip().endswith((".", "?", ":", ";", ",", '"', "”", "»"))
        and bool(_STARTS_CAPITAL.match(line))
    )


def strip_site_suffix(title: str, outlet: str | None) -> str:
    """``"Headline | Outlet"`` -> ``"Headline"``."""
    parts = re.split(r"\s+[|–—-]\s+", title)
    if len(parts) > 1 and (outlet is None or len(parts[-1]) <= 40):
        return " - ".join(parts[:-1])
    return title


def infer_language(text: str, meta: Mapping[str, str]) -> Found:
    """Detection on the clean text, then the page's ``<html lang>``."""
    detected = language.detect(text)
    if detected:
        return detected, "detected"
    if meta.get("html:lang"):
        return meta["html:lang"].split("-")[0].lower(), "html:lang"
    return None, "none"


def infer_authors(meta: Mapping[str, str], removed: tuple[str, ...] = ()
                  ) -> tuple[tuple[str, ...], str]:
    """Meta author, then JSON-LD author, then a byline the cleaner took out ("By X")."""
    for key in ("author", "article:author", "jsonld:author", "feed:author"):
        value = meta.get(key, "")
        if value and not value.startswith("http"):
            # A feed's reader gives each name apart already ("Velibeyov, Kamran" is one).
            commas = ";" in value or key == "feed:author"
            return split_authors(value if commas else value.replace(",", ";")), key
    for line in removed:
        if cleaner.matching_rule(line) == "byline":
            names = re.split(r"\s*(?:,|\band\b|\bvə\b|\bи\b)\s*",
                             _BYLINE_PREFIX.sub("", line.strip()).rstrip("."))
            return tuple(n for n in names if n), "byline"
    return (), "none"


def first_words(paragraph: str, limit: int = 12) -> str:
    """The opening words of a paragraph, past any dateline, as a stand-in title."""
    for pattern in (DATELINE_SLASH, DATELINE_WIRE):
        match = pattern.search(paragraph)
        if match:
            paragraph = paragraph[match.end():]
    sentence = re.split(r"(?<=[.!?])\s", paragraph.strip(), maxsplit=1)[0]
    words = sentence.split()
    return " ".join(words[:limit]) + ("…" if len(words) > limit else "")


def title_from_url(url: str) -> str:
    """A readable title from a URL's last path segment (a last resort)."""
    slug = unquote(urlparse(url).path.rstrip("/").rsplit("/", 1)[-1])
    slug = re.sub(r"\.\w{2,5}$", "", slug)
    return re.sub(r"[-_]+", " ", slug).strip().capitalize()
