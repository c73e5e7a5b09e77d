"""``humaskit list``: releases newest first, filtered by date, unit, tag and speaker.

Filtered, it is answered by the search index with the same ``Filters`` query as ``search``
(rebuilt first when missing or damaged); unfiltered, by the folder names. Only the records
shown are read from disk.
"""

from __future__ import annotations

from collections.abc import Callable

from humaskit.archive.store import Archive, StoredRelease
from humaskit.search.filters import Filters


def list_releases(
    archive: Archive,
    filters: Filters,
    limit: int | None = None,
    on_rebuild: Callable[[str], None] | None = None,
) -> tuple[list[StoredRelease], int]:
    """The matching releases, newest first, at most ``limit``; and how many match in all."""
    from whoosh.query import Every

    from humaskit.search import index

    if not archive.releases_dir.is_dir():
        return [], 0
    if filters.empty:  # no filter to apply: the folder names are the list (no Whoosh)
        ids = archive.ids()
        return list(archive.iter_releases(ids[:limit])), len(ids)
    searcher = index.searcher(archive, on_rebuild)
    # Ids begin with the date: newest first is the id column, descending.
    hits = searcher.search(filters.query() or Every(), limit=limit, sortedby="id", reverse=True)
    shown = [hit["id"] for hit in hits[:limit]] if limit is not None else [h["id"] for h in hits]
    return list(archive.iter_releases(shown)), len(hits)


def summary(stored: StoredRelease) -> dict:
    release = stored.release
    return {
        "id": stored.id,
        "title": release.title,
        "date": release.date.isoformat(),
        "unit": release.unit,
        "tags": list(release.tags),
    }
