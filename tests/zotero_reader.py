"""A page's head metadata read the way Zotero's Embedded Metadata translator reads it.

Written (not copied) from zotero/translators "Embedded Metadata.js" (lastUpdated
2026-04-27) and the RDF import it hands namespaced tags to ("RDF.js"): which attribute
names a tag, how a prefix is found, which Highwire names map to which field and which
one wins, how the item type is chosen, how authors are split, and the fallbacks. It
models the rules that touch the tags Presscut emits and raises :class:`NotModelled` for
any namespaced tag or page feature it does not model, so a new tag cannot pass unread.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

# Embedded Metadata's _prefixes: the namespaces whose tags go to the RDF import.
PREFIXES = {
    "bib": "http://purl.org/net/biblio#", "bibo": "http://purl.org/ontology/bibo/",
    "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
    "prism": "http://prismstandard.org/namespaces/1.2/basic/", "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://nwalsh.com/rdf/vCard#", "link": "http://purl.org/rss/1.0/modules/link/",
    "z": "http://www.zotero.org/namespaces/export#", "eprint": "http://purl.org/eprint/terms/",
    "eprints": "http://purl.org/eprint/terms/", "og": "http://ogp.me/ns#",
    "article": "http://ogp.me/ns/article#", "book": "http://ogp.me/ns/book#",
    "music": "http://ogp.me/ns/music#", "video": "http://ogp.me/ns/video#",
    "so": "http://schema.org/", "codemeta": "https://codemeta.github.io/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
DC, OG, Z = PREFIXES["dc"], PREFIXES["og"], PREFIXES["z"]
# HIGHWIRE_MAPPINGS in its order: each later name found overwrites the field.
HIGHWIRE = [
    ("citation_title", "title"), ("citation_publication_date", "date"),
    ("citation_cover_date", "date"), ("citation_date", "date"),
    ("citation_journal_title", "publicationTitle"), ("citation_journal_abbrev", "journalAbbreviation"),
    ("citation_inbook_title", "publicationTitle"), ("citation_book_title", "bookTitle"),
    ("citation_volume", "volume"), ("citation_issue", "issue"), ("citation_series_title", "series"),
    ("citation_conference_title", "conferenceName"), ("citation_conference", "conferenceName"),
    ("citation_dissertation_institution", "university"),
    ("citation_technical_report_institution", "institution"),
    ("citation_technical_report_number", "number"), ("citation_publisher", "publisher"),
    ("citation_isbn", "ISBN"), ("citation_abstract", "abstractNote"), ("citation_doi", "DOI"),
    ("citation_public_url", "url"), ("citation_language", "language"),
]
# The Highwire names that set the item type outright, and those that only guess it.
HW_TYPES = {
    "citation_journal_title": "journalArticle", "citation_technical_report_institution": "report",
    "citation_conference_title": "conferencePaper", "citation_conference": "conferencePaper",
    "citation_book_title": "bookSection", "citation_inbook_title": "bookSection",
    "citation_dissertation_institution": "thesis",
}
# Highwire names whose reading is modelled: the mapped ones, authors and the first page.
HIGHWIRE_READ = {name for name, _ in HIGHWIRE} | {"citation_author", "citation_firstpage"}
HW_GUESSES = {"citation_title": "journalArticle", "citation_series_title": "journalArticle"}
# Zotero's item types (zotero/zotero-schema, schema version 41).
ITEM_TYPES = {"annotation", "artwork", "attachment", "audioRecording", "bill", "blogPost",
    "book", "bookSection", "case", "computerProgram", "conferencePaper", "dataset",
    "dictionaryEntry", "document", "email", "encyclopediaArticle", "film", "forumPost",
    "hearing", "instantMessage", "interview", "journalArticle", "letter", "magazineArticle",
    "manuscript", "map", "newspaperArticle", "note", "patent", "podcast", "preprint",
    "presentation", "radioBroadcast", "report", "standard", "statute", "thesis",
    "tvBroadcast", "videoRecording", "webpage"}
# The RDF properties this reader models (RDF.js reads many more).
MODELLED = {DC + "type", DC + "coverage", OG + "site_name"}
BYLINES = ".byline, .bylines, .vcard, .article-byline, [class*=byline i], [class*=vcard i]"


class NotModelled(AssertionError):
    """The page uses a tag or feature whose reading this module does not reproduce."""


def trim_internal(value: str) -> str:
    """ZU.trimInternal: every run of white space becomes one space, ends trimmed."""
    return re.sub(r"[\xa0\r\n\s]+", " ", value).strip()


def read(html: str, url: str) -> dict:
    """The item Zotero saves from ``html`` served at ``url`` (its fields, creators as
    dicts; no attachments)."""
    soup = BeautifulSoup(html, "lxml")
    statements, hw_type, hw_guess = _scan(soup)
    if statements:
        item = _rdf_item(statements, hw_type or _rdf_type(statements, hw_guess))
    else:
        item = {"itemType": hw_type or hw_guess, "creators": []}
    _highwire(soup, item, hw_type)
    _low_quality(soup, item, url)
    if item.get("url"):
        item["url"] = urljoin(url, item["url"])
    return item


def _scan(soup) -> tuple[list[tuple[str, str]], str | None, str | None]:
    """Embedded Metadata's init(): namespaced tags become RDF statements; Highwire names
    set or guess the item type."""
    prefixes = dict(PREFIXES)
    for link in soup.select("link[rel]"):
        for rel in link["rel"]:
            if m := re.match(r"^schema\.([a-zA-Z]+)", rel):
                prefixes[m.group(1).lower()] = link.get("href", "")
    if soup.html.get("prefix") or (soup.head and soup.head.get("prefix")):
        raise NotModelled("a prefix attribute on <html> or <head>")
    if soup.select("#wp-block-library-css, #wp-block-library-inline-css, .yoast-schema-graph"):
        raise NotModelled("WordPress markers (they guess a blog post)")
    for meta in soup.select("meta[name*=citation_]"):
        if meta["name"][meta["name"].rfind("citation_") :] not in HIGHWIRE_READ:
            raise NotModelled(f"the Highwire tag {meta['name']}")
    statements, hw_type, hw_guess = [], None, None
    for meta in soup.find_all("meta"):
        names, value = meta.get("name") or meta.get("property"), meta.get("content")
        if not names or not value:
            continue
        for tag in names.split():
            parts = re.split(r"[.:_]", tag)
            prefix = parts[1].lower() if len(parts) > 2 else None
            length = len(parts[0]) + len(parts[1]) + 1 if prefix else 0
            if not prefix or prefix not in prefixes:
                prefix, length = parts[0].lower(), len(parts[0])
            if prefix in prefixes:
                prop = tag[length + 1 :]
                statements.append((prefixes[prefix] + prop[:1].lower() + prop[1:], value))
            elif tag.lower() == "generator":
                raise NotModelled("a generator meta tag (it guesses a blog post)")
            else:
                short = tag[tag.rfind("citation_") :] if "citation_" in tag else tag[-1:]
                hw_type = HW_TYPES.get(short, hw_type)
                if short in HW_GUESSES:
                    hw_guess = hw_guess or HW_GUESSES[short]
                elif short == "citation_isbn":
                    hw_guess = "book"
    return statements, hw_type, hw_guess


def _first(statements: list[tuple[str, str]], prop: str) -> str | None:
    return next((value for p, value in statements if p == prop), None)


def _rdf_type(statements, hw_guess: str | None) -> str:
    """RDF.js detectType() for the properties modelled: z:itemType, then dc:type, then
    the translator's default (the Highwire guess, else a web page)."""
    for prop, _ in statements:
        if prop not in MODELLED and not prop.startswith(Z):
            raise NotModelled(f"the RDF property {prop}")
    zotero = _first(statements, Z + "itemType") or _first(statements, Z + "type")
    dc_type = _first(statements, DC + "type")
    if dc_type and dc_type not in ITEM_TYPES:
        raise NotModelled(f"dc:type {dc_type!r}, which RDF.js maps through its vocabularies")
    return next(t for t in (zotero if zotero in ITEM_TYPES else None, dc_type, hw_guess,
                            "webpage") if t)


