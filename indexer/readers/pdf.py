"""PDF files (clippings, database exports, pages printed to PDF) through pdfminer.six,
whose layout analysis groups a page's lines into text boxes: a box is a paragraph.

The page each paragraph starts on is kept, so a passage is cited with its page. Lines
that come back on most pages (running headers, "3/7" footers, the printed page's URL)
are page furniture, not article text.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from typing import BinaryIO

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTPage, LTTextContainer
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.psparser import PSException
from pdfminer.utils import decode_text

from core.records import LoadedFile, NotAnArticle
from core.settings import ReadLimits
from indexer.readers import expanded_past

_SPACE = re.compile(r"\s+")
_DIGITS = re.compile(r"\d+")
_SENTENCE_END = re.compile(r"[.!?:;\"”»)]$")
# What a browser prints around a page even when only one page: its address, "2/5" and
# the time of printing.
_PRINTED = re.compile(r"^(?:https?://\S+|\d+\s*/\s*\d+|\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}"
                      r"(?:\s*[AP]M)?(?:\s.{0,200})?)$")
NO_TEXT = ("has no text layer (a scanned page?); Presscut reads text PDFs only, "
           "see README on OCR")
# A page of more text lines, or blocks of them, is not laid out: pdfminer's layout
# analysis grows with their square (a 2.4 KB PDF of 8,000 lines reached 10.8 GB, issue
# 35). A dense newspaper page has a few hundred lines in a hundred or so blocks.
MAX_PAGE_LINES = 5000
MAX_PAGE_BOXES = 500
# Characters one page may show: each is an object of about a kilobyte until the page is
# laid out (a short stream can repeat one character millions of times).
MAX_PAGE_CHARS = 200_000


class _TooMuch(Exception):
    """A page, or the file's text, past what is laid out: the message says which."""


def read(file: BinaryIO, relpath: str, fmt: str, limits: ReadLimits) -> list[LoadedFile]:
    data = file.read()
    try:
        info = _info(io.BytesIO(data))
        pages = _pages(io.BytesIO(data), limits.expanded)
    except _TooMuch as exc:
        raise NotAnArticle(str(exc)) from exc
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


def _info(file: BinaryIO) -> dict[str, str]:
    """Title and author from the document information dictionary (a creation date is
    when it was printed, not when the article appeared: not used)."""
    document = PDFDocument(PDFParser(file))
    found: dict[str, str] = {}
    for info in document.info:
        for key in ("Title", "Author"):
            value = info.get(key)
            if isinstance(value, bytes) and key.lower() not in found:
                text = _SPACE.sub(" ", decode_text(value)).strip()
                if text:
                    found[key.lower()] = text
    return found


def _pages(file: BinaryIO, limit: int) -> list[list[str]]:
    """Each page's text boxes, as pdfminer's ``extract_pages`` lays them out, within the
    bounds above and ``limit`` characters of text in all."""
    manager = PDFResourceManager()
    device = _Device(manager, laparams=LAParams())
    interpreter = PDFPageInterpreter(manager, device)
    pages, size = [], 0
    for page in PDFPage.get_pages(file):
        interpreter.process_page(page)
        boxes = _boxes(device.get_result())
        size += sum(len(box) for box in boxes)
        if size > limit:
            raise _TooMuch(f"has text of {expanded_past(limit)}")
        pages.append(boxes)
    return pages


class _Device(PDFPageAggregator):
    """pdfminer's page aggregator, counting the characters of a page as they come."""

    def begin_page(self, page, ctm) -> None:
        super().begin_page(page, ctm)
        self.cur_item = _Page(self.pageno, self.cur_item.bbox)
        self.chars = 0

    def render_char(self, *args, **kwargs) -> float:
        self.chars += 1
        if self.chars > MAX_PAGE_CHARS:
            raise _TooMuch(f"has a page of more than {MAX_PAGE_CHARS:,} characters, more than "
                           "Presscut lays out")
        return super().render_char(*args, **kwargs)


class _Page(LTPage):
    """A page that refuses to lay out more lines or boxes than the bounds above."""

    def group_textlines(self, laparams, lines):
        if len(lines) > MAX_PAGE_LINES:
            raise _TooMuch(f"has a page of {len(lines):,} lines of text, more than the "
                           f"{MAX_PAGE_LINES:,} Presscut lays out")
        return super().group_textlines(laparams, lines)

    def group_textboxes(self, laparams, boxes):
        if len(boxes) > MAX_PAGE_BOXES:
            raise _TooMuch(f"has a page of {len(boxes):,} blocks of text, more than the "
                           f"{MAX_PAGE_BOXES:,} Presscut lays out")
        return super().group_textboxes(laparams, boxes)


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
