"""How what people type is searched: the query as parsed, rewritten for the index.

* A plain word searches the forms of the vocabulary sharing its stem ("protesting"
  finds protests) as one term, scored as a stemmed field would score it, with the form
  typed counting most; and, if nothing is spelt as typed, the same name under another
  spelling (``names``), for less.
* A phrase (or a quoted word) means exactly the words typed, in title or body: name keys
  never stand in for it, since they drop the lower-case words and would shrink
  "Tokayev in 2019" to "Tokayev".
* ``date:`` values and ranges find the documents dated wholly inside them (``dates``).

The classes are Whoosh queries, so Whoosh can run any query ``matching`` leaves to it.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import query as wq
from whoosh import spelling

from core import dates
from core.analysis import common_words, fold, stem

Variants = Mapping[str, tuple[str, ...]]
TEXT_FIELDS = ("title", "exact")
NO_DATE = "none"  # never a stored date (those are "" or look like 2022-01-07)


class StemGroup(wq.Or):
    """The forms of one word in one field, matched and scored as one term."""

    def __init__(self, fieldname: str, typed: str, forms: Sequence[str], boost: float = 1.0):
        super().__init__([wq.Term(fieldname, form) for form in forms], boost=boost)
        self.fieldname, self.typed, self.forms = fieldname, typed, tuple(forms)

    def __repr__(self) -> str:
        return f"StemGroup({self.fieldname!r}, {self.typed!r}, {self.forms!r})"

    def normalize(self):
        return self


class Word(wq.Or):
    """One plain word: its stem groups in title and body, and its name key, which only
    counts where the word itself is not found."""

    def __init__(self, groups: Sequence[wq.Query], name: wq.Term | None, boost: float = 1.0):
        super().__init__([*groups, *([name] if name else [])], boost=boost)
        self.groups, self.name = tuple(groups), name

    def __repr__(self) -> str:
        return f"Word({self.groups!r}, {self.name!r})"

    def normalize(self):
        return self


class Words(wq.Or):
    """Words joined by OR, each kept whole (an Or would merge their fields into one)."""

    def normalize(self):
        return self


def rewrite(q: wq.Query, text: str, variants: Variants, date_values: Sequence[str]) -> wq.Query:
    """``q`` as parsed from ``text``, rewritten as the module docstring says."""
    if type(q) is wq.Or:
        leaves = [child for child in q.subqueries if _word_leaf(child)]
        if any(child.field() == "exact" for child in leaves):
            units = [_unit(wq.Or(unit), text, variants) for unit in _units(leaves)
                     if any(child.field() in TEXT_FIELDS for child in unit)]
            rest = [rewrite(child, text, variants, date_values)
                    for child in q.subqueries if not _word_leaf(child)]
            if len(units) == 1 and not rest:
                return _unit(q, text, variants)
            return Words(units + rest, boost=q.boost)
    if q.field() == "names":
        return wq.NullQuery  # name keys are for plain words, not phrases or patterns
    if q.field() == "date":
        return _dates(q, date_values)
    if type(q) is wq.Term and q.fieldname in TEXT_FIELDS:
        return q if _quoted(q, text) else _group(q, variants)
    if q.is_leaf():
        return q
    return q.apply(lambda child: rewrite(child, text, variants, date_values))


def _word_leaf(q: wq.Query) -> bool:
    """A part of the parser's expansion of a word or phrase over title, body and names."""
    return q.is_leaf() and q.field() in (*TEXT_FIELDS, "names")


def _units(children: Sequence[wq.Query]) -> list[list[wq.Query]]:
    """The words of "A OR B", which the parser flattens into one list of fields (the
    words of "A OR B AND C" too, beside the AND): a field met again starts the next word
    (else B would lose its name key to A's)."""
    units: list[list[wq.Query]] = []
    for child in children:
        if not units or child.field() in {c.field() for c in units[-1]}:
            units.append([])
        units[-1].append(child)
    return units


