"""Loaders for formats other than text dumps and saved pages, one module each.

Every module has ``read(path, relpath, fmt)`` giving the file's articles as
:class:`~indexer.records.LoadedFile` (and, for containers, the records it could not
read as :class:`~indexer.records.Skipped`); a file it cannot read at all raises
:class:`~indexer.records.NotAnArticle` with the reason.
"""
