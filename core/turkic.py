"""Azerbaijani and Turkish case endings on a name, taken off by the rules of the
languages rather than by a list of inflected forms: "Suriyanın" is Suriya + nın (a stem
ending in a vowel takes the buffer n), "Misirdə" Misir + də, "Qahirəyə" Qahirə + yə.

An ending's vowel follows the stem's last vowel (vowel harmony): after a, ı, o, u the
two-way vowel is a, after e, ə, i, ö, ü it is ə; the four-way vowel is ı after a or ı, u
after o or u, i after e, ə or i, ü after ö or ü. An ending whose vowel does not follow is
not an ending: "Portuqaliya" keeps its -ya (after i a dative is -yə), "Arteta" its -a.
"""

from __future__ import annotations

import functools
import re

VOWELS = "aıoueəiöü"
_BACK = "aıou"
# The four-way vowel after each vowel.
_FOUR = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "ə": "i", "i": "i", "ö": "ü", "ü": "ü"}
# Endings, written with A for the two-way vowel and I for the four-way one, by what the
# stem ends in (a vowel stem takes a buffer n or y). Turkish adds its e for ə and the
# t- forms after a voiceless consonant.
# (nA, ndA, ndAn follow a compound's possessive: Xəstəxanası-nda.)
_AFTER_VOWEL = ("nIn", "nI", "yA", "ylA", "dA", "dAn", "dAkI", "nA", "ndA", "ndAn")
_AFTER_CONSONANT = ("In", "I", "A", "lA", "dA", "dAn", "dAkI", "tA", "tAn")
# After an acronym the ending follows a hyphen and is said after the letters' names
# (ABŞ-nin, BMT-dəki, Aİ-dən): no harmony to check.
_ACRONYM = re.compile(r"^(?P<stem>[A-ZƏÜÖĞİŞÇ]{2,6})[-'’](?P<end>[a-zəüöğışç]{1,5})$")
_ACRONYM_ENDINGS = frozenset({
    "nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "na", "nə", "ya", "yə", "a", "ə",
    "nı", "ni", "nu", "nü", "da", "də", "dan", "dən", "dakı", "dəki", "la", "lə", "yla",
    "ylə", "ı", "i", "u", "ü", "ne", "ye", "e", "de", "den", "te", "ten", "le"})


def last_vowel(word: str) -> str | None:
    """The last vowel of ``word`` (lower-cased), which the ending's vowel follows."""
    for letter in reversed(word.lower()):
        if letter in VOWELS:
            return letter
    return None


def _spelled(ending: str, vowel: str, turkish: bool) -> str:
    two = "a" if vowel in _BACK else ("e" if turkish else "ə")
    return ending.replace("A", two).replace("I", _FOUR[vowel])


@functools.lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """The stems ``word`` may be with a case ending taken off, likeliest first (none when
    it has no ending): a stem keeps at least three letters and a vowel."""
    acronym = _ACRONYM.match(word)
    if acronym:
        return (acronym["stem"],) if acronym["end"] in _ACRONYM_ENDINGS else ()
    found = []
    lower = word.lower()
    for length in range(min(5, len(word) - 3), 0, -1):
        stem, ending = word[:-length], lower[-length:]
        vowel = last_vowel(stem)
        if vowel is None:
            continue
        final_vowel = stem[-1].lower() in VOWELS
        for turkish in (False, True):
            forms = _AFTER_VOWEL if final_vowel else _AFTER_CONSONANT
            if any(_spelled(form, vowel, turkish) == ending for form in forms):
                found.append(stem)
                break
    # "Makronun" is Makron + un or Makro + nun: the shape cannot say, and names ending
    # in n are the commoner (Makron, Bayden, Putin; the document may say otherwise).
    return tuple(sorted(dict.fromkeys(found), key=lambda stem: stem + "n" in found))
