"""Where an index lives: each engine a package behind the one protocol of
:mod:`engines.protocol` (``whoosh``, the embedded default). The search service and the
build name an engine; they never import one."""

from __future__ import annotations

import importlib
from pathlib import Path

from engines.protocol import Engine

# Engine name -> the module whose ``open_engine(index, settings)`` makes it.
ENGINES = {"whoosh": "engines.whoosh.engine", "opensearch": "engines.opensearch.engine"}
DEFAULT = "whoosh"


def open_engine(index: Path, name: str = DEFAULT, settings: object = None) -> Engine:
    """The engine ``name`` for the index folder ``index``."""
    if name not in ENGINES:
        raise ValueError(f"There is no engine {name!r}; choose one of {', '.join(ENGINES)}.")
    return importlib.import_module(ENGINES[name]).open_engine(Path(index), settings)
