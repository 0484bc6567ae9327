"""Stage 1: a corpus file's bytes to text, with the encoding detected, not assumed; other
formats (PDF, Word, web archives, feeds, exports) through their own modules."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import importlib
import os
import re
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from core.files import CONTAINERS, HTML_SUFFIXES, READERS, TEXT_SUFFIXES, suffix_of
from core.records import LoadedFile, NotAnArticle, Skipped
from core.settings import ReadLimits

# Files bigger than this are almost never one article; refuse rather than eat memory.
MAX_BYTES = 50 * 1024 * 1024
# Archives and exports are read as streams, record by record.
MAX_CONTAINER_BYTES = 20 * 1024**3

# Why a link out of the corpus is not followed (it could be the server's key, /etc/passwd).
OUTSIDE = "is a link to a file outside the corpus; not followed"

# Code pages of the region's archives, tried when charset-normalizer's reading is poor.
REGIONAL_ENCODINGS = ("cp1251", "koi8-r", "cp1254", "iso-8859-9", "cp1252", "iso-8859-5")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_EDGE_PUNCTUATION = ".,;:!?\"'()[]{}«»“”„‘’-–—…"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Files of a corpus that describe it rather than hold articles.
CORPUS_SETTINGS = {"readme.md", "sources.csv", "manifest.csv", "aliases.toml", "outlets.toml"}


_READABLE = frozenset(HTML_SUFFIXES | TEXT_SUFFIXES | READERS.keys())


def is_corpus_file(name: str) -> bool:
    """True for the files the indexer reads (by file name)."""
    # Asked of every file at every run: one call, not three (a fifth of listing 100,000).
    lower = name.lower()
    if lower.startswith(".") or lower in CORPUS_SETTINGS:
        return False
    if lower.endswith(".warc.gz"):
        return True
    dot = lower.rfind(".")
    return (lower[dot:] if 0 < dot < len(lower) - 1 else "") in _READABLE


def readable_suffixes() -> str:
    return ", ".join(sorted(s for s in HTML_SUFFIXES | TEXT_SUFFIXES | set(READERS) if s))


def unread_reason(name: str) -> str | None:
    """Why a file of the corpus (by name) that is neither an article nor a setting is not
    read (a person who dropped a spreadsheet in must hear that it was passed over), or None."""
    if name.startswith(".") or name.lower() in CORPUS_SETTINGS or is_corpus_file(name):
        return None
    return (f"is a {suffix_of(name)} file, which Presscut does not read "
            f"(it reads {readable_suffixes()})")


def load_all(path: Path, relpath: str, limits: ReadLimits | None = None,
             root: str | None = None) -> list[LoadedFile | Skipped]:
    """Every article of one corpus file (one for most formats, one per record of an
    archive, feed or export), and the records of it that could not be read, with why.

    ``limits``: what a reader may expand (:class:`ReadLimits`); ``root``: the corpus
    folder (a real path) the file must lie in, its links followed."""
    suffix = suffix_of(path.name)
    if suffix not in READERS:
        return [load(path, relpath, root)]
    fmt, module_name = READERS[suffix]
    module = importlib.import_module(f"{__package__}.readers.{module_name}")
    limit = MAX_CONTAINER_BYTES if fmt in CONTAINERS else MAX_BYTES
    with _opened(path, limit, root) as handle:
        try:
            return _once(module.read(handle, relpath, fmt, limits or ReadLimits.default()))
        except OSError as exc:
            raise NotAnArticle(f"cannot be read: {exc.strerror or exc}") from exc


def load(path: Path, relpath: str, root: str | None = None) -> LoadedFile:
    """Read and decode one text or HTML file; raise :class:`NotAnArticle` with the reason."""
    with _opened(path, MAX_BYTES, root) as handle:
        try:
            data = handle.read()
        except OSError as exc:
            raise NotAnArticle(f"cannot be read: {exc.strerror or exc}") from exc
    text, encoding = decode(data)
    sha = hashlib.sha256(data).hexdigest()
    if suffix_of(path.name) in HTML_SUFFIXES:
        return from_html(relpath, text, encoding, sha)
    return LoadedFile(relpath, "text", encoding, sha, normalise_newlines(text))


def from_html(relpath: str, html: str, encoding: str, sha: str, fmt: str = "html",
              meta: dict[str, str] | None = None) -> LoadedFile:
    """A loaded HTML page; ``meta`` adds what its container knows (a WARC's URL)."""
    # Imported when a page is met: BeautifulSoup and trafilatura are a third of what a run
    # that re-indexes one changed text file imports.
    from indexer import htmlpage

    page = htmlpage.parse(html)
    return LoadedFile(relpath, "html", encoding, sha, page.text, {**(meta or {}), **page.meta},
                      page.removed, page.kinds, format=fmt)


@contextlib.contextmanager
def _opened(path: Path, limit: int, root: str | None) -> Iterator[BinaryIO]:
    """``path`` open for reading, if it is a regular file of at most ``limit`` bytes (in
    ``root``, when given). The corpus walk refused the others already; this holds should the
    file change in between. A named pipe is opened without waiting for a writer."""
    try:
        mode = os.stat(path).st_mode
        if root is not None and not inside(path, root):
            raise NotAnArticle(OUTSIDE)
        if not stat.S_ISREG(mode):
            raise NotAnArticle(not_regular(mode))
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError as exc:
        raise NotAnArticle(f"cannot be read: {exc.strerror or exc}") from exc
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAnArticle(not_regular(info.st_mode))
        if info.st_size > limit:
            raise NotAnArticle(f"is {info.st_size // 2**20} MB, larger than the "
                               f"{limit // 2**20} MB limit")
        yield handle


def inside(path: Path | str, root: str) -> bool:
    """Whether ``path``, its links followed, lies in the folder ``root`` (a real path)."""
    real = os.path.realpath(path)
    return real == root or real.startswith(root.rstrip("/") + "/")


def not_regular(mode: int) -> str:
    """Why what is not a regular file is not read (judged without opening it: a named pipe
    would wait for a writer for ever, a device give bytes without end)."""
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    kind = ("a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file")
    return f"is {kind}, not a regular file; not read"


def _once(found: Iterable[LoadedFile | Skipped]) -> list[LoadedFile | Skipped]:
    """Each article once: a record a file holds twice under one key (the same capture
    stored twice in a WACZ, an item repeated in a feed) is one article, the first."""
    seen: set[str] = set()
    kept: list[LoadedFile | Skipped] = []
    for item in found:
        if isinstance(item, LoadedFile):
            if item.relpath in seen:
                continue
            seen.add(item.relpath)
        kept.append(item)
    return kept


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text and the name of the encoding that was detected."""
    if not data.strip():
        raise NotAnArticle("is empty")
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    if b"\x00" in data:
        guessed = _utf16_without_bom(data)
        if guessed is None:
            raise NotAnArticle("looks binary (it contains NUL bytes), not text")
        return data.decode(guessed), guessed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # for the texts that are not UTF-8, as they are met

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise NotAnArticle("is not text in any encoding that could be detected")
    text, encoding = _most_plausible(data, str(best), best.encoding)
    if _control_ratio(text) > 0.05:
        raise NotAnArticle(f"looks binary (decoded as {encoding} it is mostly control codes)")
    return text, encoding


def _most_plausible(data: bytes, text: str, encoding: str) -> tuple[str, str]:
    """charset-normalizer's reading, unless a regional code page reads as cleaner words.

    Single-byte code pages all decode anything; what tells them apart is whether the
    words come out as words: letters only, in one case pattern ("g—sterilere" and
    "дПТПЗПК" do not).
    """
    best, best_score = (text, encoding), _word_score(text)
    for candidate in REGIONAL_ENCODINGS:
        try:
            decoded = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        score = _word_score(decoded)
        if score > best_score + 0.02:
            best, best_score = (decoded, candidate), score
    return best


def _word_score(text: str) -> float:
    tokens = [t.strip(_EDGE_PUNCTUATION) for t in text[:20000].split()]
    tokens = [t for t in tokens if t and not t.isdigit()]
    if not tokens:
        return 0.0
    return sum(1 for t in tokens if _is_word(t)) / len(tokens)


def _is_word(token: str) -> bool:
    letters = token.replace("'", "").replace("’", "").replace("-", "")
    one_case = letters.islower() or letters.isupper() or letters.istitle()
    mixed_scripts = bool(_CYRILLIC.search(letters)) and bool(_LATIN.search(letters))
    return letters.isalpha() and one_case and not mixed_scripts


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly Latin or Cyrillic has a NUL in every other byte."""
    even, odd = data[0::2], data[1::2]
    if len(data) % 2 == 0:
        if odd.count(0) > 0.3 * len(odd) and even.count(0) < 0.05 * len(even):
            return "utf-16-le"
        if even.count(0) > 0.3 * len(even) and odd.count(0) < 0.05 * len(odd):
            return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:4096]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(1, len(sample))


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
