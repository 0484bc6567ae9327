"""Who and what a document mentions: people, organisations and places, each under one
spelling across scripts (the alias groups and the name keys the speakers use).

Rules, not a statistical tagger: no well-kept NER library covers Azerbaijani, and the
ones that cover English and Russian (spaCy, Stanza) fetch their models from hosts this
project cannot reach; measured in docs/entities.md. The rules are data
(``data/entities.toml``): a capitalised run of words is a candidate; an alias group,
an organisation or place word, or the shape of a surname gives its type; anything else
is left out (a missed name costs less than a false one in a facet).

What was found is indexed; a corpus's ``entities.toml`` corrects it at search time
(merge two spellings, drop a false name, set a type) without re-indexing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from core.analysis import fold
from core.entities import JOINERS, kind_of, name_rules, without_case_ending
from core.names import name_key, nominative

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_POSSESSIVE = re.compile(r"['’](?:s|ın|in|un|ün|nın|nin|nun|nün|a|ə|ya|yə|da|də|dan|dən)?$")
MAX_WORDS = 6


class Finder:
    """Finds the names a document mentions; ``alias_groups`` are the corpus's groups of
    names (first name shown), ``canonical`` the speakers' one spelling per person."""

    def __init__(self, alias_groups: list[list[str]], canonical):
        self.canonical = canonical
        self._aliases: dict[str, list[tuple[tuple[str, ...], bool, str]]] = {}
        for group in alias_groups:
            for name in group:
                words = tuple(fold(_POSSESSIVE.sub("", w)) for w in _TOKEN.findall(name.rstrip("*")))
                if words:
                    self._aliases.setdefault(words[0], []).append(
                        (words, name.endswith("*"), group[0]))
        for variants in self._aliases.values():
            variants.sort(key=lambda v: -len(v[0]))
        # Each group's names as folded words, by the name shown (for short forms).
        self._variants: dict[str, list[tuple[str, ...]]] = {}
        for variants in self._aliases.values():
            for words, _, head in variants:
                self._variants.setdefault(head, []).append(words)
        self._starting: dict[str, list] = {}
        self._matters: dict[str, bool] = {}

    def find(self, paragraphs: Iterable[str]) -> tuple[str, ...]:
        """Every name mentioned, canonical, in order of first mention."""
        return self.find_each(paragraphs)[0]

    def find_each(self, paragraphs: Iterable[str]) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
        """Every name the text mentions, and those each paragraph mentions (a surname alone
        is the full name the text gives it elsewhere)."""
        each = [tuple(dict.fromkeys(self._names(para))) for para in paragraphs]
        found = dict.fromkeys(n for names in each for n in names)
        full = {**_full_names(found), **self._short_forms(found)}
        each = [tuple(dict.fromkeys(full.get(n, n) for n in names)) for names in each]
        return tuple(dict.fromkeys(n for names in each for n in names)), each

    def _short_forms(self, names) -> dict[str, str]:
        """Each organisation named by the end of a name of a group the text also mentions
        -> that group ("Milli Şura" after "Demokratik Qüvvələrin Milli Şurası": the
        Azerbaijani head keeps its possessive only after the words it drops)."""
        heads = [n for n in names if n in self._variants]
        found = {}
        for name in names:
            words = tuple(fold(w) for w in name.split())
            if name in self._variants or kind_of(name) != "organisation":
                continue
            for head in heads:
                if any(_ends_with(variant, words) for variant in self._variants[head]):
                    found[name] = head
                    break
        return found

    def _names(self, para: str) -> Iterable[str]:
        # The words as strings in one call (their spans are asked only inside names).
        tokens, words = list(_TOKEN.finditer(para)), _TOKEN.findall(para)
        # Only a capitalised word or one an alias starts with can start a name: the rest
        # (most words) are passed over in one loop, each word asked once a run.
        matters = self._matters
        starts = [k for k, word in enumerate(words)
                  if (matters[word] if word in matters else self._matter(word))]
        i = 0
        for k in starts:
            if k < i:
                continue
            i = k
            alias = self._alias(tokens, i)
            if alias:
                yield alias[0]
                i += alias[1]
                continue
            if not _capital(words[i]):
                i += 1
                continue
            j = i + 1
            while j < len(tokens) and j - i < MAX_WORDS and self._continues(para, tokens, j):
                j += 1
            for run in _split(tuple(words[i:j])):
                name = self._name(run)
                if name:
                    yield name
            i = j

    def _matter(self, word: str) -> bool:
        found = self._matters[word] = _capital(word) or bool(self._starting_with(_key(word)))
        return found

    def _continues(self, para: str, tokens, j: int) -> bool:
        """Whether word ``j`` belongs to the name the words before it started: next to it,
        capitalised (or "of" before a capital), not after a possessive ("Azerbaijan's
        Foreign Ministry" is two names), and not an alias of its own unless the name
        reads "... of <alias>" ("Communist Party of Azerbaijan")."""
        before, word = tokens[j - 1].group(), tokens[j].group()
        if not _joined(para, tokens[j - 1], tokens[j]) or _POSSESSIVE.search(before):
            return False
        if word in JOINERS:
            return j + 1 < len(tokens) and _capital(tokens[j + 1].group())
        return _capital(word) and (before in JOINERS or not self._alias(tokens, j))

    def _alias(self, tokens, i: int) -> tuple[str, int] | None:
        for words, prefix, head in self._starting_with(_key(tokens[i].group())):
            n = len(words)
            seen = [_key(t.group()) for t in tokens[i:i + n]]
            if len(seen) == n and seen[:-1] == list(words[:-1]) and (
                    seen[-1] == words[-1] or prefix and seen[-1].startswith(words[-1])):
                return head, n
        return None

    def _starting_with(self, word: str) -> list:
        # The aliases keyed by the word, then those it starts with ("Qazaxıstana" starts
        # with the alias "Qazaxıstan*"), looked up once a word: every word of a text is
        # asked, and news repeats its words.
        found = self._starting.get(word)
        if found is None:
            found = self._starting[word] = self._aliases.get(word, []) + [
                v for cut in range(3, len(word)) for v in self._aliases.get(word[:cut], ())
                if v[1] and len(v[0]) == 1]
        return found

    def _name(self, words: tuple[str, ...]) -> str | None:
        shaped = _shaped(words)
        if shaped is None:
            return None
        name, person = shaped
        return self.canonical(name) if person else name


