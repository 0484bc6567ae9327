"""The embedded engine: the index as Whoosh segments in a folder."""
