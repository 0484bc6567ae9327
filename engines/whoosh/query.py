"""Query strings to Whoosh queries, and what in a passage should light up for them.

People type one syntax (phrases, AND/OR/NOT, wildcards, ``word~`` fuzzy, ``field:value``,
``date:[2022-01-01 TO 2022-01-31]``). It is parsed over title, body and name keys, then
rewritten for the index (``words``): a plain word searches its stem group, phrases,
wildcards and fuzzy terms mean exactly what was typed, dates are found at their
precision.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence

from whoosh import qparser
from whoosh import query as wq

from core import dates
from core.aliases import AliasTable, Expansion
from core.analysis import WORD, common_words, fold, stem
from core.errors import BadQuery
from core.marks import Highlight
from engines.whoosh import words
from engines.whoosh.schema import FIELD_ALIASES, QUERYABLE

MAX_EXPANSIONS = 200


@dataclasses.dataclass(frozen=True)
class ParsedQuery:
    text: str  # as typed, a question's "?" read as punctuation (:func:`read_questions`)
    query: wq.Query  # what is searched
    searched: str = ""  # the text with aliases spelled out (what ``query`` was parsed from)
    aliases: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (as typed, the group's names)
    # Words whose "?" was read as punctuation where that matters: the archive has no such
    # word, so a wildcard may have been meant. (word, the query with "word*" instead)
    questions: tuple[tuple[str, str], ...] = ()

    @property
    def has_terms(self) -> bool:
        return not isinstance(self.query, wq.Every)


_PARSERS: dict[int, tuple[object, qparser.QueryParser]] = {}


def parser(schema) -> qparser.QueryParser:
    """The query parser for ``schema``, made once (half a millisecond each time)."""
    known = _PARSERS.get(id(schema))
    if known is None or known[0] is not schema:
        if len(_PARSERS) > 16:  # one schema per index version opened
            _PARSERS.clear()
        known = _PARSERS[id(schema)] = (schema, _new_parser(schema))
    return known[1]


def _new_parser(schema) -> qparser.QueryParser:
    p = qparser.MultifieldParser(["title", "exact", "names"], schema, group=qparser.AndGroup,
                                 fieldboosts={"names": 0.5})
    p.add_plugin(qparser.FuzzyTermPlugin())
    p.add_plugin(qparser.GtLtPlugin())
    p.add_plugin(qparser.FieldAliasPlugin({v: [k] for k, v in FIELD_ALIASES.items()}))
    return p


Variants = Mapping[str, tuple[str, ...]]


def stem_variants(reader) -> dict[str, tuple[str, ...]]:
    """Stem -> the words of the title and body vocabularies with that stem."""
    groups: dict[str, dict[str, None]] = defaultdict(dict)
    for field in words.TEXT_FIELDS:
        for btext in reader.lexicon(field):
            word = btext.decode("utf-8")
            groups[stem(word)][word] = None
    return {key: tuple(forms) for key, forms in groups.items()}


def parse(text: str, schema, max_length: int = 1000, aliases: AliasTable | None = None,
          variants: Variants | None = None, date_values: tuple[str, ...] = (),
          known: Callable[[str], bool] | None = None) -> ParsedQuery:
    """Parse ``text`` (aliases spelled out); raise :class:`BadQuery` with a sentence.

    ``variants`` (from :func:`stem_variants`) lets a plain word find its other forms;
    without it a word finds itself only. ``date_values`` are the index's dates.
    """
    text = text.strip()
    if len(text) > max_length:
        raise BadQuery(f"The query is {len(text)} characters long; the limit is {max_length}.")
    text, marks = read_questions(text)
    if not text:
        return ParsedQuery("", wq.Every())
    _check_balanced(text)
    operated = _operators(text)
    expansion = aliases.expand(operated) if aliases else Expansion(operated, ())
    try:
        typed = parser(schema).parse(expansion.text)
    except Exception as exc:  # Whoosh raises bare errors on exotic syntax
        # Whoosh's own words ("'NoneType' object has no attribute 'maxdist'") help nobody.
        raise BadQuery(_unreadable(expansion.text)) from exc
    _check(typed)
    if typed is wq.NullQuery:
        raise BadQuery("The query has no words to search for.")
    try:
        ranked = words.rewrite(typed, expansion.text, variants or {}, date_values).normalize()
    except dates.BadDate as exc:
        raise BadQuery(str(exc)) from None
    if known is None and variants:
        def known(word: str) -> bool:
            return word in variants.get(stem(word), ())
    return ParsedQuery(text, ranked, expansion.text, expansion.used,
                       _unknown_before(text, marks, known) if known else ())


def _unreadable(text: str) -> str:
    """What to mend in a query the parser could not read, as far as it can be told."""
    if "<" in text or ">" in text:
        return ("The query could not be read: < and > compare dates after date: "
                "(date:>2022-01-05); to search for them as text, put them in quote marks.")
    return ("The query could not be read: check its quotes and brackets, and put ~ and * "
            "right after a word (Tokaev~, Kazakh*).")


# A "?" ending a word, at the end of the query or before a space or punctuation, ends a
# question ("Why did Tokayev invite the CSTO?"); inside a word ("Tok?yev") it stands for
# one letter. The "*", "~" and "^" after a word are syntax, not punctuation.
_QUESTION_MARK = re.compile(r"(?<![\w*?])([\w*?]*\w)\?+(?![\w*?~^])")


def read_questions(text: str) -> tuple[str, tuple[tuple[str, int], ...]]:
    """``text`` with the question marks that end a word read as punctuation (left out),
    and each word they ended with where it starts in the text returned."""
    marks: list[tuple[str, int]] = []
    read, end = "", 0
    for match in _QUESTION_MARK.finditer(text):
        read += text[end:match.start(1)]
        marks.append((match.group(1), len(read)))
        read += match.group(1)
        end = match.end()
    return read + text[end:], tuple(marks)


def _in_phrase(text: str, at: int) -> bool:
    """Whether ``at`` stands within a phrase's quote marks."""
    return text.count('"', 0, at) % 2 == 1


