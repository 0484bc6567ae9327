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
