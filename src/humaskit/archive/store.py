"""The archive on disk: one folder per release, written atomically under a lock.

Layout (see docs/archive.md)::

    <archive>/releases/<YYYY>/<id>/release.yaml      the record: the source of truth
                                   release.md        rendered Markdown
                                   release.docx      rendered Word file
                                   photos/           copies of the release's photos
                                   revisions/        earlier records: 001-<UTC time>.yaml, ...
                                   meta.json         created/updated times, revision count
                                   publications.yaml where the release went out (optional)
    <archive>/index/                                 Whoosh index, derived and rebuildable
    <archive>/drafts/                                unfinished prompt sessions

A new release is built in a hidden temp folder beside its final place and renamed in, so it
appears complete or not at all. Ids are chosen under an archive-wide lock, so two processes
saving at once get distinct ids.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from humaskit.archive.fsio import (
    atomic_write_bytes,
    atomic_write_text,
    check_confined,
    fsync_dir,
    is_stale_temp,
    make_temp_dir,
    write_new_files,
)
from humaskit.errors import HumasError, InputError, NotFoundError
from humaskit.i18n import t

if TYPE_CHECKING:  # the record model is imported where records are read or written, so a
    # search process (which reads only the index) does not pay for it (~15 ms)
    from humaskit.record.model import Release

RELEASES_DIR = "releases"
INDEX_DIR = "index"
DRAFTS_DIR = "drafts"
RECORD_FILE = "release.yaml"
MARKDOWN_FILE = "release.md"
DOCX_FILE = "release.docx"
META_FILE = "meta.json"
PUBLICATIONS_FILE = "publications.yaml"
REVISIONS_DIR = "revisions"
PHOTOS_DIR = "photos"
LOCK_FILE = ".lock"
LOCK_TIMEOUT = 30.0

ID_PATTERN = re.compile(r"^(\d{4})-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 60
FALLBACK_SLUG = "siaran-pers"
_TRAILING_WORDS = frozenset(
    "dan di ke dari bagi yang untuk dengan pada serta atau oleh dalam terhadap kepada".split()  # noqa: SIM905
)

# A release's files as they go into its folder: relative path -> bytes, or a file to copy.
FileMap = Mapping[str, bytes | Path]


@dataclass(frozen=True)
class StoredRelease:
    id: str
    folder: Path | None  # the release folder; None in a server archive (no files on disk)
    release: Release


def make_slug(title: str) -> str:
    from slugify import slugify

    slug = slugify(title, max_length=SLUG_MAX, word_boundary=True, save_order=True)
    words = slug.split("-")
    # A title cut at the length cap should not end on "dan" or "bagi".
    while len(words) > 1 and words[-1] in _TRAILING_WORDS and len(slug) >= SLUG_MAX - 12:
        words.pop()
    return "-".join(words) or FALLBACK_SLUG


def base_id(release: Release) -> str:
    return f"{release.date.isoformat()}-{make_slug(release.title)}"


class Archive:
    """An archive folder. Reading never needs a lock; every write takes one."""

    def __init__(self, root: Path) -> None:
        self.root = root
        # Entries a read skipped (a damaged record, a symlink): the CLI reports them by
        # name after the command, so one bad folder never hides the healthy ones.
        self.skipped: dict[str, str] = {}

    def confine(self, path: Path) -> Path:
        """``path`` when nothing between the archive root and it is a symlink; else refused
        (exit 1, naming the link). Every write goes through here first."""
        check_confined(self.root, path)
        return path

    @property
    def releases_dir(self) -> Path:
        return self.root / RELEASES_DIR

    @property
    def index_dir(self) -> Path:
        return self.root / INDEX_DIR

    @property
    def drafts_dir(self) -> Path:
        return self.root / DRAFTS_DIR

    # ------------------------------------------------------------------ reading

    def folder(self, release_id: str) -> Path:
        """The folder of ``release_id``; an id that is not an id is refused (exit 2)."""
        match = ID_PATTERN.fullmatch(release_id)
        if not match or len(release_id) > 120:
            raise InputError(t("archive.bad_id", id=release_id))
        return self.releases_dir / match.group(1) / release_id

    def _real_folder(self, release_id: str) -> Path:
        """``folder(release_id)``, refused when a symlink is anywhere on the way to it or its
        record: humaskit reads and writes only what is really inside the archive."""
        folder = self.folder(release_id)
        check_confined(self.root, folder / RECORD_FILE)
        return folder

    def exists(self, release_id: str) -> bool:
        return (self.folder(release_id) / RECORD_FILE).is_file()

    def present(self, release_id: str) -> Path | None:
        """The release's folder when it is really here, for a list read from the index: its
        record a file and no symlink on the way to it (one is noted in ``skipped``, as a
        read notes it); else None."""
        try:
            folder = self._real_folder(release_id)
        except HumasError as err:
            self.skipped[release_id] = err.message
            return None
        return folder if (folder / RECORD_FILE).is_file() else None

    def load(self, release_id: str) -> StoredRelease:
        folder = self._real_folder(release_id)
        record = folder / RECORD_FILE
        try:
            data = record.read_bytes()
        except FileNotFoundError:
            raise NotFoundError(t("archive.not_found", id=release_id)) from None
        except IsADirectoryError:
            raise HumasError(t("archive.record_is_folder", path=record)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise HumasError(t("archive.not_utf8", path=record, offset=err.start)) from None
        return StoredRelease(release_id, folder, self._parse_stored(text, record))

    @staticmethod
    def _parse_stored(text: str, record: Path) -> Release:
        from humaskit.record.model import load_stored_yaml, parse_release

        try:
            return parse_release(load_stored_yaml(text), source=str(record))
        except Exception as err:  # a YAML error or bad value in a file edited by hand
            error = " ".join(str(err).split())  # one line, however long PyYAML's message
            raise HumasError(t("archive.damaged", path=record, error=error)) from None

    def ids(self) -> list[str]:
        """Every release id, newest first (ids start with the date)."""
        found: list[str] = []
        if self.releases_dir.is_symlink():
            self.skipped[RELEASES_DIR] = t("fs.symlink", path=self.releases_dir)
            return found
        if not self.releases_dir.is_dir():
            return found
        for year in os.scandir(self.releases_dir):
            if not year.name.isdigit():
                continue
            if year.is_symlink():  # never followed: reported, by doctor too
                self.skipped[year.name] = t("fs.symlink", path=year.path)
                continue
            if not year.is_dir():
                continue
            for entry in os.scandir(year.path):
                match = ID_PATTERN.fullmatch(entry.name)
                if not match or match.group(1) != year.name:
                    continue  # a release under the wrong year: doctor reports it
                if entry.is_symlink():
                    self.skipped[entry.name] = t("fs.symlink", path=entry.path)
                elif entry.is_dir():
                    found.append(entry.name)
        found.sort(reverse=True)
        return found

    def ids_on(self, day: dt.date) -> list[str]:
        """The ids of the releases of one day (only that year's folder is read)."""
        year = self.releases_dir / f"{day.year:04d}"
        if year.is_symlink() or not year.is_dir():
            return []
        found = [
            p.name
            for p in year.glob(f"{day.isoformat()}-*")
            if ID_PATTERN.fullmatch(p.name) and not p.is_symlink()
        ]
        return sorted(found, reverse=True)

    def iter_releases(self, ids: list[str] | None = None) -> Iterator[StoredRelease]:
        """The releases that load; one that does not is noted in ``skipped`` and left out."""
        for release_id in self.ids() if ids is None else ids:
            try:
                yield self.load(release_id)
            except NotFoundError:
                continue
            except HumasError as err:
                self.skipped[release_id] = err.message

    def read_meta(self, release_id: str) -> dict:
        """``meta.json`` of a release; missing is empty, damaged is refused naming the file."""
        path = self.confine(self.folder(release_id) / META_FILE)
        try:
            data = json.loads(path.read_bytes().decode("utf-8"))
        except FileNotFoundError:
            return {}
        except (ValueError, IsADirectoryError):
            raise HumasError(t("archive.bad_meta", path=path)) from None
        if not isinstance(data, dict):
            raise HumasError(t("archive.bad_meta", path=path))
        return data

    def revisions(self, release_id: str) -> list[Path]:
        folder = self.folder(release_id) / REVISIONS_DIR
        return sorted(folder.glob("*.yaml")) if folder.is_dir() else []

    def read_publications(self, release_id: str) -> list[dict]:
        """The entries of the release's ``publications.yaml`` as written (``[]`` when none);
        ``humaskit.publications`` checks them."""
        return read_publications_file(self._real_folder(release_id))

    # ------------------------------------------------------------------ writing

    @contextlib.contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
        from filelock import FileLock, Timeout

        self.root.mkdir(parents=True, exist_ok=True)
        self.confine(self.root / LOCK_FILE)
        lock = FileLock(str(self.root / LOCK_FILE), timeout=timeout)
        try:
            with lock:
                yield
        except Timeout:
            raise HumasError(t("archive.locked", root=self.root)) from None

    def ensure(self) -> None:
        for folder in (self.releases_dir, self.index_dir):
            self.confine(folder).mkdir(parents=True, exist_ok=True)

    def create(
        self,
        release: Release,
        files: FileMap,
        meta: Mapping | None = None,
        publications: list[dict] | None = None,
    ) -> StoredRelease:
        """Save a new release with its rendered files (and its first publications, written
        in the same folder before it is renamed in); returns it with its new id."""
        now = utc_now()
        contents: dict[str, bytes | Path] = {RECORD_FILE: _dumped(release).encode("utf-8")}
        contents.update(files)
        if publications:
            contents[PUBLICATIONS_FILE] = publications_bytes(publications)
        stamp = {"created": now, "updated": now, "revision": 0, **(meta or {})}
        contents[META_FILE] = json_bytes(stamp)
        year_dir = self.releases_dir / f"{release.date.year:04d}"
        final = self.install(year_dir, contents, lambda: self._free_id(base_id(release)))
        return StoredRelease(final.name, final, release)

    def install(
        self, year_dir: Path, contents: Mapping[str, bytes | Path], final_id: Callable[[], str]
    ) -> Path:
        """Write a release folder whole: ``contents`` (relative path -> bytes, or a file to
        copy) go into a hidden build folder in ``year_dir`` and are made durable
        (``write_new_files``); the folder is then renamed to that of ``final_id()``, called
        under the archive lock (``create`` picks a free id there). After a crash the release
        is whole or absent; on any error the build folder is removed. Returns the folder."""
        self.ensure()
        build = make_temp_dir(self.confine(year_dir))
        try:
            write_new_files(
                build, {inside_folder(build, name): data for name, data in contents.items()}
            )
            with self.lock():
                final = self.confine(self.folder(final_id()))
                os.rename(build, final)  # refused when that id's folder exists and is not empty
                fsync_dir(year_dir)
        except BaseException:
            shutil.rmtree(build, ignore_errors=True)
            raise
        return final

    def _free_id(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while os.path.lexists(self.folder(candidate)):
            number += 1
            candidate = f"{wanted}-{number}"
        return candidate

    def replace(
        self, release_id: str, release: Release, files: FileMap, meta: Mapping | None = None
    ) -> int:
        """Store a new version of a release, keeping the old record as a numbered revision.

        The record is written before the files rendered from it, so a crash in between
        leaves a correct record and stale renderings, which ``doctor --repair`` re-renders.
        Returns the number of the revision just kept.
        """
        folder = self._real_folder(release_id)
        with self.lock():
            record = folder / RECORD_FILE
            try:
                previous = record.read_bytes()
            except FileNotFoundError:
                raise NotFoundError(t("archive.not_found", id=release_id)) from None
            old_meta = self.read_meta(release_id)
            number = len(self.revisions(release_id)) + 1
            stamp = utc_now()
            name = f"{number:03d}-{stamp.replace(':', '').replace('-', '')}.yaml"
            revision = self.confine(folder / REVISIONS_DIR / name)
            for name in (META_FILE, PHOTOS_DIR, MARKDOWN_FILE, DOCX_FILE):
                self.confine(folder / name)  # a link there is refused even if unused now
            for relative in files:
                self.confine(inside_folder(folder, relative, resolve=False))
            atomic_write_bytes(revision, previous)
            try:
                for relative, content in files.items():
                    if relative.startswith(PHOTOS_DIR + "/"):
                        _atomic_put(folder / relative, content)
                atomic_write_text(record, _dumped(release))
            except BaseException:
                # The record was not replaced: the revision just kept would be a copy of
                # the current record, and a retry would pile up identical ones.
                revision.unlink(missing_ok=True)
                raise
            try:
                for relative, content in files.items():
                    if not relative.startswith(PHOTOS_DIR + "/"):
                        _atomic_put(folder / relative, content)
                new_meta = {**old_meta, **(meta or {}), "updated": stamp, "revision": number}
                new_meta.setdefault("created", stamp)
                atomic_write_bytes(folder / META_FILE, json_bytes(new_meta))
            except OSError as err:
                # The record is saved; say so, and what is missing, so nobody edits twice.
                failed = err.filename or folder
                raise HumasError(
                    t(
                        "archive.saved_partly",
                        id=release_id,
                        revision=number,
                        path=failed,
                        error=err.strerror or err,
                    )
                ) from None
        return number

    def update_publications(
        self, release_id: str, change: Callable[[list[dict]], list[dict]]
    ) -> list[dict]:
        """Read the release's publications, apply ``change`` and write the result atomically,
        all under the archive lock (``change`` may raise: then nothing is written)."""
        folder = self._real_folder(release_id)
        with self.lock():
            if not (folder / RECORD_FILE).is_file():
                raise NotFoundError(t("archive.not_found", id=release_id))
            items = change(read_publications_file(folder))
            target = folder / PUBLICATIONS_FILE
            if items:
                atomic_write_text(target, _dump_yaml(items))
            elif target.exists():
                target.unlink()
                fsync_dir(folder)
        return items

    def rewrite_files(self, release_id: str, files: FileMap) -> None:
        """Replace rendered files only (used by doctor --repair and re-rendering)."""
        folder = self._real_folder(release_id)
        with self.lock():
            for relative, content in files.items():
                _atomic_put(self.confine(inside_folder(folder, relative, resolve=False)), content)

    def stale_temps(self) -> list[Path]:
        """Build folders and temp files left by processes that were killed (doctor lists them)."""
        if not self.root.is_dir():
            return []
        candidates = [*self.root.glob(".tmp-*"), *self.releases_dir.glob("*/.tmp-*")]
        candidates += self.index_dir.glob(".tmp-*")  # a killed rebuild's leftovers
        candidates += [
            *self.releases_dir.glob("*/*/.tmp-*"),
            *self.releases_dir.glob("*/*/*/.tmp-*"),
        ]
        return [path for path in candidates if is_stale_temp(path)]


def read_publications_file(folder: Path) -> list[dict]:
    """A release folder's ``publications.yaml`` as a list of mappings (``[]`` when absent)."""
    path = folder / PUBLICATIONS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except UnicodeDecodeError as err:
        raise HumasError(t("archive.publications_damaged", path=path, error=err)) from None
    try:
        from humaskit.record.model import load_stored_yaml

        data = load_stored_yaml(text)
    except Exception as err:  # a YAML error in a file someone edited by hand
        raise HumasError(t("archive.publications_damaged", path=path, error=err)) from None
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise HumasError(
            t("archive.publications_damaged", path=path, error="not a list of entries")
        )
    return data


def publications_bytes(items: list[dict]) -> bytes:
    """``publications.yaml`` of ``items`` as :meth:`Archive.update_publications` writes it,
    for a file that goes into a new release's folder with the release (import)."""
    return _dump_yaml(items).encode("utf-8")


def _dump_yaml(data: object) -> str:
    import yaml

    return yaml.dump(
        data,
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        allow_unicode=True,
        sort_keys=False,
        width=200,
        default_flow_style=False,
    )


def _atomic_put(target: Path, content: bytes | Path) -> None:
    data = content.read_bytes() if isinstance(content, Path) else content
    atomic_write_bytes(target, data)


def inside_folder(folder: Path, relative: str, *, resolve: bool = True) -> Path:
    target = folder / relative
    if ".." in Path(relative).parts or Path(relative).is_absolute():
        raise InputError(t("archive.outside", path=relative))
    if not resolve:
        return target
    target = target.resolve()
    if folder.resolve() not in target.parents:
        raise InputError(t("archive.outside", path=relative))
    return target


def _dumped(release: Release) -> str:
    from humaskit.record.model import dump_record

    return dump_record(release)


def utc_now() -> str:
    """The time now as the archive stores it (meta.json, publication logs): UTC, to the
    second, ``2025-02-06T03:04:05Z``."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def json_bytes(data: Mapping) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
