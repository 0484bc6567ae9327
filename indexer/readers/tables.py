"""Exports of other tools: JSON lines (``.jsonl``) and CSV files with one article per
line or row, the manifest's columns (``url``, ``outlet``, ``title``, ``date``,
``language``, ``authors``) plus ``text``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

from core import files
from core.records import LoadedFile, NotAnArticle, Skipped
from indexer import loader

COLUMNS = ("url", "outlet", "title", "date", "language", "authors", "archived_url")
# An article in one CSV cell may be longer than the csv module's default field limit.
MAX_FIELD = 10 * 2**20


def read(path: Path, relpath: str, fmt: str) -> Iterator[LoadedFile | Skipped]:
    text, _ = loader.decode(path.read_bytes())
    rows = _jsonl(text) if fmt == "jsonl" else _csv(text)
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


def _jsonl(text: str) -> Iterator[tuple[int, Mapping | str]]:
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except ValueError as exc:
            yield number, f"is not JSON ({exc})"
            continue
        yield number, row if isinstance(row, dict) else "is not a JSON object"


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
