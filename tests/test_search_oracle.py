"""Search against a brute-force reading of the texts (the oracle): for generated queries
over the seeds and a sample of the BBC news corpus, the documents Presscut returns are
exactly those whose clean text holds the match.

The oracle shares only the definition of a word with Presscut (``WORD`` and ``fold``:
how text is cut and case-folded); the matching is its own, token lists and windows.
Queries come from a seeded random generator, so a failure replays.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import shutil
from collections import Counter, defaultdict

import numpy as np
import pytest
from whoosh import query as wq

from core.analysis import WORD, common_words, fold, stem
from core.dates import span
from core.facets import MULTI
from engines.whoosh import matching, positions, postings, store
from engines.whoosh.schema import FACET_COLUMNS
from indexer import build
from search.results import SearchRequest
from search.service import SearchService

from .conftest import CORPUS, shared
from .opensearch_fixture import ENGINES, cluster_settings, copy_to_opensearch, drop
from .test_positions import both_ways

ON_ENGINES = ENGINES  # the oracle tests on `searched` run on each engine

SAMPLE = 300
SEED = 20261123


class Oracle:
    """Every document's title and body as folded word lists, and its metadata."""

    def __init__(self, service: SearchService):
        self.docs = {}
        for hit in _all(service, SearchRequest(per_page=100)):
            doc = service.document(hit.doc_id)
            self.docs[hit.doc_id] = {
                "title": [fold(w) for w in WORD.findall(doc.metadata.title)],
                "body": [fold(w) for w in WORD.findall(doc.text)],
                "words": WORD.findall(f"{doc.metadata.title}\n{doc.text}"),
                "outlet": doc.metadata.outlet, "language": doc.metadata.language,
                "date": doc.metadata.date}

    def phrase(self, words: list[str], fields=("title", "body")) -> set[str]:
        n = len(words)
        return {doc_id for doc_id, d in self.docs.items()
                if any(d[f][i:i + n] == words for f in fields for i in range(len(d[f]) - n + 1))}

    def prefix(self, start: str) -> set[str]:
        return {doc_id for doc_id, d in self.docs.items()
                if any(w.startswith(start) for w in d["title"] + d["body"])}

    def dated(self, low: str | None, high: str | None) -> set[str]:
        """Documents whose date (a day or a month) lies wholly between the bounds."""
        first = span(low)[0] if low else None
        last = span(high)[1] if high else None
        inside = set()
        for doc_id, d in self.docs.items():
            if d["date"]:
                a, b = span(d["date"])
                if (first is None or a >= first) and (last is None or b <= last):
                    inside.add(doc_id)
        return inside


def _all(service: SearchService, request: SearchRequest):
    page = 1
    while True:
        result = service.search(SearchRequest(request.q, request.filters, request.sort, page, 100,
                                               request.date_from, request.date_to))
        yield from result.results
        if page * 100 >= result.total:
            return
        page += 1


def found(service: SearchService, q: str, **kwargs) -> set[str]:
    hits = list(_all(service, SearchRequest(q=q, **kwargs)))
    total = service.search(SearchRequest(q=q, per_page=1, **kwargs)).total
    ids = {hit.doc_id for hit in hits}
    assert total == len(ids) == len(hits), q  # total counts documents, each listed once
    return ids


