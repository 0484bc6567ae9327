"""Which outlet published a document: its page's own metadata, the domain-to-name table
(shipped, and a corpus's ``outlets.toml``), a dateline, the outlet naming itself, its own
boilerplate, the address's domain (:func:`infer_outlet`, one of ``metadata``'s fields)."""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from core import data as shipped
from indexer import selfnames

Found = tuple[str | None, str]

# "Baku/07.01.22/Turan: ..." (Turan's dateline: place/day.month.year/agency)
DATELINE_SLASH = re.compile(
    r"^\s*(?P<place>[^\W\d][\w .'-]{1,30}?)\s*/\s*(?P<date>\d{1,2}\.\d{1,2}\.\d{2,4})\s*/\s*"
    r"(?P<outlet>[^\W\d][\w .&'-]{1,40}?)\s*:"
)
# "BAKU, Jan 7 (Reuters) - ..." (wire-service dateline)
DATELINE_WIRE = re.compile(
    r"^\s*[A-ZÀ-ÞА-Я][A-ZÀ-ÞА-Я .'-]{1,30},\s+[\w .]{3,20}?\s*\((?P<outlet>[\w .&'-]{2,40})\)\s*[-–—]"
)
# The outlet's name in its own promotion lines: "Sign up for Eurasianet's free newsletter".
_PROMO = re.compile(
    r"(?i:sign\s+up\s+for|subscribe\s+to|support|follow)\s+(?P<outlet>[A-Z][\w.]+(?:\s[A-Z][\w.]+)?)"
    r"(?:'s|’s|\s*:|\s+on\b)"
)


def infer_outlet(text: str, meta: Mapping[str, str], url: str | None,
                 removed: tuple[str, ...] = (), outlet_names: Mapping[str, str] | None = None
                 ) -> Found:
    """og:site_name, JSON-LD publisher, the domain-to-name table, a dateline, a
    self-reference, the outlet named in its own boilerplate ("Sign up for Eurasianet's
    newsletter"), the URL's domain."""
    for key in ("og:site_name", "jsonld:publisher", "application-name"):
        if meta.get(key):
            return meta[key], key
    host = (urlparse(url).hostname or "").removeprefix("www.") if url else ""
    named = outlet_for_domain(host, outlet_names)
    if named:
        return named, "domain-table"
    if meta.get("feed:channel"):
        return meta["feed:channel"], "feed:channel"
    head = text[:600]
    for pattern, source in ((DATELINE_SLASH, "dateline"), (DATELINE_WIRE, "dateline")):
        match = pattern.search(head)
        if match:
            return match["outlet"].strip(), source
    named = selfnames.find(text, (outlet_names or shipped_outlet_names()).values())
    if named:
        return named, "self-reference"
    for line in removed:
        match = _PROMO.search(line)
        if match:
            return match["outlet"], "boilerplate"
    if host:
        return host, "url-domain"
    return None, "none"


@functools.cache
def shipped_outlet_names() -> dict[str, str]:
    """The domain-to-name table shipped with Presscut (data/outlets.toml)."""
    return dict(shipped.toml("outlets.toml")["domains"])


def read_outlet_names(corpus: Path) -> dict[str, str]:
    """The shipped table, extended or overridden by the corpus's own ``outlets.toml``."""
    names = dict(shipped_outlet_names())
    own = corpus / "outlets.toml"
    if own.is_file():
        names.update(tomllib.loads(own.read_text(encoding="utf-8")).get("domains", {}))
    return names


def outlet_for_domain(host: str, names: Mapping[str, str] | None = None) -> str | None:
    """The outlet a host belongs to: the host itself, then each parent domain."""
    names = shipped_outlet_names() if names is None else names
    parts = host.lower().split(".")
    for i in range(len(parts) - 1):
        name = names.get(".".join(parts[i:]))
        if name:
            return name
    return None
