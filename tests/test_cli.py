"""The `presscut` command line, as a user runs it."""

from __future__ import annotations

import json

from click.testing import CliRunner

from engines import folder
from presscut.cli import EXIT_BUSY, main

from .conftest import CORPUS, SEEDS


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_index_search_cite_round_trip(tmp_path):
    index = tmp_path / "index"
    result = run("index", "--corpus", CORPUS, "--index", index)
    assert result.exit_code == 0
    assert "5 documents (5 added, 0 updated, 0 unchanged" in result.output
    again = run("index", "--corpus", CORPUS, "--index", index)
    assert "5 unchanged" in again.output

    text = run("search", "Tokayev", "--index", index, "--outlet", "Turan", "--lang", "english")
    assert text.exit_code == 0 and "1 document matches" in text.output
    assert "Turan · 2022-01-07 · English" in text.output
    assert "[[Tokayev]]" in text.output

    data = json.loads(run("search", "Tokayev", "--index", index, "--json").output)
    assert data["total"] == 5 and set(data["facets"]) == {"outlet", "language", "month",
                                                          "speaker", "mentioned"}
    pid = data["results"][0]["passages"][0]["passage_id"]
    bib = run("cite", pid, "--index", index, "--format", "bibtex")
    assert bib.exit_code == 0 and bib.stdout.startswith("@article{")
    assert "--base-url" in bib.stderr  # the permalink is relative: it says why
    verified = run("verify", data["results"][0]["passages"][0]["text"], "--index", index, "--json")
    assert json.loads(verified.output)["verdict"] == "verbatim" and verified.exit_code == 0
    assert json.loads(verified.output)["matches"][0]["exact"] is True
    altered = run("verify", "The effect of introducing soldiers cannot be long-term", "--index", index)
    assert altered.exit_code == 3 and altered.output.startswith("Altered")
    invented = run("verify", "Aliyev praised the CSTO", "--index", index)
    assert invented.exit_code == 4 and invented.output.startswith("Not found")


def test_bad_query_exits_2_with_a_message(tmp_path):
    index = tmp_path / "index"
    run("index", "--corpus", CORPUS, "--index", index)
    result = run("search", '"unclosed', "--index", index)
    assert result.exit_code == 2 and "quote" in result.output


def test_second_writer_gets_a_distinct_exit_code(tmp_path):
    index = tmp_path / "index"
    with folder.writer_lock(index):
        result = run("index", "--corpus", CORPUS, "--index", index)
    assert result.exit_code == EXIT_BUSY and "being written" in result.output


def test_nothing_indexable_exits_1(tmp_path):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "empty.txt").write_text("")
    result = run("index", "--corpus", tmp_path / "c", "--index", tmp_path / "i")
    assert result.exit_code == 1 and "empty.txt: is empty" in result.output


def test_extract_prints_clean_text_and_json():
    path = CORPUS / SEEDS["turan"]
    text = run("extract", path).output
    assert "Leave a review" not in text and text.startswith("Baku/07.01.22/Turan:")
    data = json.loads(run("extract", path, "--json").output)
    assert data["outlet"] == "Turan" and data["metadata_sources"]["outlet"] == "manifest"
    assert "Leave a review" in data["removed"]


def test_verify_has_its_own_exit_code_for_contradicted_and_readme_lists_them_all(tmp_path):
    from presscut import checks

    from .conftest import ROOT
    index = tmp_path / "index"
    run("index", "--corpus", CORPUS, "--index", index)
    said = run("verify", "President Tokayev does not want to suppress any protest movement.",
               "--index", index)
    assert said.exit_code == 5 and said.output.startswith("Contradicted")
    assert "The archive says “wants”, the quote says “does not want”." in said.output
    assert "President Tokayev >>wants<< to suppress any protest movement." in said.output
    readme = " ".join((ROOT / "README.md").read_text("utf-8").split())
    listed = readme.split("Exit codes of `verify`: ")[1].split(".")[0]
    codes = {int(code): words for code, words in
             (part.strip().split(" ", 1) for part in listed.split(", ") if part[:1].strip().isdigit())}
    assert {words.split(" (")[0].replace(" ", "_"): code for code, words in codes.items()
            if code != 2} == checks.EXIT
    assert 2 in codes
