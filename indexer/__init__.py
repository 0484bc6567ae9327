"""Presscut's indexer: corpus files in, a Whoosh index and a search service out.

Two wings meet here only at ``schema`` (the index's definition) and ``store`` (the
index folder): the indexing wing (loader, cleaner, metadata, passages, pipeline, build)
and the search wing (query, matching, generation, search, results). This package never
imports Flask; the web app reaches Whoosh only through :mod:`indexer.search`.
"""
