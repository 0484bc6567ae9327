"""Fixtures: the seed corpus indexed once per session into its own temporary index."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.ids import document_id
from core.settings import Settings
from engines import open_engine
from indexer import build
from search.service import SearchService
from webapp import create_app

from .opensearch_fixture import ENGINES, cluster_settings, copy_to_opensearch, drop

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
CHROMIUM = Path("/usr/bin/chromium")
SEEDS = {
    "caucasus": "000_eb6fef543613bdbe.txt",
    "eurasianet": "001_67b0699eded614e1.txt",
    "turan": "002_938856376b445d97.txt",
    "vikendi": "003_5d244a4e81530a41.txt",
    "novator": "004_2f0483cb1381373d.txt",
}


def seed_paragraphs() -> list[str]:
    """The seed articles' paragraphs of more than twelve words: what articles made up for
    a test that needs many are made of (so that it runs without ../shared)."""
    return [p for path in sorted(CORPUS.glob("*.txt"))
            for p in path.read_text("utf-8").split("\n\n") if len(p.split()) > 12]


def shared(path: str) -> Path:
    """A file under ../shared, or a clear skip when that folder is absent."""
    found = SHARED / path
    if not found.exists():
        pytest.skip(f"../shared/{path} is not here: this test needs the shared data")
    return found


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    index = tmp_path_factory.mktemp("seed") / "index"
    summary = build.index_corpus(CORPUS, index)
    assert summary.documents == 5 and not summary.skipped
    return index


def pytest_addoption(parser):
    parser.addoption("--engine", action="append", choices=ENGINES,
                     help="run the suites on this engine (repeat for several): the app, service "
                          "and oracle fixtures then use it [default: whoosh; both for the "
                          "suites that name ON_ENGINES]")


def pytest_generate_tests(metafunc):
    """Each test using ``engine_name`` runs on the --engine engines, else on its module's
    ``ON_ENGINES``, else on Whoosh alone (its ids then unchanged)."""
    if "engine_name" in metafunc.fixturenames:
        names = metafunc.config.getoption("engine") or getattr(metafunc.module, "ON_ENGINES", None)
        if names:
            metafunc.parametrize("engine_name", names, indirect=True, scope="session")


@pytest.fixture(scope="session")
def engine_name(request) -> str:
    """The engine the app, service and oracle fixtures use."""
    return getattr(request, "param", "whoosh")


@pytest.fixture(scope="session")
def seed_cluster(seed_index):
    """Settings naming the seed corpus's documents in the OpenSearch test cluster."""
    settings = cluster_settings(index=seed_index, corpus=CORPUS, engine="opensearch")
    try:  # a copy that fails half-way leaves no index behind either
        copy_to_opensearch(seed_index, settings)
        yield settings
    finally:
        drop(settings)


@pytest.fixture(scope="session")
def service(seed_index, engine_name, request) -> SearchService:
    if engine_name == "opensearch":
        settings = request.getfixturevalue("seed_cluster")
        return SearchService(seed_index, engine=open_engine(seed_index, "opensearch", settings))
    return SearchService(seed_index)


@pytest.fixture(scope="session")
def seed_settings(seed_index, engine_name, request):
    """Settings over the seed corpus on the test's engine, with the given changes (a
    collections file of the test's own, say)."""
    if engine_name == "opensearch":
        base = request.getfixturevalue("seed_cluster")
    else:
        base = Settings.defaults(index=seed_index, corpus=CORPUS)
    return base.replace


@pytest.fixture(scope="session")
def app(seed_settings):
    return create_app(seed_settings())


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def seed_docs(service) -> dict:
    """Seed documents by short name (see SEEDS)."""
    return {name: service.document(document_id(file)) for name, file in SEEDS.items()}


@pytest.fixture()
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the seed corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (its own download does not work here)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it as root)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Let fixtures see whether the test failed (browser tests keep a screenshot then)."""
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report