@functools.lru_cache(maxsize=200_000)
def _shaped(words: tuple[str, ...]) -> tuple[str, bool] | None:
    """The name a run of capitalised words gives, and whether it is a person's (whose
    spelling the speakers decide), or None. The rules alone decide it, and news repeats
    its names: asked once a run."""
    rules = name_rules()
    words = [_POSSESSIVE.sub("", w) for w in words]
    if " ".join(words) in rules.types:
        return " ".join(words), False
    start = 0
    while start < len(words) and (words[start] in rules.not_names or words[start] in JOINERS):
        start += 1
    if start and start == len(words) - 1 and (rules.organisation_word(words[-1])
                                              or words[-1] in rules.place):
        start -= 1  # "Russian Federation", not "Federation"
    words = words[start:]
    while words and words[-1] in JOINERS:
        words = words[:-1]
    if not words or any(w in rules.not_in_names for w in words):
        return None
    name = " ".join(words)
    if name in rules.types:
        return name, False
    kind = kind_of(name)
    # A title is not part of a name: "Foreign Secretary Jack Straw" is Jack Straw, and
    # "Foreign Secretary" or "Labour MP" is no one.
    titled = [n for n, w in enumerate(words) if w in rules.not_names]
    if titled and kind in ("person", None):
        tail = tuple(words[titled[-1] + 1:])
        return _shaped(tail) if tail and kind_of(" ".join(tail)) == "person" else None
    if kind == "person":
        return nominative(without_case_ending(name), kind), True
    # The name as a list gives it, not as the sentence declined it ("Müsavat Partiyası").
    return (nominative(name, kind), False) if kind else None


@functools.lru_cache(maxsize=200_000)
def _key(token: str) -> str:
    """A token as alias tables are keyed: folded, without a possessive."""
    return fold(_POSSESSIVE.sub("", token))


@functools.lru_cache(maxsize=200_000)
def _split(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """A run that is an organisation then a person ("Müsavat Partiyasından Tofiq Yaqublu")
    as the two names; a compound adjective ("Government-controlled") is no name."""
    rules = name_rules()
    if any(re.search(r"-[^\W\d_]", w) and not re.search(r"-[^\W\d_]*[A-ZÀ-ÞА-ЯƏİ]", w)
           for w in words):
        return ()
    for k, word in enumerate(words[:-2]):
        tail = words[k + 1:]
        if rules.organisation_word(word) and len(tail) in (2, 3) and kind_of(" ".join(tail)) == "person" \
                and tail[-1].lower().endswith(rules.person_endings):
            return words[:k + 1], tail
    return (words,)


def _ends_with(longer: tuple[str, ...], words: tuple[str, ...]) -> bool:
    """Whether a longer name ends with ``words``, each perhaps with a possessive after it."""
    return len(longer) > len(words) and all(
        a.startswith(b) for a, b in zip(longer[-len(words):], words, strict=True))


def _full_names(names) -> dict[str, str]:
    """Each surname alone that the same text also gives as a full name ("Tokayev" after
    "Kassym-Jomart Tokayev") -> that full name."""
    persons = [n for n in names if kind_of(n) == "person"]
    full = {name_key(n.split()[-1]): n for n in reversed(persons) if " " in n}
    return {n: full[name_key(n)] for n in persons if " " not in n and name_key(n) in full}


def _capital(word: str) -> bool:
    return word[:1].isupper()


def _joined(text: str, left, right) -> bool:
    """Two words of one name stand next to each other, with only spaces between."""
    return not text[left.end():right.start()].strip()
