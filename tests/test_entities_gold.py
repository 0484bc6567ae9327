"""The entity bench's labelled set holds together: every labelled text is there, every news
text is labelled and named in SOURCES.md, and issue 34's 300 names per language stand."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

DATA = Path(__file__).parent / "data"
DOCS = tomllib.loads((DATA / "entities_gold.toml").read_text(encoding="utf-8"))["doc"]
TEXTS = DATA / "entities_texts"
KINDS = {"person", "organisation", "place"}


def test_every_file_text_exists_and_is_labelled_once():
    files = [doc["text"].removeprefix("file:") for doc in DOCS if doc["text"].startswith("file:")]
    on_disk = sorted(str(p.relative_to(TEXTS)) for p in TEXTS.glob("*/*.txt"))
    assert sorted(files) == on_disk


def test_sources_name_every_news_text():
    sources = (TEXTS / "SOURCES.md").read_text(encoding="utf-8")
    for path in TEXTS.glob("*/*.txt"):
        number = path.stem.rsplit("_", 1)[-1]
        assert re.search(rf"(?<!\d){number}(?!\d)", sources), f"{path.name}: not in SOURCES.md"


def test_labels_are_unique_and_typed():
    for doc in DOCS:
        names = [name for name, _ in doc["entities"]]
        assert len(names) == len(set(names)), doc["text"]
        assert {kind for _, kind in doc["entities"]} <= KINDS, doc["text"]


def test_unseen_news_has_300_names_a_language():
    counts = Counter()
    for doc in DOCS:
        if doc.get("set") == "unseen news":
            counts[doc["language"]] += len(doc["entities"])
    assert counts["az"] >= 300 and counts["ru"] >= 300, counts
