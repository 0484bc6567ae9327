"""One key for the many spellings of a name: Ali Karimli, Ali Kerimli, Əli Kərimli and
Али Керимли all become "ali karimli"; Tokayev, Tokaev, Toqayev and Токаев "tokav".

A key is the word written in one Latin alphabet (English digraphs, Azerbaijani letters
and Cyrillic all mapped to it), then with the letters the spellings disagree on made
one: e/ə/a, i/ı, o/ö, u/ü; k/q/g/ğ/x/h (Xaqani, Khagani; Гейдар, Heydar); j/c/zh; a y
after a vowel dropped (Aliyev, Aliev); doubled letters single; a final d as t. What tells people
apart stays: Mammadov "mamadov" against Mammadli "mamadli", Javid against Javad.
"""

from __future__ import annotations

import functools
import re

# English digraphs first, so that "ch" and "sh" are not read as c and s.
_DIGRAPHS = (("shch", "şç"), ("dzh", "c"), ("sh", "ş"), ("ch", "ç"), ("zh", "c"),
             ("kh", "x"), ("gh", "ğ"), ("dj", "c"), ("ph", "f"), ("ck", "k"))
_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "o", "ж": "c",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts",
    "ч": "ç", "ш": "ş", "щ": "şç", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ә": "ə", "ғ": "ğ", "қ": "q", "ң": "n", "ө": "ö", "ұ": "u", "ү": "ü",
    "һ": "h", "і": "i",
})
# Sounds the spellings disagree on -> one letter each.
_CLASSES = str.maketrans({
    "ə": "a", "e": "a", "ä": "a", "ı": "i", "ö": "o", "ü": "u",
    "q": "k", "g": "k", "ğ": "k", "x": "k", "h": "k", "c": "j", "w": "v",
    "â": "a", "î": "i", "û": "u", "é": "a",
})
_GLIDE = re.compile(r"(?<=[aeiouəıöüä])y|^y")
_NOT_LETTER = re.compile(r"[^a-zşç]")
_DOUBLES = re.compile(r"(.)\1+")
MIN_LETTERS = 3


@functools.lru_cache(maxsize=200_000)
def name_key(word: str) -> str | None:
    """The spelling-independent key of one word, or None for words too short to key."""
    text = word.lower().replace("i̇", "i")
    for digraph, letter in _DIGRAPHS:
        text = text.replace(digraph, letter)
    text = text.translate(_CYRILLIC)
    # y after a vowel is a glide the spellings drop (Aliyev, Aliev); after a consonant it
    # is a vowel (Kassym, Qasım).
    text = _GLIDE.sub("", text).replace("y", "i")
    text = _NOT_LETTER.sub("", text.translate(_CLASSES))
    text = _DOUBLES.sub(r"\1", text)
    if len(text) < MIN_LETTERS:
        return None
    return text[:-1] + "t" if text.endswith("d") else text


def looks_like_name(word: str) -> bool:
    """Capitalised words (in any script), as names are written in documents."""
    return word[:1].isupper()


# --- A name as written in a list -------------------------------------------------------

_VOWELS = frozenset("aıoueəiöü")
_RU_SURNAME = re.compile(r"^(?P<stem>[А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын))(?P<end>а|у|ым|е)$")
_RU_FEMININE = re.compile(r"^(?P<stem>[А-ЯЁ][а-яё]+(?:ов|ев|ёв|ин|ын|ск|цк))(?P<end>ой)$")
# A man's first name in a case no woman's takes: Сергея, Сергеем, Владимиром.
_RU_MALE_FIRST = re.compile(r"^(?P<stem>[А-ЯЁ][а-яё]*[бвгджзклмнпрстфхцчшщ])ом$|"
                            r"^(?P<soft>[А-ЯЁ][а-яё]*е)(?:я|ю|ем)$")
_RU_FEMALE_FIRST = (("ии", "ия"), ("ию", "ия"), ("ией", "ия"), ("ы", "а"), ("ой", "а"),
                    ("у", "а"), ("ю", "я"), ("ей", "я"), ("и", "я"))
# Surnames a woman's name does not decline (Белько, Янченко, Матевосян).
_RU_FIXED_SURNAME = re.compile(r"(?:ко|ук|юк|ич|ян|дзе|швили|их|ых)$")


@functools.cache
def _inflection() -> dict:
    from core import data

    found = data.toml("inflection.toml")
    found["heads_by_length"] = sorted(found["heads"], key=len, reverse=True)
    found["endings_set"] = frozenset(found["endings"])
    return found