def _rdf_item(statements, item_type: str) -> dict:
    """RDF.js importItem() for the modelled properties; Zotero's own z: properties are
    copied last, over anything else."""
    item = {"itemType": item_type, "creators": []}
    site = _first(statements, OG + "site_name")
    if site and item_type in ("blogPost", "webpage", "newspaperArticle"):
        item["publicationTitle"] = site
    if coverage := _first(statements, DC + "coverage"):
        item["archiveLocation"] = coverage
    for prop, _ in statements:
        name = prop[len(Z) :] if prop.startswith(Z) else None
        if name and name not in ("path", "itemType"):
            item[name] = _first(statements, prop)
    return item


def _head_meta(soup, name: str) -> list[str]:
    """The contents of ``html>head>meta[name$=name]``, in document order."""
    return [m.get("content") or m.get("contents") or "" for m in soup.select("html > head > meta[name]")
            if m["name"].endswith(name)]


def _highwire(soup, item: dict, hw_type: str | None) -> None:
    """addHighwireMetadata(): the mapped fields (first tag of a name; a later name of the
    same field wins), authors, first page, and the Highwire type over the RDF one."""
    for name, field in HIGHWIRE:
        values = _head_meta(soup, name)
        if values and values[0].strip():
            item[field] = trim_internal(values[0])
    nodes = [m.get("content") for m in soup.select("head > meta[name], body > meta[name]")
             if m["name"].endswith("citation_author") and m.get("content")]
    creators = _creators(nodes, soup)
    if creators:
        item["creators"] = creators
    first = _head_meta(soup, "citation_firstpage")
    if first and first[0].strip():
        if re.search("[-\u2013]", first[0]):
            raise NotModelled("a page range in citation_firstpage")
        item["pages"] = first[0].strip()
    if hw_type:
        item["itemType"] = hw_type


