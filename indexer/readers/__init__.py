"""Readers for formats other than text dumps and saved pages, one module each.

Every module has ``read(file, relpath, fmt, limits)`` giving the file's articles as
:class:`~core.records.LoadedFile` (and, for containers, the records it could not
read as :class:`~core.records.Skipped`); a file it cannot read at all raises
:class:`~core.records.NotAnArticle` with the reason. ``file`` is the corpus file open
for reading (binary); ``limits`` (:class:`~core.settings.ReadLimits`) bounds what a
reader may expand. Which suffix goes to which reader is :data:`core.files.READERS`.
"""


def expanded_past(limit: int) -> str:
    """The end of a sentence saying why what expands past ``limit`` bytes is not read."""
    return (f"more than the {limit / 2**20:g} MB a file or record may expand to "
            "(setting PRESSCUT_READ_EXPANDED_MB)")
