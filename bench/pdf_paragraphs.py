"""Printed pages read back: do a PDF's passages come out as the page's paragraphs?

    python bench/pdf_paragraphs.py [--sets seeds bench] [--limit N] [--work DIR]

Chromium (Debian's, driven by Playwright as the browser tests drive it) prints each page
to PDF with its default header and footer (date, title, address, "1/3"), on two paper
widths (A4 and A5) and at two line heights (1.2 and 1.8, forced on every element):

* ``seeds``: the seed articles (corpus/*.txt as the indexer reads them) as a simple news
  page: a menu, the headline, a dateline, the paragraphs, a footer; the paragraphs are
  the gold;
* ``bench``: the pages of the extraction benchmark (../shared/bench/extraction, DEV split),
  JavaScript off and nothing fetched; its hand-made article bodies are the gold.

The PDF goes through the whole pipeline (``presscut extract``). Scores, summed over the
pages of a set (micro-averaged):

* paragraph boundaries: the gold text and the passages are aligned word by word; a
  boundary is a paragraph's first word; precision is the share of the passages'
  boundaries inside aligned text that are gold boundaries, recall the share of gold
  boundaries in aligned text that the passages have;
* text: precision, recall and F1 of word 4-grams, as ../shared/bench/extraction scores it
  (menus, comments and links a printed page keeps cost precision);
* passages per gold paragraph (one printed line a passage gave 4).
"""

from __future__ import annotations

import argparse
import calendar
import difflib
import gzip
import html
import json
import re
import tempfile
from collections import Counter
from pathlib import Path

from core.records import Document
from indexer import pipeline

ROOT = Path(__file__).resolve().parent.parent
EXTRACTION = ROOT.parent / "shared" / "bench" / "extraction"
CHROMIUM = "/usr/bin/chromium"
PAPERS = ("A4", "A5")
LINE_HEIGHTS = (1.2, 1.8)
_WORD = re.compile(r"\w+")


def seed_pages() -> list[tuple[str, str, str, list[str]]]:
    """(name, address, page HTML, gold paragraphs) of every seed article."""
    pages = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        doc = next(d for d in pipeline.extract(path) if isinstance(d, Document))
        meta, paragraphs = doc.metadata, [doc.passage_text(p) for p in doc.passages]
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
        page = (f'<!doctype html><html lang="{meta.language}"><head><meta charset="utf-8">'
                f"<title>{html.escape(meta.title)}</title></head><body>"
                '<nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>'
                f"<h1>{html.escape(meta.title)}</h1><p><time>{_printed(meta.date)}</time></p>{body}"
                f"<footer>© {html.escape(meta.outlet)}. Follow us on Telegram.</footer>"
                "</body></html>")
        pages.append((path.stem, meta.url or f"https://example.org/{path.stem}", page, paragraphs))
    return pages


def _printed(date: str | None) -> str:
    """A date as a news page prints it: "7 January 2022"."""
    if not date:
        return ""
    parts = [int(n) for n in date.split("-")]
    month = calendar.month_name[parts[1]] if len(parts) > 1 else ""
    return " ".join(str(p) for p in (parts[2] if len(parts) > 2 else "", month, parts[0]) if p)


def bench_pages(limit: int | None) -> list[tuple[str, str, str, list[str]]]:
    """(page id, address, HTML, gold paragraphs) of the extraction benchmark's pages."""
    gold = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(gold)[:limit]:
        with gzip.open(EXTRACTION / "html" / f"{page_id}.html.gz", "rt", encoding="utf-8") as f:
            source = f.read()
        paragraphs = [p.strip() for p in gold[page_id]["articleBody"].split("\n") if p.strip()]
        pages.append((page_id[:12], gold[page_id]["url"], source, paragraphs))
    return pages


