"""A passage page read the way Zotero's unAPI translator reads it, then its RIS the way
Zotero's RIS translator imports it for a web translator.

Written (not copied) from zotero/translators "unAPI.js" and "RIS.js" and the item
completion of zotero/translate: unAPI (priority 300) runs before Embedded Metadata
(320), so a page with an unAPI server and id is saved from the RIS it serves. Only the
RIS tags Presscut writes are modelled; any other raises :class:`NotModelled`.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

from tests import zotero_reader
from tests.zotero_reader import NotModelled

# The translators' priorities: Zotero saves a page with the lowest that detects it.
PRIORITIES = {"unAPI": 300, "Embedded Metadata": 320}
# RIS.js fieldMap for the tags modelled, for a newspaper article.
FIELDS = {"TI": "title", "T2": "publicationTitle", "UR": "url", "LA": "language",
          "DB": "archive", "AN": "archiveLocation", "SP": "pages"}
# Tags the RIS translator reads without unescapeHTML() (they may be HTML).
RAW = {"N1", "RN", "AB"}


def unapi_ids(html: str) -> tuple[str | None, list[str]]:
    """getUnAPIIDs(): the resolver of ``link[rel=unapi-server]`` and the titles of
    ``abbr.unapi-id``."""
    soup = BeautifulSoup(html, "lxml")
    link = soup.select_one('link[rel="unapi-server"]')
    ids = [abbr["title"] for abbr in soup.select("abbr[title]")
           if "unapi-id" in abbr.get("class", [])]
    return (link["href"] if link else None), ids


def saving_translator(html: str, url: str) -> str | None:
    """The translator Zotero saves the page with: unAPI when the page has a resolver and
    an id, Embedded Metadata when its tags give an item type."""
    detected = []
    if all(unapi_ids(html)):
        detected.append("unAPI")
    if zotero_reader.read(html, url)["itemType"]:
        detected.append("Embedded Metadata")
    return min(detected, key=PRIORITIES.get, default=None)


def chosen_format(formats_xml: str) -> str | None:
    """UnAPIFormat: the name of a format Zotero reads (here: RIS, by name or docs)."""
    names = [f.get("name", "") for f in ET.fromstring(formats_xml).iter("format")]
    return next((n for n in names if re.match(r"^ris\b", n.lower())), None)


def import_ris(text: str, page_url: str) -> tuple[dict, list[str]]:
    """The item and its notes from one RIS record, as RIS.js and translate's item
    completion leave them when the unAPI translator (a web translator) is the parent."""
    tags = _parse(text)
    if [v for t, v in tags if t == "TY"] != ["NEWS"]:
        raise NotModelled("a RIS type other than NEWS")
    item = {"itemType": "newspaperArticle", "creators": []}
    notes, dates = [], {}
    for tag, value in tags:
        if tag not in RAW and ("<" in value or "&" in value):
            value = _unescape_html(value)
        if tag in FIELDS:
            item.setdefault(FIELDS[tag], value)  # applyValue() keeps the first
        elif tag == "AU":
            item["creators"].append(_author(value))
        elif tag in ("PY", "DA"):
            dates[tag] = _date(value)
        elif tag == "N1":
            notes.append(value if re.search(r"<[^>]+>", value) else _paragraphs(value))
        elif tag not in ("TY", "Y2", "ER"):  # Y2: dropped under a web translator
            raise NotModelled(f"the RIS tag {tag}")
    if dates:
        item["date"] = dates.get("DA") or dates["PY"]
    # unAPI's doWeb() names the catalog by the page's host; translate sets the access date.
    item["libraryCatalog"] = urlsplit(page_url).netloc
    if item.get("url"):
        item["accessDate"] = "CURRENT_TIMESTAMP"
    return item, notes


def _unescape_html(value: str) -> str:
    """ZU.unescapeHTML(): the text content of the value parsed as HTML (tags dropped,
    their text kept, entities decoded), runs of spaces made one."""
    return re.sub(" {2,}", " ", html.unescape(re.sub(r"<[^>]*>", "", value)))


def _parse(text: str) -> list[tuple[str, str]]:
    tags: list[tuple[str, str]] = []
    for line in text.splitlines():
        if m := re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line):
            tags.append((m.group(1), m.group(2).strip()))
        elif line.strip():
            if not tags:
                raise NotModelled("text before the first tag")
            tags[-1] = (tags[-1][0], tags[-1][1] + "\n" + line)
    return tags


def _author(value: str) -> dict:
    """RIS.js creators: "Last, First"; without a comma, one undivided name."""
    last = re.split(r"\s*,\s*", value)[0]
    first = re.sub(r"^\s*,\s*", "", value[len(last) :])
    if not first:
        return {"lastName": last, "creatorType": "author", "fieldMode": 1}
    return {"firstName": first, "lastName": last, "creatorType": "author"}


def _date(value: str) -> str:
    """dateRIStoZotero() for YYYY/MM/DD with parts left empty: zero parts dropped."""
    m = re.fullmatch(r"(\d+)(?:/(\d{0,2})(?:/(\d{0,2}))?)?", value)
    if not m:
        raise NotModelled(f"the RIS date {value!r}")
    parts = [p.lstrip("0") if p else "" for p in m.groups()]
    parts = parts[: parts.index("")] if "" in parts else parts
    widths = (4, 2, 2)
    return "-".join(p.rjust(w, "0") for p, w in zip(parts, widths, strict=False))


def _paragraphs(value: str) -> str:
    value = value.replace("\n\n", "</p><p>").replace("\n", "<br/>").replace("\t", "&nbsp;" * 4)
    return "<p>" + value.replace("  ", "&nbsp;&nbsp;") + "</p>"
