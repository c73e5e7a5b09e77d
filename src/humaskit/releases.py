"""Saving a release: photos checked and copied, documents rendered, archive and index updated.

These functions are what ``humaskit new``, ``edit`` and ``import`` share, so a release saved
from prompts, from a file or from an import is stored the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from humaskit.archive.profile import Profile
from humaskit.archive.store import DOCX_FILE, MARKDOWN_FILE, PHOTOS_DIR, StoredRelease
from humaskit.document.compose import Document, compose
from humaskit.document.photos import check_image, stored_name
from humaskit.errors import HumasError
from humaskit.record.model import Photo, Release

if TYPE_CHECKING:  # the interface only: backends use this module to save
    from concurrent.futures import Future

    from humaskit.backends.protocol import ReleaseArchive

# Called with the saved release, or with the error that stopped its save.
SaveDone = Callable[["Saved | None", "BaseException | None"], None]


@dataclass(frozen=True)
class Saved:
    id: str
    markdown: str  # where the rendered files are: a path, or URI#id/name on a server
    docx: str
    revision: int = 0
    stored: StoredRelease | None = dataclasses.field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "markdown": self.markdown, "docx": self.docx}


@dataclass(frozen=True)
class Prepared:
    """A validated release whose photos point into the release folder, with its files."""

    release: Release
    photo_files: dict[str, Path]


def prepare(release: Release, base_dir: Path, existing_folder: Path | None = None) -> Prepared:
    """Check every photo and give it its stored name (``photos/01-apel-pagi.jpg``).

    A photo path is relative to the record file's folder (``base_dir``). When editing, a path
    that names a photo already in the release folder keeps it.
    """
    photos: list[Photo] = []
    files: dict[str, Path] = {}
    for number, photo in enumerate(release.photos, start=1):
        field = f"photos[{number - 1}].path"
        source = _photo_source(photo.path, base_dir, existing_folder)
        extension = check_image(source, field)
        name = stored_name(number, source, extension)
        files[name] = source
        photos.append(Photo(path=name, caption=photo.caption))
    return Prepared(dataclasses.replace(release, photos=photos), files)


def _photo_source(path: str, base_dir: Path, existing_folder: Path | None) -> Path:
    candidate = Path(path).expanduser()
    if not candidate.is_absolute():
        in_record_dir = base_dir / candidate
        if (
            existing_folder is not None
            and path.startswith(PHOTOS_DIR + "/")
            and not in_record_dir.exists()
        ):
            return (existing_folder / candidate).resolve()
        candidate = in_record_dir
    return candidate.resolve()


def render_documents(
    release: Release, profile: Profile | None, photo_files: Mapping[str, Path]
) -> tuple[Document, dict[str, bytes]]:
    """The composed document and its rendered files (Markdown and DOCX) as bytes."""
    from humaskit.document.docx import render_docx
    from humaskit.document.markdown import render_markdown

    document = compose(release, timezone=profile.timezone if profile else "WIB")
    files = {
        MARKDOWN_FILE: render_markdown(document, profile).encode("utf-8"),
        DOCX_FILE: render_docx(document, profile, photo_files),
    }
    return document, files


def _new_files(
    release: Release,
    profile: Profile | None,
    base_dir: Path,
    extra_files: Mapping[str, bytes] | None,
) -> tuple[Release, dict[str, bytes | Path]]:
    """A new release with its photos' stored names, and every file of its folder: the
    rendered documents, the photos to copy and ``extra_files``."""
    prepared = prepare(release, base_dir)
    _, rendered = render_documents(prepared.release, profile, prepared.photo_files)
    return prepared.release, {**rendered, **prepared.photo_files, **(extra_files or {})}


def save_new(
    archive: ReleaseArchive,
    release: Release,
    profile: Profile | None,
    base_dir: Path,
    index: bool = True,
) -> Saved:
    """Save a new release (``new``); ``index=False`` leaves indexing to a caller that indexes
    in batches. ``import`` saves through ``BackgroundSaves``."""
    ready, files = _new_files(release, profile, base_dir, None)
    stored = archive.create(ready, files)
    if index:
        index_saved(archive, [stored])
    return _saved(archive, stored)


class BackgroundSaves:
    """New releases saved one after another, each one's writes overlapping the next one's
    rendering (``import``'s batches).

    ``save`` renders in the caller's thread, then hands the writes (``archive.create``, whose
    time goes to fsync, which releases the GIL) to one background thread and returns; the
    caller recovers and renders the next release meanwhile. Only one save is in flight: the
    next ``save``, ``wait`` or ``close`` waits for it first and then calls its ``done`` in the
    caller's thread, with the saved release or the error that stopped it. Each release is
    still written by ``create`` alone (whole or not at all); nothing else may use the archive
    while a save is in flight, so call ``wait`` before indexing or reading it.
    """

    def __init__(self, archive: ReleaseArchive, profile: Profile | None) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self._archive = archive
        self._profile = profile
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="humaskit-save")
        self._pending: tuple[Future[StoredRelease], SaveDone] | None = None

    def save(
        self,
        release: Release,
        base_dir: Path,
        done: SaveDone,
        *,
        meta: Mapping | None = None,
        extra_files: Mapping[str, bytes] | None = None,
        publications: list[dict] | None = None,
    ) -> None:
        """Render ``release`` (raising its errors here, as ``save_new`` does) and start
        writing it; ``done(saved, None)`` or ``done(None, error)`` is called later."""
        ready, files = _new_files(release, self._profile, base_dir, extra_files)
        self.wait()
        future = self._pool.submit(self._archive.create, ready, files, meta, publications)
        self._pending = (future, done)

    def wait(self) -> None:
        """Finish the save in flight, if any, and report it to its ``done``."""
        if self._pending is None:
            return
        future, done = self._pending
        try:
            stored = future.result()  # a Ctrl-C here leaves it pending for ``close``
        except Exception as err:  # reported to its own release, never to the next one
            self._pending = None
            done(None, err)
            return
        self._pending = None
        done(_saved(self._archive, stored), None)

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True)

    def __enter__(self) -> BackgroundSaves:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def save_edit(
    archive: ReleaseArchive,
    release_id: str,
    release: Release,
    profile: Profile | None,
    base_dir: Path,
) -> Saved:
    current = archive.load(release_id)
    with archive.release_folder(release_id) as existing:
        prepared = prepare(release, base_dir, existing_folder=existing)
        if _unchanged(current, prepared, existing):
            # Nothing to keep: an identical edit (a retry after a failure, a prompt session
            # confirmed without changes) writes no revision, so none pile up.
            return _saved(archive, current)
        _, rendered = render_documents(prepared.release, profile, prepared.photo_files)
        # Photos are read into memory before the folder is touched: a kept photo is both
        # source and target of the copy.
        photos = {name: path.read_bytes() for name, path in prepared.photo_files.items()}
    revision = archive.replace(release_id, prepared.release, {**rendered, **photos})
    stored = StoredRelease(release_id, current.folder, prepared.release)
    index_saved(archive, [stored])
    return dataclasses.replace(_saved(archive, stored), revision=revision)


def _unchanged(current: StoredRelease, prepared: Prepared, folder: Path) -> bool:
    """Whether an edit changes nothing: the same record, the same photo files (``folder``
    holds the stored ones)."""
    from humaskit.record.model import dump_record

    if dump_record(prepared.release) != dump_record(current.release):
        return False
    for name, source in prepared.photo_files.items():
        target = folder / name
        if source != target.resolve() and (
            not target.is_file() or source.read_bytes() != target.read_bytes()
        ):
            return False
    return True


def rerender(archive: ReleaseArchive, release_id: str, profile: Profile | None) -> None:
    """Render a stored release's documents again from its record (doctor, template change)."""
    stored = archive.load(release_id)
    with archive.release_folder(release_id) as folder:
        photo_files = {p.path: folder / p.path for p in stored.release.photos}
        _, rendered = render_documents(stored.release, profile, photo_files)
    archive.rewrite_files(release_id, rendered)


