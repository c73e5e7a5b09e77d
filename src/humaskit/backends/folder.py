"""The folder archive: release folders on disk (:mod:`humaskit.archive.store`), the source of
truth, and a Whoosh index derived from them (:mod:`humaskit.search`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from humaskit.archive.store import Archive, StoredRelease

if TYPE_CHECKING:
    from humaskit.archive.profile import Profile
    from humaskit.backends.protocol import Progress
    from humaskit.doctor import DoctorReport
    from humaskit.search.engine import SearchResult
    from humaskit.search.index import RebuildReport
    from humaskit.search.listing import Filters


class FolderArchive(Archive):
    """An archive folder with its search index; see :class:`ReleaseArchive`."""

    @property
    def location(self) -> str:
        return str(self.root)

    def read_file(self, release_id: str, name: str) -> bytes:
        from humaskit.archive.store import _inside

        return _inside(self._real_folder(release_id), name).read_bytes()

    @contextlib.contextmanager
    def release_folder(self, release_id: str) -> Iterator[Path]:
        yield self._real_folder(release_id)

    def file_location(self, release_id: str, name: str) -> str:
        return str(self.folder(release_id) / name)

    def index(self, stored: list[StoredRelease]) -> None:
        from humaskit.search.index import index_releases

        index_releases(self, stored)

    def reindex(self, progress: Progress | None = None) -> RebuildReport:
        from humaskit.search.index import rebuild

        self.ensure()
        return rebuild(self, progress=progress)

    def list_releases(
        self, filters: Filters, limit: int | None = None
    ) -> tuple[list[StoredRelease], int]:
        from humaskit.search.listing import list_releases

        return list_releases(self, filters, limit)

    def search(
        self, query: str, filters: Filters, limit: int = 10, synonyms_file: Path | None = None
    ) -> SearchResult:
        from humaskit.search.engine import search

        return search(self, query, filters, limit, synonyms_file)

    def doctor(self, profile: Profile | None, repair: bool) -> DoctorReport:
        from humaskit.doctor import run

        return run(self, profile, repair)
