"""A quote's words and an archived text's words, as the quote checker compares them:
folded (quote-mark style, dashes, spacing and case no longer count), each with where it
stands in the text it comes from, so that what is shown is the text as written."""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

from core import data as shipped
from core.analysis import WORD, common_words, fold
from search import senses

_ELLIPSIS = re.compile(r"\[\s*(?:…|\.\.\.)\s*\]|…|\.{3}")
# Quoted speech inside a paragraph, six words or more.
_QUOTATION = re.compile(r'[“"«„]([^“”"«»„]{30,}?)[”"»“]')
_SENTENCE_END = re.compile(r"[.!?]")
# A quote that closes a sentence (a full stop, not an ellipsis, which says words are left out).
_CLOSES = re.compile(r"(?<![.…])[.!?][\"'“”’»›)\]]*\s*$")
# Where the archive's sentence has ended after a quoted stretch: a full stop (not a decimal
# point), a closing quote mark or bracket, a comma before one ('"... an ally," he said'),
# or the speaker named after a comma or dash ("..., he said.", "..., — заявил Токаев.").
_ATTACHED = r"[\s)\]%‰°]*"  # a closing bracket or a unit sign stays with the word before
_ENDED = re.compile(_ATTACHED + r"""(?:[.!?…](?!\d)|[,;]?\s*["'“”’»›](?=\s|$|[,.;:!?—–-]))""")
_SPEECH_TAG = re.compile(
    _ATTACHED + r"(?:[,–—-]\s*)+(?:[\w'’.-]+\s+){0,7}?(?:said|says|told|added|wrote|stated|noted|believes|"
    r"explained|argued|warned|claimed|according\s+to|deyə|bildirib|qeyd\s+edib|сказал|заявил|"
    r"сообщил|отметил|считает)\b[^.!?…]*(?:[.!?…]|$)", re.IGNORECASE)
# What is left of "don't", "didn't", "can't"... once "'t" is cut off: no content of its own.
_CONTRACTED = frozenset({"don", "doesn", "didn", "isn", "aren", "wasn", "weren", "hasn",
                         "haven", "hadn", "wouldn", "couldn", "shouldn", "ain"})


@dataclasses.dataclass(frozen=True)
class Token:
    """One word: as written (``raw``), folded (``word``), what it stands for (``key``, its
    stem or its synonyms' key: what two words must share to stand for each other), and
    its place in its text."""

    raw: str
    word: str
    key: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """The words of ``text`` with their offsets in it."""
    found = []
    for m in WORD.finditer(text):
        word = fold(unicodedata.normalize("NFKC", m.group()))
        found.append(Token(m.group(), word, senses.key(word), m.start(), m.end()))
    for k, key in senses.phrase_keys([t.word for t in found]).items():
        found[k] = dataclasses.replace(found[k], key=key)  # "pulled out" stands for "withdrew"
    return found


def words(text: str) -> list[str]:
    """Folded words: quote-mark style, dashes, spacing and case no longer count."""
    return [fold(w) for w in WORD.findall(unicodedata.normalize("NFKC", text))]


def segments(quote: str) -> list[list[str]]:
    """The quote's runs of words between ellipses (which stand for left-out words)."""
    return [w for w in (words(part) for part in _ELLIPSIS.split(quote)) if w]


def quotations(text: str) -> list[str]:
    """The quoted statements inside ``text`` (long enough to be worth tracing)."""
    return [q for q in _QUOTATION.findall(text) if len(q.split()) >= 6]


def content_words(quote: str) -> list[str]:
    """The quote's words as typed, less the commonest words of its language."""
    return [w for w in WORD.findall(unicodedata.normalize("NFKC", quote)) if is_content(w)]


def is_content(word: str) -> bool:
    """Whether a word (as typed) says something: not one of the commonest words nor an
    auxiliary ("did not make" says what "never made" says), and a number only as a year
    ("in 2019" says something, "3" rarely alone)."""
    if word.isdigit():
        return len(word) == 4
    return fold(word) not in common_words() | _CONTRACTED | _auxiliaries()


@functools.cache
def _auxiliaries() -> frozenset[str]:
    """The verbs a negation leans on (``data/negations.toml``): "did", "must", "has"."""
    return frozenset(fold(w) for w in shipped.toml("negations.toml")["auxiliaries"])


def sentence_ends(text: str, spans: list[tuple[int, int]], marks: re.Pattern = _SENTENCE_END
                  ) -> set[int]:
    """Numbers of the words (``spans``: where each stands in ``text``) a sentence ends after
    (or, with other ``marks``, a clause); a point between digits ends nothing (6.8bn)."""
    return {k for k in range(len(spans) - 1)
            if marks.search(between := text[spans[k][1] : spans[k + 1][0]])
            and not (between in ".," and text[spans[k][1] - 1].isdigit()
                     and text[spans[k + 1][0]].isdigit())}


def sentences(text: str, found: list[Token]) -> list[list[int]]:
    """The sentences of ``text`` (``found``: its words), as lists of word numbers."""
    ends = sentence_ends(text, [(t.start, t.end) for t in found])
    units: list[list[int]] = [[]]
    for k in range(len(found)):
        units[-1].append(k)
        if k in ends:
            units.append([])
    return [u for u in units if u]


# Where a sentence ends in published text: its mark, closing quotes or brackets, a space.
_SENTENCE_BREAK = re.compile(r"[.!?…][\"”»’)\]]*\s+|\n+")


def marked_sentences(text: str, spans: list[tuple[int, int]]) -> list[list[tuple[str, bool]]]:
    """The sentences of ``text`` holding ``spans``, as published, each cut into pieces
    (text, whether it is inside a span)."""
    breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
    bounds: list[list[int]] = []
    for start, end in sorted(spans):
        first = max((b for b in breaks if b <= start), default=0)
        last = min((b for b in breaks if b >= end), default=len(text))
        if bounds and first < bounds[-1][1]:
            bounds[-1][1] = max(bounds[-1][1], last)
        else:
            bounds.append([first, last])
    sentences = []
    for first, last in bounds:
        pieces, at = [], first
        for start, end in sorted(spans):
            if first <= start and end <= last:
                pieces += [(text[at:start], False), (text[start:end], True)]
                at = end
        pieces.append((text[at:last].rstrip(), False))
        sentences.append([p for p in pieces if p[0]])
    return sentences


def closes_sentence(quote: str) -> bool:
    """Whether ``quote`` ends with a full stop, question or exclamation mark: it stands
    for a whole sentence, not the start of one."""
    return bool(_CLOSES.search(quote))


def goes_on(after: str) -> bool:
    """Whether the archive's sentence goes on in ``after`` (the text following a quoted
    stretch), rather than ending there or naming who said it."""
    return bool(after.strip()) and not (_ENDED.match(after) or _SPEECH_TAG.match(after))