@pytest.fixture(scope="module")
def news(tmp_path_factory):
    """The seeds and a sample of BBC articles, day- and month-dated, in one index."""
    source = shared("data/news-corpus/bbc-news-2225.jsonl.gz")
    corpus = tmp_path_factory.mktemp("oracle") / "corpus"
    corpus.mkdir()
    for path in CORPUS.iterdir():
        corpus.joinpath(path.name).write_bytes(path.read_bytes())
    rows, seen = [], set()
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            article = json.loads(line)
            if n % 7 or article["text"] in seen:
                continue
            seen.add(article["text"])
            name = f"{article['id']}.txt"
            corpus.joinpath(name).write_text(f"{article['title']}\n\n{article['text']}\n", "utf-8")
            month = 1 + len(rows) % 12
            date = f"2004-{month:02d}" if len(rows) % 3 == 0 else f"2004-{month:02d}-{1 + len(rows) % 28:02d}"
            rows.append(f"{name},https://www.bbc.co.uk/news/{article['id']},BBC News,,{date},en,")
            if len(rows) == SAMPLE:
                break
    manifest = corpus / "sources.csv"
    manifest.write_text(manifest.read_text("utf-8").rstrip("\n") + "\n" + "\n".join(rows) + "\n",
                        "utf-8")
    index = corpus.parent / "index"
    build.index_corpus(corpus, index)
    service = SearchService(index)
    return service, Oracle(service)


@pytest.fixture(scope="module")
def searched(news, engine_name):
    """The news index on each engine, with the oracle read from it."""
    if engine_name == "whoosh":
        yield news
        return
    service = news[0]
    settings = cluster_settings()
    try:
        engine = copy_to_opensearch(service.path, settings)
        yield SearchService(service.path, engine=engine), news[1]
    finally:
        drop(settings)


def _phrases(oracle: Oracle, rng: random.Random, count: int) -> list[str]:
    """Runs of 2-5 words as they stand in titles and texts, in the case they were written,
    shouted or lowered; half of them with a word from elsewhere put in."""
    docs = sorted(oracle.docs)
    phrases = []
    while len(phrases) < count:
        words = oracle.docs[rng.choice(docs)]["words"]
        n = rng.randint(2, 5)
        if len(words) <= n:
            continue
        at = rng.randrange(len(words) - n)
        run = words[at:at + n]
        if len(phrases) % 2:
            other = oracle.docs[rng.choice(docs)]["words"]
            run[rng.randrange(n)] = rng.choice(other)
        case = rng.choice([str, str.lower, str.upper, str.title])
        phrases.append(" ".join(case(w) for w in run))
    return phrases


def test_phrases_from_the_issue_find_only_documents_holding_them(searched):
    service, oracle = searched
    for text in ("Tokayev in 2019", "Kazakhstan or", "Choice 170bn", "Myron 43m",
                 "Qazaxıstan hökuməti", "CSTO troops", "the Kazakh people"):
        assert found(service, f'"{text}"') == oracle.phrase([fold(w) for w in WORD.findall(text)]), text


def test_generated_phrases_match_exactly_where_they_stand(searched):
    service, oracle = searched
    rng = random.Random(SEED)
    wrong = []
    for text in _phrases(oracle, rng, 240):
        expected = oracle.phrase([fold(w) for w in WORD.findall(text)])
        got = found(service, f'"{text}"')
        if got != expected:
            wrong.append((text, len(expected), len(got), sorted(got - expected)[:2]))
    assert not wrong


def test_chains_of_common_word_pairs_match_only_where_they_stand(searched):
    """Phrases chained from pairs of one document ("of the" + "the state"...), which holds
    every pair of the chain but mostly not in a row: there the chain must not match. In
    Whoosh's news index only the longest lists are written out."""
    _chains(*searched)


def test_chains_match_only_where_they_stand_after_an_update(updated):
    """As above, in the updated Whoosh index, where all lists are written out."""
    _chains(*updated)


def _chains(service: SearchService, oracle: Oracle) -> None:
    common = common_words()
    rng = random.Random(SEED)
    docs = sorted(oracle.docs)
    wrong, apart = [], 0
    for _ in range(120):
        body = oracle.docs[rng.choice(docs)]["body"]
        following: dict[str, set[str]] = defaultdict(set)
        for a, b in zip(body, body[1:], strict=False):
            if a in common or b in common:
                following[a].add(b)
        if not following:
            continue
        chain = [rng.choice(sorted(following))]
        length = rng.randint(3, 5)
        while len(chain) < length and following.get(chain[-1]):
            chain.append(rng.choice(sorted(following[chain[-1]])))
        if len(chain) < 3:
            continue
        expected = oracle.phrase(chain)
        apart += not any(body[i:i + len(chain)] == chain for i in range(len(body)))
        got = found(service, f'"{" ".join(chain)}"')
        if got != expected:
            wrong.append((" ".join(chain), len(expected), sorted(got ^ expected)[:2]))
    assert not wrong
    assert apart >= 20  # chains whose pairs all stand in one document, apart


