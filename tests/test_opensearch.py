"""What is particular to the OpenSearch engine, against the real test cluster (skipped,
saying how to start it, when there is none): analyzers that cut and fold as ``core``
does, documents that come back whole, the alias swap of a rebuild, and a 503 when the
cluster cannot be reached. The shared suites (test_api, test_search_oracle) run on it too."""

from __future__ import annotations

import dataclasses
import random
import time

import numpy as np
import pytest

from core.analysis import WORD, stem, terms
from core.facets import BY_NAME
from core.ids import document_id
from core.records import Signature
from core.settings import Settings
from engines import open_engine
from engines.opensearch.engine import CHECK_EVERY
from engines.opensearch.writer import OpenSearchWriter, live_indexes
from engines.protocol import Ask
from search.corrections import Corrections
from search.results import SearchRequest
from search.service import SearchService
from webapp import create_app

from .conftest import CORPUS
from .opensearch_fixture import cluster_settings, copy_to_opensearch, drop

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
AZERBAIJANI = "əƏıIİiğĞşŞçÇöÖüÜ"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
BETWEEN = [" ", "'", "’", "-", "‑", ", ", ". ", "\n", " — ", "'s ", "«", "» "]


def _generated(rng: random.Random, words: int) -> str:
    """Words of one alphabet each (Latin with Azerbaijani letters, or Cyrillic), digits
    alone or inside words, joined by spaces, apostrophes, hyphens and punctuation."""
    parts = []
    for _ in range(words):
        letters = rng.choice([LATIN + AZERBAIJANI, LATIN, CYRILLIC, "0123456789"])
        word = "".join(rng.choice(letters + "0123456789" * (rng.random() < 0.1))
                       for _ in range(rng.randint(1, 12)))
        parts += [word, rng.choice(BETWEEN)]
    return "".join(parts)


def _analyze(service: SearchService, analyzer: str, text: str) -> list[str]:
    engine = service.engine
    answer = engine.client.indices.analyze(index=engine.alias, body={"analyzer": analyzer, "text": text})
    return [token["token"] for token in answer["tokens"]]


@pytest.fixture(scope="module")
def cluster(seed_index, request):
    settings = request.getfixturevalue("seed_cluster")
    return SearchService(seed_index, engine=open_engine(seed_index, "opensearch", settings))


def test_the_analyzer_cuts_and_folds_as_core_does_on_generated_text(cluster):
    rng = random.Random(20261207)
    for n in range(40):
        text = _generated(rng, 60)
        if n == 0:
            text += " İlham Əliyev QAZAXISTAN Qazaxıstan's Ёлка ёж Russia's 2022-ci COVID-19 İİ ıı"
        assert _analyze(cluster, "presscut_exact", text) == terms(text), text


def test_the_analyzer_agrees_with_core_on_every_word_of_the_seed_corpus(cluster):
    words = sorted({w for path in CORPUS.glob("*.txt") for w in WORD.findall(path.read_text("utf-8"))})
    text = " ".join(words)
    assert _analyze(cluster, "presscut_exact", text) == terms(text)


def test_words_lucenes_stemmer_cuts_otherwise_find_what_they_find_on_whoosh(cluster, service):
    """Lucene's Snowball English is older than PyStemmer's ("organization" -> "organ",
    not "organiz"): stems are core's, sent with the words, so a plain word finds the same
    documents on both engines."""
    words = sorted({fold for path in CORPUS.glob("*.txt") for fold in terms(path.read_text("utf-8"))
                    if fold.isascii() and fold.isalpha()})
    lucene = cluster.engine.client.indices.analyze(body={
        "tokenizer": "whitespace", "filter": [{"type": "stemmer", "language": "porter2"}],
        "text": " ".join(words)})["tokens"]
    differ = [w for w, token in zip(words, lucene, strict=True) if token["token"] != stem(w)]
    assert "organization" in differ
    for word in differ:
        assert ({r.doc_id for r in cluster.search(SearchRequest(q=word)).results}
                == {r.doc_id for r in service.search(SearchRequest(q=word)).results}), word


def test_documents_come_back_as_the_pipeline_made_them(cluster, seed_index):
    whoosh = SearchService(seed_index)
    for path in CORPUS.glob("*.txt"):
        doc_id = document_id(path.name)
        assert cluster.document(doc_id) == whoosh.document(doc_id) is not None
    assert cluster.document("nope") is None


def _docs(service: SearchService, names) -> list:
    return [service.document(document_id(name)) for name in names]


@pytest.fixture()
def own(seed_index):
    """The seed documents in an index of their own (a prefix of this test's)."""
    settings = cluster_settings()
    try:
        yield copy_to_opensearch(seed_index, settings), SearchService(seed_index)
    finally:
        drop(settings)


def _total(engine, q: str = "") -> int:
    service = SearchService(engine.path, engine=engine)
    return service.search(SearchRequest(q=q)).total


def test_a_rebuild_is_seen_whole_at_its_commit_and_a_dead_one_never(own):
    engine, whoosh = own
    names = sorted(p.name for p in CORPUS.glob("*.txt"))
    first = live_indexes(engine.client, engine.alias)
    signature = Signature("x", b"\0" * 8)
    # A rebuild that dies (no commit, no cancel: the process was killed) changes nothing.
    dead = OpenSearchWriter(engine.client, engine.settings, rebuild=True)
    for doc in _docs(whoosh, names[:2]):
        dead.replace(doc, signature)
    dead._send(0)
    engine.client.indices.refresh(index=dead.target)
    assert _total(engine) == 5 and live_indexes(engine.client, engine.alias) == first
    # One that fails is cancelled: its index goes.
    with pytest.raises(KeyboardInterrupt), engine.writer(rebuild=True) as failing:
        failing.replace(_docs(whoosh, names[:1])[0], signature)
        raise KeyboardInterrupt
    assert not engine.client.indices.exists(index=failing.target)
    # One that commits is searched whole, at once; the index before it is kept.
    with engine.writer(rebuild=True) as writer:
        for doc in _docs(whoosh, names[:2]):
            writer.replace(doc, signature)
        assert _total(engine) == 5
    time.sleep(CHECK_EVERY + 0.1)
    assert _total(engine) == 2
    assert live_indexes(engine.client, engine.alias) == [writer.target]
    kept = set(engine.client.indices.get(index=f"{engine.alias}-v*"))
    assert kept == {writer.target, *first}  # the dead rebuild's leftovers went too


