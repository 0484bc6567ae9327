"""Saved HTML pages: the article's blocks as lines of text, and the page's own metadata.

Basic extraction for now: drop what is never article text (scripts, navigation,
forms, asides), then keep each block element's text as one line.
"""

from __future__ import annotations

import dataclasses
import json
import re

from bs4 import BeautifulSoup, Comment, Tag

NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")
CHROME = ("nav", "header", "footer", "aside", "form", "button", "select", "figure")
BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "td", "figcaption")
_CHROME_WORDS = re.compile(
    r"(^|[-_ ])(nav|menu|breadcrumb|share|social|related|newsletter|subscribe|cookie|banner|"
    r"footer|sidebar|comment|promo|advert|ads?)([-_ ]|$)",
    re.I,
)
_SPACE = re.compile(r"\s+")
_CAPTION = re.compile(r"caption|credit", re.I)


@dataclasses.dataclass(frozen=True)
class Page:
    text: str
    meta: dict[str, str]
    removed: tuple[str, ...]
    kinds: dict[str, str]  # block text -> "caption" / "quote box", for blocks not body


def parse(html: str) -> Page:
    """Split a page into article lines, page metadata and the blocks dropped."""
    page = _parse(BeautifulSoup(html, "lxml"))
    if not page.text:
        # libxml2 stops at 256 levels of nesting; Python's parser has no such limit.
        page = _parse(BeautifulSoup(html, "html.parser"))
    return page


def _parse(soup: BeautifulSoup) -> Page:
    meta = _page_meta(soup)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(NEVER_TEXT):
        tag.decompose()
    removed: list[str] = []
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in root.find_all(CHROME):
        _drop(tag, removed)
    whole = len(_text(root)) or 1
    for tag in root.find_all(_is_chrome_box):
        # A wrapper named "has-sidebar" may hold the whole article: only drop boxes.
        if not tag.decomposed and len(_text(tag)) < 0.4 * whole:
            _drop(tag, removed)
    for h1 in root.find_all("h1"):
        # The headline is metadata, not body text.
        meta.setdefault("h1", _text(h1))
        h1.decompose()
    lines: list[str] = []
    kinds: dict[str, str] = {}
    for block in root.find_all(BLOCKS):
        text = _text(block)
        if text and not block.find(BLOCKS):
            lines.append(text)
            kind = _kind(block)
            if kind != "body":
                kinds[text] = kind
    if not lines:
        lines = [line.strip() for line in root.get_text("\n").splitlines() if line.strip()]
    return Page("\n".join(lines), meta, tuple(removed), kinds)


def _kind(block: Tag) -> str:
    """What a kept block is, if the page says it is not plain article body."""
    for tag in (block, *block.parents):
        if tag.name == "blockquote":
            return "quote box"
        names = " ".join(tag.get("class") or []) if tag.attrs is not None else ""
        if tag.name == "figcaption" or _CAPTION.search(names):
            return "caption"
    return "body"


def _is_chrome_box(tag: Tag) -> bool:
    if not isinstance(tag, Tag) or tag.attrs is None:
        return False
    names = " ".join(tag.get("class") or []) + " " + (tag.get("id") or "")
    return bool(names.strip()) and bool(_CHROME_WORDS.search(names))


def _drop(tag: Tag, removed: list[str]) -> None:
    if tag.decomposed:
        return
    text = _text(tag)
    if text:
        removed.append(text)
    tag.decompose()


def _text(tag: Tag) -> str:
    return _SPACE.sub(" ", tag.get_text(" ")).strip()


def _page_meta(soup: BeautifulSoup) -> dict[str, str]:
    meta: dict[str, str] = {}
    for tag in soup.find_all("meta"):
        key = (tag.get("property") or tag.get("name") or tag.get("itemprop") or "").lower()
        value = (tag.get("content") or "").strip()
        if key and value and key not in meta:
            meta[key] = value
    if soup.title and soup.title.string:
        meta["html:title"] = soup.title.string.strip()
    if soup.html and soup.html.get("lang"):
        meta["html:lang"] = str(soup.html.get("lang"))
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
