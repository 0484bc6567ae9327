"""Russian names in the nominative, by pymorphy3 (OpenCorpora's dictionary with its
first names, surnames and places, and a guesser for the rest): "Бориса Ельцина" is Борис
Ельцин, "Ли Харрисом" Ли Харрис, "Федеральной антимонопольной службы" Федеральная
антимонопольная служба, "Новой Шотландии" Новая Шотландия.

Why a library: a Russian name's ending does not say its case on its own ("Анна" is a
woman, "Ивана" a man's genitive; "Харрисом" declines like no Russian surname), and the
dictionary knows which first names are whose. Loaded on the first Russian name a run
meets (0.3 s; English and Azerbaijani runs never load it), and each word asked once.
"""

from __future__ import annotations

import functools

from core.entities import name_rules

# What a case agreement between the words of one name is chosen among.
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
# Tags of words that are names, not common words.
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr"})


@functools.cache
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@functools.lru_cache(maxsize=200_000)
def _parses(word: str) -> tuple:
    return tuple(_analyzer().parse(word))


def _written(lemma: str, like: str) -> str:
    """``lemma`` with the capitals of ``like`` (by position; hyphenated parts each)."""
    parts, shapes = lemma.split("-"), like.split("-")
    if len(parts) != len(shapes):
        return lemma[:1].upper() + lemma[1:]
    return "-".join(p.upper() if s.isupper() and len(s) > 1 else
                    (p[:1].upper() + p[1:] if s[:1].isupper() else p)
                    for p, s in zip(parts, shapes, strict=True))


def _nominative(parse, like: str) -> str:
    found = parse.inflect({"nomn"}) if parse.tag.case not in (None, "nomn") else parse
    return _written((found or parse).word, like)


def common_word(word: str) -> bool:
    """Whether the dictionary knows ``word`` only as a common word ("Также", "Семья",
    "Император", "Доходы"): no reading of it is a name, place or organisation."""
    parses = _parses(word)
    return bool(parses) and all(
        p.methods_stack[0][0].__class__.__name__ == "DictionaryAnalyzer"
        and not (PROPER & p.tag.grammemes) for p in parses)


def opener(word: str) -> bool:
    """A common word that is no adjective: before a name it is no part of it ("Семья
    Обамы", "Император Акихито"), where an adjective may be ("Единая Россия")."""
    return common_word(word) and not any(p.tag.POS in ("ADJF", "PRTF") for p in _parses(word))


def surname(word: str) -> bool:
    """Whether a reading of ``word`` is a surname (Ельцина, Обамы)."""
    return any("Surn" in p.tag.grammemes for p in _parses(word))


def first_name(word: str) -> bool:
    """Whether a reading of ``word`` is a first name (Барак, Эдуарда)."""
    return any("Name" in p.tag.grammemes for p in _parses(word))


@functools.lru_cache(maxsize=100_000)
def person(words: tuple[str, ...]) -> tuple[str, ...]:
    """A person's name in the nominative: the case (and gender) the words agree on most,
    each word put in the nominative in it; a word the dictionary cannot decline stays."""
    best, chosen = 0.0, None
    for case in CASES:
        for gender in ("masc", "femn"):
            picks, total = [], 0.0
            for word in words:
                fits = [p for p in _parses(word) if p.tag.case == case and p.tag.POS == "NOUN"
                        and (p.tag.gender is None or {gender, "ms-f"} & p.tag.grammemes)]
                pick = max(fits, key=lambda p: p.score + ("Surn" in p.tag or "Name" in p.tag),
                           default=None)
                picks.append(pick)
                total += pick.score if pick else 0.0
            if total > best:
                best, chosen = total, picks
    if chosen is None:
        return words
    # A word the dictionary knows only as a common word keeps its form; a name, or a word
    # it only guesses at (Уэббом, Хоулеттом), takes the nominative.
    return tuple(_nominative(p, w) if p and not common_word(w) else w
                 for p, w in zip(chosen, words, strict=True))


@functools.lru_cache(maxsize=100_000)
def phrase(words: tuple[str, ...]) -> tuple[str, ...]:
    """An organisation's or place's name in the nominative: its words up to the first
    noun (the head and the adjectives before it) in the head's case put in the
    nominative; what follows the head is its own ("Министерства торговли КНР" is
    Министерство торговли КНР)."""
    head = next((n for n, w in enumerate(words)
                 if any(p.tag.POS == "NOUN" for p in _parses(w)[:1])
                 and not any(p.tag.POS == "ADJF" for p in _parses(w)[:3])), None)
    if head is None or words[head].isupper():
        return words
    noun = _parses(words[head])[0]
    if noun.tag.case in (None, "nomn") or "Fixd" in noun.tag:
        return words
    found = []
    for word in words[:head]:
        parses = [p for p in _parses(word) if p.tag.POS == "ADJF" and p.tag.case == noun.tag.case
                  and p.tag.number == noun.tag.number
                  and (p.tag.number == "plur" or p.tag.gender == noun.tag.gender)]
        found.append(_nominative(parses[0], word) if parses else word)
    return (*found, _nominative(noun, words[head]), *words[head + 1:])


def body_end(para: str, tokens, i: int, j: int) -> int:
    """Where a Russian body's name that runs on in lower case ends (word ``i`` starts it,
    its capitalised words end before ``j``): an adjective then lower-case adjectives and
    the head noun ("Большой театр", "Курская областная дума"),
    or a head noun then its words in the genitive ("Министерство сельского хозяйства")."""
    words = [t.group() for t in tokens]
    heads = name_rules().organisation_word  # the lower-case Russian heads among them
    k, head = j, any(heads(p.normal_form) for p in _parses(words[j - 1])[:1])
    adjective = j - i == 1 and any(p.tag.POS == "ADJF" for p in _parses(words[i])[:2])
    joined = lambda k: not para[tokens[k - 1].end():tokens[k].start()].strip()  # noqa: E731
    while k < len(words) and k - j < 4 and words[k].islower() and joined(k):
        parses = _parses(words[k])[:2]
        if head:
            if not any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF") for p in parses):
                break
        elif adjective:
            if any(heads(p.normal_form) and p.tag.POS == "NOUN" for p in parses[:1]):
                return k + 1
            if not any(p.tag.POS == "ADJF" for p in parses):
                return j
        else:
            return j
        k += 1
    return k if head else j
