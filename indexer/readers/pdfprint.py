"""What is printed around an article in a PDF, told apart from the article, per document.

* Page furniture, by repetition and position: a line that comes back, digits aside, at
  the same height on at least half the pages (running heads, "Page 3 of 7", a site's
  fixed menu); and what a browser prints in the page margins even on one page (the date
  of printing, the title, the address, "1/3").
* Around the article, by position: short lines above the headline on the first page (a
  site's menu, its section name), paragraphs that are nothing but links (menus, "read
  more" lists: the PDF keeps where its links are), a copyright line at the end.
* The article's date and address as printed: a line that is a date ("7 January 2022",
  "Baku/07.01.22/Turan"), the address in the browser's footer (or, when the browser
  shortened it with "…", the link or printed address it begins).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict

from indexer.readers.pdflayout import Line
from indexer.readers.pdftext import Paragraph

_DIGITS = re.compile(r"\d+")
# What a browser prints in the margins: its address (with "2/5" after it when the line
# is shared), "2/5", the time of printing (with the title after it when shared).
_PRINTED = re.compile(
    r"^(?:(?:https?|file)://\S+(?:\s+\d+\s*/\s*\d+)?|about:blank|\d+\s*/\s*\d+|"
    r"\d{1,2}/\d{1,2}/\d{2,4},?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?(?:\s.{0,200})?|"
    r"(?:page|p\.|стр\.|səh\.|s\.)?\s*[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:of|из|/)\s*\d+)?)$", re.I)
# Of the page's height, the top and bottom share that is its margin.
MARGIN = 0.06
# Lines above the headline with at most this many words are the site's, not the article's.
MENU_WORDS = 12
HEADLINE_WORDS = 40
_COPYRIGHT = re.compile(r"^(?:©|\(c\)\s|copyright\b|all rights reserved)", re.I)

_MONTHS = {name: number for number, names in enumerate((
    "january jan yanvar января январь ocak", "february feb fevral февраля февраль şubat",
    "march mar mart марта март", "april apr aprel апреля апрель nisan",
    "may мая май mayıs", "june jun iyun июня июнь haziran", "july jul iyul июля июль temmuz",
    "august aug avqust августа август ağustos", "september sep sept sentyabr сентября сентябрь eylül",
    "october oct oktyabr октября октябрь ekim", "november nov noyabr ноября ноябрь kasım",
    "december dec dekabr декабря декабрь aralık"), 1) for name in names.split()}
_MONTH = "(?P<month>" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
_DATES = (
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}\s*,?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}}),?\s+(?P<year>(?:19|20)\d\d)\b", re.I),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b"),
    # A month alone, on a line of its own ("January 2022")
    re.compile(rf"^{_MONTH}\s+(?P<year>(?:19|20)\d\d)$", re.I),
)
# "Baku/07.01.22/Turan": place, day.month.year, agency (the article may follow)
_DATELINE = re.compile(r"^[^\W\d][\w .'-]{1,30}/(?P<day>\d{1,2})\.(?P<month>\d{1,2})\."
                       r"(?P<year>\d\d)/[^\W\d][\w .&'-]{0,40}")
# A date line holds little else: a label ("Published"), a time, a place or section.
_DATE_LINE_WORDS = 4


def furniture(pages: list[list[Line]], heights: list[float], title: str) -> set[int]:
    """The ids of the lines that are page furniture."""
    found = {id(line) for line in _repeated(pages)}
    for lines, height in zip(pages, heights, strict=True):
        for line in lines:
            in_margin = line.top > height * (1 - MARGIN) or line.bottom < height * MARGIN
            if in_margin and (_PRINTED.match(line.text) or line.text.endswith("…")
                              or title and line.text == title):
                found.add(id(line))
    return found


def _repeated(pages: list[list[Line]]) -> list[Line]:
    """Lines whose text, digits aside, comes back at the same height on at least half
    the pages (and two)."""
    if len(pages) < 2:
        return []
    seen: dict[tuple[str, int], set[int]] = defaultdict(set)
    for number, lines in enumerate(pages):
        for line in lines:
            seen[(_shape(line), round(line.top / 4))].add(number)
    need = max(2, len(pages) / 2)

    def pages_with(line: Line) -> int:
        shape, height = _shape(line), round(line.top / 4)
        return len(seen[(shape, height - 1)] | seen[(shape, height)] | seen[(shape, height + 1)])

    return [line for lines in pages for line in lines if pages_with(line) >= need]


def _shape(line: Line) -> str:
    return _DIGITS.sub("0", line.text.casefold())


def headline(paragraphs: list[Paragraph]) -> int | None:
    """Which paragraph is the headline: of a few words on the first page, the one set
    largest (and larger than the body text)."""
    body = _body_size(paragraphs)
    found = [(-p.lines[0].size, n) for n, p in enumerate(paragraphs) if p.page == 1
             and p.lines[0].size >= 1.3 * body and 2 <= len(p.text.split()) <= HEADLINE_WORDS]
    return min(found)[1] if found else None


def around_article(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], list[Paragraph]]:
    """The article's paragraphs, and those printed around it (menus above the headline,
    paragraphs of links only, a closing copyright line)."""
    headline_at = headline(paragraphs)
    around = set()
    if headline_at is not None:
        around |= {n for n in range(headline_at) if len(paragraphs[n].text.split()) <= MENU_WORDS}
    around |= {n for n, p in enumerate(paragraphs) if all(line.linked for line in p.lines)}
    for n in range(len(paragraphs) - 1, max(-1, len(paragraphs) - 4), -1):
        if _COPYRIGHT.match(paragraphs[n].text):
            around |= set(range(n, len(paragraphs)))
            break
    return ([p for n, p in enumerate(paragraphs) if n not in around],
            [p for n, p in enumerate(paragraphs) if n in around])


def _body_size(paragraphs: list[Paragraph]) -> float:
    sizes: Counter[float] = Counter()
    for paragraph in paragraphs:
        for line in paragraph.lines:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def printed_date(paragraphs: list[Paragraph], lines: int = 15) -> tuple[str | None, Paragraph | None]:
    """The day printed as the article's date near its top (ISO), and the paragraph that
    is only that date (a dateline, a "Published 7 January 2022"), if one is."""
    for paragraph in paragraphs[:lines]:
        for pattern in _DATES:
            match = pattern.search(paragraph.text)
            day = match and _iso(match["year"], match["month"], match.groupdict().get("day"))
            rest = match and paragraph.text[:match.start()] + paragraph.text[match.end():]
            if day and len(re.findall(r"[^\W\d_]{2,}", rest)) <= _DATE_LINE_WORDS:
                return day, paragraph
        match = _DATELINE.match(paragraph.text)
        day = match and _iso(match["year"], match["month"], match["day"])
        if day:
            alone = paragraph.text[match.end():].strip() in ("", ":")
            return day, paragraph if alone else None
    return None, None


def _iso(year: str, month: str, day: str | None) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM`` without a day), or None for no day of the calendar."""
    number = int(month) if month.isdigit() else _MONTHS.get(month.casefold().rstrip("."))
    try:
        found = dt.date(int(year) + (2000 if len(year) == 2 else 0), number or 0, int(day or 1))
    except ValueError:
        return None
    return found.isoformat() if day else found.isoformat()[:7]


def printed_url(margins: list[str], links: frozenset[str], paragraphs: list[Paragraph]) -> str | None:
    """The page's address: the browser's footer, or what its shortened form begins."""
    for text in margins:
        address = text.split()[0]
        if address.startswith(("http://", "https://")) and "…" not in address:
            return address
    for text in margins:
        prefix = text.split("…")[0]
        if prefix.startswith(("http://", "https://")) and "…" in text:
            printed = [w for p in paragraphs for w in p.text.split() if w.startswith(prefix)]
            found = sorted(w for w in (*links, *printed) if w.startswith(prefix))
            if found:
                return found[0]
    return None
