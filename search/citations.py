"""Citations of one passage, in the formats researchers import.

Every format carries the verbatim passage (or points at it), the outlet, the title,
the date at its known precision and the original URL.
"""

from __future__ import annotations

import calendar
import html
import json
import re

from core.records import Document, Passage, is_web_url
from search.embedded import archive_location

FORMATS = ("text", "apa", "mla", "chicago", "bibtex", "ris", "csl-json", "annotation")
# What each format is called where people meet it, and the file name ending it downloads as.
LABELS = {"text": "Plain text", "apa": "APA 7", "mla": "MLA 9", "chicago": "Chicago",
          "bibtex": "BibTeX", "ris": "RIS", "csl-json": "CSL-JSON", "annotation": "Web Annotation"}
EXTENSIONS = {"bibtex": "bib", "ris": "ris", "csl-json": "json", "annotation": "jsonld"}
MEDIA_TYPES = {
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "annotation": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
}
CONTEXT_CHARS = 32
# A quotation inside the quoted passage takes single marks, as a quote within a quote does;
# a straight mark opens at the start or after a space or an opening bracket or dash.
_OPENING_STRAIGHT = re.compile(r'(?:^|(?<=[\s(\[{—–/-]))"')
_NESTED = str.maketrans({"“": "‘", "”": "’", '"': "’"})


def _nested(text: str) -> str:
    """``text`` as it stands inside “…”: its own double quotation marks made single."""
    return _OPENING_STRAIGHT.sub("‘", text).translate(_NESTED)


# Control characters and the line and paragraph separators (a line break in RIS ends a
# field, and the line after it can forge a record: "ER  -", "TY  - JOUR").
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """``text`` on one line, without control characters: a field from a document cannot
    forge a line of a citation or a heading of a dossier."""
    return _BREAKS.sub(" ", text).strip()


class UnknownFormat(ValueError):
    """A citation format we do not produce."""


def cite(doc: Document, passage: Passage, fmt: str, permalink: str, archive: str = "",
         remark: str = "") -> str:
    """The citation of ``passage`` in format ``fmt`` (one of :data:`FORMATS`); ``archive``
    names the archive where formats have a field for it (RIS); ``remark`` ends a note."""
    if fmt not in FORMATS:
        raise UnknownFormat(f"Unknown citation format {fmt!r}; use one of {', '.join(FORMATS)}.")
    return _FORMATTERS[fmt](_Facts(doc, passage, permalink, archive, remark))


class _Facts:
    def __init__(self, doc: Document, passage: Passage, permalink: str, archive: str = "",
                 remark: str = ""):
        meta = doc.metadata
        self.doc, self.passage, self.permalink, self.archive = doc, passage, permalink, archive
        self.language = meta.language
        self.quote = one_line(doc.passage_text(passage))
        self.title, self.outlet = one_line(meta.title), one_line(meta.outlet)
        self.authors = tuple(one_line(a) for a in meta.authors)
        self.url = meta.url if meta.url and is_web_url(meta.url) else permalink
        parts = [int(p) for p in meta.date.split("-")] if meta.date else []
        self.year = parts[0] if parts else None
        self.month = parts[1] if len(parts) > 1 else None
        self.day = parts[2] if len(parts) > 2 else None
        self.date = meta.date
        # Checked again here: an index built before archived_url was checked may hold any.
        self.archived = meta.archived_url if meta.archived_url and is_web_url(
            meta.archived_url) else None
        self.accessed = [int(p) for p in doc.indexed.split("-")] if doc.indexed else []
        # The page of a paged source (a PDF) the passage starts on.
        self.page = passage.page
        remark = f" {one_line(remark)}" if remark else ""
        self.note = f"Quoted passage: “{self.quote}” ({permalink}).{self.archived_text}{remark}"

    @property
    def nested_quote(self) -> str:
        """The passage as it stands inside “…”."""
        return _nested(self.quote)

    @property
    def nested_title(self) -> str:
        return _nested(self.title)

    @property
    def page_text(self) -> str:
        """`` (p. 3)`` after a quote from a paged source; empty otherwise."""
        return f" (p. {self.page})" if self.page else ""

    def accessed_text(self, style: str) -> str:
        """The accessed date as MLA ("Accessed 10 Jan. 2022.") or Chicago ("accessed January
        10, 2022") write it; empty when it is not known."""
        if not self.accessed:
            return ""
        year, month, day = self.accessed
        if style == "mla":
            name = calendar.month_name[month]
            return f" Accessed {day} {name[:3] + '.' if len(name) > 4 else name} {year}."
        return f", accessed {calendar.month_name[month]} {day}, {year}"

    @property
    def archived_text(self) -> str:
        return f" Archived at {self.archived}." if self.archived else ""

    def month_name(self, short: bool = False) -> str:
        if not self.month:
            return ""
        name = calendar.month_name[self.month]
        return (name[:3] + "." if len(name) > 4 else name) if short else name


