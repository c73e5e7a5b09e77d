"""What every archive offers the commands: releases kept with their files, found again.

The folder archive (:mod:`humaskit.backends.folder`) implements it over release folders and a
Whoosh index; a server archive implements the same calls. ``releases`` (the one save path),
the commands, ``doctor`` and ``export`` use only these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from humaskit.archive.profile import Profile
    from humaskit.archive.store import FileMap, StoredRelease
    from humaskit.doctor import DoctorReport
    from humaskit.publications import ReleaseSummary
    from humaskit.record.model import Release
    from humaskit.search.engine import SearchResult
    from humaskit.search.filters import Filters
    from humaskit.search.index import RebuildReport
    from humaskit.search.listing import Listed

Progress = Callable[[int, int], None]


@runtime_checkable
class ReleaseArchive(Protocol):
    """An archive of releases: records with their rendered files, revisions and an index."""

    @property
    def location(self) -> str:
        """Where it is, for messages (a folder path or a server URI without password)."""
        ...

    # ------------------------------------------------------------------ records and files

    def ensure(self) -> None:
        """Create what an empty archive needs (``init``, ``reindex``)."""
        ...

    def exists(self, release_id: str) -> bool: ...

    def load(self, release_id: str) -> StoredRelease:
        """The release; ``NotFoundError`` (exit 1) when there is none, ``InputError`` for
        something that is not an id."""
        ...

    def ids(self) -> list[str]:
        """Every release id, newest first."""
        ...

    def ids_on(self, day: dt.date) -> list[str]:
        """The ids of one day's releases (duplicate checks)."""
        ...

    def iter_releases(self, ids: list[str] | None = None) -> Iterator[StoredRelease]: ...

    def read_meta(self, release_id: str) -> dict:
        """Created/updated times, revision number, import source."""
        ...

    def create(
        self,
        release: Release,
        files: FileMap,
        meta: Mapping | None = None,
        publications: list[dict] | None = None,
    ) -> StoredRelease:
        """Save a new release with its files (rendered documents, photos) and, when known
        already (an imported web page), its publication log, in one step."""
        ...

    def replace(
        self, release_id: str, release: Release, files: FileMap, meta: Mapping | None = None
    ) -> int:
        """A new version of a release; the old record is kept as a revision (its number)."""
        ...

    def rewrite_files(self, release_id: str, files: FileMap) -> None:
        """Replace rendered files only (re-rendering, ``doctor --repair``)."""
        ...

    def read_file(self, release_id: str, name: str) -> bytes:
        """One stored file of a release (``release.md``, ``photos/01-apel.jpg``)."""
        ...

    def release_folder(self, release_id: str) -> AbstractContextManager[Path]:
        """A folder holding the release's stored files, to read while the ``with`` lasts: the
        release folder itself, or a temporary copy (rendering, keeping photos on edit)."""
        ...

    def file_location(self, release_id: str, name: str) -> str:
        """Where a stored file is, for messages and ``--json`` (a path, or URI#id/name)."""
        ...

    def contains(self, path: Path) -> bool:
        """Whether a path on this computer lies inside the archive (export never writes
        there: those files are the releases themselves)."""
        ...

    @property
    def drafts_dir(self) -> Path:
        """Where unfinished prompt sessions are kept (always on this computer)."""
        ...

    # ------------------------------------------------------------------ publication log

    def read_publications(self, release_id: str) -> list[dict]:
        """Where the release went out, as recorded (``humaskit.publications`` checks them)."""
        ...

    def update_publications(
        self, release_id: str, change: Callable[[list[dict]], list[dict]]
    ) -> list[dict]:
        """Apply ``change`` to the release's publications in one locked step (``change``
        may raise: then nothing is written); returns what was stored."""
        ...

    def summaries(
        self, filters: Filters, on_rebuild: Callable[[str], None] | None = None
    ) -> list[ReleaseSummary]:
        """What ``recap`` and ``stats`` need of the matching releases (date, unit, tags,
        speakers, publications), oldest first, without reading every record."""
        ...

    # ------------------------------------------------------------------ finding

    def index(self, stored: list[StoredRelease]) -> None:
        """Make just-saved releases searchable (their files are already safe)."""
        ...

    def reindex(self, progress: Progress | None = None) -> RebuildReport:
        """Build the search index again from the releases."""
        ...

    def list_releases(
        self,
        filters: Filters,
        limit: int | None = None,
        on_rebuild: Callable[[str], None] | None = None,
    ) -> tuple[list[Listed], int]:
        """Matching releases newest first (at most ``limit``) and how many match in all,
        without parsing every record (``on_rebuild`` hears why an index is rebuilt first)."""
        ...

    def search(
        self, query: str, filters: Filters, limit: int = 10, synonyms_file: Path | None = None
    ) -> SearchResult:
        """Ranked releases for ``query`` (the query language of ``humaskit search``)."""
        ...

    # ------------------------------------------------------------------ upkeep

    def doctor(self, profile: Profile | None, repair: bool) -> DoctorReport:
        """Find (and with ``repair`` fix) disagreements between releases and the index."""
        ...
