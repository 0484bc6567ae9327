"""Article-body extraction, scored on ../shared/bench/extraction (DEV pages).

    python bench/extraction.py            # writes docs/extraction.md and prints the table

Each approach is a function html -> text; the scorer is the shared `evaluate.py`
(precision, recall, F1 over word 4-grams; ms per page).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import extraction_cv  # bench/ is on sys.path when this runs as a script
import trafilatura
from bs4 import BeautifulSoup

from indexer import cleaner, htmlpage

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "bench" / "extraction"
APPROACHES = {
    "presscut (what the indexer keeps)": "extraction:presscut",
    "trafilatura favor_precision": "extraction:trafilatura_precision",
    "trafilatura default": "extraction:trafilatura_default",
    "presscut basic block walk (fallback)": "extraction:basic",
    "BeautifulSoup body text": "extraction:soup_text",
}


def presscut(html: str) -> str:
    page = htmlpage.parse(html)
    return "\n".join(cleaner.clean(page.text, footer=False).paragraphs)


def trafilatura_precision(html: str) -> str:
    return trafilatura.extract(html, favor_precision=True, include_comments=False) or ""


def trafilatura_default(html: str) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


def basic(html: str) -> str:
    return "\n".join(text for text, _ in htmlpage._basic_blocks(html, "lxml", drop_chrome=True))


def soup_text(html: str) -> str:
    soup = BeautifulSoup(html, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return (soup.body or soup).get_text("\n")


def score(func: str, data: Path = SHARED) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([sys.executable, str(SHARED / "evaluate.py"), "--func", func,
                        "--sys-path", str(Path(__file__).parent), "--data", str(data),
                        "--quiet", "--json", out.name], check=True, capture_output=True)
        return json.loads(Path(out.name).read_text())["summary"]


def main() -> None:
    if not (SHARED / "evaluate.py").exists():
        sys.exit(f"{SHARED} is missing")
    rows = []
    for name, func in APPROACHES.items():
        s = score(func)
        rows.append(f"| {name} | {s['precision']:.3f} | {s['recall']:.3f} | {s['f1']:.3f} | "
                    f"{1000 / s['pages_per_second']:.0f} |")
        print(rows[-1], flush=True)
    table = "\n".join(["| approach | P | R | F1 | ms/page |", "|---|---|---|---|---|", *rows])
    doc = ROOT / "docs" / "extraction.md"
    doc.write_text(DOC.format(table=table, cv=extraction_cv.report()), encoding="utf-8")
    print(f"written {doc}")


DOC = """# Article-body extraction: how Presscut's extractor was chosen

Measured with `python bench/extraction.py` on the 121 DEV pages of
`../shared/bench/extraction` (scorer: its `evaluate.py`; word 4-gram precision, recall,
F1; one process on a 2-core machine).

{table}

Also tried, on the same pages and scorer, and not kept (each within ±0.01 F1 of
trafilatura alone, which is bootstrap noise on 121 pages, and 2-4x slower):
readability-lxml alone (F1 0.944); trafilatura default lines kept only where trafilatura
precision mode or readability agree (0.963); trafilatura precision lines kept only where
readability agrees (0.958); lines filtered by the page's JSON-LD `articleBody` (0.961;
only 10 of 121 pages carry one).

So the indexer builds on trafilatura in precision mode, reading its XML output so that
passages follow the page's own paragraphs, headings, list items and quotes; the plain
block walk stands in when trafilatura returns nothing (odd or very deeply nested markup).
The indexer's line rules (photo credits, follow-us lines, an outlet's repeated lines)
then run on those paragraphs as on text dumps; the dumps' footer cut-off does not (it
took 0.02 of recall on these pages: short closing lines of real articles).

## On pages it was not tuned on (cross-validated)

The issue that asked for this: on held-out pages Presscut scored F1 0.959 against 0.964
for trafilatura alone. `python bench/extraction_cv.py` splits the DEV pages into 5 folds,
tunes on four and scores on the fifth, and scores each own step of the indexer on every
fold. What it found: trafilatura's XML output, which Presscut reads to keep paragraphs,
drops the line breaks inside a paragraph (`<lb/>`), gluing "Tampa, FL" to "June 14" on 8
of the 121 pages; its text output keeps them, so the XML route lost about 0.002 F1 on
average and 0.009 on one fold. Fixed (a line break now starts a new line, and a test
checks that no word kept is absent from the page as shown), the steps are:

- dropping the blocks that repeat the headline: helps on every fold (+0.001 to +0.004): kept;
- the cleaner's line rules: never hurt, help on two folds by less than 0.001: kept (they
  are there for the text dumps and an outlet's repeated lines, which these pages lack);
- trafilatura's precision against its default mode: the choice made on four folds flips
  between them, so no rule is tuned on it; precision mode stays (better on all pages).

Presscut as indexed is at or above trafilatura's own text output on every fold:

{cv}

Where the time goes (ms a page, same pages): trafilatura's XML extraction ~32 (its plain-text
output, which loses the paragraph structure, ~20), the page's metadata (BeautifulSoup over
meta/title/link/time/h1/script tags only) ~13, the list of
dropped blocks (lxml) ~4.
"""


if __name__ == "__main__":
    main()