def test_booleans_of_phrases(searched):
    service, oracle = searched
    rng = random.Random(SEED + 1)
    phrases = _phrases(oracle, rng, 60)[::2]  # the runs as written: each is found somewhere
    for a, b in zip(phrases, phrases[1:], strict=False):
        pa = oracle.phrase([fold(w) for w in WORD.findall(a)])
        pb = oracle.phrase([fold(w) for w in WORD.findall(b)])
        assert found(service, f'"{a}" OR "{b}"') == pa | pb, (a, b)
        assert found(service, f'"{a}" AND "{b}"') == pa & pb, (a, b)
        assert found(service, f'"{a}" NOT "{b}"') == pa - pb, (a, b)
        # As search boxes read a sign before a word: -"b" leaves b out, +"a" requires a.
        assert found(service, f'+"{a}" -"{b}"') == pa - pb, (a, b)
        assert found(service, f'-"{b}"') == set(oracle.docs) - pb, b


def test_words_as_typed_are_always_found_and_every_match_holds_a_form_of_them(searched):
    service, oracle = searched
    rng = random.Random(SEED + 2)
    docs = sorted(oracle.docs)
    for _ in range(60):
        word = rng.choice(oracle.docs[rng.choice(docs)]["words"])
        if len(word) < 3 or word.isdigit():
            continue
        hits = {h.doc_id: h for h in _all(service, SearchRequest(q=word))}
        folded = fold(word)
        assert oracle.phrase([folded]) <= set(hits), word  # recall of the word as typed
        for doc_id, hit in hits.items():
            d = oracle.docs[doc_id]
            same_stem = any(stem(w) == stem(folded) for w in d["title"] + d["body"])
            assert same_stem or hit.explain, (word, doc_id)  # another spelling says so


def test_wildcards_find_every_word_starting_so(searched):
    service, oracle = searched
    rng = random.Random(SEED + 3)
    docs = sorted(oracle.docs)
    for _ in range(25):
        word = fold(rng.choice(oracle.docs[rng.choice(docs)]["words"]))
        if len(word) < 4 or not word.isalpha():
            continue
        start = word[: rng.randint(3, len(word) - 1)]
        assert found(service, f"{start}*") == oracle.prefix(start), start


def test_fields_and_filters(searched):
    service, oracle = searched
    by = lambda key, value: {i for i, d in oracle.docs.items() if d[key] == value}  # noqa: E731
    assert found(service, 'title:"Kazakhstan"') == oracle.phrase(["kazakhstan"], ("title",))
    assert found(service, "outlet:turan") == by("outlet", "Turan")
    assert found(service, "lang:az") == by("language", "az")
    assert found(service, "", filters=(("outlet", ("BBC News",)),)) == by("outlet", "BBC News")
    phrase = oracle.phrase(["the", "government"])
    assert found(service, '"the government"', filters=(("language", ("en",)),)) == phrase & by(
        "language", "en")
    in_month = {i for i, d in oracle.docs.items() if (d["date"] or "").startswith("2004-03")}
    assert found(service, '"the government"', filters=(("month", ("2004-03",)),)) == phrase & in_month


