"""``humaskit list``: releases newest first, filtered by date, unit and tag.

Ids begin with the date, so the date filter and the order come from folder names alone;
only the releases that pass it are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from humaskit.archive.store import Archive, StoredRelease


@dataclass(frozen=True)
class Filters:
    since: dt.date | None = None
    until: dt.date | None = None
    unit: str | None = None
    tag: str | None = None
    speaker: str | None = None


def in_date_range(release_id: str, filters: Filters) -> bool:
    day = release_id[:10]
    if filters.since and day < filters.since.isoformat():
        return False
    return not (filters.until and day > filters.until.isoformat())


def matches(stored: StoredRelease, filters: Filters) -> bool:
    release = stored.release
    if filters.unit:
        wanted = filters.unit.casefold().strip()
        if wanted not in (release.unit.casefold(), release.signature.casefold()):
            return False
    if filters.tag:
        wanted = filters.tag.casefold().strip()
        if wanted not in (tag.casefold() for tag in release.tags):
            return False
    if filters.speaker:
        wanted = filters.speaker.casefold().strip()
        names = [n.casefold() for s in release.speakers for n in (s.name, s.short_name)]
        if not any(wanted == n or wanted in n.split() or wanted in n for n in names):
            return False
    return True


def list_releases(
    archive: Archive, filters: Filters, limit: int | None = None
) -> tuple[list[StoredRelease], int]:
    """The matching releases, newest first, at most ``limit``; and how many match in all."""
    ids = [i for i in archive.ids() if in_date_range(i, filters)]
    needs_record = filters.unit or filters.tag or filters.speaker
    if not needs_record:
        shown = ids if limit is None else ids[:limit]
        return list(archive.iter_releases(shown)), len(ids)
    indexed = _ids_from_index(archive, filters)
    if indexed is not None:
        # The index answers which releases match; only the ones shown are read from disk.
        shown = indexed if limit is None else indexed[:limit]
        return list(archive.iter_releases(shown)), len(indexed)
    found: list[StoredRelease] = []
    total = 0
    for stored in archive.iter_releases(ids):
        if matches(stored, filters):
            total += 1
            if limit is None or len(found) < limit:
                found.append(stored)
    return found, total


def summary(stored: StoredRelease) -> dict:
    release = stored.release
    return {
        "id": stored.id,
        "title": release.title,
        "date": release.date.isoformat(),
        "unit": release.unit,
        "tags": list(release.tags),
    }


def _ids_from_index(archive: Archive, filters: Filters) -> list[str] | None:
    """Ids matching ``filters``, newest first, from the search index; ``None`` when there is
    no usable index (then the release files are read instead: slower, never wrong)."""
    from humaskit.search import index
    from humaskit.search.engine import filter_query

    try:
        ix = index.open_index(archive)
    except index.IndexUnavailable:
        return None
    try:
        with ix.searcher() as searcher:
            docnums = searcher.docs_for_query(filter_query(filters))
            ids = [searcher.stored_fields(docnum)["id"] for docnum in docnums]
    except Exception:  # a segment damaged after opening: doctor reports it; list still works
        return None
    return sorted((i for i in ids if in_date_range(i, filters)), reverse=True)
