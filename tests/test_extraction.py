"""Saved news pages: the article body and nothing else, and the page's metadata."""

from __future__ import annotations

import importlib.util

import pytest

from core import records
from indexer import cleaner, htmlpage, metadata, outlets, pipeline

from .conftest import shared

# F1 of what the indexer keeps on every third DEV page (41 pages), measured when the
# extractor was adopted: P 0.980, R 0.977, F1 0.979; the gate leaves room for noise only.
GATE_F1 = 0.965
GATE_PRECISION = 0.965


def evaluator():
    path = shared("bench/extraction/evaluate.py")
    spec = importlib.util.spec_from_file_location("evaluate", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path.parent


def kept_text(html: str) -> str:
    return "\n".join(cleaner.clean(htmlpage.parse(html).text, footer=False).paragraphs)


@pytest.mark.slow
def test_extraction_quality_does_not_regress():
    evaluate, data = evaluator()
    gold = {pid: entry["articleBody"] for pid, entry in evaluate.load_gold(data).items()}
    subset = sorted(gold)[::3]
    predictions = {pid: kept_text(evaluate.read_html(data, pid)) for pid in subset}
    summary, _ = evaluate.score({pid: gold[pid] for pid in subset}, predictions, n_boot=0)
    assert summary["f1"] >= GATE_F1, summary
    assert summary["precision"] >= GATE_PRECISION, summary


PAGE = """<!doctype html><html lang="en"><head>
<title>Talks on the Caspian pipeline resume | Steppe Times</title>
<meta property="og:site_name" content="Steppe Times">
<meta property="og:title" content="Talks on the Caspian pipeline resume">
<meta property="article:published_time" content="2022-01-12T08:30:00+06:00">
<link rel="canonical" href="https://steppetimes.example/2022/01/12/pipeline-talks">
<script type="application/ld+json">{"@type": "NewsArticle", "author": {"name": "Aigerim Sadykova"}}</script>
</head><body>
<header><nav><a href="/">Home</a><a href="/world">World</a><a href="/sport">Sport</a></nav></header>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies</div>
<main><article>
<h1>Talks on the Caspian pipeline resume</h1>
<p class="byline">By Aigerim Sadykova</p>
<p>Negotiators from Kazakhstan and Azerbaijan resumed talks on the trans-Caspian pipeline
on Wednesday, a week after the unrest in Almaty had put them on hold.</p>
<p>The two governments hope to agree on tariffs before the spring, officials said, and a
technical committee will meet in Baku at the end of the month to settle the route.</p>
<figure><img src="pipe.jpg"><figcaption>Pipes at the Sangachal terminal. Photo: Reuters</figcaption></figure>
<p>Analysts in Astana cautioned that the timetable could slip again if the security
situation worsened, but most expected a framework deal within the year.</p>
<div class="share-bar">Share on Facebook Share on Twitter</div>
<section class="related"><h3>Related</h3><ul><li><a href="/a">Oil prices fall again</a></li>
<li><a href="/b">New minister appointed</a></li></ul></section>
</article></main>
<footer>© 2022 Steppe Times. All rights reserved. Subscribe to our newsletter.</footer>
</body></html>"""


def test_saved_page_keeps_the_body_and_nothing_else(tmp_path):
    path = tmp_path / "pipeline.html"
    path.write_text(PAGE, encoding="utf-8")
    doc = pipeline.extract(path)[0]
    paragraphs = [doc.passage_text(p) for p in doc.passages]
    assert [p.split()[0] for p in paragraphs] == ["Negotiators", "The", "Analysts"]
    for chrome in ("cookies", "Share on", "Related", "Oil prices", "All rights", "Home",
                   "Talks on the Caspian", "Sadykova", "Sangachal"):
        assert chrome not in doc.text, chrome
    assert any("cookies" in line for line in doc.removed)


def test_saved_page_metadata_with_its_sources(tmp_path):
    path = tmp_path / "pipeline.html"
    path.write_text(PAGE, encoding="utf-8")
    meta = pipeline.extract(path)[0].metadata
    assert (meta.title, meta.outlet, meta.date, meta.language, meta.authors, meta.url) == (
        "Talks on the Caspian pipeline resume", "Steppe Times", "2022-01-12", "en",
        ("Aigerim Sadykova",), "https://steppetimes.example/2022/01/12/pipeline-talks")
    assert meta.sources == {"url": "link:canonical", "outlet": "og:site_name",
                            "date": "article:published_time", "title": "og:title",
                            "language": "detected", "authors": "jsonld:author"}


def test_outlet_from_the_domain_table_and_byline_authors(tmp_path):
    (tmp_path / "outlets.toml").write_text('[domains]\n"steppetimes.example" = "The Steppe"\n')
    page = (PAGE.replace('<meta property="og:site_name" content="Steppe Times">', "")
            .replace('"author": {"name": "Aigerim Sadykova"}', '"x": 1'))
    path = tmp_path / "pipeline.html"
    path.write_text(page, encoding="utf-8")
    meta = pipeline.extract(path)[0].metadata
    assert (meta.outlet, meta.sources["outlet"]) == ("The Steppe", "domain-table")
    assert (meta.authors, meta.sources["authors"]) == (("Aigerim Sadykova",), "byline")
    assert outlets.outlet_for_domain("en.trend.az") == "Trend"


def test_dev_pages_metadata_is_sound():
    evaluate, data = evaluator()
    gold = evaluate.load_gold(data)
    for pid in sorted(gold)[:20]:
        page = htmlpage.parse(evaluate.read_html(data, pid))
        loaded = records.LoadedFile(pid, "html", "utf-8", pid, page.text, page.meta, page.removed)
        meta = metadata.describe(loaded, tuple(page.text.split("\n")), {"url": gold[pid]["url"]})
        assert meta.title and meta.title not in page.text.split("\n")[:1]
        assert meta.outlet != "Unknown outlet"
        assert meta.date is None or metadata.normalise_date(meta.date) == meta.date


INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


@pytest.mark.slow
def test_no_word_is_glued_to_the_next_on_any_dev_page():
    """Every word Presscut keeps is a word of the page as a browser shows it: a line break
    inside a paragraph ("... Tampa, FL<br>June 14 ...") must not make "FLJune"."""
    from bs4 import BeautifulSoup

    evaluate, data = evaluator()
    glued = {}
    for pid in sorted(evaluate.load_gold(data)):
        html = evaluate.read_html(data, pid)
        soup = BeautifulSoup(html, "lxml")
        for br in soup.find_all("br"):
            br.replace_with("\n")
        # Words split by inline tags ("ex<b>pand</b>ed") are whole without a separator;
        # invisible soft hyphens and zero-width spaces do not split words.
        texts = [soup.get_text(sep) for sep in (" ", "")]
        shown = {t for text in texts for t in evaluate.tokens(text.translate(INVISIBLE))}
        extra = set(evaluate.tokens(kept_text(html))) - shown
        if extra:
            glued[pid] = sorted(extra)[:5]
    assert glued == {}
