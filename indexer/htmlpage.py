"""Saved HTML pages: the article's paragraphs, the blocks dropped, and the page's metadata.

The article body comes from trafilatura (precision mode), the best of the extractors
measured on ../shared/bench/extraction (docs/extraction.md); its XML output keeps the
page's own paragraphs, headings, list items and quotes, one line each. Where it finds
nothing (odd or very deep markup), a plain block walk of the page stands in.
"""

from __future__ import annotations

import dataclasses
import re

import lxml.html
import trafilatura
from bs4 import BeautifulSoup, Comment, Tag
from lxml import etree

from indexer.htmlmeta import page_meta

NEVER_TEXT = ("script", "style", "noscript", "template", "svg", "iframe", "object", "head")
CHROME = ("nav", "header", "footer", "aside", "form", "button", "select", "figure")
BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "dd", "td", "figcaption")
# trafilatura's XML elements that hold one paragraph each, and what they are.
TRAFILATURA_BLOCKS = ("p", "head", "item", "cell", "quote", "code")
_CHROME_WORDS = re.compile(
    r"(^|[-_ ])(nav|menu|breadcrumb|share|social|related|newsletter|subscribe|cookie|banner|"
    r"footer|sidebar|comment|promo|advert|ads?)([-_ ]|$)",
    re.I,
)
_SPACE = re.compile(r"\s+")
_CAPTION = re.compile(r"caption|credit", re.I)
MAX_REMOVED = 300


@dataclasses.dataclass(frozen=True)
class Page:
    text: str
    meta: dict[str, str]
    removed: tuple[str, ...]
    kinds: dict[str, str]  # block text -> "caption" / "quote box", for blocks not body


def parse(html: str, precision: bool = True) -> Page:
    """Split a page into article lines, page metadata and the blocks dropped
    (``precision``: trafilatura's precision mode, measured in docs/extraction.md)."""
    meta = page_meta(html)
    blocks = trafilatura_blocks(html, precision)
    every_block = _all_blocks(html)
    if not blocks:
        blocks = _basic_blocks(html, "lxml", drop_chrome=True)
    if not blocks:
        # libxml2 stops at 256 levels of nesting; Python's parser has no such limit.
        blocks = _basic_blocks(html, "html.parser", drop_chrome=True)
        every_block = every_block or blocks
    headline = headlines(meta)
    # The headline is metadata, not body text.
    blocks = [(text, kind) for text, kind in blocks if _key(text) not in headline]
    kept = {_key(text) for text, _ in blocks}
    removed = [text for text, _ in every_block if _key(text) not in kept and _key(text)
               not in headline][:MAX_REMOVED]
    kinds = {text: kind for text, kind in blocks if kind != "body"}
    return Page("\n".join(text for text, _ in blocks), meta, tuple(removed), kinds)


def fragment(html: str) -> str:
    """The paragraphs of a piece of HTML that is all article (a feed item's content),
    one a line."""
    return "\n".join(text for text, _ in _basic_blocks(html, "html.parser", drop_chrome=False))


def _key(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def headlines(meta: dict[str, str]) -> set[str]:
    """The page's headline as its metadata gives it, compared as :func:`_key` does."""
    return {_key(meta.get(k, "")) for k in ("h1", "og:title", "html:title")} - {""}


def trafilatura_blocks(html: str, precision: bool = True) -> list[tuple[str, str]]:
    """The article's blocks as trafilatura finds them, with their kinds."""
    xml = trafilatura.extract(html, output_format="xml", favor_precision=precision,
                              include_comments=False, include_images=False, with_metadata=False)
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks: list[tuple[str, str]] = []
    _walk(main if main is not None else root, "body", blocks)
    return blocks


def _walk(element, kind: str, blocks: list[tuple[str, str]]) -> None:
    """Paragraph elements in document order; text loose in a container (after a heading,
    say) is a paragraph of its own."""
    _emit(element.text, kind, blocks)
    for child in element:
        child_kind = "quote box" if child.tag == "quote" else kind
        is_leaf = not any(d.tag in TRAFILATURA_BLOCKS for d in child.iterdescendants())
        if child.tag in TRAFILATURA_BLOCKS and is_leaf:
            for line in _leaf_text(child).split("\n"):
                _emit(line, child_kind, blocks)
        else:
            _walk(child, child_kind, blocks)
        _emit(child.tail, kind, blocks)


def _leaf_text(element) -> str:
    """A paragraph element's text; its line breaks (``<lb/>``: a list of tour dates in one
    ``<p>``) start new lines instead of gluing "FL" to "June"."""
    for lb in element.iter("lb"):
        lb.tail = "\n" + (lb.tail or "")
    return "".join(element.itertext())


def _emit(text: str | None, kind: str, blocks: list[tuple[str, str]]) -> None:
    text = _SPACE.sub(" ", text or "").strip()
    if text:
        blocks.append((text, kind))


def _all_blocks(html: str) -> list[tuple[str, str]]:
    """Every leaf block's text, quickly (lxml alone): what was dropped is shown from it."""
    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    for bad in list(root.iter(*NEVER_TEXT)):
        bad.drop_tree()
    boxes = (*BLOCKS, "div")
    elements = list(root.iter(*boxes))
    containers = set()
    for element in elements:
        # Mark the nearest enclosing box: one step up in the usual case, so linear.
        parent = element.getparent()
        while parent is not None and parent.tag not in boxes:
            parent = parent.getparent()
        if parent is not None:
            containers.add(parent)
    blocks = []
    for element in elements:
        if element not in containers:
            text = _SPACE.sub(" ", element.text_content()).strip()
            if text:
                blocks.append((text, "body"))
    return blocks


def _basic_blocks(html: str, parser: str, drop_chrome: bool) -> list[tuple[str, str]]:
    """Each leaf block's text (without navigation, forms and asides if ``drop_chrome``)."""
    soup = BeautifulSoup(html, parser)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(NEVER_TEXT):
        tag.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    if drop_chrome:
        for tag in root.find_all(CHROME):
            tag.decompose()
        whole = len(_text(root)) or 1
        for tag in root.find_all(_is_chrome_box):
            # A wrapper named "has-sidebar" may hold the whole article: only drop boxes.
            if not tag.decomposed and len(_text(tag)) < 0.4 * whole:
                tag.decompose()
    blocks = [(_text(block), _kind(block)) for block in root.find_all(BLOCKS)
              if not block.find(BLOCKS)]
    blocks = [(text, kind) for text, kind in blocks if text]
    if not blocks:
        blocks = [(line.strip(), "body") for line in root.get_text("\n").splitlines()
                  if line.strip()]
    return blocks


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


def _text(tag: Tag) -> str:
    return _SPACE.sub(" ", tag.get_text(" ")).strip()
