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
from pathlib import Path
from xml.parsers.expat import ExpatError

from core.records import LoadedFile, NotAnArticle

_SPACE = re.compile(r"\s+")
# Encrypted Office files are OLE containers, not ZIPs.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read(path: Path, relpath: str, fmt: str) -> list[LoadedFile]:
    data = path.read_bytes()
    if data.startswith(_OLE_MAGIC):
        raise NotAnArticle(f"is a password-protected (encrypted) or pre-2007 file, not a .{fmt} "
                           "Presscut can open")
    try:
        title, paragraphs = (_docx if fmt == "docx" else _odt)(data)
    except (zipfile.BadZipFile, KeyError, ExpatError, ValueError) as exc:
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


def _docx(data: bytes) -> tuple[str, list[tuple[str, bool]]]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except PackageNotFoundError as exc:
        raise ValueError("not a Word package") from exc
    paragraphs = [(p.text, _is_heading(p.style.name if p.style is not None else ""))
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