def nominative(name: str, kind: str | None = None) -> str:
    """``name`` as a person writes it in a list: the case ending the sentence gave it
    taken off (data/inflection.toml). Azerbaijani and Turkish mark the case once, at the
    end of the whole name ("Müsavat Partiyasından" -> "Müsavat Partiyası", "Milli
    Şuranın" -> "Milli Şura", "Qazaxıstanda" -> "Qazaxıstan"); Russian on each word
    ("Совета Федерации" -> "Совет Федерации", "Владимира Путина" -> "Владимир Путин").
    What the rules cannot tell (a lone "Лаврова": Lavrov's, or Ms Lavrova) stays as it is."""
    words = name.split()
    if not words:
        return name
    if kind == "person":
        return " ".join(_russian_person(words))
    words[-1] = _place(words[-1]) if kind == "place" else words[-1]
    words[-1] = _turkic_head(words[-1])
    return " ".join(_russian_head(word) for word in words)


def _turkic_head(word: str) -> str:
    """``Partiyasından`` -> ``Partiyası``, ``Şuranın`` -> ``Şura``, ``Nazirliyinə`` ->
    ``Nazirliyi``; a word that is no head with an ending stays."""
    rules = _inflection()
    for head in rules["heads_by_length"]:
        stems = [head] + ([head[:-1] + "y", head[:-1] + "ğ"] if head[-1] in "kq" else [])
        for stem in stems:
            # Heads are capitalised, a place word inside a name may not be ("Bakı şəhəri").
            if word[:len(stem)].lower() != stem.lower():
                continue
            stem, rest = word[:len(stem)], word[len(stem):]
            for possessive in sorted(rules["possessives"], key=len, reverse=True):
                if stem.lower() != head.lower() and not possessive:
                    # "Nazirliy" is a head only before a vowel: "Nazirliyə" is "Nazirlik" + "ə"
                    if rest[:1] in _VOWELS and rest in rules["endings_set"]:
                        return word[:len(head) - 1] + head[-1]
                    continue
                if rest.startswith(possessive) and rest[len(possessive):] in rules["endings_set"]:
                    return stem + possessive if possessive else word[:len(head)]
    return word


def _place(word: str) -> str:
    """``Qazaxıstanda`` -> ``Qazaxıstan``, ``Узбекистане`` -> ``Узбекистан``."""
    rules = _inflection()
    lower = word.lower()
    for ending in rules["place_endings"]:
        at = lower.rfind(ending)
        rest = lower[at + len(ending):] if at > 0 else None
        if rest and (rest in rules["endings_set"] or rest in rules["russian_endings"][""]):
            return word[:at + len(ending)]
    return word


def _russian_head(word: str) -> str:
    rules = _inflection()
    for head in rules["russian_heads"]:
        kind = next(k for k in ("ия", "я", "а", "о", "е", "") if head.endswith(k))
        stem = head[:len(head) - len(kind[-1:])]
        if word.startswith(stem) and word[len(stem):] in rules["russian_endings"][kind]:
            return head
    return word


def _russian_person(words: list[str]) -> list[str]:
    """A Russian first name and surname in the nominative, when their endings say a man
    ("Сергея Лаврова", "о Владимире Путине") or a woman ("Марии Захаровой", "Оксаны
    Янченко"); an instrumental surname alone ("Путиным"). "Анна Ершова" is a woman or
    "Ивана Ершова" a man's genitive: the shape cannot say, and both stay as written."""
    *first, last = words
    feminine, masculine = _RU_FEMININE.match(last), _RU_SURNAME.match(last)
    if feminine:
        stem = feminine["stem"]
        surname = stem + ("ая" if stem.endswith(("ск", "цк")) else "а")
        return [_female_first(w) for w in first] + [surname]
    if masculine and masculine["end"] in ("ым", "е") and all(not w.endswith("а") for w in first):
        return [_male_first(w) for w in first] + [masculine["stem"]]
    if masculine and first and all(_RU_MALE_FIRST.match(w) for w in first):
        return [_male_first(w) for w in first] + [masculine["stem"]]
    if first and _RU_FIXED_SURNAME.search(last) and all(w.endswith(("ы", "ии")) for w in first):
        return [_female_first(w) for w in first] + [last]
    return words


def _male_first(word: str) -> str:
    """Владимиром -> Владимир, Сергея -> Сергей; "Владимире" (beside "Путине") ->
    Владимир."""
    match = _RU_MALE_FIRST.match(word)
    if match:
        return match["stem"] if match["stem"] else match["soft"] + "й"
    return re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])(?:е|у)$", "", word)


def _female_first(word: str) -> str:
    for ending, nominative_ in _RU_FEMALE_FIRST:
        if word.endswith(ending) and len(word) > len(ending) + 1:
            return word[: -len(ending)] + nominative_
    return word