def print_all(pages, folder: Path, javascript: bool) -> None:
    """Each page printed to ``folder/<name>-<paper>-<line height>.pdf`` (kept: a second
    run re-reads the same PDFs)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        context = browser.new_context(java_script_enabled=javascript)
        page = context.new_page()
        for name, url, source, _ in pages:
            for paper in PAPERS:
                for height in LINE_HEIGHTS:
                    target = folder / f"{name}-{paper}-{height}.pdf"
                    if target.exists():
                        continue
                    styled = source + f"<style>* {{ line-height: {height} !important }}</style>"
                    _print(page, url, styled, target, paper)
        browser.close()


def _print(page, url: str, source: str, target: Path, paper: str) -> None:
    page.unroute("**/*")
    served = []

    def answer(route) -> None:
        # The page, once; nothing else is fetched (a frame or a refresh would get the page
        # again, and its frames again).
        if served or not route.request.is_navigation_request():
            route.abort()
        else:
            served.append(route.request.url)
            route.fulfill(body=source, content_type="text/html; charset=utf-8")

    page.route("**/*", answer)
    try:
        page.goto(url, wait_until="load", timeout=30000)
        page.pdf(path=str(target), format=paper, display_header_footer=True,
                 margin={"top": "1.5cm", "bottom": "1.5cm", "left": "1cm", "right": "1cm"})
    except Exception as exc:  # a page Chromium cannot print is reported, not scored
        print(f"  {target.name}: not printed ({type(exc).__name__})")


def boundaries(paragraphs: list[str]) -> tuple[list[str], set[int]]:
    """The words of the paragraphs (lower case) and the index of each one's first word."""
    words: list[str] = []
    starts = set()
    for para in paragraphs:
        found = [w.lower() for w in _WORD.findall(para)]
        if found:
            starts.add(len(words))
            words += found
    return words, starts


def compare(gold: list[str], passages: list[str]) -> Counter:
    """Boundary and 4-gram counts of one page."""
    gold_words, gold_starts = boundaries(gold)
    words, starts = boundaries(passages)
    matcher = difflib.SequenceMatcher(None, words, gold_words, autojunk=False)
    to_gold = {}
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            to_gold[block.a + k] = block.b + k
    covered = set(to_gold.values())
    found = {to_gold[s] for s in starts if s in to_gold}
    g, p = _shingles(gold_words), _shingles(words)
    return Counter(pages=1, gold_paragraphs=len(gold), passages=len(passages),
                   found=len(found), right=len(found & gold_starts),
                   gold=len(gold_starts & covered), tp=sum((g & p).values()),
                   fp=sum((p - g).values()), fn=sum((g - p).values()))


def _shingles(words: list[str], n: int = 4) -> Counter:
    if len(words) < n:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i:i + n]) for i in range(len(words) - n + 1))


def score_all(pages, folder: Path) -> dict[tuple[str, float], Counter]:
    totals: dict[tuple[str, float], Counter] = {}
    for name, _, _, gold in pages:
        for paper in PAPERS:
            for height in LINE_HEIGHTS:
                path = folder / f"{name}-{paper}-{height}.pdf"
                if not path.exists():
                    continue
                docs = [d for d in pipeline.extract(path) if isinstance(d, Document)]
                passages = [d.passage_text(p) for d in docs for p in d.passages]
                totals.setdefault((paper, height), Counter()).update(compare(gold, passages))
    return totals


def report(name: str, totals: dict[tuple[str, float], Counter]) -> None:
    print(f"\n{name}\n")
    print("| paper | line height | pages | gold paragraphs | passages | boundary P | boundary R "
          "| text P | text R | text F1 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    overall = Counter()
    for (paper, height), t in sorted(totals.items()):
        overall.update(t)
        print(_row(paper, str(height), t))
    print(_row("all", "", overall))


def _row(paper: str, height: str, t: Counter) -> str:
    bp, br = t["right"] / max(1, t["found"]), t["right"] / max(1, t["gold"])
    tp_, tr = t["tp"] / max(1, t["tp"] + t["fp"]), t["tp"] / max(1, t["tp"] + t["fn"])
    f1 = 2 * tp_ * tr / max(1e-9, tp_ + tr)
    return (f"| {paper} | {height} | {t['pages']} | {t['gold_paragraphs']} | {t['passages']} "
            f"| {bp:.3f} | {br:.3f} | {tp_:.3f} | {tr:.3f} | {f1:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sets", nargs="+", default=["seeds", "bench"], choices=["seeds", "bench"])
    parser.add_argument("--limit", type=int, default=None, help="first N benchmark pages")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "presscut-pdf-bench",
                        help="where the PDFs are kept between runs")
    args = parser.parse_args()
    for name in args.sets:
        pages = seed_pages() if name == "seeds" else bench_pages(args.limit)
        folder = args.work / name
        folder.mkdir(parents=True, exist_ok=True)
        print_all(pages, folder, javascript=name == "seeds")
        report(name, score_all(pages, folder))


if __name__ == "__main__":
    main()