def _text(f: _Facts) -> str:
    accessed = f", accessed {f.doc.indexed}" if f.doc.indexed else ""
    archived = f", archived at {f.archived}" if f.archived else ""
    who = ", ".join(f.authors) + ", " if f.authors else ""
    return (f"“{f.nested_quote}”{f.page_text} — {who}{f.outlet}, “{f.nested_title}”, "
            f"{f.date or 'n.d.'}, {f.url}{archived}{accessed} "
            f"(passage {f.passage.passage_id}: {f.permalink})")


def _apa_date(f: _Facts) -> str:
    if not f.year:
        return "n.d."
    return ", ".join(str(x) for x in (f.year, f.month_name() + (f" {f.day}" if f.day else ""))
                     if x).rstrip(", ")


def _apa(f: _Facts) -> str:
    who = ", ".join(_initials(a) for a in f.authors)
    head = f"{who} ({_apa_date(f)}). {f.title}." if who else f"{f.title}. ({_apa_date(f)})."
    return f"{head} {f.outlet}. {f.url}{f.archived_text} — “{f.nested_quote}”{f.page_text}"


def _initials(name: str) -> str:
    parts = name.split()
    if len(parts) < 2:
        return name
    return f"{parts[-1]}, " + " ".join(p[0] + "." for p in parts[:-1])


def _mla(f: _Facts) -> str:
    who = ""
    if f.authors:
        first = f.authors[0].split()
        who = (f"{first[-1]}, {' '.join(first[:-1])}" if len(first) > 1 else first[0]) + ". "
    date = " ".join(str(x) for x in (f.day, f.month_name(short=True), f.year) if x)
    return (f"{who}“{f.nested_title}.” {f.outlet}, {date or 'n.d.'}, {f.url}.{f.archived_text}"
            f"{f.accessed_text('mla')} “{f.nested_quote}”{f.page_text}")


def _chicago(f: _Facts) -> str:
    return f"{_chicago_source(f)} Quoted passage: “{f.nested_quote}”{f.page_text}"


def _chicago_source(f: _Facts) -> str:
    who = ", ".join(f.authors) + ", " if f.authors else ""
    date = " ".join(str(x) for x in (f.month_name(), f"{f.day}," if f.day else "", f.year) if x)
    date = date.replace(" ,", ",").strip() or "n.d."
    return (f"{who}“{f.nested_title},” {f.outlet}, {date}{f.accessed_text('chicago')}, {f.url}."
            f"{f.archived_text}")


def source(doc: Document, passage: Passage, permalink: str) -> str:
    """The document of ``passage`` as a Chicago bibliography entry, without the passage (a
    list of sources); the permalink stands for the URL of a document without one."""
    return _chicago_source(_Facts(doc, passage, permalink))


def _bibtex(f: _Facts) -> str:
    key = re.sub(r"\W+", "", (f.authors[0].split()[-1] if f.authors else f.outlet)) or "presscut"
    fields = [("title", f.title), ("journal", f.outlet)]
    if f.authors:
        fields.append(("author", " and ".join(f.authors)))
    if f.year:
        fields.append(("year", str(f.year)))
    if f.month:
        fields.append(("month", calendar.month_abbr[f.month].lower()))
    if f.day:
        fields.append(("day", str(f.day)))
    if f.date:
        fields.append(("date", f.date))
    if f.page:
        fields.append(("pages", str(f.page)))
    fields.append(("url", f.url))
    if f.doc.indexed:
        fields.append(("urldate", f.doc.indexed))
    fields.append(("note", f.note))
    body = ",\n".join(f"  {name} = {{{_bib_escape(value)}}}" for name, value in fields)
    return f"@article{{{key}{f.year or ''}_{f.passage.passage_id.replace('-', '_')},\n{body}\n}}\n"


