"""Options shared by the ``presscut`` commands: where the index is, which engine holds
it and how to reach a cluster (each an entry of the settings table, core/settings.py,
whose help and environment variable it shows), the public address, and the facets."""

from __future__ import annotations

from pathlib import Path

import click

from core.facets import FACETS
from core.settings import SETTINGS
from engines import ENGINES

SETTING = {setting.name: setting for setting in SETTINGS}


def _help(name: str, secret: bool = False) -> str:
    setting = SETTING[name]
    default = f"{setting.default} or " if setting.default not in ("", None) else ""
    shown = " A command line is seen by every user of the machine: prefer the variable." if secret else ""
    return f"{setting.help}{shown} [default: {default}${setting.env}]"


base_url_option = click.option(
    "--base-url", help="Public address of the archive, for permalinks [default: $PRESSCUT_BASE_URL].")
index_option = click.option("--index", "index", type=click.Path(path_type=Path),
                            help="Index folder [default: ./instance/index or $PRESSCUT_INDEX].")

# The engine and the cluster's settings, as options of the commands that open the index.
ENGINE_OPTIONS = (
    click.option("--engine", type=click.Choice(sorted(ENGINES)), help=_help("engine")),
    click.option("--opensearch-url", metavar="URL[,URL...]", help=_help("opensearch_url")),
    click.option("--opensearch-user", help=_help("opensearch_user")),
    click.option("--opensearch-password", help=_help("opensearch_password", secret=True)),
    click.option("--opensearch-api-key", help=_help("opensearch_api_key", secret=True)),
    click.option("--opensearch-verify/--no-opensearch-verify", default=None,
                 help=_help("opensearch_verify")),
    click.option("--opensearch-prefix", help=_help("opensearch_prefix")),
    click.option("--opensearch-shards", type=click.IntRange(min=1), help=_help("opensearch_shards")),
    click.option("--opensearch-replicas", type=click.IntRange(min=0),
                 help=_help("opensearch_replicas")),
)
ENGINE_NAMES = tuple(name for name in SETTING if name == "engine" or name.startswith("opensearch_"))


def engine_options(command):
    """``--engine`` and the ``--opensearch-*`` options: the command gets them in
    ``**engine``, which :func:`engine_settings` turns into settings."""
    for option in reversed(ENGINE_OPTIONS):
        command = option(command)
    return command


def engine_settings(given: dict) -> dict:
    """The engine options given (the rest left to the environment and defaults)."""
    chosen = {name: given.pop(name, None) for name in ENGINE_NAMES}
    if chosen["opensearch_verify"] is not None:
        chosen["opensearch_verify"] = int(chosen["opensearch_verify"])
    return {name: value for name, value in chosen.items() if value is not None}


def facet_options(command):
    """A repeatable option per facet of the table (``--outlet``, ``--lang``...)."""
    for facet in reversed(FACETS):
        command = click.option(f"--{facet.param}", facet.name, multiple=True,
                               help=facet.help)(command)
    return command
