"""The folder archive: release folders on disk (:mod:`humaskit.archive.store`), the source of
truth, and a Whoosh index derived from them (:mod:`humaskit.search`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from humaskit.archive.store import Archive, StoredRelease

if TYPE_CHECKING:
    from humaskit.archive.profile import Profile
    from humaskit.backends.protocol import Progress
    from humaskit.doctor import DoctorReport
    from humaskit.publications import ReleaseSummary
    from humaskit.search.engine import SearchResult
    from humaskit.search.filters import Filters
    from humaskit.search.index import RebuildReport
    from humaskit.search.listing import Listed


class FolderArchive(Archive):
    """An archive folder with its search index; see :class:`ReleaseArchive`."""

    @property
    def location(self) -> str:
        return str(self.root)

    def read_file(self, release_id: str, name: str) -> bytes:
        from humaskit.archive.store import inside_folder

        return inside_folder(self._real_folder(release_id), name).read_bytes()

    @contextlib.contextmanager
    def release_folder(self, release_id: str) -> Iterator[Path]:
        yield self._real_folder(release_id)

    def file_location(self, release_id: str, name: str) -> str:
        return str(self.folder(release_id) / name)

    def summaries(
        self, filters: Filters, on_rebuild: Callable[[str], None] | None = None
    ) -> list[ReleaseSummary]:
        from humaskit.publications import index_summaries

        return index_summaries(self, filters, on_rebuild)

    def contains(self, path: Path) -> bool:
        root = self.root.absolute().resolve()
        return path.resolve().is_relative_to(root) or path.absolute().is_relative_to(root)

    # ------------------------------------------------------------------ sync (humaskit sync)

    def record_text(self, release_id: str) -> str:
        from humaskit.archive.store import RECORD_FILE

        return (self._real_folder(release_id) / RECORD_FILE).read_text("utf-8")

    def file_names(self, release_id: str) -> list[str]:
        """The release's stored files besides its record, meta and revisions."""
        from humaskit.archive.store import (
            META_FILE,
            PUBLICATIONS_FILE,
            RECORD_FILE,
            REVISIONS_DIR,
        )

        folder = self._real_folder(release_id)
        names = []
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder).as_posix()
            # The publication log travels on its own (sync merges it by URL).
            skipped = relative in (
                RECORD_FILE,
                META_FILE,
                PUBLICATIONS_FILE,
            ) or relative.startswith((REVISIONS_DIR + "/", ".tmp-"))
            if path.is_file() and not skipped:
                names.append(relative)
        return names

    def revision_records(self, release_id: str) -> list[str]:
        """Earlier records, oldest first."""
        return [path.read_text("utf-8") for path in self.revisions(release_id)]

    def restore(
        self,
        release_id: str,
        record: str,
        files: dict[str, bytes],
        revisions: list[str],
        meta: dict,
    ) -> None:
        """Put a release from another archive here under its own id, with its revisions
        (``sync --from``); built in a temp folder and renamed in, as ``create`` does."""
        from humaskit.archive.store import META_FILE, RECORD_FILE, REVISIONS_DIR, json_bytes

        contents: dict[str, bytes | Path] = {RECORD_FILE: record.encode("utf-8"), **files}
        for number, text in enumerate(revisions, start=1):
            contents[f"{REVISIONS_DIR}/{number:03d}-sync.yaml"] = text.encode()
        contents[META_FILE] = json_bytes(meta)
        self.install(self.folder(release_id).parent, contents, lambda: release_id)

    def index(self, stored: list[StoredRelease]) -> None:
        from humaskit.search.index import index_releases

        index_releases(self, stored)

    def reindex(self, progress: Progress | None = None) -> RebuildReport:
        from humaskit.search.index import rebuild

        self.ensure()
        return rebuild(self, progress=progress)

    def list_releases(
        self,
        filters: Filters,
        limit: int | None = None,
        on_rebuild: Callable[[str], None] | None = None,
    ) -> tuple[list[Listed], int]:
        from humaskit.search.listing import list_releases

        return list_releases(self, filters, limit, on_rebuild)

    def search(
        self, query: str, filters: Filters, limit: int = 10, synonyms_file: Path | None = None
    ) -> SearchResult:
        from humaskit.search.engine import search

        return search(self, query, filters, limit, synonyms_file)

    def doctor(self, profile: Profile | None, repair: bool) -> DoctorReport:
        from humaskit.doctor import run

        return run(self, profile, repair)
