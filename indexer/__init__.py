"""Presscut's indexer: corpus files in, a Whoosh index and a search service out.

This package never imports Flask; the web app reaches Whoosh only through
:mod:`indexer.search`.
"""
