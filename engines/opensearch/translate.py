"""Presscut's parsed query as OpenSearch's query DSL.

The query text is parsed as on Whoosh (``engines.whoosh.query.parse``: Whoosh's
``qparser`` used as a parsing library on the schema, no index; the alias expansion and
the checks that raise ``BadQuery``), then the tree is walked here, so every typed string
is read once, by the same code, and arrives folded by ``core.analysis.fold``
(docs/opensearch.md §4.1). A plain word's stem group is its stem in the ``_stem`` field.
"""

from __future__ import annotations

from whoosh import query as wq

from core.analysis import fold, stem
from engines.whoosh import words

UNSCORED = ("lang", "month", "date", "speaker")  # Whoosh adds 1 for these, as a filter
FUZZY_FORMS = 200  # as engines.whoosh.query.MAX_EXPANSIONS
# A pattern's words scored as one term, up to 2,000 of them, as matching.MAX_FORMS does
# (OpenSearch's default scores every match the same).
FORMS = "top_terms_blended_freqs_2000"


def _boost(clause: dict, boost: float) -> dict:
    """``clause`` (a compound query) boosted."""
    if boost != 1.0:
        (body,) = clause.values()
        body["boost"] = boost
    return clause


def _on(kind: str, field: str, boost: float, **params) -> dict:
    """A query of ``kind`` on one field."""
    return {kind: {field: {**params, **({"boost": boost} if boost != 1.0 else {})}}}


def translate(q: wq.Query) -> dict:
    """The DSL of the Whoosh query ``q`` as ``engines.whoosh.query.parse`` built it."""
    if isinstance(q, words.StemGroup):
        return _on("term", f"{q.fieldname}_stem", q.boost, value=stem(q.typed))
    if isinstance(q, words.Word):
        # The name key counts only where the word is absent (matching._word): the better of
        # the two, not their sum.
        fields = {"bool": {"should": [translate(g) for g in q.groups]}}
        name = [translate(q.name)] if q.name is not None else []
        return _boost({"dis_max": {"queries": [fields, *name]}}, q.boost)
    if isinstance(q, wq.Every):
        return {"match_all": {}}
    if q is wq.NullQuery:
        return {"match_none": {}}
    if isinstance(q, wq.And):
        return _boost({"bool": {"must": [translate(c) for c in q.subqueries]}}, q.boost)
    if isinstance(q, (wq.Or, wq.DisjunctionMax)):
        return _boost({"bool": {"should": [translate(c) for c in q.subqueries],
                                "minimum_should_match": 1}}, q.boost)
    if isinstance(q, wq.Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [translate(q.query)]}}
    if isinstance(q, wq.AndNot):
        return {"bool": {"must": [translate(q.a)], "must_not": [translate(q.b)]}}
    if isinstance(q, wq.AndMaybe):
        return {"bool": {"must": [translate(q.a)], "should": [translate(q.b)]}}
    if isinstance(q, wq.Require):
        return {"bool": {"must": [translate(q.a)], "filter": [translate(q.b)]}}
    return _leaf(q)


def _leaf(q: wq.Query) -> dict:
    field = q.field()
    if isinstance(q, wq.Phrase):
        # Whoosh's slop 1 is adjacent words, Lucene's 0 (and Lucene's slop is unordered).
        return _on("match_phrase", field, q.boost, query=" ".join(q.words), slop=max(0, q.slop - 1))
    if isinstance(q, wq.FuzzyTerm):
        return _on("fuzzy", field, q.boost, value=fold(q.text), fuzziness=q.maxdist,
                   prefix_length=q.prefixlength, transpositions=False, max_expansions=FUZZY_FORMS)
    if isinstance(q, wq.Prefix):
        if field in UNSCORED:
            return {"constant_score": {"filter": {"prefix": {field: q.text}}, "boost": 1.0}}
        return _on("prefix", field, q.boost, value=fold(q.text), rewrite=FORMS)
    if isinstance(q, wq.Wildcard):
        return _on("wildcard", field, q.boost, value=fold(q.text), rewrite=FORMS)
    if isinstance(q, wq.TermRange):
        bounds = {}
        if q.start is not None:
            bounds["gt" if q.startexcl else "gte"] = q.start
        if q.end is not None:
            bounds["lt" if q.endexcl else "lte"] = q.end
        return {"constant_score": {"filter": {"range": {field: bounds}}, "boost": 1.0}}
    if isinstance(q, wq.Term):
        if field in UNSCORED:
            value = q.text.strip().lower() if field == "speaker" else q.text
            return {"constant_score": {"filter": {"term": {field: value}}, "boost": 1.0}}
        return _on("term", field, q.boost, value=q.text)
    raise ValueError(f"No OpenSearch query for {q!r}")


def fuzzy_leaves(q: wq.Query) -> list[wq.FuzzyTerm]:
    """The fuzzy words of ``q`` (outside NOTs), whose forms a highlight needs."""
    if isinstance(q, wq.FuzzyTerm):
        return [q]
    if isinstance(q, (wq.Not, words.StemGroup)) or q.is_leaf():
        return []
    if isinstance(q, wq.AndNot):
        return fuzzy_leaves(q.a)
    return [leaf for child in q.children() for leaf in fuzzy_leaves(child)]
