"""Readers for formats other than text dumps and saved pages, one module each.

Every module has ``read(path, relpath, fmt)`` giving the file's articles as
:class:`~core.records.LoadedFile` (and, for containers, the records it could not
read as :class:`~core.records.Skipped`); a file it cannot read at all raises
:class:`~core.records.NotAnArticle` with the reason. Which suffix goes to which reader
is :data:`core.files.READERS`.
"""
