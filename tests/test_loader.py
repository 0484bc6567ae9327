"""Encodings are detected, not assumed; files that are not text are refused with a reason."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.files import READERS, suffix_of
from core.records import NotAnArticle
from indexer import build, loader, metadata

from .conftest import CORPUS, SEEDS

AZ = (CORPUS / SEEDS["novator"]).read_text(encoding="utf-8")
EN = (CORPUS / SEEDS["turan"]).read_text(encoding="utf-8")
RU = "Дорогой житель города Баку! Вы тоже можете внести свой вклад в борьбу с изменением климата."
# cp1254 has no ə: Turkish-alphabet Azerbaijani of the 1990s wrote ä in its place.
TR = AZ[:400].replace("ə", "ä").replace("Ə", "Ä")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (AZ, "utf-8"),
        (AZ, "utf-8-sig"),
        (AZ, "utf-16"),
        (AZ, "utf-16-le"),
        (RU * 5, "cp1251"),
        (RU * 5, "koi8-r"),
        (TR, "cp1254"),
        (EN, "utf-8"),
    ],
)
def test_encodings_are_detected(tmp_path, text, encoding):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    loaded = loader.load(path, "article.txt")
    assert loaded.text.strip() == text.strip().replace("\r\n", "\n")


def test_utf8_bom_is_not_part_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(codecs.BOM_UTF8 + EN.encode())
    assert not loader.load(path, "bom.txt").text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (b"   \n\n  ", "is empty"),
        (bytes(range(256)) * 20, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), "binary"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(NotAnArticle, match=reason):
        loader.load(path, "bad.txt")


def test_a_directory_named_like_a_file_is_refused(tmp_path):
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(NotAnArticle, match="directory"):
        loader.load(tmp_path / "folder.txt", "folder.txt")


def test_html_keeps_body_blocks_and_page_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        "<html lang='en'><head><title>Talks resume | Daily Wire</title>"
        "<meta property='og:site_name' content='Daily Wire'>"
        "<meta property='article:published_time' content='2022-01-09T10:00:00Z'>"
        "<script>alert('x')</script></head><body><nav><a>Home</a><a>World</a></nav>"
        "<article><h1>Talks resume</h1><p>The first paragraph of the story.</p>"
        "<p>The second paragraph, <b>with</b> markup.</p></article>"
        "<footer>Follow us</footer></body></html>", encoding="utf-8")
    loaded = loader.load(path, "page.html")
    assert loaded.text == "The first paragraph of the story.\nThe second paragraph, with markup."
    assert loaded.page_meta["og:site_name"] == "Daily Wire"
    assert loaded.page_meta["h1"] == "Talks resume"


@given(st.text(alphabet=st.sampled_from("aZ.ı_ -gzwarcHTML"), min_size=1, max_size=12))
def test_a_file_names_suffix_is_the_one_pathlib_gives(name):
    # The corpus walk reads suffixes as strings; pathlib is the oracle (".warc.gz" is one).
    expected = PurePosixPath(name.lower()).suffix
    assert suffix_of(name) == (".warc.gz" if name.lower().endswith(".warc.gz") else expected)


@settings(max_examples=500, deadline=None)
@given(st.text(st.sampled_from("aB.-_ xtTwWrRcgGzZhHmMlLsSoOuUeEpPdDfFjJnN"), max_size=14)
       | st.sampled_from(["sources.csv", "Manifest.CSV", "README.md", ".a.txt", "a.warc.gz",
                          "A.WARC.GZ", ".warc.gz", "a.", ".", "a.tar.gz", "b.Html"]))
def test_which_files_are_read_is_decided_by_the_suffix_as_suffix_of_finds_it(name):
    suffix = suffix_of(name)
    expected = not name.startswith(".") and name.lower() not in loader.CORPUS_SETTINGS and (
        suffix in loader.HTML_SUFFIXES or suffix in loader.TEXT_SUFFIXES or suffix in READERS)
    assert loader.is_corpus_file(name) == expected


# Corpus trees: nested folders of articles, settings, files Presscut does not read, hidden
# files, folders named like articles and links to folders (one of them a loop).
_NAMES = st.sampled_from(["a.txt", "B.html", "c.htm", "notes.xlsx", ".hidden.txt", "sources.csv",
                          "d.txt", "e.warc.gz", "part-1", "part-2", "x.txt", "Z.md"])
_TREES = st.recursive(st.just("file"),
                      lambda inner: st.dictionaries(_NAMES, inner, max_size=5), max_leaves=25)


def _make(folder, tree, root) -> None:
    for name, child in tree.items():
        if child == "file":
            (folder / name).write_text("An article paragraph.\n", "utf-8")
        elif child == {}:  # an empty folder stands for a link to a folder: the root, a loop
            (folder / name).symlink_to(root, target_is_directory=True)
        else:
            (folder / name).mkdir()
            _make(folder / name, child, root)


def _walked(corpus):
    """Independent reading of a corpus tree: os.walk and pathlib, as the indexer once did."""
    found, skipped, manifests = [], [], {}
    for root, dirs, files in os.walk(corpus, followlinks=False):
        dirs.sort()
        inside = Path(root).relative_to(corpus).as_posix()
        prefix = "" if inside == "." else inside + "/"
        for name in dirs:
            if (Path(root) / name).is_symlink():
                skipped.append((prefix + name, "is a link to a folder; not followed"))
            elif loader.is_corpus_file(name) and Path(name).suffix:
                skipped.append((prefix + name, "is a directory, not a file"))
        for name in sorted(files):
            path = Path(root, name)
            if loader.is_corpus_file(name):
                found.append((prefix + name, (path.stat().st_size, path.stat().st_mtime_ns)))
            elif reason := loader.unread_reason(name):
                skipped.append((prefix + name, reason))
            elif name in metadata.MANIFEST_NAMES:
                manifests[prefix + name] = [path.stat().st_size, path.stat().st_mtime_ns]
    return found, skipped, manifests


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(_NAMES, _TREES, max_size=6))
def test_the_corpus_walk_finds_what_os_walk_finds(tree):
    with tempfile.TemporaryDirectory() as folder:
        corpus = Path(folder)
        _make(corpus, tree, corpus)
        skipped, manifests = [], {}
        files = build.corpus_files(corpus, skipped, manifests)
        found, skipped_, manifests_ = _walked(corpus)
        assert list(files.items()) == found
        assert [(s.relpath, s.reason) for s in skipped] == skipped_
        assert manifests == manifests_
