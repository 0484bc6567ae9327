"""What a saved page says about itself: meta tags, JSON-LD, <title>, <time>, canonical link.

Values are returned raw, keyed by where they were found ("og:site_name",
"jsonld:publisher"...); ``metadata.py`` decides which wins.
"""

from __future__ import annotations

import json
import re

from bs4 import BeautifulSoup, SoupStrainer

# Only these tags are parsed: a third of the time of building the whole page's tree.
_WANTED = SoupStrainer(["meta", "title", "link", "time", "h1", "script"])
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([\w-]+)", re.I)


def page_meta(html: str) -> dict[str, str]:
    """Every piece of metadata the page declares, by source."""
    soup = BeautifulSoup(html, "lxml", parse_only=_WANTED)
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = (tag.get("content") or "").strip()
        if key and value and key not in meta:
            meta[key] = value
    h1 = soup.find("h1")
    if h1 and h1.get_text(strip=True):
        meta["h1"] = " ".join(h1.get_text(" ").split())
    title = soup.find("title")
    if title and title.string:
        meta["html:title"] = title.string.strip()
    lang = _HTML_LANG.search(html[:5000])
    if lang:
        meta["html:lang"] = lang.group(1)
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        meta["link:canonical"] = canonical["href"]
    time_tag = soup.find("time", datetime=True)
    if time_tag:
        meta["time:datetime"] = time_tag["datetime"]
    for key, value in _json_ld(soup).items():
        meta.setdefault(f"jsonld:{key}", value)
    return meta


def _json_ld(soup: BeautifulSoup) -> dict[str, str]:
    found: dict[str, str] = {}
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            for key in ("headline", "datePublished"):
                if isinstance(item.get(key), str):
                    found.setdefault(key, item[key])
            for key in ("publisher", "author"):
                value = item.get(key)
                value = value[0] if isinstance(value, list) and value else value
                if isinstance(value, dict) and isinstance(value.get("name"), str):
                    found.setdefault(key, value["name"])
    return found