@pytest.mark.parametrize(("query", "low", "high"), [
    ("date:2022", "2022", "2022"), ("date:2022-01", "2022-01", "2022-01"),
    ("date:[2022-01-01 TO 2022-01-31]", "2022-01-01", "2022-01-31"),
    ("date:[2022-01-08 TO 2022-01-31]", "2022-01-08", "2022-01-31"),
    ("date:2004", "2004", "2004"), ("date:2004-05", "2004-05", "2004-05"),
    ("date:2004-05-05", "2004-05-05", "2004-05-05"),
    ("date:[2004-03 TO 2004-06-15]", "2004-03", "2004-06-15"),
    ("date:[2004-02-10 TO 2004-04-30]", "2004-02-10", "2004-04-30"),
])
def test_dates_at_their_precision(searched, query, low, high):
    service, oracle = searched
    assert found(service, query) == oracle.dated(low, high) != set()
    assert found(service, "", date_from=low, date_to=high) == oracle.dated(low, high)


def test_seed_dates_as_the_issue_asked(searched):
    service, oracle = searched
    seeds = {i for i, d in oracle.docs.items() if d["outlet"] != "BBC News"}
    assert len(seeds) == 5
    assert found(service, "date:2022") == seeds == found(service, "date:2022-01")
    assert found(service, "date:[2022-01-01 TO 2022-01-31]") == seeds


def test_a_quoted_word_in_a_field_means_that_word(searched):
    service, oracle = searched
    for word in ("sales", "profit", "Kazakh"):
        folded = fold(word)
        assert found(service, f'title:"{word}"') == oracle.phrase([folded], ("title",)), word
        assert found(service, f'body:"{word}"') == oracle.phrase([folded], ("body",)), word


@pytest.mark.parametrize("query", ['"Kazakhstan" AND date:2021', '"the government" AND date:2003',
                                   '"Generally" AND date:[1990 TO 1991-06]'])
def test_a_date_nothing_falls_inside_matches_nothing(searched, query):
    service, _ = searched
    assert found(service, query) == set()


@pytest.mark.parametrize("built", ["news", "updated"])
def test_facet_counts_and_top_values_equal_a_count_of_the_stored_values(built, request):
    """For masks of every density (a few matches, half, nearly all: the count reads the
    smaller side), each facet's counts and its top values are those a Python count of
    every document's stored values gives; on an index with deleted documents too."""
    service, _ = request.getfixturevalue(built)
    gen = service._current()
    reader = gen.searcher().reader()
    rng = np.random.default_rng(SEED)
    for facet, column in FACET_COLUMNS.items():
        stored = reader.column_reader(column)
        held = {d: {v for v in str(stored[d]).split(MULTI) if v} for d in reader.all_doc_ids()}
        arrays = gen.facets[facet]
        for share in (0.0, 0.01, 0.3, 0.5, 0.51, 0.9, 1.0):
            docs = rng.random(gen.size) < share
            expected = Counter(v for d, values in held.items() if docs[d] for v in values)
            assert arrays.counts(docs) == dict(expected), (facet, share)
            counted = arrays.counted(docs)
            for n in (1, 3, 100):
                top = sorted(expected.items(), key=lambda kv: (-kv[1], kv[0]))[:n]
                assert arrays.top(counted, n) == top, (facet, share, n)
            for value in list(expected)[:5] + ["no such value"]:
                assert arrays.count_of(counted, value) == expected[value]


def test_a_phrase_asked_again_is_answered_from_its_kept_matches(news, monkeypatch):
    """Paging or filtering asks a phrase again: the second answer comes without checking
    positions, and is still the oracle's; past PHRASES phrases the oldest are dropped."""
    service, oracle = news
    phrases = _phrases(oracle, random.Random(SEED + 2), 30)
    first = {text: found(service, f'"{text}"') for text in phrases}
    monkeypatch.setattr(matching, "_in_a_row", lambda *a: pytest.fail("positions checked again"))
    for text in phrases:
        assert found(service, f'"{text}"') == first[text] == oracle.phrase(
            [fold(w) for w in WORD.findall(text)]), text
    monkeypatch.undo()
    monkeypatch.setattr(postings, "PHRASES", 4)
    for text in ("Kazakh people", "CSTO troops", "Tokayev in 2019", "Kazakhstan or"):
        found(service, f'"{text}"')
    # Each phrase is looked for in the title and in the text.
    kept = service._current().postings._phrases
    assert [" ".join(words) for _, words in kept][::2] == ["tokayev in 2019", "kazakhstan or"]


