"""What reference managers (Zotero, Mendeley, Paperpile) read from our pages."""

from __future__ import annotations

from flask import current_app

from core.records import Document, Passage
from search import embedded


def head_tags(doc: Document, passage: Passage | None, location: str) -> list[embedded.Tag]:
    """The ``<meta>`` tags a passage page (or, without ``passage``, a document page) saves
    as: a newspaper article of the outlet, filed in this archive at ``location``."""
    return embedded.head_tags(doc, passage, location, current_app.config["PRESSCUT"].archive_name)
