"""``humaskit list``: releases newest first, filtered by date, unit, tag and speaker.

Which releases: a filtered list asks the search index with the same ``Filters`` query as
``search`` (a missing or damaged index is rebuilt first); an unfiltered one reads the
folder names. What is shown of each comes from the index's stored fields when the record
still has the hash the entry was built from (one file read), else from the record itself:
no record is parsed in a consistent archive, so 10,000 releases list in under two seconds
rather than nine. Up to :data:`RECORDS_READ_AT_MOST` releases are read from their records
directly, which spares the index's start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from humaskit.archive.store import Archive, StoredRelease
from humaskit.search.filters import Filters

# Parsing and checking a record costs ~0.6 ms, opening the index (importing Whoosh) ~100 ms.
RECORDS_READ_AT_MOST = 100


@dataclass(frozen=True)
class Listed:
    """A release as ``humaskit list`` shows it."""

    id: str
    title: str
    date: str  # ISO, as in the id
    unit: str
    tags: tuple[str, ...] = ()

    @classmethod
    def of(cls, stored: StoredRelease) -> Listed:
        r = stored.release
        return cls(stored.id, r.title, r.date.isoformat(), r.unit, tuple(r.tags))

    def to_json(self) -> dict:
        return {**asdict(self), "tags": list(self.tags)}


def list_releases(
    archive: Archive,
    filters: Filters,
    limit: int | None = None,
    on_rebuild: Callable[[str], None] | None = None,
) -> tuple[list[Listed], int]:
    """The matching releases, newest first, at most ``limit``; and how many match in all."""
    if not archive.releases_dir.is_dir():
        return [], 0
    if filters.empty:  # every release: the folder names say which (the index may lag)
        from humaskit.search import index

        ids = archive.ids()
        shown = ids[:limit]
        # A short list, or an index that would first have to be rebuilt (after an upgrade,
        # minutes for a large archive): the records, as cheap as ever and never waiting.
        if len(shown) <= RECORDS_READ_AT_MOST or not index.version_matches(archive):
            return [Listed.of(stored) for stored in archive.iter_releases(shown)], len(ids)
        found, _ = _index_entries(archive, filters, len(shown), on_rebuild)
        entries = {fields["id"]: fields for fields in found}
        listed = [_checked(archive, release_id, entries.get(release_id)) for release_id in shown]
        return [entry for entry in listed if entry is not None], len(ids)
    found, total = _index_entries(archive, filters, limit, on_rebuild)
    listed = [_checked(archive, fields["id"], fields) for fields in found]
    return [entry for entry in listed if entry is not None], total


def _index_entries(
    archive: Archive,
    filters: Filters,
    limit: int | None,
    on_rebuild: Callable[[str], None] | None,
) -> tuple[list[dict], int]:
    """The stored fields of the matching index entries, newest first, at most ``limit``;
    and how many match in all."""
    from whoosh.query import Every

    from humaskit.search import index

    searcher = index.searcher(archive, on_rebuild)
    # Ids begin with the date: newest first is the id column, descending.
    hits = searcher.search(filters.query() or Every(), limit=limit, sortedby="id", reverse=True)
    return [hit.fields() for hit in hits], len(hits)


def _checked(archive: Archive, release_id: str, fields: dict | None) -> Listed | None:
    """An index entry as listed, when its record is still the one it was built from (the
    same hash); else the record itself, read and checked as ``show`` reads it: a release
    saved while the index could not be written, or changed behind humaskit's back, shows
    as it is now; one damaged, gone or behind a symlink is left out (and named after the
    list, as a list read from the folders names it)."""
    from humaskit.search.index import record_stamp

    folder = archive.present(release_id)
    if fields is not None and folder is not None and record_stamp(folder) == fields["stamp"]:
        tags = tuple(fields["tag_list"])
        return Listed(release_id, fields["title"], fields["date"], fields["unit"], tags)
    stored = next(archive.iter_releases([release_id]), None)
    return None if stored is None else Listed.of(stored)
