"""Stage 2: split a loaded file into paragraphs and take out the boilerplate.

The rules are data (``data/boilerplate.toml``); this module only applies them:
line patterns, a sign-off code at a paragraph's end, a footer cut-off at the end
of a dump, and lines that repeat across one outlet's documents.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from collections import Counter, defaultdict

from core import data as shipped
from core.records import CleanText

_SPACE = re.compile(r"[ \t\u00a0]+")
_WORD = re.compile(r"\w+")
# Menus, banners and sign-up lines are short; longer lines are never counted as repeats.
MAX_BOILERPLATE_LINE = 300


@dataclasses.dataclass(frozen=True)
class Rules:
    version: str
    line_patterns: tuple[tuple[str, re.Pattern[str]], ...]
    signoff: re.Pattern[str]
    footer_min_run: int
    footer_min_words: int
    sentence_end: re.Pattern[str]
    repeat_min_documents: int
    repeat_min_share: float


@functools.cache
def rules() -> Rules:
    """The boilerplate rules shipped with Presscut, compiled once."""
    data = shipped.toml("boilerplate.toml")
    patterns = tuple(
        (kind, re.compile(pattern, re.I))
        for kind, alternatives in data["line"].items()
        for pattern in alternatives
    )
    return Rules(
        version=data["version"],
        line_patterns=patterns,
        signoff=re.compile(data["tail"]["signoff"]),
        footer_min_run=data["footer"]["min_run"],
        footer_min_words=data["footer"]["min_words"],
        sentence_end=re.compile(data["footer"]["sentence_end"]),
        repeat_min_documents=data["repeats"]["min_documents"],
        repeat_min_share=data["repeats"]["min_share"],
    )


def paragraphs(text: str) -> list[str]:
    """Paragraphs of a dump: a line each, or blank-line blocks when the file is hard-wrapped."""
    lines = [line.strip() for line in text.split("\n")]
    blocks = [b for b in re.split(r"\n[ \t]*\n", text) if b.strip()]
    multi_line = [b for b in blocks if b.strip().count("\n") >= 1]
    if len(blocks) > 1 and len(multi_line) >= len(blocks) / 2 and _looks_wrapped(multi_line):
        return [" ".join(line.strip() for line in b.strip().split("\n")) for b in blocks]
    return [line for line in lines if line]


def _looks_wrapped(blocks: list[str]) -> bool:
    lengths = [len(line) for b in blocks for line in b.strip().split("\n")]
    lengths.sort()
    return lengths[len(lengths) // 2] < 100


def normalise_line(line: str) -> str:
    """The form in which lines are compared across documents."""
    return _SPACE.sub(" ", line).strip().casefold()


def line_key(line: str) -> str:
    """A short digest of a line as compared across documents (:func:`normalise_line`): the
    state keeps these per file, so a later run counts repeats without reading the corpus."""
    return hashlib.blake2b(normalise_line(line).encode(), digest_size=8).hexdigest()


def clean(text: str, repeated: frozenset[str] = frozenset(), footer: bool = True) -> CleanText:
    """Article paragraphs of ``text`` and, in order, every piece removed from it.

    ``repeated``: the :func:`line_key` of lines that are boilerplate in this outlet.

    ``footer``: cut a trailing run of non-article lines (for dumps of whole pages; an
    extractor that already found the article body does not need it, and measured on
    saved pages the cut cost recall).
    """
    r = rules()
    kept: list[str] = []
    removed: list[str] = []
    for para in paragraphs(text):
        para = para.strip()
        tail = r.signoff.search(para)
        if tail:
            removed.append(tail.group(1))
            para = para[: tail.start()].rstrip()
        if not para:
            continue
        if line_key(para) in repeated or matching_rule(para):
            removed.append(para)
        else:
            kept.append(para)
    cut = _footer_start(kept, r) if footer else len(kept)
    # Keep removed lines in the order they stood in the file.
    footer = kept[cut:]
    kept = kept[:cut]
    return CleanText(tuple(kept), tuple(_in_file_order(text, removed + footer)))


def matching_rule(line: str) -> str | None:
    """The kind of boilerplate a whole line is (e.g. ``photo_credit``), or None."""
    stripped = line.strip()
    for kind, pattern in rules().line_patterns:
        if pattern.fullmatch(stripped):
            return kind
    return None


def _footer_start(kept: list[str], r: Rules) -> int:
    run = 0
    for line in reversed(kept):
        if _reads_as_article(line, r):
            break
        run += 1
    if run >= r.footer_min_run and run < len(kept):
        return len(kept) - run
    return len(kept)


def _reads_as_article(line: str, r: Rules) -> bool:
    return len(_WORD.findall(line)) >= r.footer_min_words and bool(r.sentence_end.search(line))


def _in_file_order(text: str, pieces: list[str]) -> list[str]:
    return sorted(pieces, key=lambda piece: _position(text, piece))


def _position(text: str, piece: str) -> int:
    found = text.find(piece)
    return found if found >= 0 else len(text)


def short_lines(text: str) -> frozenset[str]:
    """The :func:`line_key` of a text's lines short enough to be boilerplate (for
    :func:`line_counts`)."""
    return frozenset(line_key(line) for line in paragraphs(text) if _short(line))


def _short(line: str) -> bool:
    # Normalising keeps every character that is not white space (none casefolds to
    # nothing), so a line with more of them is long without the costlier regex pass.
    if sum(map(len, line.split())) > MAX_BOILERPLATE_LINE:
        return False
    return len(normalise_line(line)) <= MAX_BOILERPLATE_LINE


LineCounts = tuple[int, Counter]


def line_counts(lines_by_outlet: dict[str, list[frozenset[str]]]) -> dict[str, LineCounts]:
    """Per outlet, its documents and in how many of them each short line occurs (what the
    indexing state keeps, so that one changed file updates the counts of its outlet);
    ``lines_by_outlet`` holds each document's :func:`short_lines`."""
    result: dict[str, LineCounts] = {}
    for outlet, documents in lines_by_outlet.items():
        counts: Counter[str] = Counter()
        for lines in documents:
            counts.update(lines)
        result[outlet] = (len(documents), counts)
    return result


def repeated_in(counts: dict[str, LineCounts]) -> dict[str, frozenset[str]]:
    """Per outlet of ``counts`` (:func:`line_counts`), the lines that recur in enough of its
    documents to be its boilerplate."""
    r = rules()
    result: dict[str, frozenset[str]] = defaultdict(frozenset)
    for outlet, (documents, lines) in counts.items():
        if documents < r.repeat_min_documents:
            continue
        threshold = max(r.repeat_min_documents, r.repeat_min_share * documents)
        result[outlet] = frozenset(line for line, n in lines.items() if n >= threshold)
    return result
