"""Who said it: the people and bodies quoted in each passage (cues in data/speakers.toml).

Per paragraph, in order: cues that name the speaker ("X said", "said X", "according to
X", "X bildirib", "deyə X əlavə edib", "X-in fikrincə"); follow-ups ("He added that",
"the statement read", "bəyanatda qeyd olunur") that go to the person or body named
before; a paragraph that continues a quotation, or quotes right after a paragraph with
a speaker, goes to that speaker. A short form ("Hasrat", "Milli Şura") is resolved to
the full name used before in the document.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from core import data as shipped
from core.names import name_key

_UPPER = "A-ZÀ-ÖØ-ÞƏÖÜÇŞĞİІА-ЯЁ"
# A capitalised word; a dot inside it ("Novator.az") or after an initial ("J.") belongs to
# it, a dot at its end otherwise ends a sentence, and no name runs past one ("the
# Qarabaghli Fund. Mayor Nigar Sultanli" is two).
_WORD = rf"(?:[{_UPPER}]\.(?=\s)|[{_UPPER}](?:[\w'’-]|\.(?=\w))*)"
_JOIN = r"(?:of|the|for|and|of the|və)"
_NAME = rf"(?P<name>{_WORD}(?:\s+(?:{_JOIN}\s+)?{_WORD}){{0,5}})"
_GENITIVE = rf"(?P<gname>{_WORD}(?:\s+{_WORD}){{0,5}})"
_GENITIVE_ENDING = re.compile(r"-?(?:nın|nin|nun|nün|ın|in|un|ün)$")
_APPOSITION = re.compile(rf"^,\s*{_NAME},\s*(?:also\s+)?\w+")
_QUOTES_OPEN, _QUOTES_CLOSE = ("“", "«", "„"), ("”", "»")
_BODY_WORDS = re.compile(
    r"\b(?:Council|Party|Ministry|Organi[sz]ation|Committee|Government|Office|Union|"
    r"Forces|Şurası|Şura|Partiyası|Nazirliyi|Təşkilatı|Hökuməti)\b")


@functools.cache
def _cues() -> dict:
    data = shipped.toml("speakers.toml")

    def compiled(patterns):
        return [re.compile(p.replace("NAME", _NAME).replace("GENITIVE", _GENITIVE))
                for p in patterns]

    return {
        "titles": sorted(data["titles"], key=len, reverse=True),
        "not_names": set(data["not_names"]),
        "naming": [c for lang in ("english", "azerbaijani")
                   for kind in ("after_name", "before_name")
                   for c in compiled(data[lang][kind])],
        "person": compiled(data["follow_up"]["person"]),
        "body": compiled(data["follow_up"]["body"]),
    }


def attribute(paragraphs: list[str]) -> list[tuple[str, ...]]:
    """The speakers of each paragraph of one document (full names, as written)."""
    cues = _cues()
    result: list[tuple[str, ...]] = []
    known: list[str] = []
    last_person = last_body = None
    carried: tuple[str, ...] = ()
    in_quote = False
    for text in paragraphs:
        for body in _bodies(text, cues):
            last_body = _resolve(body, known)
            known.append(last_body)
        speakers = [_resolve(n, known) for n in _named(text, cues)]
        if last_person and any(p.search(text) for p in cues["person"]):
            speakers.insert(0, last_person)
        if not speakers and last_body and any(p.search(text) for p in cues["body"]):
            speakers = [last_body]
        if not speakers and carried and (in_quote or _starts_quote(text)):
            speakers = list(carried)
        speakers = list(dict.fromkeys(speakers))
        for name in speakers:
            known.append(name)
            if _is_body(name):
                last_body = name
            else:
                last_person = name
        result.append(tuple(speakers))
        in_quote = _leaves_quote_open(text, in_quote)
        carried = tuple(speakers) or (carried if in_quote else ())
    return result


def _named(text: str, cues: dict) -> list[str]:
    """Names a cue points at, one per cue (the name nearest its verb), in text order."""
    by_cue: dict[tuple[int, int], tuple[int, str]] = {}
    for number, pattern in enumerate(cues["naming"]):
        for match in pattern.finditer(text):
            group = "gname" if "gname" in match.groupdict() else "name"
            raw = match.group(group)
            if group == "gname":
                raw = _GENITIVE_ENDING.sub("", raw)
            name = _clean(_nearest_apposition(raw, text[match.end(group):match.end()]), cues)
            key = (number, match.end())
            if name and (key not in by_cue or by_cue[key][0] < match.start(group)):
                by_cue[key] = (match.start(group), name)
    return [name for _, name in sorted(by_cue.values())]


def _nearest_apposition(name: str, between: str) -> str:
    """In "the Party of People's Front, Ali Kerimli, also believes" the speaker is the
    name set off just before the verb."""
    match = _APPOSITION.match(between)
    return match.group("name") if match else name


def _clean(name: str, cues: dict) -> str | None:
    name = re.sub(r"['’]s$", "", name.strip(" .,'’"))
    words = name.split()
    while words and words[0] in cues["not_names"]:
        words = words[1:]
    name = " ".join(words)
    for title in cues["titles"]:
        if name.startswith(title + " "):
            name = name[len(title) + 1 :]
    return name if len(name) > 2 and name not in cues["not_names"] else None


def _resolve(name: str, known: list[str]) -> str:
    """A short form -> the full name met before that it ends like ("Hasrat", "Milli Şura")."""
    short = [name_key(w) or w.lower() for w in name.split()]
    for full in reversed(known):
        words = [name_key(w) or w.lower() for w in full.split()]
        if len(words) > len(short) and all(
                w.startswith(s) for w, s in zip(words[-len(short):], short, strict=True)):
            return full
    return name


def _is_body(name: str) -> bool:
    return bool(_BODY_WORDS.search(name)) or (name.isupper() and len(name) > 1)


def _bodies(text: str, cues: dict) -> list[str]:
    """Bodies named in a paragraph, cut after their head word ("... Milli Şurası")."""
    found = []
    for match in re.finditer(_NAME, text):
        head = _BODY_WORDS.search(match.group("name"))
        if head:
            name = _clean(match.group("name")[: head.end()], cues)
            if name:
                found.append(name)
    return found


def _starts_quote(text: str) -> bool:
    return text.lstrip().startswith(('"', *_QUOTES_OPEN))


def _leaves_quote_open(text: str, was_open: bool) -> bool:
    """Whether a quotation runs on past the end of this paragraph."""
    opened = sum(text.count(q) for q in _QUOTES_OPEN)
    closed = sum(text.count(q) for q in _QUOTES_CLOSE)
    if opened or closed:
        return opened > closed or (was_open and opened == closed and not closed)
    return text.count('"') % 2 == 1 if not was_open else text.count('"') % 2 == 0


class Registry:
    """One spelling per speaker across the archive: an alias group's first name for a
    body ("Demokratik Qüvvələrin Milli Şurası" -> "National Council of Democratic
    Forces"), else the first spelling met of the same name keys ("Ali Kerimli" ->
    "Ali Karimli")."""

    def __init__(self, alias_groups: list[list[str]]):
        self._aliases = [(group[0], [_variant_words(v) for v in group]) for group in alias_groups]
        self._by_key: dict[tuple[str, ...], str] = {}
        self._known: set[str] = set()
        # A name's canonical spelling never changes once given: remember it.
        self._given: dict[str, str] = {}
        # The spellings handed out since the caller last cleared it (what one document
        # processed apart must have respelled in corpus order: pipeline.recanonical).
        self.handed: set[str] = set()

    def add_known(self, names) -> None:
        for name in names:
            # Known spellings recur in thousands of documents: key each once.
            if name not in self._known:
                self._known.add(name)
                self._by_key.setdefault(name_keys(name), name)

    def add_first(self, spellings: Iterable[tuple[tuple[str, ...], str]]) -> None:
        """Per name key, the spelling met first (as :meth:`add_known` of every name in the
        order met would leave)."""
        for key, name in spellings:
            self._by_key.setdefault(key, name)

    def canonical(self, name: str) -> str:
        if name not in self._given:
            self._given[name] = self._canonical(name)
        self.handed.add(self._given[name])
        return self._given[name]

    def _canonical(self, name: str) -> str:
        words = [w.casefold() for w in re.findall(r"\w+", name)]
        for head, variants in self._aliases:
            for variant, prefix in variants:
                n = len(variant)
                tail = words[-n:] if n <= len(words) else []
                if tail and tail[:-1] == variant[:-1] and (
                        tail[-1] == variant[-1] or prefix and tail[-1].startswith(variant[-1])):
                    return head
        return self._by_key.setdefault(name_keys(name), name)


def _variant_words(variant: str) -> tuple[list[str], bool]:
    return [w.casefold() for w in re.findall(r"\w+", variant)], variant.endswith("*")


def name_keys(name: str) -> tuple[str, ...]:
    """What makes two spellings one speaker: the name keys of its words."""
    return tuple(name_key(w) or w.lower() for w in re.findall(r"\w+", name))
