"""The Whoosh index of the archive (derived from the release files; rebuildable)."""

from __future__ import annotations

from humaskit.store import Archive, StoredRelease


def index_releases(archive: Archive, stored: list[StoredRelease]) -> None:
    """Add or update the index entries of ``stored`` releases."""
    # Filled in by the search work (issue 6).
