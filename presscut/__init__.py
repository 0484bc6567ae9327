"""Presscut: search news archives and cite exact passages.

Two wings under one roof: ``indexer`` (corpus files in, a Whoosh index and the search
service out; no Flask) and ``webapp`` (pages and JSON API; no Whoosh, no bs4). Only
this package's command line knows both.
"""
