"""Printed lines joined into the paragraphs a person reads, by their layout.

Between two lines read one after the other, a paragraph ends where
* the type changes (a headline, a subheading, a bold standfirst);
* the gap between the lines is wider than between the lines of the same size elsewhere
  in the document (the space between paragraphs);
* the next line is indented further than this one (a first-line indent);
* the first word of the next line would have fitted at the end of this one: a line that
  ends short of its column's right edge was ended on purpose, not wrapped. This is what
  tells a paragraph broken by a page or column end from one that ended there.

A word broken at a line end keeps its hyphen ("short-term", and an address broken at a
hyphen reads back whole), unless the document is set with hyphenation and the word is
found unbroken elsewhere in it.
"""

from __future__ import annotations

import dataclasses
import re
import statistics
from collections import Counter, defaultdict

from indexer.readers.pdflayout import Line

_URL = re.compile(r"(?:https?://|www\.)\S+$")
_WORD = re.compile(r"\w+")
_BROKEN = re.compile(r"(\w+)[-\u2010\u00ad]$")
# What starts a paragraph of its own: a list item, a copyright line.
_ITEM = re.compile(r"^(?:[•▪◦●■–—*]\s|\d{1,2}[.)]\s|©)")
# A document whose lines end with a broken word this often is set with hyphenation.
HYPHENATED_SHARE = 0.08


@dataclasses.dataclass
class Paragraph:
    """Lines read as one paragraph, and their text."""

    lines: list[Line]
    text: str

    @property
    def page(self) -> int:
        return self.lines[0].page


def paragraphs(lines: list[Line], links: frozenset[str] = frozenset()) -> list[Paragraph]:
    """The paragraphs of a document's lines (in reading order); ``links`` are the
    addresses its links point to (a printed address is joined across lines to one)."""
    layout = _Layout(lines, links)
    found: list[Paragraph] = []
    for line in lines:
        if found and not layout.breaks(found[-1].lines[-1], line):
            found[-1].text = layout.join(found[-1].text, found[-1].lines[-1], line)
            found[-1].lines.append(line)
        else:
            found.append(Paragraph([line], line.text))
    return found


class _Layout:
    """What the document's own lines say of its layout: the usual distance between lines
    of a size, where lines of a column end, the words it uses."""

    def __init__(self, lines: list[Line], links: frozenset[str]):
        self.links = links
        self.pitch = _usual_pitches(lines)
        self.right = _right_edges(lines)
        self.words = Counter(w.casefold() for line in lines for w in _WORD.findall(line.text))
        self.compounds = Counter(m.casefold() for line in lines
                                 for m in re.findall(r"\w+-\w+", line.text))
        broken = sum(1 for line in lines if re.search(r"[^\W\d_][-\u2010]$", line.text))
        self.hyphenated = broken > HYPHENATED_SHARE * max(1, len(lines))

    def breaks(self, a: Line, b: Line) -> bool:
        """Whether a paragraph ends between line ``a`` and the next line read, ``b``."""
        if _type_changes(a, b) or _ITEM.match(b.text):
            return True
        if (b.page, b.flow) != (a.page, a.flow):
            return not self.wrapped(a, b)
        pitch = a.bottom - b.bottom
        if pitch < a.size / 3:
            return False  # side by side on one baseline: one line
        usual = self.pitch.get(a.size)
        if usual and pitch > usual + max(2.0, a.size / 4):
            return True
        if b.x0 > a.x0 + b.size / 2 and not _ITEM.match(a.text):
            return True
        return not self.wrapped(a, b)

    def wrapped(self, a: Line, b: Line) -> bool:
        """Whether ``a`` ended because the next word did not fit (or was broken)."""
        if _BROKEN.search(a.text):
            return True
        return a.x1 + a.space + b.first_word > self.right[(a.flow, round(a.x0))] - 0.5

    def join(self, text: str, a: Line, b: Line) -> str:
        """``text`` (ending with line ``a``) continued by line ``b``."""
        # Both patterns match within the last word: searched there, not through a text that
        # grows a line at a time (a one-paragraph PDF of 8,000 lines took 40 s, issue 35).
        last = text[text.rfind(" ") + 1:]
        broken, url = _BROKEN.search(last), _URL.search(last)
        if broken:
            if not url and self._unbroken(broken.group(1), b.text, soft=not text.endswith("-")):
                return text[:-1] + b.text
            return text + b.text
        # An address longer than the line is broken where it reaches the edge.
        full = self.right[(a.flow, round(a.x0))] - a.x1 < a.size
        if url and (" " not in a.text and full or any(link.startswith(url.group() + b.text.split()[0])
                                                  for link in self.links)):
            return text + b.text
        return f"{text} {b.text}"

    def _unbroken(self, left: str, right: str, soft: bool) -> bool:
        """Whether "left-" + "right" is one word broken by hyphenation, not a compound:
        what the document writes elsewhere says; else a soft hyphen (Chromium prints
        U+2010 where ``&shy;`` broke a word) or a document set with hyphenation."""
        first = _WORD.match(right)
        if not first or not right[:1].islower() or not left[-1:].isalpha():
            return False
        whole, compound = (left + first.group()).casefold(), f"{left}-{first.group()}".casefold()
        if self.words[whole] or self.compounds[compound]:
            return self.words[whole] > self.compounds[compound]
        return soft or self.hyphenated


def _type_changes(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) > 0.08 * max(a.size, b.size) or a.bold != b.bold


def _usual_pitches(lines: list[Line]) -> dict[float, float]:
    """Per font size, the distance from one line's baseline to the next's in the same
    column inside a paragraph: the smaller distances (those between paragraphs are
    larger; the position of a line varies by a point or so)."""
    seen: dict[float, list[float]] = defaultdict(list)
    for a, b in zip(lines, lines[1:], strict=False):
        pitch = a.bottom - b.bottom
        if (a.page, a.flow) == (b.page, b.flow) and a.size == b.size and pitch > a.size / 3:
            seen[a.size].append(pitch)
    usual = {}
    for size, pitches in seen.items():
        pitches.sort()
        low = pitches[len(pitches) // 10]
        usual[size] = statistics.median(p for p in pitches if p <= low + max(1.5, size / 8))
    return usual


def _right_edges(lines: list[Line]) -> dict[tuple, float]:
    """Where the lines of a column end at the furthest, per column and left edge (a block
    quote's lines end before the body's); per column alone for a left edge with few lines."""
    ends: dict[tuple, list[float]] = defaultdict(list)
    for line in lines:
        ends[(line.flow, round(line.x0))].append(line.x1)
        ends[(line.flow, None)].append(line.x1)
    # A column's flow is per page: a short last page takes the edge of the same column on
    # other pages.
    across: dict[tuple, float] = defaultdict(float)
    for (flow, left), found in ends.items():
        across[(flow[2], left)] = max(across[(flow[2], left)], max(found))
    return {(flow, left): across[(flow[2], left)] if len(found) < 3 else max(found)
            for (flow, left), found in ends.items()}
