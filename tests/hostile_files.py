"""Hostile corpus files of issue 35, made on demand (the tests keep the generators, not the
files): each writes one file and returns its path. The big ones take their size as an
argument, so that a test lowers the budget rather than writing hundreds of MB."""

from __future__ import annotations

import html
import io
import zipfile
import zlib
from pathlib import Path

import docx

ARTICLE = ("Ministers of the Caspian states met in Aktau on Monday to discuss the pipeline "
           "tariffs and the border crossings that traders have complained about for years.")


def _docx_bytes(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading("Caspian ministers meet in Aktau", 1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    data = io.BytesIO()
    document.save(data)
    return data.getvalue()


def _with_member(package: bytes, member: str, content: bytes) -> bytes:
    """``package`` (a ZIP) with ``member``'s content replaced."""
    source, out = zipfile.ZipFile(io.BytesIO(package)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, content if info.filename == member
                            else source.read(info.filename))
    return out.getvalue()


def _document_xml(paragraphs: list[str]) -> bytes:
    return zipfile.ZipFile(io.BytesIO(_docx_bytes(paragraphs))).read("word/document.xml")


def entity_bomb_docx(path: Path) -> Path:
    """A DOCX whose word/document.xml declares a billion laughs and uses it."""
    entities = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)]
    xml = _document_xml([ARTICLE])
    body = xml.split(b"?>", 1)[1].replace(b"Ministers of", b"&lol9; Ministers of")
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [' + b"".join(entities) + b"]>" + body
    path.write_bytes(_with_member(_docx_bytes([ARTICLE]), "word/document.xml", bomb))
    return path


def broken_docx(path: Path, truncated: bool) -> Path:
    """A DOCX whose word/document.xml is cut in half, or is not XML at all."""
    xml = _document_xml([ARTICLE])
    content = xml[: len(xml) // 2] if truncated else b"this is not XML \x00\x01 at all"
    path.write_bytes(_with_member(_docx_bytes([ARTICLE]), "word/document.xml", content))
    return path


def expanding_docx(path: Path, megabytes: float) -> Path:
    """A small DOCX whose paragraphs expand to ``megabytes`` MB (the issue's: 100)."""
    xml = _document_xml([ARTICLE])
    paragraph = (b"<w:p><w:r><w:t>" + html.escape(ARTICLE).encode() + b"</w:t></w:r></w:p>")
    head, _, tail = xml.partition(b"<w:body>")
    body = paragraph * int(megabytes * 2**20 / len(paragraph))
    path.write_bytes(_with_member(_docx_bytes([ARTICLE]), "word/document.xml",
                                  head + b"<w:body>" + body + tail))
    return path


def _warc(captures: list[tuple[str, bytes, str]], gzipped: bool) -> bytes:
    """WARC records of HTML responses (url, body, WARC-Date), as warcio writes them."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzipped)
    for url, body, captured in captures:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers,
            warc_headers_dict={"WARC-Date": captured}))
    return out.getvalue()


def page(paragraphs: list[str], title: str = "Caspian ministers meet in Aktau") -> bytes:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{title}</title>"
            f"</head><body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def _wacz(path: Path, warcs: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("datapackage.json", '{"profile": "data-package", "resources": []}')
        for name, data in warcs.items():
            package.writestr(f"archive/{name}", data)
    return path


def corrupt_wacz(path: Path, paragraphs: list[str]) -> Path:
    """A WACZ whose WARC's deflate data is damaged half way (``zlib.error`` on reading)."""
    captures = [(f"https://news.example/{n}", page([f"{p} ({n})" for p in paragraphs]),
                 "2022-01-07T10:00:00Z") for n in range(20)]
    _wacz(path, {"data.warc": _warc(captures, gzipped=False)})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as package:
        info = package.getinfo("archive/data.warc")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    middle = start + info.compress_size // 2
    data[middle:middle + 64] = bytes(range(64))
    path.write_bytes(bytes(data))
    return path


def twice_captured_wacz(path: Path, paragraphs: list[str]) -> Path:
    """A WACZ holding the same capture (URL and date) twice, in two of its WARCs."""
    capture = ("https://news.example/aktau", page(paragraphs), "2022-01-07T10:00:00Z")
    return _wacz(path, {"a.warc.gz": _warc([capture], gzipped=True),
                        "b.warc.gz": _warc([capture], gzipped=True)})


def _big_page_warc(megabytes: float) -> bytes:
    paragraph = f"<p>{ARTICLE}</p>".encode()
    body = page([ARTICLE]).replace(b"</article>", paragraph * int(megabytes * 2**20 / len(paragraph))
                                   + b"</article>")
    return _warc([("https://news.example/big", body, "2022-01-07T10:00:00Z")], True)


def big_page_warc(path: Path, megabytes: float) -> Path:
    """A small .warc.gz whose one page expands to ``megabytes`` MB (the issue's: 50)."""
    path.write_bytes(_big_page_warc(megabytes))
    return path


def big_page_wacz(path: Path, megabytes: float) -> Path:
    """A small WACZ whose one page expands to ``megabytes`` MB (the issue's: 50)."""
    return _wacz(path, {"data.warc.gz": _big_page_warc(megabytes)})


def nested_jsonl(path: Path, good: list[dict], depth: int = 200_000) -> Path:
    """A JSON-lines export with one line of ``depth`` nested ``[`` among good lines."""
    import json

    lines = [json.dumps(row) for row in good]
    lines.insert(1, "[" * depth)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def long_line_jsonl(path: Path, good: list[dict], megabytes: float) -> Path:
    """A JSON-lines export with one article line of ``megabytes`` MB (the issue's: 200)."""
    import json

    text = (ARTICLE + " ") * int(megabytes * 2**20 / (len(ARTICLE) + 1))
    lines = [json.dumps(row) for row in good]
    lines.insert(1, json.dumps({"id": "long", "title": "Long", "text": text}))
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (numbered from 1, the first the catalog), with its xref."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)


def looping_pdf(path: Path) -> Path:
    """A PDF of a few hundred bytes whose page's box is an object that refers to another
    that refers back: pdfminer resolves the pair for ever."""
    path.write_bytes(_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                           b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                           b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R /Contents 5 0 R >>",
                           b"5 0 R", b"4 0 R"]))
    return path


def many_lines_pdf(path: Path, lines: int = 8000, pages: int = 1) -> Path:
    """A PDF of a few KB whose ``pages`` pages each show ``lines`` lines of text (one
    paragraph, wrapped from line to line and page to page; worded apart on each page, so
    that no line is a running head)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
                   b" ".join(b"%d 0 R" % (4 + 2 * n) for n in range(pages)), pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for n in range(pages):
        shown = (b"BT /F1 10 Tf 12 TL 50 800 Td "
                 + b"(Line of text %s) Tj T* " % bytes([97 + n % 26]) * lines + b"ET")
        stream = zlib.compress(shown, 9)
        objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                    b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (5 + 2 * n),
                    b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream"
                    % (len(stream), stream)]
    path.write_bytes(_pdf(objects))
    return path
