"""A PDF's printed lines, where they stand and in what order a person reads them.

pdfminer.six finds the lines (characters on one baseline); its grouping of lines into
boxes is not used: a box is a paragraph only when lines are set close together, and a
page printed with ``line-height: 1.8`` gave a box a line. Here each line keeps its place,
font size, weight and the width of its first word (what paragraphs are told by, see
:mod:`indexer.readers.pdftext`), and the lines of a page are put in reading order: top
to bottom, and column by column where the page is set in columns.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections import Counter
from collections.abc import Iterator

from pdfminer.layout import LTChar, LTTextContainer, LTTextLineHorizontal

# Ligatures some fonts print ("eﬀect", "ﬁle://"): a reader reads the letters.
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\ufb05": "st", "\ufb06": "st", "\u00a0": " "})
_SPACE = re.compile(r"\s+")
# Columns are told apart by an empty stretch at least this wide (points) down the page.
MIN_GUTTER = 4.0
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)


@dataclasses.dataclass
class Line:
    """One printed line: its text, page, box (PDF points, y upwards) and type."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    first_word: float
    space: float
    linked: bool = False
    # (page, section, column): lines of one flow of text, set by :func:`reading_order`.
    flow: tuple[int, int, int] = (0, 0, 0)


def lines_of(layout, page: int, links: list[tuple[float, float, float, float]]) -> list[Line]:
    """The horizontal text lines of one pdfminer page layout."""
    found = []
    for line in _text_lines(layout):
        made = _line(line, page, links)
        if made is not None:
            found.append(made)
    return found


def _text_lines(container) -> Iterator[LTTextLineHorizontal]:
    for element in container:
        if isinstance(element, LTTextLineHorizontal):
            yield element
        elif isinstance(element, LTTextContainer):
            yield from _text_lines(element)


def normalise(text: str) -> str:
    """Printed text as a reader reads it: letters for ligatures, one space between words."""
    return _SPACE.sub(" ", text.translate(_LIGATURES)).strip()


def _line(line: LTTextLineHorizontal, page: int, links) -> Line | None:
    chars = [c for c in line if isinstance(c, LTChar) and c.get_text().strip()]
    text = normalise(_text(line))
    if not chars or not text:
        return None
    size = Counter(round(c.size, 1) for c in chars).most_common(1)[0][0]
    bold = sum(1 for c in chars if _BOLD.search(c.fontname)) > len(chars) / 2
    spaces = [c.width for c in line if isinstance(c, LTChar) and c.get_text() == " "]
    # A line of links (a menu) may have separators between them ("Home | World").
    letters = [c for c in chars if c.get_text().isalnum()]
    linked = bool(links and letters) and sum(1 for c in letters if _inside(c, links)) > 0.95 * len(letters)
    return Line(text, page, line.x0, line.x1, line.y1, statistics.median(c.y0 for c in chars),
                size, bold, _first_word(line), statistics.median(spaces) if spaces else size / 4,
                linked)


def _text(line: LTTextLineHorizontal) -> str:
    """The line's text without the spaces that take no room: Chromium prints one where a
    soft hyphen (``&shy;``) could have broken a word ("inter national")."""
    items = list(line)
    kept = []
    for k, item in enumerate(items):
        if isinstance(item, LTChar) and item.get_text() == " ":
            after = next((i for i in items[k + 1:] if isinstance(i, LTChar)), None)
            if after is not None and after.x0 < item.x0 + item.width / 3:
                continue
        kept.append(item.get_text())
    return "".join(kept)


def _first_word(line: LTTextLineHorizontal) -> float:
    """The width of the line's first word (up to its first space)."""
    start = end = None
    for item in line:
        if not isinstance(item, LTChar) or not item.get_text().strip():
            if start is not None:
                break
            continue
        start = item.x0 if start is None else start
        end = item.x1
    return (end - start) if start is not None else 0.0


def _inside(char: LTChar, links) -> bool:
    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
    return any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in links)


