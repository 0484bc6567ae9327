"""`presscut index --engine opensearch`, as a user runs it, against the real test cluster
(skipped, saying how to start it, when there is none): the seed corpus built through the
CLI answers the API as the Whoosh index of the same corpus does; an incremental run
rewrites only what changed; a rebuild killed half-way leaves searches on the old index."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner

from core.analysis import WORD
from core.ids import document_id
from core.settings import SETTINGS, Settings
from engines.opensearch.client import connect
from engines.opensearch.engine import CHECK_EVERY
from engines.opensearch.writer import alias_of, live_indexes
from presscut.cli import EXIT_BUSY, main
from webapp import create_app

from .conftest import CORPUS, ROOT, seed_paragraphs
from .opensearch_fixture import cluster_settings, drop

# The commands that open the index, and the settings each must take as an option.
OPENING = ("index", "serve", "search", "cite", "verify")
ENGINE_SETTINGS = [s.name for s in SETTINGS if s.name == "engine" or s.name.startswith("opensearch_")]


def _cli(settings: Settings, *args) -> list[str]:
    """The command line pointing at ``settings``' cluster and prefix."""
    return [*map(str, args), "--engine", "opensearch", "--opensearch-url", settings.opensearch_url,
            "--opensearch-prefix", settings.opensearch_prefix,
            "--opensearch-replicas", str(settings.opensearch_replicas)]


