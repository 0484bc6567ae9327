"""Citations, read back by the programs researchers import them with."""

from __future__ import annotations

import calendar
import csv
import io
import json
from pathlib import Path

import bibtexparser
import citeproc
import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from core.ids import document_id
from indexer import build
from search import citations as cite
from search.service import SearchService

from .conftest import CORPUS

PERMALINK = "http://127.0.0.1:5000/p/x"
STYLE = Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"


@pytest.fixture(params=["eurasianet", "turan", "novator"])
def cited(request, seed_docs):
    doc = seed_docs[request.param]
    return doc, doc.passages[1]


def test_bibtex_parses(cited):
    doc, passage = cited
    library = bibtexparser.parse_string(cite.cite(doc, passage, "bibtex", PERMALINK))
    assert not library.failed_blocks and len(library.entries) == 1
    entry = library.entries[0]
    assert entry["title"] == doc.metadata.title and entry["journal"] == doc.metadata.outlet
    assert entry["url"] == doc.metadata.url and entry["year"] == "2022"
    assert doc.passage_text(passage) in entry["note"]


def test_ris_parses(cited):
    doc, passage = cited
    [entry] = rispy.loads(cite.cite(doc, passage, "ris", PERMALINK))
    assert entry["type_of_reference"] == "NEWS"
    assert (entry["title"], entry["secondary_title"]) == (doc.metadata.title, doc.metadata.outlet)
    assert entry["urls"] == [doc.metadata.url]
    assert entry["date"].startswith(doc.metadata.date.replace("-", "/"))
    # RIS names are inverted ("Isayev, Heydar"): Zotero keeps others as one undivided name.
    assert list(entry.get("authors", [])) == [", ".join(reversed(a.rsplit(" ", 1)))
                                               for a in doc.metadata.authors]


def test_csl_json_renders_with_a_real_style(cited):
    doc, passage = cited
    items = json.loads(cite.cite(doc, passage, "csl-json", PERMALINK))
    bibliography = CitationStylesBibliography(
        CitationStylesStyle(str(STYLE), validate=False), CiteProcJSON(items), formatter.plain)
    bibliography.register(Citation([CitationItem(items[0]["id"])]))
    [rendered] = [str(entry) for entry in bibliography.bibliography()]
    assert doc.metadata.title in rendered and doc.metadata.outlet in rendered
    assert "2022" in rendered
    date_parts = items[0]["issued"]["date-parts"][0]
    assert "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(date_parts)) == \
        doc.metadata.date


def test_annotation_has_the_data_models_required_fields(cited):
    """W3C Web Annotation Data Model: @context, id, type, target (with source + selectors)."""
    doc, passage = cited
    note = json.loads(cite.cite(doc, passage, "annotation", PERMALINK))
    assert note["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert note["id"] == PERMALINK and note["type"] == "Annotation"
    assert note["target"]["source"] == doc.metadata.url
    quote, position = note["target"]["selector"]
    assert quote["type"] == "TextQuoteSelector" and position["type"] == "TextPositionSelector"
    assert quote["exact"] == doc.text[position["start"] : position["end"]]
    assert doc.text[: position["start"]].endswith(quote["prefix"])
    assert doc.text[position["end"] :].startswith(quote["suffix"])


def test_apa_mla_chicago_carry_the_date_at_its_precision(seed_docs):
    month_only = seed_docs["eurasianet"]  # 2022-01
    day = seed_docs["turan"]  # 2022-01-07
    apa = cite.cite(month_only, month_only.passages[0], "apa", PERMALINK)
    assert apa.startswith("Isayev, H. (2022, January).")
    assert "(2022, January 7)" in cite.cite(day, day.passages[0], "apa", PERMALINK)
    assert "Jan. 2022," in cite.cite(month_only, month_only.passages[0], "mla", PERMALINK)
    assert "January 7, 2022" in cite.cite(day, day.passages[0], "chicago", PERMALINK)


def test_unknown_format_is_refused():
    with pytest.raises(cite.UnknownFormat, match="one of text, apa"):
        cite.cite(None, None, "harvard", PERMALINK)


def test_citations_carry_the_accessed_date(cited):
    doc, passage = cited
    day = doc.indexed
    assert len(day) == 10  # the day the file was read into the archive
    entry = bibtexparser.parse_string(cite.cite(doc, passage, "bibtex", PERMALINK)).entries[0]
    assert entry["urldate"] == day
    [ris] = rispy.loads(cite.cite(doc, passage, "ris", PERMALINK))
    assert ris["access_date"] == day.replace("-", "/")
    [csl] = json.loads(cite.cite(doc, passage, "csl-json", PERMALINK))
    assert csl["accessed"] == {"date-parts": [[int(p) for p in day.split("-")]]}
    year, month, number = (int(p) for p in day.split("-"))
    assert f"Accessed {number} " in cite.cite(doc, passage, "mla", PERMALINK)
    assert f"accessed {calendar.month_name[month]} {number}, {year}" in cite.cite(
        doc, passage, "chicago", PERMALINK)


def test_an_archived_copy_from_the_manifest_is_cited(tmp_path, corpus_copy):
    manifest = corpus_copy / "sources.csv"
    rows = list(csv.DictReader(io.StringIO(manifest.read_text(encoding="utf-8"))))
    columns = [*rows[0].keys(), "archived_url"]
    rows[2]["archived_url"] = "https://web.archive.org/web/2022/https://turan.az/x"
    with manifest.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    build.index_corpus(corpus_copy, tmp_path / "index")
    service = SearchService(tmp_path / "index")
    doc = service.document(document_id(rows[2]["file"]))
    archived = rows[2]["archived_url"]
    for fmt in ("text", "apa", "mla", "chicago", "bibtex", "ris", "csl-json"):
        assert archived in cite.cite(doc, doc.passages[0], fmt, PERMALINK), fmt


# The formats a person reads, where the passage stands between “ and ”.
READ = ("text", "apa", "mla", "chicago")


@pytest.mark.parametrize("fmt", READ)
def test_a_quotation_inside_the_passage_takes_single_marks(seed_docs, fmt):
    doc = seed_docs["caucasus"]
    passage = next(p for p in doc.passages if "This is the collapse" in doc.passage_text(p))
    text = doc.passage_text(passage)
    assert text.count('"') == 2  # the oracle: the article's own marks, one pair
    citation = cite.cite(doc, passage, fmt, PERMALINK)
    nested = text.replace('"', "‘", 1).replace('"', "’", 1)
    assert f"“{nested}”" in citation and '"' not in citation


def test_every_read_format_names_the_authors_the_manifest_gives(seed_docs):
    doc = seed_docs["eurasianet"]
    with (CORPUS / "sources.csv").open(encoding="utf-8") as rows:
        [author] = [r["authors"] for r in csv.DictReader(rows) if r["file"] == doc.relpath]
    family = author.split()[-1]
    for fmt in READ:
        assert family in cite.cite(doc, doc.passages[1], fmt, PERMALINK), fmt
    assert f"— {author}, Eurasianet, “" in cite.cite(doc, doc.passages[1], "text", PERMALINK)
