"""Archives assembled from whatever people saved: duplicates, broken and odd files."""

from __future__ import annotations

import os
import shutil

import pytest

from core import records
from core.ids import document_id
from core.settings import Settings
from indexer import build, loader, passages, pipeline
from search.service import SearchRequest, SearchService
from webapp import create_app

from .conftest import SEEDS


def test_exact_and_near_copies_are_indexed_once_and_listed(tmp_path, corpus_copy):
    eurasianet = corpus_copy / SEEDS["eurasianet"]
    shutil.copy(eurasianet, corpus_copy / "saved-again.txt")
    syndicated = eurasianet.read_text(encoding="utf-8").replace(
        "Heydar Isayev is a journalist from Baku.", "Republished with permission.").replace(
        "keen attention", "close attention")
    (corpus_copy / "syndicated.txt").write_text(syndicated, encoding="utf-8")
    index = tmp_path / "index"
    summary = build.index_corpus(corpus_copy, index)
    assert summary.copies == {"saved-again.txt": SEEDS["eurasianet"],
                              "syndicated.txt": SEEDS["eurasianet"]}
    assert summary.documents == 5
    service = SearchService(index)
    assert service.search(SearchRequest(q='"riveted by"')).total == 1
    client = create_app(Settings.defaults(index=index)).test_client()
    doc = client.get(f"/api/documents/{document_id(SEEDS['eurasianet'])}").get_json()
    assert doc["copies"] == ["saved-again.txt", "syndicated.txt"]
    again = build.index_corpus(corpus_copy, index)  # copies are remembered, not redone
    assert (again.unchanged, again.added, again.copies) == (7, 0, summary.copies)

    # The original goes: one copy takes its place, the other stays a copy of it.
    eurasianet.unlink()
    summary = build.index_corpus(corpus_copy, index)
    assert summary.copies == {"syndicated.txt": "saved-again.txt"}
    assert SearchService(index).search(SearchRequest(q='"riveted by"')).total == 1


def test_unrelated_articles_of_one_outlet_are_not_copies(tmp_path, corpus_copy):
    summary = build.index_corpus(corpus_copy, tmp_path / "index")
    assert summary.copies == {} and summary.documents == 5


@pytest.mark.parametrize("encoding", ["koi8-r", "iso-8859-9", "cp1254", "utf-16-be"])
def test_regional_encodings(tmp_path, encoding):
    text = {"koi8-r": "Вы тоже можете внести свой вклад в борьбу с изменением климата. " * 3,
            "iso-8859-9": "Kazakistan'da gösterilere katılanlar şehir meydanında toplandı. " * 3,
            "cp1254": "Kazakistan'da gösterilere katılanlar şehir meydanında toplandı. " * 3,
            "utf-16-be": "Qazaxıstanda kütləvi etirazlar başladı. " * 3}[encoding]
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    assert loader.load(path, "a.txt").text == text


def test_nul_bytes_in_otherwise_text_are_refused(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Some text that was cut\x00\x00\x00 and padded with zeros\x00" * 10)
    with pytest.raises(records.NotAnArticle, match="NUL"):
        loader.load(path, "nul.txt")


def test_html_with_scripts_handlers_broken_and_deep_markup(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "script.html").write_text(
        "<html><head><title><script>alert(1)</script>Ministers meet</title></head><body>"
        "<p onclick='steal()'>Ministers met in Astana on Monday to discuss the situation "
        "<img src=x onerror=alert(1)>in the region.</p></body></html>", encoding="utf-8")
    (corpus / "truncated.html").write_text(
        "<html><body><article><p>The talks in Baku ended without an agreement, officials "
        "said on Tuesday evening.<p>A second paragraph that never clo", encoding="utf-8")
    deep = "<div>" * 5000 + "<p>Deeply nested paragraph about the Caspian pipeline talks.</p>"
    (corpus / "deep.html").write_text(f"<html><body>{deep}</body></html>", encoding="utf-8")
    summary = build.index_corpus(corpus, tmp_path / "index")
    assert summary.documents == 3, summary.skipped
    service = SearchService(tmp_path / "index")
    for query in ("Astana", "agreement", "pipeline"):
        [hit] = service.search(SearchRequest(q=query)).results
        assert "<" not in hit.passages[0].text and "alert" not in hit.passages[0].text


def test_symlink_loops_and_unreadable_links_do_not_stop_the_run(tmp_path, corpus_copy):
    os.symlink(corpus_copy, corpus_copy / "loop")
    os.symlink(tmp_path / "missing.txt", corpus_copy / "dangling.txt")
    summary = build.index_corpus(corpus_copy, tmp_path / "index")
    reasons = {s.relpath: s.reason for s in summary.skipped}
    assert "not followed" in reasons["loop"] and "cannot be read" in reasons["dangling.txt"]
    assert summary.documents == 5


@pytest.mark.slow
def test_a_huge_file_is_indexed_within_limits(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    sentence = "The delegation discussed pipeline tariffs and border crossings at length. "
    paragraph = sentence * 400  # about 30 KB without a line break
    (corpus / "huge.txt").write_text((paragraph + "\n") * 700, encoding="utf-8")  # ~21 MB
    summary = build.index_corpus(corpus, tmp_path / "index")
    assert summary.documents == 1
    [doc] = [SearchService(tmp_path / "index").document(document_id("huge.txt"))]
    assert len(doc.text) <= pipeline.MAX_DOCUMENT_CHARS
    assert max(p.end - p.start for p in doc.passages) <= passages.MAX_PASSAGE_CHARS
    assert not summary.skipped
    assert summary.warnings and summary.warnings[0].startswith("huge.txt: only the first")


def test_an_archive_with_nothing_indexed_answers_empty_not_500(tmp_path):
    (tmp_path / "corpus").mkdir()
    summary = build.index_corpus(tmp_path / "corpus", tmp_path / "index")
    assert summary.documents == 0
    client = create_app(Settings.defaults(index=tmp_path / "index",
                                          corpus=tmp_path / "corpus")).test_client()
    for url in ("/", "/?q=Tokayev", "/?q=date:2022&lang=en", "/export.csv?q=x", "/verify?quote=a+b+c"):
        assert client.get(url).status_code == 200, url
    data = client.get("/api/search?q=Tokayev").get_json()
    assert data["total"] == 0 and data["results"] == [] and data["facets"]["outlet"] == []
    assert client.post("/api/verify", json={"quote": "Aliyev praised the CSTO"}).get_json()[
        "verdict"] == "not_found"
