"""Metadata: the manifest wins; without it each field is inferred at its real precision."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer import build, metadata, outlets, pipeline

from .conftest import CORPUS, SEEDS


def manifest_rows():
    with (CORPUS / "sources.csv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("seed", SEEDS)
def test_manifest_metadata_for_every_seed(seed_docs, seed):
    row = manifest_rows()[SEEDS[seed]]
    meta = seed_docs[seed].metadata
    assert (meta.title, meta.outlet, meta.date, meta.language, meta.url) == (
        row["title"], row["outlet"], row["date"], row["language"], row["url"])
    assert meta.authors == metadata.split_authors(row["authors"])


def test_month_precision_is_kept(seed_docs):
    assert seed_docs["caucasus"].metadata.date == "2022-01"
    assert seed_docs["caucasus"].metadata.month == "2022-01"


@pytest.fixture()
def bare_corpus(tmp_path):
    """The seeds without their manifest."""
    for file in SEEDS.values():
        shutil.copy(CORPUS / file, tmp_path / file)
    return tmp_path


@pytest.mark.parametrize(
    ("seed", "outlet", "date", "language"),
    [
        ("turan", "Turan", "2022-01-07", "en"),  # dateline Baku/07.01.22/Turan:
        ("novator", "Novator.az", None, "az"),  # "Novator.az-ın məlumatına görə"
        ("eurasianet", "Eurasianet", None, "en"),  # its own newsletter line names it
        ("vikendi", "Unknown outlet", None, "en"),  # nothing gives it away: say so
    ],
)
def test_inferred_without_manifest(bare_corpus, seed, outlet, date, language):
    meta = pipeline.extract(bare_corpus / SEEDS[seed])[0].metadata
    assert (meta.outlet, meta.date, meta.language) == (outlet, date, language)


def test_title_from_a_dumps_headline_line(bare_corpus):
    doc = pipeline.extract(bare_corpus / SEEDS["caucasus"])[0]
    assert doc.metadata.title == "Opinion from Azerbaijan regarding Kazakhstan protests"
    assert doc.metadata.sources["title"] == "first-line"
    assert not doc.text.startswith("Opinion from Azerbaijan")  # the headline is metadata


def test_date_from_url_path_has_the_precision_of_the_path():
    assert metadata.infer_date("", {}, "https://x.az/2022/01/08/slug")[0] == "2022-01-08"
    assert metadata.infer_date("", {}, "https://x.az/news/2022/01/slug")[0] == "2022-01"
    assert metadata.infer_date("", {}, "https://x.az/news/slug")[0] is None


@pytest.mark.parametrize(("value", "expected"), [
    ("2022-01-07", "2022-01-07"), ("2022-01", "2022-01"), ("2022-01-07T10:00:00+04:00",
                                                           "2022-01-07"),
    ("2022-13", None), ("2022-02-30", None), ("January 2022", None)])
def test_normalise_date(value, expected):
    assert metadata.normalise_date(value) == expected


def test_html_page_metadata_fallbacks(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='ru'><head><title>Переговоры возобновятся — Новости Дня</title>"
        "<link rel='canonical' href='https://news.example.kz/2022/01/09/talks'>"
        "<meta name='author' content='Anna Ivanova'></head><body><main>"
        "<p>Переговоры между сторонами возобновятся на следующей неделе в Астане, "
        "сообщили в министерстве иностранных дел.</p></main></body></html>",
        encoding="utf-8")
    meta = pipeline.extract(page)[0].metadata
    assert meta.title == "Переговоры возобновятся"
    assert meta.url == "https://news.example.kz/2022/01/09/talks"
    assert meta.outlet == "news.example.kz"
    assert meta.date == "2022-01-09"
    assert meta.language == "ru"
    assert meta.authors == ("Anna Ivanova",)


def test_title_from_the_url_slug_when_nothing_else_names_it():
    meta = {}
    title, source = metadata.infer_title(("Baku/07.01.22/Turan: The entry of CSTO troops.",),
                                         meta, None, "https://turan.az/en/csto-troop-deployment")
    assert (title, source) == ("Csto troop deployment", "url-path")
    title, source = metadata.infer_title(("Baku/07.01.22/Turan: The entry of CSTO troops.",),
                                         meta, None, None)
    assert (title, source) == ("The entry of CSTO troops.", "first-sentence")


@pytest.mark.parametrize("agency", ["Kanal.az", "Metbuat.az", "Shafaqadogru.com"])
def test_an_agency_that_says_it_reports_names_the_outlet(agency):
    """The Azerbaijani seed as another agency would print it: "X xəbər verir ki...". """
    text = (CORPUS / SEEDS["novator"]).read_text(encoding="utf-8")
    assert "Novator.az-ın məlumatına görə" in text
    told = text.replace("Novator.az-ın məlumatına görə", f"{agency} xəbər verir ki")
    outlet, source = outlets.infer_outlet(told, {}, None)
    assert outlet == agency and source


def test_a_file_presscut_cannot_read_is_listed_as_skipped_with_its_reason(tmp_path, corpus_copy):
    (corpus_copy / "clipping.pdf").write_bytes(b"%PDF-1.7\n%binary\n")
    (corpus_copy / "coverage.xlsx").write_bytes(b"PK\x03\x04 not read")
    (corpus_copy / "outlets.toml").write_text('[domains]\n"example.org" = "Example"\n')
    summary = build.index_corpus(corpus_copy, tmp_path / "index")
    assert summary.documents == 5
    reasons = {s.relpath: s.reason for s in summary.skipped}
    assert set(reasons) == {"clipping.pdf", "coverage.xlsx"}
    assert "not a readable PDF" in reasons["clipping.pdf"]
    assert "does not read" in reasons["coverage.xlsx"] and ".pdf" in reasons["coverage.xlsx"]
    assert summary.formats["pdf"] == {"documents": 0, "skipped": 1, "copies": 0}
    assert summary.formats["xlsx"]["skipped"] == 1
    assert sum(counts["documents"] for counts in summary.formats.values()) == 5


@given(st.sampled_from(["", "part-1", "a/b"]),
       st.lists(st.sampled_from(["a", ".", "/", "\\", " ", "é", "x.txt"]), min_size=1,
                max_size=8).map("".join))
def test_a_manifest_names_its_files_as_pathlib_joins_them(folder, file):
    # Oracle: pathlib, which the manifest reader used for every row before.
    base = Path(folder)
    prefix = "" if base == Path() else base.as_posix() + "/"
    assert metadata._joined(prefix, base, file) == (base / file).as_posix()


_cells = st.lists(st.sampled_from(["a", "é", " ", ",", '"', "\n", "file", "x.txt", ""]),
                  max_size=4).map("".join)


@given(header=st.lists(st.sampled_from(["file", "url", "outlet", "", "file", "date"]), max_size=5),
       rows=st.lists(st.lists(_cells, max_size=7), max_size=6),
       blank=st.lists(st.integers(0, 6), max_size=2))
def test_manifest_rows_are_read_as_dictreader_reads_them(header, rows, blank):
    # Oracle: csv.DictReader, which read every manifest row before (and still defines
    # a row: ragged rows, blank lines, unnamed and repeated columns).
    out = io.StringIO()
    writer = csv.writer(out)
    for row in [header, *rows]:
        writer.writerow(row)
    lines = out.getvalue().splitlines(keepends=True)
    for at in blank:
        lines.insert(min(at, len(lines)), "\r\n")
    text = "".join(lines)
    expected = [{k: (v or "").strip() for k, v in row.items() if k}
                for row in csv.DictReader(io.StringIO(text, newline=""))]
    assert list(metadata._rows(io.StringIO(text, newline=""))) == expected
