"""Finding releases: Indonesian text analysis, the Whoosh index, queries, filters and snippets."""