def reading_order(lines: list[Line]) -> list[Line]:
    """A page's lines as they are read: bands of lines top to bottom; where a gutter runs
    down several bands (columns, or a box beside the text) each column top to bottom,
    left column first. Each line's ``flow`` says which column it belongs to."""
    sections: list[tuple[list[list[Line]], list[tuple[float, float]]]] = []
    for band in _bands(lines):
        gaps = _gaps(band)
        narrowed = _narrowed(band, sections[-1][1]) if sections and sections[-1][1] else None
        if narrowed and not _below_columns(sections[-1][0], narrowed, band):
            sections[-1] = (sections[-1][0] + [band], narrowed)
        elif sections and not sections[-1][1] and not gaps:
            sections[-1][0].append(band)
        elif gaps:
            sections.append((_pulled_back(sections, gaps, band) + [band], gaps))
        else:
            sections.append(([band], []))
    ordered: list[Line] = []
    for number, (bands, gutters) in enumerate(sections):
        ordered += _columns(bands, gutters, number)
    return ordered


def _below_columns(bands: list[list[Line]], gutters, band: list[Line]) -> bool:
    """Whether a band in another type than the columns lies below where the other columns
    ended: what follows the columns (a footer), not more of the column it stands under
    (a paragraph may run on in one column below the end of the next)."""
    columns = {_column(line, gutters) for line in band}
    ends: dict[int, float] = {}
    sizes: Counter[float] = Counter()
    for line in (line for above in bands for line in above):
        column = _column(line, gutters)
        ends[column] = min(ends.get(column, line.bottom), line.bottom)
        sizes[line.size] += 1
    top, size = max(line.top for line in band), band[0].size
    others = [end for column, end in ends.items() if column not in columns]
    usual = sizes.most_common(1)[0][0]
    return bool(others) and all(end > top for end in others) and abs(size - usual) > 0.08 * usual


def _column(line: Line, gutters) -> int:
    return sum(1 for _, right in gutters if right <= line.x0)


def _pulled_back(sections, gaps, band: list[Line]) -> list[list[Line]]:
    """The bands just above a band that opens columns which belong to them: a column
    continuing a paragraph starts higher than one starting a paragraph."""
    pulled: list[list[Line]] = []
    if not sections or sections[-1][1]:
        return pulled
    bands = sections[-1][0]
    below = band
    while bands and _narrowed(bands[-1], gaps) == gaps and \
            min(line.bottom for line in bands[-1]) - max(line.top for line in below) < 2.5 * below[0].size:
        below = bands.pop()
        pulled.insert(0, below)
    if not bands:
        sections.pop()
    return pulled


def _bands(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped where they overlap vertically (by more than a third of the
    smaller), top to bottom, each band left to right."""
    bands: list[list[Line]] = []
    floor = None
    for line in sorted(lines, key=lambda item: (-item.top, item.x0)):
        overlap = None if floor is None else floor - line.top
        if bands and overlap is not None and -overlap > (line.top - line.bottom) / 3:
            bands[-1].append(line)
            floor = min(floor, line.bottom)
        else:
            bands.append([line])
            floor = line.bottom
    return [sorted(band, key=lambda item: item.x0) for band in bands]


def _gaps(band: list[Line]) -> list[tuple[float, float]]:
    """The empty stretches between the lines of a band wider than half a letter."""
    gaps, right = [], None
    for line in band:
        if right is not None and line.x0 - right > line.size / 2:
            gaps.append((right, line.x0))
        right = line.x1 if right is None else max(right, line.x1)
    return gaps


def _narrowed(band: list[Line], gutters: list[tuple[float, float]]) -> list[tuple[float, float]] | None:
    """The gutters as a band leaves them (a line may end a little further into one), or
    None when a line runs across one."""
    kept = []
    for left, right in gutters:
        middle = (left + right) / 2
        for line in band:
            if line.x1 <= left or line.x0 >= right:
                continue
            if line.x1 > middle and line.x0 < middle:
                return None
            left, right = (line.x1, right) if line.x1 <= middle else (left, line.x0)
        if right - left < MIN_GUTTER:
            return None
        kept.append((left, right))
    return kept


def _columns(section: list[list[Line]], gutters, number: int) -> list[Line]:
    """The lines of bands sharing gutters, column by column."""
    lines = [line for band in section for line in band]
    for line in lines:
        line.flow = (line.page, number, _column(line, gutters))
    return sorted(lines, key=lambda item: (item.flow[2], -item.top, item.x0))
