"""PDF files (clippings, database exports, pages printed to PDF) through pdfminer.six,
read as a person reads the printed page.

pdfminer finds the printed lines (:mod:`~indexer.readers.pdflayout` puts them in reading
order, column by column); page furniture (running heads, page numbers, what a browser
prints in the margins) is found per document and set apart
(:mod:`~indexer.readers.pdfprint`); the lines are joined into paragraphs by their layout,
also across page and column ends (:mod:`~indexer.readers.pdftext`). The page each
paragraph starts on is kept, so a passage is cited with its page. The date and address
printed on the page are read back whole.
"""

from __future__ import annotations

import hashlib
import io
import re
from typing import BinaryIO

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser, PDFSyntaxError
from pdfminer.pdftypes import PDFException, resolve1
from pdfminer.psparser import PSException
from pdfminer.utils import decode_text

from core.records import LoadedFile, NotAnArticle
from core.settings import ReadLimits
from indexer.readers import expanded_past, pdflayout, pdfprint, pdftext

_SPACE = re.compile(r"\s+")
NO_TEXT = ("has no text layer (a scanned page?); Presscut reads text PDFs only, "
           "see README on OCR")
# Lines are what is used of pdfminer's layout analysis; its grouping of text boxes into
# a hierarchy (boxes_flow) is not, and costs time.
LAYOUT = LAParams(boxes_flow=None)
# Characters one page may show: each is an object of about a kilobyte until the page is
# laid out (a short stream can repeat a line tens of thousands of times: a PDF of 11.7 KB
# reached 15.6 GB, issue 35). A dense newspaper page has some 20,000.
MAX_PAGE_CHARS = 200_000


class _TooMuch(Exception):
    """A page, or the file's text, past what is read: the message says which."""


def read(file: BinaryIO, relpath: str, fmt: str, limits: ReadLimits) -> list[LoadedFile]:
    data = file.read()
    try:
        info, pages, heights, links = _pages(io.BytesIO(data), limits.expanded)
    except _TooMuch as exc:
        raise NotAnArticle(str(exc)) from exc
    except (PDFEncryptionError, PDFPasswordIncorrect) as exc:
        raise NotAnArticle("is an encrypted PDF that needs a password") from exc
    except (PDFSyntaxError, PSException, PDFException, ValueError, KeyError, TypeError) as exc:
        raise NotAnArticle(f"is not a readable PDF ({type(exc).__name__}: {exc})") from exc
    furniture = pdfprint.furniture(pages, heights, info.get("title", ""))
    margins = [line.text for lines in pages for line in lines if id(line) in furniture]
    ordered = [line for lines in pages
               for line in pdflayout.reading_order([x for x in lines if id(x) not in furniture])]
    uris = frozenset(uri for page in links for uri, _ in page)
    paragraphs, around = pdfprint.around_article(pdftext.paragraphs(ordered, uris))
    if not paragraphs:
        raise NotAnArticle(NO_TEXT)
    meta = {f"pdf:{key}": value for key, value in info.items()}
    headline = pdfprint.headline(paragraphs)
    if headline is not None:
        meta["pdf:headline"] = paragraphs[headline].text
    date, date_line = pdfprint.printed_date(paragraphs)
    if date:
        meta["pdf:date"] = date
    if date_line:
        paragraphs = [p for p in paragraphs if p is not date_line]
        around.append(date_line)
    url = pdfprint.printed_url(margins, uris, paragraphs)
    if url:
        meta["pdf:url"] = url
    removed = tuple(dict.fromkeys([*margins, *(p.text for p in around)]))
    return [LoadedFile(relpath, "text", "pdf", hashlib.sha256(data).hexdigest(),
                       "\n".join(p.text for p in paragraphs), meta, removed, format=fmt,
                       block_pages={p.text: p.page for p in reversed(paragraphs)})]


def _pages(handle: BinaryIO, limit: int):
    """The document's title and author, each page's lines and height, and each page's
    links (address and box), within the bounds above and ``limit`` characters of text."""
    pages, heights, links, size = [], [], [], 0
    document = PDFDocument(PDFParser(handle))
    info = _info(document)
    resources = PDFResourceManager()
    device = _Device(resources, laparams=LAYOUT)
    interpreter = PDFPageInterpreter(resources, device)
    for number, page in enumerate(PDFPage.create_pages(document), 1):
        interpreter.process_page(page)
        layout = device.get_result()
        found = _links(page)
        links.append(found)
        pages.append(pdflayout.lines_of(layout, number, [box for _, box in found]))
        heights.append(layout.height)
        size += sum(len(line.text) for line in pages[-1])
        if size > limit:
            raise _TooMuch(f"has text of {expanded_past(limit)}")
    return info, pages, heights, links


class _Device(PDFPageAggregator):
    """pdfminer's page aggregator, counting the characters of a page as they come."""

    def begin_page(self, page, ctm) -> None:
        super().begin_page(page, ctm)
        self.chars = 0

    def render_char(self, *args, **kwargs) -> float:
        self.chars += 1
        if self.chars > MAX_PAGE_CHARS:
            raise _TooMuch(f"has a page of more than {MAX_PAGE_CHARS:,} characters, more than "
                           "Presscut lays out")
        return super().render_char(*args, **kwargs)


def _links(page: PDFPage) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The page's links to web addresses, with the box each covers."""
    found = []
    for annotation in resolve1(page.annots) or []:
        annotation = resolve1(annotation)
        action = resolve1(annotation.get("A")) if isinstance(annotation, dict) else None
        uri = resolve1(action.get("URI")) if isinstance(action, dict) else None
        box = resolve1(annotation.get("Rect")) if isinstance(annotation, dict) else None
        if isinstance(uri, bytes) and isinstance(box, list) and len(box) == 4:
            x0, y0, x1, y1 = (float(resolve1(v)) for v in box)
            found.append((decode_text(uri), (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))))
    return found


def _info(document: PDFDocument) -> dict[str, str]:
    """Title and author from the document information dictionary (a creation date is
    when it was printed, not when the article appeared: not used)."""
    found: dict[str, str] = {}
    for info in document.info:
        for key in ("Title", "Author"):
            value = resolve1(info.get(key))
            if isinstance(value, bytes) and key.lower() not in found:
                text = pdflayout.normalise(_SPACE.sub(" ", decode_text(value)))
                if text:
                    found[key.lower()] = text
    return found