def test_merged_facet_values_count_each_document_once(news):
    """Corrections merge mentioned names (or drop them): a document holding two merged
    names counts once, as a count of the mapped stored values says, for generated maps."""
    service, _ = news
    gen = service._current()
    reader = gen.searcher().reader()
    stored = reader.column_reader(FACET_COLUMNS["mentioned"])
    held = {d: {v for v in str(stored[d]).split(MULTI) if v} for d in reader.all_doc_ids()}
    raw = gen.facets["mentioned"]
    rng = np.random.default_rng(SEED)
    for names in (1, 3, 40, len(raw.values)):
        codes = rng.integers(-1, names, size=len(raw.values))
        merged = raw.merged(codes, tuple(f"name {n}" for n in range(names)))
        as_named = {d: {f"name {codes[raw.codes[v]]}" for v in values if codes[raw.codes[v]] >= 0}
                    for d, values in held.items()}
        docs = rng.random(gen.size) < 0.4
        expected = Counter(v for d, values in as_named.items() if docs[d] for v in values)
        assert merged.counts(docs) == dict(expected), names
        assert merged.counts(np.ones(gen.size, dtype=bool)) == dict(
            Counter(v for values in as_named.values() for v in values))


@pytest.fixture(scope="module")
def updated(news, tmp_path_factory):
    """The news index after a later run changed every 15th file and removed others: more
    than one segment, and documents deleted from the first."""
    service, _ = news
    corpus = tmp_path_factory.mktemp("updated") / "corpus"
    shutil.copytree(service.path.parent / "corpus", corpus)
    index = corpus.parent / "index"
    build.index_corpus(corpus, index)
    texts = sorted(corpus.glob("*.txt"))
    for path in texts[::15]:
        path.write_text(path.read_text("utf-8") + "\nAdded by a later run, these words.\n", "utf-8")
    for path in texts[7::40]:
        path.unlink()
    build.index_corpus(corpus, index)
    # Every list written beside its segment, not only the long ones: phrases here are
    # checked in the written positions wherever a word stands in a document.
    for path in index.resolve().glob("*.positions*"):
        path.unlink()
    ix = store.open_index(index)
    assert positions.write(ix, long=1) == len(ix.reader().leaf_readers())
    service = SearchService(index)
    leaves = service._current().searcher().reader().leaf_readers()
    assert len(leaves) > 1 and any(reader.has_deletions() for reader, _ in leaves)
    return service, Oracle(service)


def test_postings_read_by_blocks_are_whooshs_in_segments_with_deletions(updated):
    """Every word's documents and weights, read a block at a time, are those Whoosh's own
    cursor gives one posting at a time (deleted documents skipped)."""
    service, _ = updated
    gen = service._current()
    searcher = gen.searcher()
    reader = searcher.reader()
    rng = random.Random(SEED)
    for field in ("exact", "title", "pairs"):
        vocabulary = [b.decode("utf-8") for b in reader.lexicon(field)]
        for word in rng.sample(vocabulary, min(400, len(vocabulary))):
            docs, weights = [], []
            cursor = reader.postings(field, word)
            while cursor.is_active():
                docs.append(cursor.id())
                weights.append(cursor.weight())
                cursor.next()
            mine = gen.postings.of(searcher, field, word)
            assert mine[0].tolist() == docs, (field, word)
            assert np.allclose(mine[1], weights), (field, word)
    # Lists of several blocks (Whoosh writes 128 postings a block) are among those read.
    assert len(gen.postings.of(searcher, "exact", "the")[0]) > 2 * 128


