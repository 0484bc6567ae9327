"""The house: each wing imports only its own libraries, and an installed wheel (no
checkout beside it) indexes and serves."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
import venv
from pathlib import Path

import pytest

from indexer import build

from .conftest import CORPUS, ROOT

INDEXING_ONLY = ("trafilatura", "lingua", "datasketch", "bs4", "charset_normalizer", "scipy")


def _modules_after(statement: str) -> set[str]:
    code = f"import json, sys\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return {name.split(".")[0] for name in json.loads(out.stdout)}


def test_the_web_app_loads_no_indexing_library():
    loaded = _modules_after("import webapp; webapp.create_app")
    assert "flask" in loaded
    assert not loaded & set(INDEXING_ONLY)


def test_scipy_and_html_parsers_wait_until_a_run_needs_them(tmp_path):
    """datasketch imports scipy (0.7 s): an incremental run signs changed texts in a helper
    process started before it lists the corpus (the import overlaps the listing), so that
    its own process loads neither, nor HTML's parsers (a third of its imports) for a text."""
    index = tmp_path / "index"
    build.index_corpus(CORPUS, index)
    loaded = _modules_after("from pathlib import Path; from indexer import build; "
                            f"build.index_corpus(Path({str(CORPUS)!r}), Path({str(index)!r}))")
    assert "whoosh" in loaded and not loaded & {"datasketch", "scipy"}
    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    build.index_corpus(corpus, index)
    changed = next(corpus.glob("*.txt"))
    for workers in (2, 1):
        changed.write_text(changed.read_text("utf-8") + "\nA paragraph added later.\n", "utf-8")
        loaded = _modules_after(
            "from pathlib import Path; from indexer import build; "
            f"assert build.index_corpus(Path({str(corpus)!r}), Path({str(index)!r}), "
            f"workers={workers}).updated == 1")
        assert not loaded & {"bs4", "trafilatura"}
        # One process: the text is signed in it.
        assert ("datasketch" in loaded) == (workers == 1)


def test_the_indexer_never_loads_flask():
    modules = " ".join(sorted(f"indexer.{p.stem}" for p in (ROOT / "indexer").glob("*.py")
                              if p.stem != "__init__"))
    loaded = _modules_after(f"import {modules.replace(' ', ', ')}")
    # The build names its engine; Whoosh is loaded only when a run opens it.
    assert "trafilatura" in loaded and "whoosh" not in loaded
    assert not loaded & {"flask", "werkzeug", "webapp", "presscut"}


# Each package and the Presscut packages it may import: arrows run one way only.
ARROWS = {
    "core": set(),
    "engines": {"core"},
    "indexer": {"engines", "core"},
    "search": {"engines", "core"},
    "webapp": {"search", "core"},
    "presscut": {"webapp", "search", "indexer", "engines", "core"},
}
# Libraries a package must not reach for: the web app goes through the search service.
FORBIDDEN = {"webapp": {"whoosh", "bs4", "lxml", "trafilatura"}, "core": {"whoosh", "flask"},
             "search": {"flask"}, "engines": {"flask"}, "indexer": {"flask"}}


def _imports(path: Path) -> set[str]:
    """The top-level packages ``path`` imports, type-checking imports included."""
    imported = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level:
            imported.add(path.relative_to(ROOT).parts[0])
    return imported


# The engine seam: these packages name an engine through ``engines`` and its protocol,
# never import one, so a second engine is added without touching them (the build also
# keeps the index folder's own files: lock, report, state).
THROUGH_THE_SEAM = {"search": {"engines", "engines.protocol"},
                    "indexer": {"engines", "engines.protocol", "engines.folder"}}


def _engine_modules(path: Path) -> set[str]:
    """The modules of ``engines`` that ``path`` imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
        found |= {n for n in names if n.split(".")[0] == "engines"}
    return found


@pytest.mark.parametrize("package", THROUGH_THE_SEAM)
def test_search_and_the_build_reach_engines_only_through_the_protocol(package):
    for path in (ROOT / package).rglob("*.py"):
        assert _engine_modules(path) <= THROUGH_THE_SEAM[package], path


def _modules() -> list[Path]:
    return sorted(p for package in ARROWS for p in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_arrows(path):
    package = path.relative_to(ROOT).parts[0]
    ours = _imports(path) & ARROWS.keys()
    assert ours <= ARROWS[package] | {package}, f"{package} may not import {ours - ARROWS[package]}"
    assert not _imports(path) & FORBIDDEN.get(package, set())


def test_the_arrow_test_sees_a_wrong_import(tmp_path):
    """The check above can fail: an import against the arrows is caught."""
    wrong = ROOT / "core" / "_arrow_probe.py"
    wrong.write_text("from search import service\n", encoding="utf-8")
    try:
        with pytest.raises(AssertionError, match="core may not import"):
            test_imports_follow_the_arrows(wrong)
    finally:
        wrong.unlink()


@pytest.mark.slow
def test_a_wheel_installed_without_the_checkout_indexes_and_serves(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w",
                    str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("presscut-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # The dependencies come from this environment; Presscut itself only from the wheel.
    Path(site, "presscut-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    # Nor the checkout on PYTHONPATH: its presscut.egg-info (left by the build above) would
    # tell pip that Presscut is installed already, and it would install nothing.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                   check=True, capture_output=True, env=env)
    subprocess.run([env_dir / "bin" / "presscut", "index", "--corpus", str(CORPUS),
                    "--index", str(tmp_path / "index")], check=True, capture_output=True,
                   cwd=tmp_path, env=env)
    script = textwrap.dedent(f"""
        import webapp
        from core.settings import Settings
        assert webapp.__file__.startswith({site!r}), webapp.__file__
        client = webapp.create_app(Settings.defaults(index={str(tmp_path / "index")!r})).test_client()
        page = client.get("/?q=Tokayev")
        assert page.status_code == 200 and b"<mark>Tokayev</mark>" in page.data, page.status_code
        assert client.get("/static/presscut.css").status_code == 200
        assert client.get("/no-such-page").status_code == 404
        assert client.get("/api/openapi.json").status_code == 200
        print("served")
    """)
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                         env=env)
    assert out.stdout.strip() == "served", out.stderr


def test_a_second_engine_serves_the_search_service_through_the_registry(seed_index, monkeypatch):
    """An engine registered by name answers the service with no change to search/: here
    one that counts what the service asks of it, around the Whoosh engine."""
    import engines
    from search.service import SearchRequest, SearchService

    asked = []

    class Counting:
        def __init__(self, inner):
            self.inner = inner

        def version(self):
            asked.append("version")
            return self.inner.version()

        def __getattr__(self, name):
            return getattr(self.inner, name)

    module = type(sys)("counting_engine")
    module.open_engine = lambda index, settings: Counting(engines.open_engine(index))
    monkeypatch.setitem(sys.modules, "counting_engine", module)
    monkeypatch.setitem(engines.ENGINES, "counting", "counting_engine")
    service = SearchService(seed_index, engine=engines.open_engine(seed_index, "counting"))
    plain = SearchService(seed_index)
    request = SearchRequest(q="Tokayev")
    assert service.search(request).to_json()["results"] == plain.search(request).to_json()["results"]
    assert asked
    with pytest.raises(ValueError, match="There is no engine 'nope'"):
        engines.open_engine(seed_index, "nope")
