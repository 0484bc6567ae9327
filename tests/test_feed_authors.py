"""Feed authors in every form feeds use (issue 34), in feeds feedgen writes.

RSS 2.0 says an item's <author> is "the email address of the author" and writes the name
in brackets after it; CMSs write "Name <address>"; many feeds give only an address, or
dc:creator (once, or once per author); Atom gives <author><name>, once per author. The
oracle is the name each form carries, and a citation of it that reads as a person's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.records import Document
from indexer import pipeline
from search import citations as cite

KAMRAN = "Kamran Velibeyov"
ADDRESS = "news@shirvanwire.example"
TEXT = "<p>The Shirvan road will be closed for repairs from Monday, the ministry said.</p>"


def write(path: Path, kind: str, items: dict[str, dict]) -> Path:
    """A feed of one item per entry of ``items``: its authors (feedgen's dicts) or
    dc:creator names."""
    from feedgen.feed import FeedGenerator

    feed = FeedGenerator()
    feed.load_extension("dc")
    feed.id("https://shirvanwire.example/feed")
    feed.title("Shirvan Wire")
    feed.link(href="https://shirvanwire.example/", rel="alternate")
    feed.description("Regional news")
    for key, item in items.items():
        entry = feed.add_entry()
        entry.id(f"https://shirvanwire.example/{key}")
        entry.title(f"Road closed ({key})")
        entry.link(href=f"https://shirvanwire.example/{key}")
        entry.published("2023-05-02T08:00:00+00:00")
        entry.content(TEXT, type="CDATA" if kind == "rss" else "html")
        if "author" in item:
            entry.author(item["author"])
        if "creator" in item:
            entry.dc.dc_creator(item["creator"])
    (feed.rss_file if kind == "rss" else feed.atom_file)(str(path))
    return path


def by_key(path: Path) -> dict[str, Document]:
    return {d.metadata.url.rsplit("/", 1)[1]: d for d in pipeline.extract(path) if isinstance(d, Document)}


def test_rss_authors_are_names_whatever_form_the_feed_gives_them_in(tmp_path):
    docs = by_key(write(tmp_path / "wire.rss", "rss", {
        "rss-form": {"author": {"name": KAMRAN, "email": ADDRESS}},  # news@... (Kamran Velibeyov)
        "cms-form": {"author": {"email": f"{KAMRAN} <{ADDRESS}>"}},
        "address": {"author": {"email": ADDRESS}},
        "creators": {"creator": [KAMRAN, "Aysel Mammadova"]},
        "one-creator-two-names": {"creator": f"{KAMRAN}, Aysel Mammadova"},
        "surname-first": {"creator": "Velibeyov, Kamran"},
        "two-authors": {"author": [{"name": KAMRAN, "email": ADDRESS},
                                   {"name": "Aysel Mammadova", "email": "aysel@shirvanwire.example"}]},
    }))
    authors = {key: doc.metadata.authors for key, doc in docs.items()}
    assert authors == {
        "rss-form": (KAMRAN,), "cms-form": (KAMRAN,), "address": (),
        "creators": (KAMRAN, "Aysel Mammadova"), "one-creator-two-names": (KAMRAN, "Aysel Mammadova"),
        "surname-first": ("Velibeyov, Kamran",),
        "two-authors": (KAMRAN, "Aysel Mammadova"),
    }
    # Never the address, anywhere a reader sees the item's metadata.
    assert all(ADDRESS not in " ".join(doc.metadata.authors) for doc in docs.values())


@pytest.mark.parametrize("style, expected", [
    ("apa", "Velibeyov, K. (2023, May 2)."),
    ("mla", "Velibeyov, Kamran."),
])
def test_an_rss_author_is_cited_as_a_person(tmp_path, style, expected):
    item = {"x": {"author": {"name": KAMRAN, "email": ADDRESS}}}
    doc = by_key(write(tmp_path / "wire.rss", "rss", item))["x"]
    assert cite.cite(doc, doc.passages[0], style, "https://archive.example/p/x").startswith(expected)


def test_atom_authors_are_each_name_and_never_an_address(tmp_path):
    docs = by_key(write(tmp_path / "wire.atom", "atom", {
        "one": {"author": {"name": KAMRAN, "email": ADDRESS}},
        "two": {"author": [{"name": KAMRAN, "email": ADDRESS}, {"name": "Aysel Mammadova"}]},
        "address-as-name": {"author": {"name": ADDRESS}},
        "creator": {"creator": KAMRAN},
    }))
    assert {key: doc.metadata.authors for key, doc in docs.items()} == {
        "one": (KAMRAN,), "two": (KAMRAN, "Aysel Mammadova"), "address-as-name": (),
        "creator": (KAMRAN,)}