def test_phrases_match_exactly_after_an_update(updated):
    service, oracle = updated
    wrong = []
    for text in _phrases(oracle, random.Random(SEED + 3), 120) + ["Added by a later run"]:
        expected = oracle.phrase([fold(w) for w in WORD.findall(text)])
        if found(service, f'"{text}"') != expected:
            wrong.append(text)
    assert not wrong


@pytest.fixture(scope="module")
def late(news, tmp_path_factory):
    """The news index and, added by a later run alone, a seed article with every "of the"
    made "of a": a segment where that pair stands in no document."""
    service, _ = news
    corpus = tmp_path_factory.mktemp("late") / "corpus"
    shutil.copytree(service.path.parent / "corpus", corpus)
    index = corpus.parent / "index"
    build.index_corpus(corpus, index)
    seed = next(path for path in sorted(CORPUS.glob("*.txt"))
                if len(re.findall(r"(?i)\bthe\b", path.read_text("utf-8"))) > 20)
    text = re.sub(r"(?i)\b(of\W+)the\b", r"\1a", seed.read_text("utf-8"))
    corpus.joinpath("late.txt").write_text(text, "utf-8")
    build.index_corpus(corpus, index)
    service = SearchService(index)
    leaves = service._current().searcher().reader().leaf_readers()
    assert any(("pairs", "of the") not in reader for reader, _ in leaves)
    return service, Oracle(service), text


def test_a_common_pair_missing_from_a_segment_matches_nothing_there(late):
    """ "of the X" for every X after a "the" of the late article: the article holds all
    three words, never in a row; the rest of the archive as the oracle says."""
    service, oracle, text = late
    words = [fold(w) for w in WORD.findall(text)]
    following = sorted({b for a, b in zip(words, words[1:], strict=False) if a == "the"})
    assert len(following) > 5
    for word in following:
        assert found(service, f'"of the {word}"') == oracle.phrase(["of", "the", word]), word


def test_written_positions_are_whooshs(updated):
    """The positions written beside each segment are what Whoosh's own decoder reads, for
    every live document of every written list; a document without the word gets none."""
    service, _ = updated
    searcher = service._current().searcher()
    rng = random.Random(SEED)
    checked = 0
    for reader, _ in searcher.reader().leaf_readers():
        sidecar = positions.Sidecar.of(reader)
        everyone = np.fromiter(reader.all_doc_ids(), dtype=np.int64)
        for field in positions.FIELDS:
            terms = sorted(term for f, term in sidecar.terms if f == field)
            assert len(terms) == len(list(reader.lexicon(field)))  # long=1: every list
            for term in rng.sample(terms, min(150, len(terms))):
                expected, got = both_ways(reader, sidecar, field, term, everyone)
                assert got == expected, (field, term)
                # Where a phrase would start, from the written lists and from Whoosh's.
                shift = rng.randint(0, 3)
                assert np.array_equal(
                    positions.starts(reader, sidecar, field, term, everyone, shift),
                    positions.starts(reader, None, field, term, everyone, shift)), (field, term)
                checked += 1
    assert checked > 600


def test_body_phrases_are_checked_in_the_written_positions(updated, monkeypatch):
    """With every list written, a body phrase never reads positions from Whoosh, and
    still finds exactly the documents holding it."""
    service, oracle = updated
    monkeypatch.setattr(positions, "listed", lambda *args: pytest.fail("read from Whoosh"))
    gen = service._current()
    searcher = gen.searcher()
    ids = [searcher.stored_fields(n)["doc_id"] for n in range(gen.size)]
    phrases = [[fold(w) for w in WORD.findall(text)]
               for text in _phrases(oracle, random.Random(SEED + 5), 60)]
    # A text's first two words and its second again: that last word stands where a
    # phrase would have to start before the text does (no match unless written so).
    phrases += [d["body"][:2] + d["body"][1:2] for d in list(oracle.docs.values())[:40]]
    for words in phrases:
        found_ = matching.matches(wq.Phrase("exact", words), searcher, gen.postings, gen.live)
        assert {ids[n] for n in np.flatnonzero(found_.mask)} == oracle.phrase(words, ("body",)), words


