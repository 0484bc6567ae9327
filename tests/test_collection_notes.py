"""Notes are never lost: a passage cut again into a collection keeps its note and tags,
through the page's "Add" and through the API, and both say it was there already."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from webapp import create_app

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app and service run on each engine


@pytest.fixture()
def client(seed_settings, tmp_path):
    return create_app(seed_settings(collections=str(tmp_path / "collections.sqlite3"))).test_client()


def _cut(client, cid: str, passage_id: str) -> dict:
    [cut] = [p for p in client.get(f"/api/collections/{cid}").get_json()["passages"]
             if p["passage_id"] == passage_id]
    return cut


def test_the_api_adding_a_passage_again_keeps_its_note_and_tags(client, seed_docs):
    cid = client.post("/api/collections", json={"name": "Reactions"}).get_json()["id"]
    pid = seed_docs["turan"].passages[1].passage_id
    first = client.post(f"/api/collections/{cid}/passages",
                        json={"passage_id": pid, "note": "the party's line", "tags": ["CSTO"]})
    assert first.status_code == 201 and first.get_json()["already_there"] is False
    again = client.post(f"/api/collections/{cid}/passages", json={"passage_id": pid})
    assert again.status_code == 200
    body = again.get_json()
    assert body["already_there"] is True and "already in the collection" in body["message"]
    assert (_cut(client, cid, pid)["note"], _cut(client, cid, pid)["tags"]) == (
        "the party's line", ["CSTO"])
    assert len(body["passages"]) == 1
    more = client.post(f"/api/collections/{cid}/passages",
                       json={"passage_id": pid, "note": "cited by Turan", "tags": ["Baku", "CSTO"]})
    assert more.status_code == 200
    assert (_cut(client, cid, pid)["note"], _cut(client, cid, pid)["tags"]) == (
        "the party's line\n\ncited by Turan", ["CSTO", "Baku"])
    # To change a note rather than add to it: PATCH, which replaces only what it is given.
    changed = client.patch(f"/api/collections/{cid}/passages/{pid}", json={"tags": ["KTMT"]})
    assert changed.status_code == 200
    assert (_cut(client, cid, pid)["note"], _cut(client, cid, pid)["tags"]) == (
        "the party's line\n\ncited by Turan", ["KTMT"])
    client.patch(f"/api/collections/{cid}/passages/{pid}", json={"note": ""})
    assert _cut(client, cid, pid)["note"] == ""
    assert client.patch(f"/api/collections/{cid}/passages/abc-1",
                        json={"note": "x"}).status_code == 404
    assert client.patch(f"/api/collections/{cid}/passages/{pid}",
                        json={"tags": 3}).status_code == 400


def _token(client, url: str) -> str:
    page = BeautifulSoup(client.get(url).data, "html.parser")
    return page.select_one("details.collect input[name=csrf_token]")["value"]


def test_the_page_adding_a_passage_again_keeps_its_note_and_says_so(client, seed_docs):
    passage = seed_docs["novator"].passages[0]
    url = f"/p/{passage.passage_id}"
    token = _token(client, url)
    made = client.post("/collections/add", data={
        "passage_id": passage.passage_id, "collection": "new", "name": "Novator",
        "note": "KTMT, not CSTO", "csrf_token": token})
    cid = re.search(r"/collections/(\w+)", made.headers["Location"]).group(1)
    client.post(f"/collections/{cid}/passages/{passage.passage_id}", data={
        "action": "note", "note": "KTMT, not CSTO", "tags": "Azerbaijani", "csrf_token": token})
    # The form under the passage, as a person sends it: this collection, the note empty.
    form = BeautifulSoup(client.get(url).data, "html.parser").select_one("details.collect form")
    assert form.select_one(f"option[value='{cid}']") is not None
    again = client.post(form["action"], data={
        "passage_id": passage.passage_id, "collection": cid, "name": "", "note": "",
        "csrf_token": token})
    assert again.status_code == 303
    cut = _cut(client, cid, passage.passage_id)
    assert (cut["note"], cut["tags"]) == ("KTMT, not CSTO", ["Azerbaijani"])
    page = BeautifulSoup(client.get(again.headers["Location"]).data, "html.parser")
    said = page.select_one(f"li#c-{passage.passage_id} p.already")
    assert said is not None and "already in the collection" in said.get_text()
    assert page.select_one(f"li#c-{passage.passage_id} p.note").get_text(" ", strip=True) == \
        "Note: KTMT, not CSTO"
    # A passage added for the first time is not said to have been there.
    other = seed_docs["turan"].passages[1].passage_id
    first = client.post(form["action"], data={
        "passage_id": other, "collection": cid, "note": "", "csrf_token": token})
    assert "already" not in first.headers["Location"]
    page = BeautifulSoup(client.get(first.headers["Location"]).data, "html.parser")
    assert page.select("p.already") == []
