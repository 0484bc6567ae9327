"""The vocabulary every wing shares: records, settings, facets, text analysis, name keys,
aliases and dates. It imports no other Presscut package."""
