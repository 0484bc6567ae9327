"""Exports of other tools: JSON lines (``.jsonl``) and CSV files with one article per
line or row, the manifest's columns (``url``, ``outlet``, ``title``, ``date``,
``language``, ``authors``) plus ``text``."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import BinaryIO

from core import files
from core.records import LoadedFile, NotAnArticle, Skipped
from core.settings import ReadLimits
from indexer import loader
from indexer.readers import expanded_past

COLUMNS = ("url", "outlet", "title", "date", "language", "authors", "archived_url")
# An article in one CSV cell may be longer than the csv module's default field limit.
MAX_FIELD = 10 * 2**20
# Text in these is not split into lines at b"\n": such a file is decoded whole.
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def read(file: BinaryIO, relpath: str, fmt: str, limits: ReadLimits) -> Iterator[LoadedFile | Skipped]:
    rows = (_jsonl(file, limits.expanded) if fmt == "jsonl"
            else _csv(loader.decode(file.read())[0]))
    found_any = False
    for number, row in rows:
        member = files.member_path(relpath, _key(row, number))
        if isinstance(row, str):
            yield Skipped(member, f"(line {number}) {row}")
            continue
        body = str(row.get("text") or "").strip()
        if not body:
            yield Skipped(member, f"(line {number}) has no text")
            continue
        found_any = True
        values = {k: _value(row.get(k)) for k in COLUMNS if _value(row.get(k))}
        yield LoadedFile(member, "text", "utf-8",
                         hashlib.sha256(json.dumps(row, sort_keys=True).encode()).hexdigest(),
                         loader.normalise_newlines(body), format=fmt, row=values)
    if not found_any:
        raise NotAnArticle(f"is a .{fmt} file without any article (each needs a 'text' value)")


def _key(row: Mapping | str, number: int) -> str:
    """What names a record across re-exports: its id or URL, else its line."""
    if isinstance(row, Mapping):
        for column in ("id", "file", "url"):
            if row.get(column):
                return f"{column}:{row[column]}"
    return f"line:{number}"


def _value(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value).strip()


def _jsonl(file: BinaryIO, limit: int) -> Iterator[tuple[int, Mapping | str]]:
    """Each line's row, or why it is none. A line is read alone, and one longer than
    ``limit`` bytes is passed over unread (a 200 MB line cost 2.9 GB read whole)."""
    head = file.read(4)
    file.seek(0)
    if head.startswith(_WIDE_BOMS):
        text, _ = loader.decode(file.read())
        lines: Iterable[str | None] = (line if len(line) <= limit else None
                                       for line in text.split("\n"))
    else:
        lines = _lines(file, limit)
    for number, line in enumerate(lines, 1):
        if line is None:
            yield number, f"is a line of {expanded_past(limit)}"
        elif line.strip():
            yield number, _row(line)


def _lines(file: BinaryIO, limit: int) -> Iterator[str | None]:
    """The file's lines, each decoded (as UTF-8, else as detected), None for a line past
    ``limit`` bytes (skipped in pieces, never held whole)."""
    first = True
    while line := file.readline(limit + 1):
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := file.readline(2**20)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            if first and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                yield _detected(line)
        first = False


def _detected(line: bytes) -> str:
    try:
        return loader.decode(line)[0]
    except NotAnArticle:
        return line.decode("utf-8", "replace")


def _row(line: str) -> Mapping | str:
    """One line's object, or why it is none."""
    try:
        row = json.loads(line)
    except RecursionError:  # json's parser recurses once a bracket: 200,000 of them
        return "is nested too deeply to read"
    except ValueError as exc:
        return f"is not JSON ({exc})"
    return row if isinstance(row, dict) else "is not a JSON object"


def _csv(text: str) -> Iterator[tuple[int, Mapping | str]]:
    csv.field_size_limit(MAX_FIELD)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if "text" not in (reader.fieldnames or []):
        raise NotAnArticle("is a CSV without a 'text' column (an export needs one article a row; "
                           "a manifest is named sources.csv)")
    try:
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if k}
    except csv.Error as exc:
        raise NotAnArticle(f"is not a readable CSV (line {reader.line_num}: {exc})") from exc
