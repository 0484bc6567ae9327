"""Pages as Datasette renders them: each page's template gets the object its JSON twin
returns for the same request, as ``data``, and beside it only what a page alone needs
(links, form state, chart geometry, citations), built in this package and nowhere else.

A view finds what was asked once, turns it into the API's object (the functions the API
routes return) and hands that to :func:`render` with its page's extras from here:
``results`` (the search page), ``people`` (a person's page), ``documents`` (a document,
a passage, the story), ``tools`` (the quote check, the batch, status and collections).
``tests/test_page_data.py`` holds each page's ``data`` to its twin's answer."""

from __future__ import annotations

from flask import render_template


def render(template: str, data: dict | None, extras: dict) -> str:
    """The page: ``data`` as its JSON twin answers (None for a form not yet sent), and
    ``extras`` beside it."""
    return render_template(template, data=data, **extras)