def test_each_build_writes_the_long_lists_of_its_new_segments(late, monkeypatch):
    """A build writes the lists of the segments it made (none is long in this small
    archive); Whoosh drops those of the segments it merged away; an unchanged run writes
    what an older index lacks. Phrases then read the long lists written and the others
    from Whoosh, and match exactly."""
    service, oracle, _ = late
    folder = service.path.resolve()

    def written():
        return {path.name.split(".")[0] for path in folder.glob("*.positions*")}

    leaves = service._current().searcher().reader().leaf_readers()
    current = {reader.segment().segment_id() for reader, _ in leaves}
    assert written() == current
    for path in folder.glob("*.positions*"):
        path.unlink()
    monkeypatch.setattr(positions, "LONG", 40)
    build.index_corpus(service.path.parent / "corpus", service.path)
    assert written() == current
    service = SearchService(service.path)
    reader = max(service._current().searcher().reader().leaf_readers(),
                 key=lambda leaf: leaf[0].doc_count_all())[0]
    sidecar = positions.Sidecar.of(reader)
    assert ("exact", "the") in sidecar and ("pairs", "of the") in sidecar
    assert 0 < len(sidecar.terms) < len(list(reader.lexicon("exact"))) / 10
    for text in _phrases(oracle, random.Random(SEED + 7), 80):
        expected = oracle.phrase([fold(w) for w in WORD.findall(text)])
        assert found(service, f'"{text}"') == expected, text


def test_a_segment_whose_written_lists_vanish_is_read_from_whoosh(tmp_path):
    """A reader of an older index version may find a merged-away segment's files deleted
    (Whoosh deletes them with the segment's own, which the reader holds open): its phrases
    are then checked in Whoosh's positions, with the same answer."""
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    build.index_corpus(corpus, index)
    folder = index.resolve()
    for path in folder.glob("*.positions*"):
        path.unlink()
    assert positions.write(store.open_index(index), long=1)
    phrases = ['"the Kazakh people"', '"in the country"', '"Kazakhstan and"']
    written = SearchService(index)
    before = [found(written, q) for q in phrases]
    for path in folder.glob("*.positions_*.npy"):
        path.unlink()
    after = SearchService(index)
    reader = after._current().searcher().reader()
    assert all(positions.Sidecar.of(leaf) is None for leaf, _ in reader.leaf_readers())
    assert [found(after, q) for q in phrases] == before
    assert before[0] and all(before)
    # Cut short by a crash, or a table that is not JSON: the same.
    for damaged_files, damage in (("*.positions_positions.npy", lambda b: b[:20]),
                                  ("*.positions.json", lambda b: b"{")):
        for path in folder.glob("*.positions*"):
            path.unlink()
        positions.write(store.open_index(index), long=1)
        for path in folder.glob(damaged_files):
            path.write_bytes(damage(path.read_bytes()))
        damaged = SearchService(index)
        reader = damaged._current().searcher().reader()
        assert all(positions.Sidecar.of(leaf) is None for leaf, _ in reader.leaf_readers())
        assert [found(damaged, q) for q in phrases] == before


def test_phrases_on_an_index_without_documents_find_nothing(tmp_path):
    """A corpus with nothing indexable leaves an index without segments: a phrase of
    common words, or of any, finds nothing there (it used to fail on the missing segment)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_text("")
    build.index_corpus(corpus, tmp_path / "index")
    service = SearchService(tmp_path / "index")
    for q in ('"of the state"', '"Kazakh people"', '"the Kazakh people"'):
        assert service.search(SearchRequest(q=q)).total == 0
