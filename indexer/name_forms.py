"""What a run of capitalised words names, and in what form a list gives it, by the
language of the text: English as written; Azerbaijani and Turkish with the case ending
taken off by the languages' rules (core/turkic.py: "Misirdə" is Misir, "Suriyanın"
Suriya); Russian put in the nominative with a dictionary (indexer/russian.py: "Бориса
Ельцина" is Борис Ельцин, "Москве" Москва). A run's names are decided by the rules alone,
and news repeats its names: each run is asked once a language (cached).
"""

from __future__ import annotations

import functools
import re

from core import turkic
from core.entities import JOINERS, kind_of, name_rules, without_case_ending
from core.names import nominative
from indexer import russian

POSSESSIVE = re.compile(r"['’](?:s|ın|in|un|ün|nın|nin|nun|nün|a|ə|ya|yə|da|də|dan|dən)?$")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# A woman's surname ends so in the nominative (Eyvazova, Əliyeva): no dative.
_WOMEN = ("ova", "eva", "ina")
_ACRONYM = re.compile(r"^[A-ZА-ЯЁƏÜÖĞİŞÇ]{2,6}$")


def cyrillic(word: str) -> bool:
    return bool(_CYRILLIC.search(word))


def acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word))


@functools.lru_cache(maxsize=200_000)
def known(words: tuple[str, ...], language: str) -> tuple[str, bool] | None:
    """The gazetteer's (or the types table's) name that ``words`` are a case form of, and
    whether they carry a case ending ("Misirdə": Misir, True)."""
    rules = name_rules()
    table = rules.gazetteer.get(language, {})
    name = " ".join(words)
    if name in table or name in rules.listed:
        return name, False
    if language == "az":
        for stem in turkic.stems(words[-1]):
            name = " ".join((*words[:-1], stem))
            if name in table:
                return name, True
    elif language == "ru" and all(map(cyrillic, words)):
        name = " ".join(russian.phrase(words))
        if name in table:
            return name, name != " ".join(words)
    return None


@functools.lru_cache(maxsize=200_000)
def shaped(words: tuple[str, ...], language: str) -> tuple[tuple[str, ...], bool] | None:
    """The names a run of capitalised words may give, likeliest first (the document
    picks among them: see ``Finder``), and whether it is a person's (whose spelling the
    speakers decide); None when it names nothing."""
    rules = name_rules()
    words = tuple(POSSESSIVE.sub("", w) for w in words)
    found = known(words, language)
    if found:
        return (found[0],), False
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
    if start and known(words, language):
        return (known(words, language)[0],), False
    name = " ".join(words)
    if name in rules.types:
        return None  # another language's name ("Report" in English is a word)
    kind = kind_of(name)
    # A title is not part of a name: "Foreign Secretary Jack Straw" is Jack Straw, and
    # "Foreign Secretary" or "Labour MP" is no one.
    titled = [n for n, w in enumerate(words) if w in rules.not_names]
    if titled and kind in ("person", None):
        tail = tuple(words[titled[-1] + 1:])
        return shaped(tail, language) if tail and kind_of(" ".join(tail)) == "person" else None
    if kind == "person":
        return _person(words, language), True
    if kind == "organisation" and len(words) == 1 and language != "en" \
            and rules.organisation_word(words[0]) and not acronym(words[0]):
        return None  # "Agentlik", "Hökumət", "Министерство": a body's kind, not its name
    # The name as a list gives it, not as the sentence declined it ("Müsavat Partiyası").
    return ((_thing(words, kind, language),), False) if kind else None


def _person(words: tuple[str, ...], language: str) -> tuple[str, ...]:
    name = " ".join(words)
    if language == "ru" and all(map(cyrillic, words)):
        if not any(map(russian.first_name, words)) and not any(map(russian.surname, words)):
            return (" ".join(russian.phrase(words)),)  # "Новой Шотландии"
        return (" ".join(russian.person(words)),)
    if language != "az":
        return (nominative(without_case_ending(name), "person"),)
    # The last word with each ending it may carry taken off; one of a single vowel (a
    # dative, an accusative: "Salaha") only after the bare word, unless what is left has
    # a surname's shape ("Tokayevə").
    last, head = words[-1], " ".join(words[:-1])
    strong, weak = [], []
    for stem in turkic.stems(last):
        sure = len(last) - len(stem) > 1 or (stem.lower().endswith(name_rules().person_endings)
                                             and not last.lower().endswith(_WOMEN))
        (strong if sure else weak).append(f"{head} {stem}".strip())
    return tuple(dict.fromkeys([*strong, name, *weak]))


def _thing(words: tuple[str, ...], kind: str, language: str) -> str:
    if language == "ru" and all(map(cyrillic, words)):
        return " ".join(russian.phrase(words))
    return nominative(" ".join(words), kind)


@functools.lru_cache(maxsize=200_000)
def split(words: tuple[str, ...], language: str) -> tuple[tuple[str, ...], ...]:
    """A run that is two names ("Müsavat Partiyasından Tofiq Yaqublu"; "Dohada Qəzza",
    a place in a case and the next name; "США Барак Обама", a place or an acronym before a
    person) as the two; a compound adjective ("Government-controlled") is no name."""
    rules = name_rules()
    if not words:
        return ()
    if any(re.search(r"-[^\W\d_]", w) and not re.search(r"-[^\W\d_]*[A-ZÀ-ÞА-ЯƏİ]", w)
           and not turkic.stems(w) for w in words):
        return ()
    for k, word in enumerate(words[:-2]):
        tail = words[k + 1:]
        if rules.organisation_word(word) and len(tail) in (2, 3) and kind_of(" ".join(tail)) == "person" \
                and tail[-1].lower().endswith(rules.person_endings):
            return words[:k + 1], tail
    if language == "en" or known(words, language):
        return (words,)
    for k in range(1, len(words)):
        head, tail = words[:k], words[k:]
        place = known(head, language)
        if not place and kind_of(" ".join(head)) and known(tail, language):
            return (head, tail)  # "Təhlükəsizlik Şurasının Qəzza", "Cozef Baydenin Yaponiyanın"
        if not place and not (k == 1 and acronym(head[0])):
            continue
        if (place and place[1] and language == "az") or known(tail, language) or (
                len(tail) in (2, 3) and kind_of(" ".join(tail)) == "person"
                and (language != "ru" or russian.first_name(tail[0]))):
            return (head, *split(tail, language))
    return (words,)