def _creators(nodes: list[str], soup) -> list[dict]:
    """processHighwireCreators(): ';' separates names; a lone tag may be split on commas
    (two words each side); adjacent repeats are dropped."""
    creators, last = [], None
    for node in nodes:
        names = re.split(r"\s*;\s*", node)
        if len(names) == 1 and len(nodes) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                if _head_meta(soup, "citation_language")[:1] in (["es"], ["spa"]):
                    raise NotModelled("the Spanish-surname rule")
                names = by_comma
        for name in (n.strip() for n in names):
            if not re.search(r"[^\s,\-.;]", name) or name == last:
                continue
            last = name
            creators.append(_clean_author(name, "," in name))
    return creators


def _clean_author(name: str, inverted: bool) -> dict:
    """ZU.cleanAuthor(): "Last, First" when inverted, else the last word that starts with a
    letter is the last name; initials get their full stops."""
    name = re.sub(r"^[\s\xa0.,/\[\]:]+|[\s\xa0.,/\[\]:]+$", "", name)
    name = re.sub(r"[\s\xa0]+", " ", name, count=1)
    if inverted:
        parts = re.split(r"[,\u060c] ?", re.sub(r"\.([^ ])", r". \1", name, count=1))
        last, first = parts[0], (parts[1] if len(parts) > 1 else "")
    else:
        cut = len(name)
        while True:
            cut = name.rfind(" ", 0, cut)
            last, first = name[cut + 1 :], (name[:cut] if cut >= 0 else "")
            if last[:1].isalpha() or cut <= 0:
                break
    if re.fullmatch(r"[A-Z\u0400-\u042f]{1,3}", first) and (len(first) == 1 or last.upper() != last):
        first = " ".join(f"{c}." for c in first)  # capitals alone: initials
    if first:
        first = re.sub(r"[\s,]+$", "", re.sub(r"^[\s.]+", "", first))
        first = re.sub(r"\s*([\u002d\u00ad\u2010-\u2015\u2212\u2e3a\u2e3b])\s*", "-", first, count=1)
        words = re.split(r"(?:[\s.]+|(?=-))", first)
        first = " ".join(w + "." if re.fullmatch(r"-?[A-Z\u0400-\u042f]", w) else w
                         for w in words).replace(" -", "-").strip()
    for part in (first, last):
        # fixCase() title-cases a name all in one case; initials come out unchanged.
        if part in (part.upper(), part.lower()) and re.search(r"[^\W\d_]{2}", part):
            raise NotModelled(f"fixCase() on {name!r} (Zotero's own title case)")
    return {"firstName": first, "lastName": last, "creatorType": "author"}


def _low_quality(soup, item: dict, url: str) -> None:
    """addLowQualityMetadata() and finalDataCleanup(): fallbacks for what is missing."""
    if not item.get("title"):
        item["title"] = soup.title.get_text() if soup.title else ""
    item["title"] = re.sub(r"\s+", " ", item["title"])
    if item.get("publicationTitle"):
        suffix = r"\s*[-–—=_:|~#]\s*" + re.escape(item["publicationTitle"]) + r"\s*$"
        item["title"] = re.sub(suffix, "", item["title"], flags=re.IGNORECASE)
    guessed = soup.select('meta[name="author" i], meta[property="author" i], '
                          'meta[property="article:author"], ' + BYLINES)
    if not item["creators"] and (guessed or len(soup.select('a[rel~="author"]')) == 1):
        raise NotModelled("authors guessed from a byline or an author tag")
    if not item.get("abstractNote") and (desc := soup.select_one('meta[name="description" i]')):
        item["abstractNote"] = trim_internal(desc.get("content", ""))
    if not item.get("url"):
        canonical = soup.select_one('head > link[rel="canonical"]')
        item["url"] = canonical["href"] if canonical else url
    if not item.get("language"):
        lang = soup.select_one('meta[name="language" i]')
        item["language"] = lang["content"] if lang else soup.html.get("lang")
    if not item.get("date") and (time := soup.select_one("time[datetime]")):
        item["date"] = time["datetime"]
    item["libraryCatalog"] = urlsplit(url).netloc
    item["accessDate"] = "CURRENT_TIMESTAMP"