def _saved(archive: ReleaseArchive, stored: StoredRelease) -> Saved:
    return Saved(
        id=stored.id,
        markdown=archive.file_location(stored.id, MARKDOWN_FILE),
        docx=archive.file_location(stored.id, DOCX_FILE),
        stored=stored,
    )


def index_saved(archive: ReleaseArchive, stored: list[StoredRelease]) -> None:
    """Index what was just saved, as it is on disk now: ``index_releases`` reads each record
    again inside the index lock, so of concurrent edits the last one indexed is the last one
    written. The release files are already safe at this point, so a failure here must say
    so: an officer who only sees "failed" would save it a second time."""

    try:
        archive.index(stored)
    except HumasError as err:
        raise NotIndexedError(stored, err.message) from None
    except OSError as err:  # a full disk (ENOSPC), a read-only index folder (EACCES)
        where = f"{err.filename}: " if err.filename else ""
        raise NotIndexedError(stored, f"{where}{err.strerror or err}") from None


class NotIndexedError(HumasError):
    """The releases are saved; only the index update failed (exit 1, saying both)."""

    def __init__(self, stored: list[StoredRelease], error: str) -> None:
        from humaskit.i18n import t

        self.ids = [s.id for s in stored]
        super().__init__(t("releases.saved_not_indexed", ids=", ".join(self.ids), error=error))
