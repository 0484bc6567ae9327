"""Where an index lives: each engine a package (``whoosh``, the embedded default)."""