def _unknown_before(text: str, marks, known: Callable[[str], bool]) -> tuple[tuple[str, str], ...]:
    """The words of ``marks`` the archive does not hold, each with ``text`` searching it
    as a prefix instead; not a field's value, a word in a phrase, or a single letter."""
    unknown = []
    for word, start in marks:
        if (len(word) < 2 or _SYNTAX.search(word) or text[start - 1 : start] == ":"
                or _in_phrase(text, start)):
            continue
        folded = [fold(w) for w in WORD.findall(word)]
        if not all(known(w) for w in folded):
            end = start + len(word)
            unknown.append((word, f"{text[:end]}*{text[end:]}"))
    return tuple(unknown)


# Outside a phrase: a "-" or "+" starting a word ("-Armenia", "+CSTO", as search boxes
# read them), not one inside a word (post-Soviet) nor before a figure (-5%, -30 degrees).
_SIGN = re.compile(r'(?:^|(?<=[\s(]))([-+])(?=[^\W\d]|["(])')
_SYNTAX = re.compile(r'["():*?~\[\]^]|\b(?:AND|OR|NOT|TO)\b|' + _SIGN.pattern)
# A "name:" as a field is written (Latin letters; "doi:10..." or a time is not one).
_FIELD_NAME = r"(?<![\w:/.])([A-Za-z]\w*):"
_EMPTY_FIELD = re.compile(_FIELD_NAME + r"(?=\s|\)|$)")
_FIELD = re.compile(_FIELD_NAME + r"(?=[^\W\d]|[\"(\[])")
_FIELDS = frozenset({*QUERYABLE, *FIELD_ALIASES})
# AND or OR with no word before it, or any operator with none after it ("Putin OR"): the
# parser would read the operator as a word every result must have.
_DANGLING = re.compile(r"(?:^|\(|\b(?:AND|OR|NOT)\s)\s*(AND|OR)\b|\b(AND|OR|NOT)\s*(?=$|\))")