def test_an_incremental_run_shows_its_changes_at_the_commit(own):
    engine, whoosh = own
    names = sorted(p.name for p in CORPUS.glob("*.txt"))
    changed = _docs(whoosh, names[:1])[0]
    changed = dataclasses.replace(changed, metadata=dataclasses.replace(
        changed.metadata, title="Zyxwvut headline"))
    with engine.writer() as writer:
        assert writer.stored(names[0]) == whoosh.document(document_id(names[0]))
        writer.replace(changed, Signature("x", b"\0" * 8))
        writer.delete(names[1])
        writer.delete("never-indexed.txt")
        writer._send(0)
        time.sleep(CHECK_EVERY + 0.1)
        assert _total(engine) == 5 and _total(engine, "zyxwvut") == 0
    time.sleep(CHECK_EVERY + 0.1)
    assert _total(engine) == 4 and _total(engine, "zyxwvut") == 1
    assert engine.version().document(changed.doc_id) == changed


def test_a_cluster_that_cannot_be_reached_is_a_503_that_says_so(seed_index):
    pytest.importorskip("opensearchpy")
    app = create_app(Settings.defaults(index=seed_index, corpus=CORPUS, engine="opensearch",
                                       opensearch_url="http://127.0.0.1:1"))
    client = app.test_client()
    response = client.get("/api/search?q=Tokayev")
    assert response.status_code == 503
    assert "cannot be reached" in response.get_json()["error"]
    page = client.get("/?q=Tokayev")
    assert page.status_code == 503 and b"cannot be reached" in page.data


class _ByInitial:
    """Corrections that count every mentioned name as its initial, and drop names that
    start with a vowel: merges and drops, as a corpus's entities.toml may."""

    stamp = ("by initial",)

    def mapping(self, values):
        names = tuple(sorted({v[:1] for v in values if v[:1] not in "AEIOU"}))
        codes = np.array([names.index(v[:1]) if v[:1] in names else -1 for v in values])
        return codes, names


@pytest.mark.parametrize("corrected", ["by initial", "the corpus's"])
@pytest.mark.parametrize("q", ["", "Tokayev", "Kazakhstan OR protest", '"prime minister"', "CSTO"])
def test_facets_filters_and_merged_names_count_as_on_whoosh(cluster, service, q, corrected):
    """Both engines, asked the same: the same totals, facet counts (each facet ignoring its
    own filter; mentioned names merged per document, by a mapping of every name: the
    corpus's corrections merge "Tokayev" into a full name only where that one is held)
    and dates."""
    corrections = {"mentioned": _ByInitial() if corrected == "by initial" else Corrections()}
    mentioned = [value for value, _ in service._current().find(Ask(
        parsed=service._current().parse("Tokayev", None, 1000), facets=("mentioned",),
        corrections=corrections)).facets["mentioned"]]
    for filters in ({}, {"language": frozenset({"en"})},
                    {"mentioned": frozenset(mentioned[:2]), "outlet": frozenset({"Turan", "x"})}):
        answers = []
        for version in (service._current(), cluster._current()):
            found = version.find(Ask(parsed=version.parse(q, None, 1000), filters=filters,
                                     facets=tuple(BY_NAME), corrections=corrections, last=100,
                                     date_from="2022-01"))
            answers.append((found.total, {d.doc_id for d, _ in found.page}, dict(found.facets),
                            found.first_date, found.last_date, dict(found.date_counts)))
        assert answers[0] == answers[1], (q, filters)


def test_indexing_into_opensearch_says_it_is_not_wired_yet(tmp_path):
    from click.testing import CliRunner

    from presscut.cli import main
    result = CliRunner().invoke(main, ["index", "--corpus", str(CORPUS), "--index",
                                       str(tmp_path / "index"), "--engine", "opensearch"])
    assert result.exit_code != 0 and "not wired yet" in result.output
    assert not (tmp_path / "index").exists()


@pytest.mark.parametrize("q", ["Tokayev", "protesting", "Kazakhstan protests", "CSTO OR Russia",
                               "Kazakh*", "outlet:turan", "lang:en Tokayev", "Tokaev~"])
def test_results_rank_in_whooshs_order(cluster, service, q):
    """BM25 with Whoosh's k1 and b, patterns scored by their words (not all alike)."""
    whoosh, found = service.search(SearchRequest(q=q)), cluster.search(SearchRequest(q=q))
    assert [r.doc_id for r in found.results] == [r.doc_id for r in whoosh.results]


@pytest.mark.parametrize("q", ["Tokayev", "outlet:turan", "lang:en Tokayev"])
def test_scores_of_words_spelt_one_way_are_whooshs(cluster, service, q):
    """Within 5%: each engine keeps document lengths in its own lossy byte."""
    whoosh, found = service.search(SearchRequest(q=q)), cluster.search(SearchRequest(q=q))
    assert [r.score for r in found.results] == pytest.approx([r.score for r in whoosh.results], rel=0.05)
