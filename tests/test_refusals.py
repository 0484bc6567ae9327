"""Bad input a newcomer types is refused with a sentence, never a 500 or a server's bare
page: exports of a query the search page refuses, a query too long for a URL, and the
command line's options."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest
from bs4 import BeautifulSoup

from .opensearch_fixture import ENGINES

ON_ENGINES = ENGINES  # the tests of the seed app run on each engine

# Queries /api/search answers with a 400 and a sentence.
REFUSED = ['"unbalanced', "a*", "date:[x TO y]", "(Tokayev", "date:2022-13", "a" * 1001,
           "text:CSTO", "title:", "outlet: Turan", "AND", "NOT", "Putin OR", "OR CSTO",
           "Putin AND", "Putin NOT", "(CSTO OR) Russia", "CSTO AND OR Russia"]


@pytest.mark.parametrize("fmt", ["csv", "json"])
@pytest.mark.parametrize("q", REFUSED)
def test_an_export_refuses_what_the_search_refuses_with_the_same_sentence(client, fmt, q):
    api = client.get("/api/search", query_string={"q": q})
    assert api.status_code == 400
    response = client.get(f"/export.{fmt}", query_string={"q": q})
    assert response.status_code == 400
    assert response.mimetype == "text/html" and "Content-Disposition" not in response.headers
    said = BeautifulSoup(response.data, "lxml").select_one("p.error").get_text()
    assert said == api.get_json()["error"]


def test_an_export_of_a_good_query_still_streams(client):
    response = client.get("/export.csv?q=Tokayev")
    assert response.status_code == 200 and response.data.count(b"\n") > 5


def _one_charset(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.headers["Content-Type"]


@pytest.mark.parametrize("url, expected", [
    ("/export.csv?q=CSTO", "text/csv; charset=utf-8"),
    ("/export.json?q=CSTO", "application/json"),
])
def test_exports_say_their_charset_once(client, url, expected):
    assert _one_charset(client, url) == expected


@pytest.mark.parametrize("fmt", ["text", "apa", "mla", "chicago"])
def test_a_citation_says_its_charset_once(client, seed_docs, fmt):
    pid = seed_docs["turan"].passages[2].passage_id
    assert _one_charset(client, f"/api/cite/{pid}?format={fmt}") == "text/plain; charset=utf-8"


@pytest.mark.parametrize("fmt, expected", [("markdown", "text/markdown; charset=utf-8"),
                                           ("html", "text/html; charset=utf-8")])
def test_a_dossier_says_its_charset_once(client, seed_docs, fmt, expected):
    made = client.post("/api/collections", json={"name": f"Charset {fmt}"}).get_json()
    pid = seed_docs["turan"].passages[2].passage_id
    client.post(f"/api/collections/{made['id']}/passages", json={"passage_id": pid})
    assert _one_charset(client, f"/api/collections/{made['id']}/export?format={fmt}") == expected


def cli(*args, **kwargs) -> subprocess.CompletedProcess:
    """``presscut ARGS`` as a person runs it, in its own process."""
    return subprocess.run([sys.executable, "-m", "presscut", *map(str, args)],
                          capture_output=True, text=True, timeout=120, **kwargs)


def _one_sentence(run: subprocess.CompletedProcess, *words: str) -> None:
    assert run.returncode != 0
    assert "Traceback" not in run.stderr and "serving" not in run.stdout.lower()
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("Error: ") and line.endswith(".") and all(w in line for w in words)


def test_a_month_that_is_not_one_is_refused_like_a_date(seed_index):
    refused = cli("search", "Kazakhstan", "--index", seed_index, "--month", "January")
    _one_sentence(refused, "--month", "2022-01", "'January'")
    assert refused.returncode == cli("search", "Kazakhstan", "--index", seed_index,
                                     "--from", "January").returncode
    assert cli("search", "Kazakhstan", "--index", seed_index, "--month", "2022-01").returncode == 0


def test_a_month_past_december_is_refused_on_the_command_line_and_the_api(seed_index, client):
    for month in ("2022-13", "2022-00"):
        _one_sentence(cli("search", "Kazakhstan", "--index", seed_index, "--month", month),
                      "--month", "2022-01", repr(month))
        answer = client.get("/api/search", query_string={"q": "CSTO", "month": month})
        assert answer.status_code == 400 and repr(month) in answer.get_json()["error"]


def test_a_date_range_the_wrong_way_round_is_refused_not_answered_with_nothing(client):
    answer = client.get("/api/search", query_string={"q": "CSTO", "from": "2022-01-09",
                                                     "to": "2022-01-01"})
    assert answer.status_code == 400
    assert answer.get_json()["error"] == ("The dates are the wrong way round: 2022-01-09 is "
                                          "after 2022-01-01.")
    typed = client.get("/api/search", query_string={"q": "date:[2022-01-09 TO 2022-01-01]"})
    assert typed.status_code == 400 and "wrong way round" in typed.get_json()["error"]
    page = client.get("/?q=CSTO&from=2022-01-09&to=2022-01-01")
    assert page.status_code == 400 and b"wrong way round" in page.data
    # A month and a day inside it are the right way round.
    assert client.get("/api/search?q=CSTO&from=2022-01&to=2022-01-01").status_code == 200


def test_an_unknown_field_names_the_fields_there_are(client):
    error = client.get("/api/search?q=text:CSTO").get_json()["error"]
    assert "'text'" in error and "outlet" in error and "leave out the colon" in error
    # A web address or a time is not a field.
    assert client.get("/api/search", query_string={"q": "https://turan.az"}).status_code == 200
    assert client.get("/api/search", query_string={"q": "10:30"}).status_code == 200


def test_cite_refuses_a_base_url_that_is_not_an_address(seed_index, seed_docs):
    pid = seed_docs["turan"].passages[2].passage_id
    refused = cli("cite", pid, "--index", seed_index, "--base-url", "not a url")
    _one_sentence(refused, "https://", "'not a url'")
    assert refused.stdout == ""
    cited = cli("cite", pid, "--index", seed_index, "--base-url", "https://archive.example.org/")
    assert cited.returncode == 0 and f"https://archive.example.org/p/{pid})" in cited.stdout


def test_serve_refuses_a_port_that_is_not_one(seed_index):
    _one_sentence(cli("serve", "--index", seed_index, "--port", 99999), "65535", "99999")


def test_serve_says_when_its_port_is_taken(seed_index):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        _one_sentence(cli("serve", "--index", seed_index, "--port", port),
                      f"Port {port}", "already in use")


@pytest.fixture(scope="module")
def served(seed_index, tmp_path_factory):
    """``presscut serve`` (gunicorn) over the seed index, on a free port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = tmp_path_factory.mktemp("served")
    server = subprocess.Popen(
        [sys.executable, "-m", "presscut", "serve", "--index", str(seed_index), "--port",
         str(port), "--workers", "1", "--threads", "2"],
        env={**os.environ, "PRESSCUT_COLLECTIONS": str(folder / "c.sqlite3")},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                with urlopen(base + "/api/status", timeout=5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("presscut serve did not answer")
        yield base
    finally:
        server.terminate()
        server.wait(20)


def _pasted(seed_docs, length: int = 5000) -> str:
    """A paragraph as someone would paste it into the search box: seed text, ``length`` long."""
    text = " ".join(doc.text.replace("\n", " ") for doc in seed_docs.values())
    return text[:length]


def _get(url: str):
    try:
        with urlopen(url, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except HTTPError as refused:
        with refused:
            return refused.code, refused.headers["Content-Type"], refused.read()


def test_a_query_of_5000_characters_is_answered_by_the_app_under_gunicorn(served, seed_docs):
    pasted = _pasted(seed_docs)
    assert len(pasted) == 5000
    status, kind, body = _get(f"{served}/api/search?{urlencode({'q': pasted})}")
    assert (status, kind) == (400, "application/json")
    assert json.loads(body)["error"] == "The query is 5000 characters long; the limit is 1000."
    status, kind, body = _get(f"{served}/?{urlencode({'q': pasted})}")
    assert (status, kind) == (400, "text/html; charset=utf-8")
    soup = BeautifulSoup(body, "lxml")
    assert "5000 characters" in soup.select_one("p.error").get_text()
    form = soup.select_one("form.long-quote")
    assert (form["method"], form["action"]) == ("post", "/verify")
    assert form.select_one("input[name=quote]")["value"] == pasted
    # What the form sends: the whole paragraph, checked.
    request = Request(f"{served}/verify", data=urlencode({"quote": pasted}).encode(), method="POST")
    with urlopen(request, timeout=60) as checked:
        page = BeautifulSoup(checked.read(), "lxml")
    assert page.select_one("p.verdict")["data-verdict"] in ("verbatim", "altered", "not_found")
    assert page.select_one("#quote").get_text() == pasted


def test_a_check_too_long_for_a_link_says_so_instead_of_offering_one(client, seed_docs):
    pasted = _pasted(seed_docs, 9000)  # more than a request line the server takes
    page = BeautifulSoup(client.post("/verify", data={"quote": pasted}).data, "lxml")
    share = page.select_one("p.share")
    assert share.select_one("a") is None and "too long to share as a link" in share.get_text()
    short = BeautifulSoup(client.post("/verify", data={"quote": pasted[:5000]}).data, "lxml")
    link = short.select_one("p.share a")["href"]
    assert len(link.encode()) < 8000 and client.get(link).status_code == 200


@pytest.mark.parametrize(("typed", "meant"), [
    ("CSTO NOT -Armenia", "CSTO NOT Armenia"),  # the sign after NOT says it again
    ("Title:Tokayev", "title:Tokayev"),  # a field's name in any case
    ("-5%", "5%"),  # a sign before a figure is the figure's
    ("+CSTO", "CSTO"),
])
def test_signs_and_field_names_are_read_as_a_person_means_them(client, typed, meant):
    def total(q):
        answer = client.get("/api/search", query_string={"q": q})
        assert answer.status_code == 200, (q, answer.get_json())
        return {r["doc_id"] for r in answer.get_json()["results"]}
    assert total(typed) == total(meant)


def test_an_operator_with_no_word_on_one_side_is_refused_not_searched_for(client):
    # "Putin OR" once found the documents with the word "or" as well (none of Putin's).
    said = client.get("/api/search", query_string={"q": "Putin OR"}).get_json()["error"]
    assert said.startswith("OR joins words") and "word on each side" in said
    for fine in ('"Kazakhstan is not a member" OR Putin', "CSTO AND NOT Russia", "NOT Armenia",
                 'Putin "OR"'):
        assert client.get("/api/search", query_string={"q": fine}).status_code == 200, fine


@pytest.mark.parametrize(("q", "says"), [
    ("<script>", "< and > compare dates"), ("<b>Tokayev</b>", "< and > compare dates"),
    ("a~3", "put ~ and * right after a word"), ("(Tokayev", "never closed")])
def test_a_query_the_parser_cannot_read_says_what_to_mend(client, q, says):
    answer = client.get("/api/search", query_string={"q": q})
    assert answer.status_code == 400 and says in answer.get_json()["error"], q
    for fine in ("Tokaev~2", '"<script>"', "date:>2022-01-06"):
        assert client.get("/api/search", query_string={"q": fine}).status_code == 200, fine
