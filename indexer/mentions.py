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

import dataclasses
import functools
import re
from collections import Counter
from collections.abc import Iterable

from core import turkic
from core.analysis import fold
from core.entities import JOINERS, kind_of, name_rules
from core.names import name_key
from indexer import russian
from indexer.name_forms import POSSESSIVE as _POSSESSIVE
from indexer.name_forms import known, shaped, split

# A word, or a web name ("Lenta.ru", "NEWSru.com": a dot then letters, no space).
_TOKEN = re.compile(r"[^\W\d_][\w'’-]*(?:\.(?:[a-z]{2,6}|[а-я]{2,3})\b)?")
_AZERBAIJANI = re.compile(r"[əƏıİğĞ]")
_CYRILLIC = re.compile(r"[а-яёА-ЯЁ]")
# What ends a sentence or opens a quotation, before a capitalised word that is then no
# sign of a name ("Hökumət başçısı...", "«Также...").
_OPENS = tuple(".!?:;…\"“”«»„—–-(")
MAX_WORDS = 6


def language_of(paragraphs: list[str]) -> str:
    """``ru``, ``az`` (Azerbaijani or Turkish) or ``en`` (any other), by the letters of
    the text's start: the rules of names differ by language."""
    sample = " ".join(paragraphs)[:4000]
    letters = sum(c.isalpha() for c in sample) or 1
    if len(_CYRILLIC.findall(sample)) > 0.3 * letters:
        return "ru"
    return "az" if len(_AZERBAIJANI.findall(sample)) > 0.01 * letters else "en"


@dataclasses.dataclass
class _Text:
    """What of the whole text the rules ask: its language, its words in lower case (a
    capitalised word also written in lower case is a common word at a sentence's start),
    and for Azerbaijani how many of its capitalised words each stem could be the stem of
    (the text says whether "Makronun" is Makron's or Makro's)."""

    language: str
    lower: frozenset[str] = frozenset()
    stems: Counter = dataclasses.field(default_factory=Counter)

    @classmethod
    def of(cls, paragraphs: list[str]) -> _Text:
        language = language_of(paragraphs)
        if language == "en":
            return cls(language)
        words = {w for para in paragraphs for w in _TOKEN.findall(para)}
        stems: Counter = Counter()
        if language == "az":
            for word in words:
                if word[:1].isupper():
                    stems.update({word, *turkic.stems(word)})
        return cls(language, frozenset(w for w in words if w.islower()), stems)

    def common(self, word: str) -> bool:
        """Whether the text also writes ``word`` (or its stem) in lower case."""
        forms = (word, *turkic.stems(word)) if self.language == "az" else (word,)
        return any(f.lower() in self.lower for f in forms)

    def likeliest(self, names: tuple[str, ...]) -> str:
        """The name whose last word the text's capitalised words support most."""
        if len(names) == 1:
            return names[0]
        return max(names, key=lambda n: self.stems[n.rsplit(" ", 1)[-1]])


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
        paragraphs = list(paragraphs)
        text = _Text.of(paragraphs)
        each = [tuple(dict.fromkeys(self._names(para, text))) for para in paragraphs]
        found = dict.fromkeys(n for names in each for n in names)
        full = {**_full_names(found), **self._short_forms(found)}
        each = [tuple(dict.fromkeys(full.get(n, n) for n in names)) for names in each]
        return tuple(dict.fromkeys(n for names in each for n in names)), each

    def _short_forms(self, names) -> dict[str, str]:
        """Each organisation named by the end of a name of a group the text also mentions
        -> that group ("Milli Şura" after "Demokratik Qüvvələrin Milli Şurası": the
        Azerbaijani head keeps its possessive only after the words it drops)."""
        heads = [n for n in names if n in self._variants]
        bodies = [n for n in names if kind_of(n) == "organisation" and n not in self._variants]
        found = {}
        for name in bodies:
            words = tuple(fold(w) for w in name.split())
            for head in heads:
                if any(_ends_with(variant, words) for variant in self._variants[head]):
                    found[name] = head
                    break
            else:
                # "Mərkəzi Bank" after "Misir Mərkəzi Bankı": the body the text named in full
                longer = [b for b in bodies if _ends_with(tuple(fold(w) for w in b.split()), words)]
                if len(longer) == 1:
                    found[name] = longer[0]
        return found

    def _names(self, para: str, text: _Text) -> Iterable[str]:
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
            j = self._end(para, tokens, i, text.language)
            for run in split(self._opened(para, tokens, i, j, text), text.language):
                name = self._name(run, text)
                if name:
                    yield name
            i = j

    def _end(self, para: str, tokens, i: int, language: str) -> int:
        """Where the name starting at word ``i`` ends: its capitalised words, and in
        Russian the lower-case words of a body's name ("Федеральная антимонопольная
        служба", "Министерство торговли КНР")."""
        j = i + 1
        while j < len(tokens) and j - i < MAX_WORDS and self._continues(para, tokens, j):
            j += 1
        if language == "ru":
            longer = russian.body_end(para, tokens, i, j)
            if longer > j:
                j = longer
                while j < len(tokens) and j - i < MAX_WORDS + 3 and self._continues(para, tokens, j):
                    j += 1
        return j

    def _opened(self, para: str, tokens, i: int, j: int, text: _Text) -> tuple[str, ...]:
        """The run's words without a common word that opens a sentence ("Hökumət", "Yerli",
        "Также") or, in Russian, a common noun before a name ("Семья Обамы", "Император
        Акихито"). English keeps its stop list alone (data/entities.toml)."""
        words = tuple(t.group() for t in tokens[i:j])
        if text.language == "en":
            return words
        opening = not para[:tokens[i].start()].rstrip() or para[:tokens[i].start()].rstrip().endswith(_OPENS)
        if opening and len(words[0]) > 1 and not _capital_only(words[0]) and (
                text.common(words[0]) or text.language == "az" and any(
                    stem in name_rules().not_names for stem in turkic.stems(words[0]))):
            words = words[1:]  # "Yerli", "Bizə" (biz + ə)
        while text.language == "ru" and len(words) > 1 and russian.opener(words[0]) and (
                not russian.common_word(words[1]) or known(words[1:2], "ru")):
            words = words[1:]
        return words

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

    def _name(self, words: tuple[str, ...], text: _Text) -> str | None:
        found = shaped(words, text.language) if words else None
        if found is None:
            return None
        names, person = found
        name = text.likeliest(names)
        return self.canonical(name) if person else name


@functools.lru_cache(maxsize=200_000)
def _key(token: str) -> str:
    """A token as alias tables are keyed: folded, without a possessive."""
    return fold(_POSSESSIVE.sub("", token))


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


def _capital_only(word: str) -> bool:
    # An acronym is never a common word, whatever the text writes in lower case.
    return word.isupper()
