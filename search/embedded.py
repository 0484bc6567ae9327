"""The metadata a passage or document page carries in its head for reference managers.

Zotero's Embedded Metadata translator (zotero/translators, "Embedded Metadata.js") reads
these tags, and Mendeley and Paperpile read the same Highwire ``citation_*`` names. (On a
passage page Zotero prefers the page's unAPI item, webapp/references.py, which carries
the passage as a note; these tags are what it reads where there is none.) The choice of
names follows that translator:

- ``citation_journal_title`` would force a journal article, so the outlet goes in
  ``og:site_name``, which its RDF step makes the publication of a newspaper article
  (``DC.type``); ``citation_title`` alone only guesses a journal article, and ``DC.type``
  wins over that guess.
- ``citation_abstract`` is the item's abstract: on a passage page, the passage verbatim.
- The translator always names the library by the page's host, so the archive's name
  goes in Archive (``z.archive``, Zotero's own namespace) and the page's permalink, with
  the manifest's archived copy, in Loc. in Archive (``z.archiveLocation``).
"""

from __future__ import annotations

import dataclasses

from core.records import Document, Passage

# Zotero's item type for an article of a newspaper, news site or agency.
ITEM_TYPE = "newspaperArticle"


@dataclasses.dataclass(frozen=True)
class Tag:
    """One ``<meta>``: ``attr`` is ``name``, or ``property`` for Open Graph."""

    attr: str
    key: str
    content: str


def head_tags(doc: Document, passage: Passage | None, location: str, archive: str) -> list[Tag]:
    """The ``<meta>`` tags of ``doc``'s page (``passage`` given: that passage's page).

    ``location`` is the page's permalink as the world reaches it, ``archive`` the
    archive's name (the ``archive_name`` setting)."""
    meta = doc.metadata
    tags = [Tag("name", "DC.type", ITEM_TYPE), Tag("name", "citation_title", meta.title)]
    tags += [Tag("name", "citation_author", author) for author in meta.authors]
    tags.append(Tag("property", "og:site_name", meta.outlet))
    if meta.date:
        # Highwire dates are slashed; a month stays a month (2022/01), never a made-up day.
        tags.append(Tag("name", "citation_publication_date", meta.date.replace("-", "/")))
    tags.append(Tag("name", "citation_language", meta.language))
    if meta.url:
        tags.append(Tag("name", "citation_public_url", meta.url))
    if passage is not None:
        if passage.page:
            tags.append(Tag("name", "citation_firstpage", str(passage.page)))
        tags.append(Tag("name", "citation_abstract", doc.passage_text(passage)))
    tags.append(Tag("name", "z.archive", archive))
    tags.append(Tag("name", "z.archiveLocation", archive_location(location, meta.archived_url)))
    return [tag for tag in tags if tag.content.strip()]


def archive_location(permalink: str, archived_url: str | None) -> str:
    """Loc. in Archive: the permalink, then the archived copy the manifest names."""
    return f"{permalink}; archived copy: {archived_url}" if archived_url else permalink