def _operators(text: str) -> str:
    """``text`` as the parser should read it: "-word" as "NOT word", "+word" as the word
    (every word must be there already), field names in lower case; a field nobody has,
    a field with nothing after it, or a lone operator is refused with a sentence."""
    def outside(match: re.Match[str]) -> bool:
        return not _in_phrase(text, match.start())
    for found in filter(outside, _DANGLING.finditer(text)):
        word = found.group(1) or found.group(2)
        raise BadQuery(f"{word} joins words (CSTO {word} Russia): give a word on each side, "
                       f"or write it in lower case to search for the word.")
    for found in filter(outside, _EMPTY_FIELD.finditer(text)):
        if found.group(1).lower() in _FIELDS:
            raise BadQuery(f"Put what to look for right after {found.group(0)} with no space, "
                           f"as in title:Tokayev or date:2022-01.")
    for found in filter(outside, _FIELD.finditer(text)):
        if found.group(1).lower() not in _FIELDS:
            fields = ", ".join(sorted(_FIELDS - {"exact", "names"}))
            raise BadQuery(f"There is no field {found.group(1)!r} to search in. Fields: "
                           f"{fields}; to search for the words, leave out the colon.")

    def field(m: re.Match[str]) -> str:
        return m.group(0).lower() if outside(m) else m.group(0)

    def sign(m: re.Match[str]) -> str:
        if not outside(m) or m.group(1) == "+" or text[:m.start()].rstrip().endswith("NOT"):
            return "" if outside(m) else m.group(0)  # "NOT -Armenia" is NOT Armenia
        return "NOT "
    return _SIGN.sub(sign, _FIELD.sub(field, text))


def plain_words(parsed: ParsedQuery) -> tuple[wq.Query, ...]:
    """The words that matter of a query typed as plain words (no operators, phrases or
    fields), which may be relaxed when too few documents hold them all; else nothing.
    The commonest words ("what", "the") are left out, as stop words are in BM25 engines,
    unless fewer than two words would remain."""
    if _SYNTAX.search(parsed.text) or type(parsed.query) is not wq.And:
        return ()
    parts = tuple(parsed.query.subqueries)
    common = common_words()
    content = tuple(p for p in parts
                    if not (isinstance(p, words.Word) and p.groups[0].typed in common))
    return content if len(content) > 1 else parts


def _check_balanced(text: str) -> None:
    if text.count('"') % 2:
        raise BadQuery('The query has an opening quote mark (") without a closing one.')
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            raise BadQuery("The query closes a bracket ) that was never opened.")
    if depth:
        raise BadQuery("The query opens a bracket ( that is never closed.")
    if text.count("[") != text.count("]"):
        raise BadQuery("A date range needs both brackets, as in date:[2022-01-01 TO 2022-01-31].")


def _check(q: wq.Query) -> None:
    for leaf in _leaves(q):
        if isinstance(leaf, (wq.Wildcard, wq.Prefix)):
            pattern = leaf.text if isinstance(leaf, wq.Wildcard) else leaf.text + "*"
            if len(pattern.replace("*", "").replace("?", "")) < 2:
                raise BadQuery(
                    f"The wildcard {pattern!r} would match almost every word: "
                    "give at least two letters before it."
                )


def _leaves(q: wq.Query):
    if q.is_leaf():
        yield q
    else:
        for child in q.children():
            yield from _leaves(child)


def highlight_for(parsed: ParsedQuery, vocabulary: Callable[[str], Sequence[str]]) -> Highlight:
    """What passages should mark for ``parsed`` (nothing under a NOT); ``vocabulary``
    gives a field's sorted words, which a fuzzy word stands for some of."""
    stems: set[str] = set()
    exact: set[str] = set()
    patterns: list[re.Pattern[str]] = []
    phrases: list[tuple[str, ...]] = []
    names: dict[str, str] = {}

    def visit(q: wq.Query) -> None:
        if isinstance(q, wq.Not):
            return
        if isinstance(q, wq.AndNot):
            visit(q.a)
            return
        if isinstance(q, words.StemGroup):
            if q.fieldname == "exact":
                stems.add(stem(q.typed))
            return
        if not q.is_leaf():
            for child in q.children():
                visit(child)
            return
        if q.field() == "names" and type(q) is wq.Term:
            start, end = getattr(q, "startchar", None), getattr(q, "endchar", None)
            names[q.text] = parsed.searched[start:end] if start is not None else q.text
            return
        if q.field() != "exact":
            return
        if isinstance(q, wq.Phrase):
            phrases.append(tuple(q.words))
        elif type(q) is wq.Term:
            exact.add(q.text)
        elif isinstance(q, wq.FuzzyTerm):
            exact.update(words.fuzzy_forms(q, vocabulary(q.fieldname), MAX_EXPANSIONS))
        elif isinstance(q, (wq.Wildcard, wq.Prefix)):
            pattern = q.text if isinstance(q, wq.Wildcard) else q.text + "*"
            patterns.append(re.compile(fnmatch.translate(fold(pattern))))

    visit(parsed.query)
    return Highlight(frozenset(stems), frozenset(exact), tuple(patterns), tuple(phrases),
                     tuple(sorted(names.items())))
