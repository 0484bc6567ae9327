"""Permalinks that last across re-indexing, the same statement in other outlets, and
passages that are not article body."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from core.ids import document_id
from core.settings import Settings
from indexer import build
from webapp import create_app

from .conftest import SEEDS


def client_for(index):
    return create_app(Settings.defaults(index=index)).test_client()


@pytest.fixture(autouse=True)
def see_new_indexes_at_once(monkeypatch):
    monkeypatch.setattr("engines.whoosh.engine.CHECK_EVERY", 0.0)


def test_old_permalinks_resolve_after_the_corpus_changes(tmp_path, corpus_copy):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    client = client_for(index)
    doc_id = document_id(SEEDS["vikendi"])
    before = client.get(f"/api/documents/{doc_id}").get_json()
    ids = [p["passage_id"] for p in before["passages"]]
    texts = [before["text"][p["start"] : p["end"]] for p in before["passages"]]

    path = corpus_copy / SEEDS["vikendi"]
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.append(lines.pop(3))  # one paragraph moves to the end ...
    [edited] = [i for i, line in enumerate(lines) if "protested in Zhanaozen" in line]
    lines[edited] = lines[edited].replace("10,000 people", "ten thousand people")  # ... one changes
    path.write_text("\n".join(lines), encoding="utf-8")
    (corpus_copy / "other.txt").write_text("Another outlet's unrelated article about oil prices "
                                           "in the Caspian region, published much later.\n")
    summary = build.index_corpus(corpus_copy, index)
    assert (summary.updated, summary.added) == (1, 1)

    for pid, text in zip(ids, texts, strict=True):
        response = client.get(f"/api/passages/{pid}")
        if "protested in Zhanaozen" not in text:
            assert response.status_code == 200, text[:40]
            assert response.get_json()["text"] == text  # moved or untouched: same id
            continue
        # The edited paragraph: its old id is gone, pointing at the new version.
        assert response.status_code == 404
        gone = response.get_json()
        assert gone["error"] and gone["doc_id"] == doc_id
        nearest = client.get(f"/api/passages/{gone['nearest']}").get_json()
        assert "ten thousand people" in nearest["text"]
        page = BeautifulSoup(client.get(f"/p/{pid}").data, "lxml")
        assert page.select_one(f'a[href="/p/{gone["nearest"]}"]')


def test_a_deleted_documents_permalinks_are_404(tmp_path, corpus_copy):
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    client = client_for(index)
    pid = client.get(f"/api/documents/{document_id(SEEDS['turan'])}").get_json()[
        "passages"][0]["passage_id"]
    (corpus_copy / SEEDS["turan"]).unlink()
    build.index_corpus(corpus_copy, index)
    assert client.get(f"/api/passages/{pid}").status_code == 404


def test_the_same_statement_elsewhere_is_listed_earliest_first(tmp_path, corpus_copy):
    source = corpus_copy / SEEDS["eurasianet"]
    quote = ("“We wish Kazakhstan peace, stability, tranquility, and welfare,” the tweet read, "
             "according to the ministry.")
    (corpus_copy / "requote.txt").write_text(
        "Baku/20.01.22/Turan: Azerbaijan's Foreign Ministry had written on January 10: " + quote
        + "\n", encoding="utf-8")
    (corpus_copy / "early.txt").write_text(
        "Baku/10.01.22/Turan: Azerbaijan's Foreign Ministry tweeted: " + quote + "\n",
        encoding="utf-8")
    index = tmp_path / "index"
    build.index_corpus(corpus_copy, index)
    client = client_for(index)
    doc = client.get(f"/api/documents/{document_id(source.name)}").get_json()
    [pid] = [p["passage_id"] for p in doc["passages"]
             if "tranquility" in doc["text"][p["start"] : p["end"]]]
    places = client.get(f"/api/passages/{pid}").get_json()["other_places"]
    assert [p["date"] for p in places] == ["2022-01-10", "2022-01-20"]
    soup = BeautifulSoup(client.get(f"/p/{pid}").data, "lxml")
    assert len(soup.select(".elsewhere li")) == 2


def test_a_quote_box_is_flagged(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "page.html").write_text(
        "<html><head><meta property='og:site_name' content='Daily Wire'></head><body><article>"
        "<h1>Ministers meet in Astana</h1>"
        "<p>Foreign ministers met in Astana on Monday to discuss the security situation.</p>"
        "<blockquote class='twitter-tweet'><p>We stand with the people of Kazakhstan today "
        "and always.</p></blockquote>"
        "<p>The talks will continue in Baku next week, officials said after the meeting.</p>"
        "</article></body></html>", encoding="utf-8")
    build.index_corpus(corpus, tmp_path / "index")
    client = client_for(tmp_path / "index")
    doc = client.get("/api/search?q=stand").get_json()["results"][0]
    kinds = {}
    for ref in client.get(f"/api/documents/{doc['doc_id']}").get_json()["passages"]:
        passage = client.get(f"/api/passages/{ref['passage_id']}").get_json()
        kinds[passage["text"][:20]] = passage["kind"]
    assert kinds == {"Foreign ministers me": "body", "We stand with the pe": "quote box",
                     "The talks will conti": "body"}
    boxed = doc["passages"][0]["passage_id"]
    soup = BeautifulSoup(client.get(f"/p/{boxed}").data, "lxml")
    assert "quote box" in soup.select_one(".warning").get_text()


def test_text_fragment_link_points_at_the_passage(client, seed_docs):
    doc = seed_docs["turan"]
    passage = doc.passages[1]
    soup = BeautifulSoup(client.get(f"/p/{passage.passage_id}").data, "lxml")
    href = soup.select_one('a[href*="#:~:text="]')["href"]
    words = doc.passage_text(passage).split()
    assert href.startswith(doc.metadata.url + "#:~:text=There%20are%20reports%20of,")
    assert href.endswith("%20".join(words[-4:]).replace(",", "%2C").replace(".", "."))
