"""The ``presscut`` command line (see ../shared/CONTRACT.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from core.errors import EngineUnavailable, IndexBusy
from core.facets import BY_NAME, SORTS
from core.records import NotAnArticle, Skipped
from core.settings import SETTINGS, Settings
from engines import folder
from indexer import pipeline
from presscut import runs
from presscut.options import base_url_option, engine_options, engine_settings, facet_options, index_option
from search import citations
from search.citations import FORMATS

if TYPE_CHECKING:
    from search.service import SearchService

EXIT_NOTHING_INDEXED = 1
EXIT_BAD_INPUT = runs.EXIT_BAD_INPUT
EXIT_BUSY = runs.EXIT_BUSY


def _settings(**overrides) -> Settings:
    return Settings.from_env(**overrides)


@click.group(help="Presscut: search news archives and cite exact passages.",
             epilog="Settings (environment variables): " + "; ".join(
                 f"{s.env} ({s.help.rstrip('.')}, default {s.default})" for s in SETTINGS))
def main() -> None:
    pass


@main.command("index")
@click.option("--corpus", type=click.Path(path_type=Path),
              help="Corpus folder [default: ./corpus or $PRESSCUT_CORPUS].")
@index_option
@engine_options
@click.option("--rebuild", is_flag=True, help="Build from scratch (aside, then swap in).")
@click.option("--wait", type=float, default=0.0, show_default=True,
              help="Seconds to wait for another indexing run to finish.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
def index_command(corpus, index, rebuild, wait, as_json, **engine):
    """Index every document under the corpus folder (incremental unless --rebuild)."""
    settings = _settings(corpus=corpus, index=index, **engine_settings(engine))
    if not settings.corpus.is_dir():
        raise click.ClickException(f"No corpus folder at {settings.corpus}.")
    runs.refuse_inside_corpus(settings)
    try:
        summary = runs.index(settings, rebuild=rebuild, wait=wait)
    except IndexBusy as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    if as_json:
        click.echo(json.dumps(summary.to_json(), indent=2, ensure_ascii=False))
    else:
        for skipped in summary.skipped:
            click.echo(f"skipped {skipped.relpath}: {skipped.reason}", err=True)
        for warning in summary.warnings:
            click.echo(f"warning {warning}", err=True)
        click.echo(f"Indexed {settings.corpus} into {settings.index}: {summary.line()}")
    if not summary.indexed_anything:
        sys.exit(EXIT_NOTHING_INDEXED)


@main.command()
@index_option
@engine_options
@click.option("--corpus", type=click.Path(path_type=Path),
              help="Corpus to index first when there is no index yet.")
@click.option("--host", help="Address to listen on [default: 127.0.0.1].")
@click.option("--port", type=int, help="Port to listen on [default: 5000].")
@click.option("--workers", type=int, help="Server processes [default: one per core].")
@click.option("--threads", type=int, help="Threads of each server process [default: 8].")
@base_url_option
def serve(index, corpus, host, port, workers, threads, base_url, **engine):
    """Serve the web app and JSON API with a production WSGI server."""
    from webapp import create_app, server
    from webapp.access import write_mode

    settings = _settings(index=index, corpus=corpus, host=host, port=port, workers=workers,
                         threads=threads, base_url=base_url, **engine_settings(engine))
    runs.refuse_inside_corpus(settings)
    problem = settings.problem() or server.listen_problem(settings.host, settings.port)
    if problem:
        click.echo(f"Error: {problem}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if folder.being_written(settings.index):
        # Another process builds it: serve what it has committed, and say how far it is.
        click.echo(f"{settings.index} is being indexed by another process: serving what it "
                   "has indexed so far.")
    elif unbuilt := runs.unbuilt(settings, serving=True):
        click.echo(f"{unbuilt} Indexing {settings.corpus} now.")
        click.echo(runs.index(settings, wait=60).line())
    app = create_app(settings)
    processes = server.workers(settings)
    click.echo(f"Presscut serving {settings.index} on http://{settings.host}:{settings.port}/ "
               f"({processes} process{'es' if processes > 1 else ''} of {settings.threads} "
               "threads)")
    mode = write_mode(settings)
    if mode == "read-only" and settings.trust_proxy:
        click.echo("Serving read-only: collections can be read, not changed, because the server "
                   "trusts a proxy (PRESSCUT_TRUST_PROXY) without PRESSCUT_TOKEN set: behind a "
                   "proxy every request comes from the proxy's address.", err=True)
    elif mode == "read-only":
        click.echo("Serving read-only: collections can be read, not changed, because the server "
                   "listens beyond this machine without PRESSCUT_TOKEN set.", err=True)
    elif mode == "token":
        click.echo("Writes (collections) need the token set in PRESSCUT_TOKEN.", err=True)
    server.serve(app, settings)


@main.command()
@click.argument("query")
@index_option
@facet_options
@click.option("--from", "date_from", default="", help="Only documents dated from this date "
              "on (2022, 2022-01 or 2022-01-07).")
@click.option("--to", "date_to", default="", help="Only documents dated up to this date.")
@click.option("--sort", type=click.Choice(list(SORTS)), default="relevance")
@click.option("--page", type=click.IntRange(min=1), default=1)
@click.option("--per-page", type=click.IntRange(1, 100), default=10)
@click.option("--json", "as_json", is_flag=True, help="Print the /api/search object.")
@engine_options
def search(query, index, date_from, date_to, sort, page, per_page, as_json, **facets):
    """Search the index and print the results."""
    from search.results import SearchRequest
    from search.service import BadQuery

    # (The engine's options first: the rest are the facets.)
    service = _service(index, facets)
    filters = tuple((name, tuple(BY_NAME[name].value_of(v) for v in values))
                    for name, values in facets.items() if values)
    refused = [BY_NAME[name].refusal(v) for name, values in filters for v in values]
    if any(refused):
        click.echo(f"Error: --{next(filter(None, refused))}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    request = SearchRequest(q=query, filters=filters, sort=sort, page=page, per_page=per_page,
                            date_from=date_from, date_to=date_to)
    try:
        result = service.search(request)
    except BadQuery as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    noun = "document" if result.total == 1 else "documents"
    click.echo(f"{result.total} {noun} {result.verb} {query!r}"
               f" (page {page} of {result.pages}, {result.seconds * 1000:.0f} ms)")
    if result.relaxed:
        click.echo(result.relaxed.sentence)
    if result.suggestion:
        click.echo(f"Did you mean: {result.suggestion}")
    for number, doc in enumerate(result.results, start=(page - 1) * per_page + 1):
        click.echo("")
        click.secho(f"{number}. {doc.title}", bold=True)
        language = BY_NAME["language"].label_of(doc.language)
        click.echo(f"   {doc.outlet} · {doc.date or 'undated'} · {language} · {doc.doc_id}")
        for passage in doc.passages:
            click.echo(f"   [{passage.passage_id}] " + _terminal_marks(passage.fragment))


def _terminal_marks(html: str) -> str:
    import html as html_lib

    # Not guillemets or quote marks: Russian and Azerbaijani texts use those themselves.
    bold, plain = ("\x1b[1;33m", "\x1b[0m") if sys.stdout.isatty() else ("[[", "]]")
    return html_lib.unescape(html.replace("<mark>", bold).replace("</mark>", plain))


def _service(index: Path | None, engine: dict) -> SearchService:
    # The search side is imported by the commands that search: `presscut index` after one
    # changed file is a couple of seconds, a tenth of it these imports.
    from search.service import SearchService

    settings = _settings(index=index, **engine_settings(engine))
    try:
        unbuilt = runs.unbuilt(settings)
    except EngineUnavailable as exc:
        raise click.ClickException(str(exc)) from None
    if unbuilt:
        raise click.ClickException(unbuilt)
    return SearchService.for_settings(settings)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True,
              help="Also print the metadata found (and where) and the removed boilerplate.")
def extract(file, as_json):
    """Print the clean text the indexer would keep for FILE (each article of an archive,
    feed or export in turn)."""
    try:
        found = pipeline.extract(file)
    except NotAnArticle as exc:
        raise click.ClickException(f"{file} {exc}") from exc
    docs = [doc for doc in found if not isinstance(doc, Skipped)]
    for skipped in found:
        if isinstance(skipped, Skipped):
            click.echo(f"Skipped {skipped.relpath}: {skipped.reason}", err=True)
    if not docs:
        raise click.ClickException(f"{file} holds no article Presscut could read.")
    if not as_json:
        click.echo("\n\n\f".join(doc.text for doc in docs))
        return
    from search.results import document_json

    objects = [dict(document_json(doc), file=str(file)) for doc in docs]
    # One article: its object, as for a page; several: a list of them.
    click.echo(json.dumps(objects[0] if len(objects) == 1 else objects, indent=2,
                          ensure_ascii=False))


@main.command()
@click.argument("passage_id")
@index_option
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@base_url_option
@engine_options
def cite(passage_id, index, fmt, base_url, **engine):
    """Print the citation of a passage."""
    found = _service(index, engine).passage(passage_id)
    if found is None:
        raise click.ClickException(f"No passage with id {passage_id!r}.")
    doc, passage = found
    settings = _settings(base_url=base_url)
    if settings.problem():
        click.echo(f"Error: {settings.problem()}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    base = settings.base_url.rstrip("/")
    if not base:
        click.echo("Warning: the public address of the archive is unknown, so the permalink is "
                   "relative; pass --base-url or set PRESSCUT_BASE_URL.", err=True)
    click.echo(citations.cite(doc, passage, fmt, f"{base}/p/{passage_id}"))


@main.command()
@click.argument("quote")
@index_option
@click.option("--json", "as_json", is_flag=True, help="Print the /api/verify object.")
@engine_options
def verify(quote, index, as_json, **engine):
    """Check whether QUOTE stands in the archive verbatim, altered, contradicted (its
    meaning reversed), or not at all.

    Exit status: 0 verbatim, 3 altered, 4 not found, 5 contradicted, 2 a quote that
    cannot be checked (empty, or too long to compare word by word).
    """
    from presscut import checks
    from search.results import verify_json
    from search.service import BadQuery
    from search.verify import QuoteTooLong

    try:
        check = _service(index, engine).check_quote(quote)
    except (BadQuery, QuoteTooLong) as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)
    if as_json:
        click.echo(json.dumps(verify_json(check), indent=2, ensure_ascii=False))
    else:
        click.echo(checks.text(check))
    sys.exit(checks.EXIT[check.verdict])