def _index(settings: Settings, corpus, *more) -> str:
    result = CliRunner().invoke(main, _cli(settings, "index", "--corpus", corpus, "--index",
                                           settings.index, *more), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_every_engine_setting_is_an_option_of_the_commands_that_open_the_index(tmp_path):
    pytest.importorskip("opensearchpy")
    for name in OPENING:
        options = {p.name for p in main.commands[name].params}
        assert set(ENGINE_SETTINGS) <= options, name
    # An option given wins over the environment and defaults: here a cluster not there.
    result = CliRunner().invoke(main, ["index", "--corpus", str(CORPUS), "--index",
                                       str(tmp_path / "index"), "--engine", "opensearch",
                                       "--opensearch-url", "http://127.0.0.1:1"])
    assert result.exit_code == EXIT_BUSY
    assert "The OpenSearch cluster at http://127.0.0.1:1 cannot be reached" in result.output
    assert not (tmp_path / "index" / "presscut-report.json").exists()


@pytest.fixture(scope="module")
def cli_built(tmp_path_factory):
    """The seed corpus indexed into a prefix of its own by `presscut index`."""
    settings = cluster_settings(index=tmp_path_factory.mktemp("os") / "index", corpus=CORPUS,
                                engine="opensearch")
    try:
        assert "5 documents (5 added" in _index(settings, CORPUS)
        yield settings
    finally:
        drop(settings)


def _generated_queries(rng: random.Random, count: int) -> list[dict[str, str]]:
    """API parameters made from the seed texts: words, words together, OR, NOT, phrases
    of two or three words as they stand, word patterns; some filtered, dated or sorted."""
    texts = [path.read_text("utf-8") for path in sorted(CORPUS.glob("*.txt"))]
    paragraphs = [WORD.findall(p) for text in texts for p in text.split("\n\n")]
    paragraphs = [words for words in paragraphs if len(words) > 4]
    every = sorted({w for words in paragraphs for w in words if not w.isdigit()})
    queries = []
    for n in range(count):
        words = rng.choice(paragraphs)
        at = rng.randrange(len(words) - 3)
        q = [rng.choice(every), " ".join(rng.sample(words, 2)),
             f"{rng.choice(every)} OR {rng.choice(every)}",
             f"{rng.choice(words)} NOT {rng.choice(every)}",
             '"' + " ".join(words[at:at + rng.choice((2, 3))]) + '"',
             rng.choice([w for w in every if len(w) > 4])[:4] + "*"][n % 6]
        params = {"q": q, "per_page": "100"}
        params.update(rng.choice([{}, {}, {"lang": "en"}, {"from": "2022-01-06"},
                                  {"sort": "-date"}, {"outlet": "Turan"}]))
        queries.append(params)
    return queries


def _answer(client, params: dict) -> tuple:
    got = client.get("/api/search", query_string=params)
    assert got.status_code == 200, (params, got.get_json())
    data = got.get_json()
    return (data["total"], sorted(r["doc_id"] for r in data["results"]), data["facets"],
            data.get("relaxed"))


def test_the_seed_indexed_by_the_cli_answers_the_api_as_whoosh_does(cli_built, seed_index):
    """Counts, documents and facet counts of 120 queries generated from the seed texts."""
    whoosh = create_app(Settings.defaults(index=seed_index, corpus=CORPUS)).test_client()
    cluster = create_app(cli_built).test_client()
    queries = _generated_queries(random.Random(20261207), 120)
    found = 0
    for params in queries:
        expected = _answer(whoosh, params)
        assert _answer(cluster, params) == expected, params
        found += expected[0] > 0
    assert found > 80  # most queries find something: the comparison says something
    for path in sorted(CORPUS.glob("*.txt")):
        doc_id = document_id(path.name)
        on_whoosh = whoosh.get(f"/api/documents/{doc_id}").get_json()
        assert cluster.get(f"/api/documents/{doc_id}").get_json() == on_whoosh
        passage = on_whoosh["passages"][-1]["passage_id"]
        assert (cluster.get(f"/api/passages/{passage}").get_json()
                == whoosh.get(f"/api/passages/{passage}").get_json())


def test_serve_on_a_cluster_without_the_index_indexes_first_then_answers(tmp_path):
    settings = cluster_settings(index=tmp_path / "index", engine="opensearch")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([sys.executable, "-m", "presscut", *_cli(
        settings, "serve", "--corpus", CORPUS, "--index", settings.index, "--port", port,
        "--workers", 1)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        said = [server.stdout.readline() for _ in range(3)]
        assert said[0].startswith(f"There is no index '{alias_of(settings)}'")
        assert "Indexing" in said[0] and "5 documents (5 added" in said[1], said
        assert f"serving {settings.index} on http://127.0.0.1:{port}/" in said[2], said
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=Tokayev",
                                            timeout=10) as response:
                    assert json.loads(response.read())["total"] == 5
                break
            except OSError:  # not listening yet
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
    finally:
        server.terminate()
        server.wait(30)
        server.stdout.close()
        drop(settings)


def _versions(settings: Settings) -> dict[str, tuple[int, int]]:
    """Each document's (_version, _seq_no): both move only when it is written again."""
    hits = connect(settings).search(index=alias_of(settings), body={
        "size": 100, "version": True, "seq_no_primary_term": True, "_source": False})
    return {hit["_id"]: (hit["_version"], hit["_seq_no"]) for hit in hits["hits"]["hits"]}


def test_an_incremental_run_rewrites_only_the_changed_document(corpus_copy, tmp_path):
    settings = cluster_settings(index=tmp_path / "index", corpus=corpus_copy, engine="opensearch")
    try:
        _index(settings, corpus_copy)
        before = _versions(settings)
        changed = sorted(corpus_copy.glob("*.txt"))[2]
        added = ("A herder named Zyxwvut said the lake froze early this winter and that the "
                 "roads to the district centre were closed for a week.")
        changed.write_text(f"{changed.read_text('utf-8')}\n\n{added}\n", "utf-8")
        assert "(0 added, 1 updated, 4 unchanged, 0 deleted" in _index(settings, corpus_copy)
        after = _versions(settings)
        rewritten = {doc_id for doc_id in before if after[doc_id] != before[doc_id]}
        assert rewritten == {document_id(changed.name)}
        assert after[document_id(changed.name)][0] == before[document_id(changed.name)][0] + 1
        client = create_app(settings).test_client()
        time.sleep(CHECK_EVERY + 0.1)
        hits = client.get("/api/search?q=zyxwvut").get_json()["results"]
        assert [hit["doc_id"] for hit in hits] == [document_id(changed.name)]
        assert hits[0]["passages"][0]["text"] == added
        # A file gone: its document goes, and nothing else is written.
        gone = sorted(corpus_copy.glob("*.txt"))[0]
        gone.unlink()
        assert "(0 added, 0 updated, 4 unchanged, 1 deleted" in _index(settings, corpus_copy)
        assert _versions(settings) == {k: v for k, v in after.items() if k != document_id(gone.name)}
        report = json.loads((tmp_path / "index" / "presscut-report.json").read_text())
        assert report["deleted"] == 1 and report["documents"] == 4
        # Without the state (lost, or another engine's): the run reads the documents back
        # from the index, and finds nothing to write.
        for state in ("presscut-state.json", "presscut-state.sqlite3"):
            (tmp_path / "index" / state).unlink()
        assert "(0 added, 0 updated, 4 unchanged, 0 deleted" in _index(settings, corpus_copy)
        assert _versions(settings) == {k: v for k, v in after.items() if k != document_id(gone.name)}
    finally:
        drop(settings)


def _made_corpus(corpus, articles: int):
    """The seed corpus and ``articles`` more, each five paragraphs drawn from the seed's."""
    paragraphs = seed_paragraphs()
    rng = random.Random(articles)
    corpus.mkdir()
    for path in CORPUS.glob("*.txt"):
        (corpus / path.name).write_bytes(path.read_bytes())
    for n in range(articles):
        (corpus / f"made-{n:04d}.txt").write_text("\n\n".join(rng.sample(paragraphs, 5)), "utf-8")
    return corpus


@pytest.mark.slow
def test_a_rebuild_killed_half_way_leaves_searches_on_the_old_index(cli_built, tmp_path):
    """SIGKILL while the rebuild's bulk requests go in: the alias stays, searches answer
    as before; the next rebuild drops what the dead one left."""
    settings = cli_built
    client = connect(settings)
    alias = alias_of(settings)
    old = live_indexes(client, alias)
    app = create_app(settings).test_client()
    asked = [{"q": q, "per_page": "100"} for q in ("Tokayev", '"prime minister"', "Kazakh*", "")]
    before = [_answer(app, params) for params in asked]
    grown = _made_corpus(tmp_path / "grown", 800)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.Popen([sys.executable, "-m", "presscut", *_cli(
        settings, "index", "--rebuild", "--corpus", grown, "--index", settings.index)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        written = _await_bulk(client, alias, old, run)
    finally:
        run.kill()
        run.wait(60)
    assert written > 0 and run.returncode == -signal.SIGKILL, "the rebuild ended before it was killed"
    assert live_indexes(client, alias) == old
    time.sleep(CHECK_EVERY + 0.1)
    assert [_answer(app, params) for params in asked] == before
    assert app.get("/api/status").get_json()["documents"] == 5
    # The lock died with the process: the next rebuild runs, and its index replaces both.
    _index(settings, CORPUS, "--rebuild")
    assert set(client.indices.get(index=f"{alias}-v*")) == {*live_indexes(client, alias), *old}
    time.sleep(CHECK_EVERY + 0.1)
    assert [_answer(app, params) for params in asked] == before


def _await_bulk(client, alias: str, old: list[str], run: subprocess.Popen) -> int:
    """Documents the rebuild has sent into its new index, once there are some (0 when the
    run ended first)."""
    deadline = time.monotonic() + 240
    while run.poll() is None and time.monotonic() < deadline:
        stats = client.indices.stats(index=f"{alias}-v*", metric="indexing")["indices"]
        sent = sum(s["primaries"]["indexing"]["index_total"] for name, s in stats.items()
                   if name not in old)
        if sent:
            return sent
        time.sleep(0.05)
    return 0
