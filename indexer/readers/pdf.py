"""PDF files (clippings, database exports, pages printed to PDF) through pdfminer.six,
whose layout analysis groups a page's lines into text boxes: a box is a paragraph.

The page each paragraph starts on is kept, so a passage is cited with its page. Lines
that come back on most pages (running headers, "3/7" footers, the printed page's URL)
are page furniture, not article text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextContainer
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psparser import PSException
from pdfminer.utils import decode_text

from core.records import LoadedFile, NotAnArticle

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?:;\"”»)]$")
# What a browser prints around a page even when only one page: its address, "2/5" and
# the time of printing.
_PRINTED = re.compile(r"^(?:https?://\S+|\d+\s*/\s*\d+|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}"
                      r"(?:\s*[AP]M)?(?:\s.{0,200})?)$")
NO_TEXT = ("has no text layer (a scanned page?); Presscut reads text PDFs only, "
           "see README on OCR")


def read(path: Path, relpath: str, fmt: str) -> list[LoadedFile]:
    data = path.read_bytes()
    try:
        info = _info(path)
        pages = [_boxes(page) for page in extract_pages(path, laparams=LAParams())]
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise NotAnArticle("is an encrypted PDF that needs a password") from exc
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise NotAnArticle(f"is not a readable PDF ({type(exc).__name__}: {exc})") from exc
    furniture = _furniture(pages)
    blocks: list[tuple[str, int]] = []
    for number, boxes in enumerate(pages, 1):
        for box in boxes:
            if _shape(box) in furniture:
                continue
            if blocks and number > blocks[-1][1] and _continues(blocks[-1][0], box):
                # A paragraph broken by the page end is one paragraph (cited from its start).
                blocks[-1] = (f"{blocks[-1][0]} {box}", blocks[-1][1])
            else:
                blocks.append((box, number))
    if not blocks:
        raise NotAnArticle(NO_TEXT)
    meta = {f"pdf:{key}": value for key, value in info.items()}
    removed = tuple(_furniture_lines(pages, furniture))
    # A browser shortens an address too long for the footer with "…": no use as a link.
    urls = [box for box in removed if box.startswith(("http://", "https://")) and "…" not in box]
    if urls:
        meta["pdf:url"] = urls[0]
    return [LoadedFile(relpath, "text", "pdf", hashlib.sha256(data).hexdigest(),
                       "\n".join(text for text, _ in blocks), meta, removed, format=fmt,
                       block_pages={text: page for text, page in blocks})]


def _info(path: Path) -> dict[str, str]:
    """Title and author from the document information dictionary (a creation date is
    when it was printed, not when the article appeared: not used)."""
    with path.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        found: dict[str, str] = {}
        for info in document.info:
            for key in ("Title", "Author"):
                value = info.get(key)
                if isinstance(value, bytes) and key.lower() not in found:
                    text = _SPACE.sub(" ", decode_text(value)).strip()
                    if text:
                        found[key.lower()] = text
        return found


def _boxes(page) -> list[str]:
    boxes = []
    for element in page:
        if isinstance(element, LTTextContainer):
            text = _join_lines(element.get_text())
            if text:
                boxes.append(text)
    return boxes


def _join_lines(text: str) -> str:
    """A box's lines as one paragraph; a word broken at a line end keeps its hyphen."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    joined = ""
    for line in lines:
        if joined.endswith("-") and line[:1].islower():
            joined += line
        else:
            joined = f"{joined} {line}" if joined else line
    return _SPACE.sub(" ", joined).strip()


def _continues(previous: str, box: str) -> bool:
    return not _SENTENCE_END.search(previous) and box[:1].islower()


def _shape(box: str) -> str:
    return _DIGITS.sub("0", box.casefold())


def _furniture(pages: list[list[str]]) -> set[str]:
    """Lines, digits aside, that come back on at least half the pages (and two), and
    what a browser prints around every page."""
    printed = {_shape(box) for boxes in pages for box in boxes if _PRINTED.match(box)}
    if len(pages) < 2:
        return printed
    counts = Counter(shape for boxes in pages for shape in {_shape(box) for box in boxes})
    return printed | {shape for shape, n in counts.items() if n >= max(2, len(pages) / 2)}


def _furniture_lines(pages: list[list[str]], furniture: set[str]) -> list[str]:
    """The furniture as printed on the first page that has it."""
    seen: dict[str, str] = {}
    for boxes in pages:
        for box in boxes:
            if _shape(box) in furniture:
                seen.setdefault(_shape(box), box)
    return list(seen.values())
