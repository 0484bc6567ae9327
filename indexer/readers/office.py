"""Word (``.docx``, through python-docx) and OpenDocument (``.odt``, through odfpy) files:
their paragraphs in order, headings included; the first heading or the document's own
title is the title.

Dates and authors in a file's properties say who saved it and when, not who wrote the
article: they are not used.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib
from typing import BinaryIO
from xml.parsers.expat import ExpatError

from lxml.etree import XMLSyntaxError

from core.records import LoadedFile, NotAnArticle
from core.settings import ReadLimits
from indexer.readers import expanded_past

_SPACE = re.compile(r"\s+")
# Encrypted Office files are OLE containers, not ZIPs.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read(file: BinaryIO, relpath: str, fmt: str, limits: ReadLimits) -> list[LoadedFile]:
    data = file.read()
    if data.startswith(_OLE_MAGIC):
        raise NotAnArticle(f"is a password-protected (encrypted) or pre-2007 file, not a .{fmt} "
                           "Presscut can open")
    try:
        _check_expansion(data, fmt, limits.expanded)
        title, paragraphs = (_docx if fmt == "docx" else _odt)(data)
    except NotAnArticle:
        raise
    except (zipfile.BadZipFile, KeyError, ExpatError, XMLSyntaxError, ValueError, EOFError,
            zlib.error) as exc:
        # lxml's XMLSyntaxError is no ValueError: an entity bomb, a cut or non-XML part.
        raise NotAnArticle(f"is not a readable .{fmt} file ({type(exc).__name__}: {exc})") from exc
    body = [text for text in (_SPACE.sub(" ", p).strip() for p, _ in paragraphs) if text]
    headings = [_SPACE.sub(" ", p).strip() for p, heading in paragraphs if heading]
    if not body:
        raise NotAnArticle(f"is a .{fmt} file without text")
    meta = {f"{fmt}:title": title} if title else {}
    if headings and headings[0]:
        meta["h1"] = headings[0]
    return [LoadedFile(relpath, "html", fmt, hashlib.sha256(data).hexdigest(), "\n".join(body),
                       meta, format=fmt)]


def _check_expansion(data: bytes, fmt: str, limit: int) -> None:
    """Refuse a package whose parts unpack to more than ``limit`` bytes, before any is
    unpacked (zipfile reads no part past its stated size: the statement holds)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        size = sum(info.file_size for info in package.infolist())
    if size > limit:
        raise NotAnArticle(f"is a .{fmt} file that unpacks to {size / 2**20:.1f} MB, "
                           + expanded_past(limit))


def _docx(data: bytes) -> tuple[str, list[tuple[str, bool]]]:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise ValueError("not a Word package") from exc
    # Each style name looked up once: python-docx's ``paragraph.style`` searches the styles
    # part every time (a few ms a paragraph: 23 s for half a MB of short paragraphs).
    styles = {style.style_id: style.name for style in document.styles
              if style.type == WD_STYLE_TYPE.PARAGRAPH}
    default = document.styles.default(WD_STYLE_TYPE.PARAGRAPH)
    unstyled = default.name if default is not None else ""
    paragraphs = [(p.text, _is_heading(styles.get(p._p.style, unstyled) or ""))
                  for p in document.paragraphs]
    return (document.core_properties.title or "").strip(), paragraphs


def _is_heading(style: str) -> bool:
    return style.startswith(("Heading", "Title"))


def _odt(data: bytes) -> tuple[str, list[tuple[str, bool]]]:
    from odf import dc, teletype
    from odf.namespaces import TEXTNS
    from odf.opendocument import load

    document = load(io.BytesIO(data))
    paragraphs: list[tuple[str, bool]] = []

    def walk(node) -> None:
        for child in node.childNodes:
            if child.qname in ((TEXTNS, "p"), (TEXTNS, "h")):
                paragraphs.append((teletype.extractText(child), child.qname[1] == "h"))
            elif child.nodeType == child.ELEMENT_NODE:
                walk(child)

    walk(document.text)
    titles = document.meta.getElementsByType(dc.Title)
    title = teletype.extractText(titles[0]).strip() if titles else ""
    return title, paragraphs
