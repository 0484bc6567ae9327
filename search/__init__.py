"""Everything that answers a question: the search service, its result records, snippets
and highlights, quote checks, citations, people, stories and dossiers."""