def _bib_escape(value: str) -> str:
    return value.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}") \
        .replace("%", "\\%").replace("&", "\\&").replace("#", "\\#")


def zotero_ris(doc: Document, passage: Passage, permalink: str, archive: str) -> str:
    """The RIS Zotero's unAPI translator imports. Zotero reads every RIS value as HTML
    (a note as is, the other fields through unescapeHTML), so each is escaped here, and
    the quote and the title keep every ``<`` and ``&``."""
    return _ris(_Facts(doc, passage, permalink, archive), as_html=True)


def _ris(f: _Facts, as_html: bool = False) -> str:
    lines = [("TY", "NEWS"), ("TI", f.title), ("T2", f.outlet)]
    # RIS names are "Last, First"; Zotero keeps an uninverted name as one undivided field.
    lines += [("AU", _ris_name(author)) for author in f.authors]
    if f.year:
        lines.append(("PY", str(f.year)))
        da = f"{f.year}/{f.month:02d}/" if f.month else f"{f.year}//"
        lines.append(("DA", da + (f"{f.day:02d}" if f.day else "")))
    if f.page:
        lines.append(("SP", str(f.page)))
    lines.append(("UR", f.url))
    if f.accessed:
        lines.append(("Y2", "/".join(f"{n:02d}" for n in f.accessed)))
    # Zotero reads LA as the language, DB as Archive and AN as Loc. in Archive.
    lines += [("LA", f.language)] if f.language else []
    lines += [("DB", f.archive)] if f.archive else []
    lines.append(("AN", archive_location(f.permalink, f.archived)))
    lines.append(("N1", f.note))
    if as_html:
        lines = [(tag, html.escape(value, quote=False)) for tag, value in lines]
        lines[-1] = ("N1", f"<p>{lines[-1][1]}</p>")
    return "".join(f"{tag}  - {value}\n" for tag, value in [*lines, ("ER", "")])


def _ris_name(name: str) -> str:
    parts = _csl_name(name)
    return f"{parts['family']}, {parts['given']}" if "family" in parts else name


def csl_item(f: _Facts) -> dict:
    item = {
        "id": f.passage.passage_id, "type": "article-newspaper", "title": f.title,
        "container-title": f.outlet, "URL": f.url,
        "author": [_csl_name(a) for a in f.authors],
        "note": f.note,
    }
    if f.accessed:
        item["accessed"] = {"date-parts": [f.accessed]}
    if f.archived:
        item["archive_location"] = f.archived
    if f.page:
        item["page"] = str(f.page)
    if f.year:
        item["issued"] = {"date-parts": [[p for p in (f.year, f.month, f.day) if p]]}
    return item


def _csl_name(name: str) -> dict:
    parts = name.split()
    return {"family": parts[-1], "given": " ".join(parts[:-1])} if len(parts) > 1 \
        else {"literal": name}


def _csl_json(f: _Facts) -> str:
    return json.dumps([csl_item(f)], ensure_ascii=False, indent=2)


def _annotation(f: _Facts) -> str:
    text, p = f.doc.text, f.passage
    body = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f.permalink,
        "type": "Annotation",
        "motivation": "highlighting",
        "body": {"type": "TextualBody", "format": "text/plain",
                 "value": f"{f.outlet}, “{f.title}”, {f.date or 'n.d.'}"},
        "target": {
            "source": f.url,
            "selector": [
                # The passage exactly as the document has it: a selector finds it by that.
                {"type": "TextQuoteSelector", "exact": f.doc.passage_text(p),
                 "prefix": text[max(0, p.start - CONTEXT_CHARS) : p.start],
                 "suffix": text[p.end : p.end + CONTEXT_CHARS]},
                {"type": "TextPositionSelector", "start": p.start, "end": p.end},
            ],
        },
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


_FORMATTERS = {
    "text": _text, "apa": _apa, "mla": _mla, "chicago": _chicago, "bibtex": _bibtex,
    "ris": _ris, "csl-json": _csl_json, "annotation": _annotation,
}
