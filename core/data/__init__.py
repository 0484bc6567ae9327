"""The tables Presscut ships (aliases, boilerplate rules, outlets, cues, opposites, common
words), read from this package so an installed wheel finds them too."""

from __future__ import annotations

import tomllib
from importlib import resources


def text(name: str) -> str:
    """The shipped file ``name`` as text (every table is UTF-8)."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def toml(name: str) -> dict:
    """The shipped TOML table ``name``, parsed."""
    return tomllib.loads(text(name))