def _unit(q: wq.Or, text: str, variants: Variants) -> wq.Query:
    texts = [child for child in q.subqueries if child.field() in TEXT_FIELDS]
    if any(isinstance(child, wq.Phrase) for child in texts) or _quoted(texts[0], text):
        return wq.Or(texts, boost=q.boost)  # exactly as typed, where it stands
    if not all(type(child) is wq.Term for child in texts):
        return wq.Or(texts, boost=q.boost)
    names = [child for child in q.subqueries if child.field() == "names" and type(child) is wq.Term]
    if texts[0].text in common_words():
        names = []  # "been" is no spelling of "Ban": a common word is not a name
    return Word([_group(child, variants) for child in texts], names[0] if names else None,
                boost=q.boost)


def _quoted(term: wq.Query, text: str) -> bool:
    start, end = getattr(term, "startchar", None), getattr(term, "endchar", None)
    return (start is not None and end is not None and start > 0 and end < len(text)
            and text[start - 1] == '"' and text[end] == '"')


def _group(q: wq.Term, variants: Variants) -> wq.Query:
    forms = variants.get(stem(q.text), ())
    if q.text not in forms:
        forms = (q.text, *forms)
    return StemGroup(q.fieldname, q.text, forms, boost=q.boost)


def _dates(q: wq.Query, date_values: Sequence[str]) -> wq.Query:
    """Raises :class:`dates.BadDate` for what is not a date or a range of dates."""
    if type(q) is wq.Term:
        found = dates.within(date_values, q.text, q.text)
    elif isinstance(q, wq.TermRange):
        found = dates.within(date_values, q.start, q.end, q.startexcl, q.endexcl)
    elif isinstance(q, wq.Prefix):
        return q
    else:
        raise dates.BadDate("Dates are searched as date:2022-01 or date:[2022-01-01 TO "
                            f"2022-01-31]. {dates.FORMAT_HELP}")
    # No date inside: a term no document holds, which (unlike NullQuery) an AND keeps.
    return wq.Or([wq.Term("date", value) for value in found]) if found else wq.Term("date", NO_DATE)


def fuzzy_forms(q: wq.FuzzyTerm, vocabulary: Sequence[str], limit: int) -> list[str]:
    """The words of the sorted ``vocabulary`` that Whoosh's ``q`` stands for, folded as
    the index folds words (the first ``limit`` in vocabulary order)."""
    return sorted(within(vocabulary, fold(q.text), q.maxdist, q.prefixlength))[:limit]


def within(vocabulary: Sequence[str], text: str, maxdist: int, prefix: int) -> list[str]:
    """What Whoosh's ``terms_within`` gives: the words of the sorted ``vocabulary``
    sharing ``text``'s first ``prefix`` letters and at most ``maxdist`` insertions,
    deletions or substitutions away. Whoosh walks an automaton over the vocabulary in
    Python (0.7 s for ``Tokaev~`` at 10,000 articles, 2 s for a spelling suggestion at
    100,000); rapidfuzz measures the same distance in C."""
    start_with = text[:prefix]
    start = bisect.bisect_left(vocabulary, start_with)
    end = (bisect.bisect_left(vocabulary, start_with + "\U0010ffff") if start_with
           else len(vocabulary))
    near = process.extract(text, vocabulary[start:end], scorer=Levenshtein.distance,
                           score_cutoff=maxdist, limit=None)
    return [word for word, _, _ in near]


class Corrector(spelling.ReaderCorrector):
    """Whoosh's corrector of a field (the commonest word within the distance), its
    candidates found by :func:`within`."""

    def __init__(self, reader, fieldname: str, vocabulary: Sequence[str]):
        super().__init__(reader, fieldname, reader.schema[fieldname])
        self.vocabulary = vocabulary

    def _suggestions(self, text, maxdist, prefix):
        for word in within(self.vocabulary, text, maxdist, prefix):
            # Whoosh's own score: the distance allowed, less a little for common words.
            frequency = self.reader.frequency(self.fieldname, word) or 1
            yield 0 - (maxdist + (1.0 / frequency * 0.5)), word
