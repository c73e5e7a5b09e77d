"""The Whoosh index of the archive in ``<archive>/index/``: derived from the files, rebuildable.

Every write to the index holds ``<archive>/.index.lock`` (a second writer waits a bounded time,
then gets a clear error). A full rebuild is built in a hidden temp folder and swapped in, so a
reader sees the old index or the new one, never half of one. Each entry stores a hash of its
``release.yaml`` so ``humaskit doctor`` can tell entries older than their release.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from humaskit.archive.fsio import atomic_write_text, make_temp_dir
from humaskit.archive.store import PUBLICATIONS_FILE, RECORD_FILE, Archive, StoredRelease
from humaskit.errors import HumasError, NotFoundError
from humaskit.i18n import t
from humaskit.record.model import Release

# Bump when the schema or the analysis changes: an index of another version is rebuilt.
SCHEMA_VERSION = 4  # 4: publications, tag_list, speaker_list (recap)
VERSION_FILE = "humaskit-index.json"
LOCK_NAME = ".index.lock"
LOCK_TIMEOUT = 30.0  # seconds a second writer waits before giving up
WRITER_LIMIT_MB = 96  # Whoosh's posting pool before it spills to disk (per process)
# A rebuild of at least this many releases uses two writer processes when two cores are free.
PARALLEL_FROM = 2000

Progress = Callable[[int, int], None]


class IndexUnavailable(Exception):
    """The index is missing, cannot be read, or was built by another humaskit version or
    synonym list (``reason``: "missing", "damaged", "outdated")."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason, detail)
        self.reason = reason  # "missing", "damaged" or "outdated"
        self.detail = detail


@dataclass
class RebuildReport:
    indexed: int = 0
    damaged: list[str] = field(default_factory=list)  # ids whose record could not be read


def make_schema():  # -> whoosh.fields.Schema
    from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

    from humaskit.search.analysis import (
        pair_analyzer,
        plain_analyzer,
        plain_pair_analyzer,
        stem_analyzer,
    )

    plain, stemmed, pairs = plain_analyzer(), stem_analyzer(), pair_analyzer()
    synonym_pairs = pair_analyzer(only="synonyms")
    # Word positions are kept only where a quoted phrase is checked word for word (title,
    # content, unit) and for speakers' full names. The *_pairs fields hold two neighbouring
    # stems as one term: every pair of a title or unit, and in the text only the pairs of
    # the synonym list's phrases ("kepala kantor wilayah" for "kakanwil").
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        date=ID(stored=True, sortable=True),
        title=TEXT(analyzer=plain, stored=True, field_boost=2.0),
        title_stem=TEXT(analyzer=stemmed, field_boost=1.5, phrase=False),
        title_pairs=TEXT(analyzer=pairs, field_boost=1.5, phrase=False),
        content=TEXT(analyzer=plain),
        content_stem=TEXT(analyzer=stemmed, phrase=False),
        content_pairs=TEXT(analyzer=synonym_pairs, phrase=False),
        # Names are matched as written, never stemmed (Bali must not become "bal").
        speakers=TEXT(analyzer=plain, field_boost=1.5),
        unit=STORED(),
        unit_text=TEXT(analyzer=plain),
        unit_pairs=TEXT(analyzer=plain_pair_analyzer(), phrase=False),
        unit_key=ID(),
        signature_key=ID(),
        tags=KEYWORD(commas=True, lowercase=True, scorable=True),
        stamp=STORED(),
        # --- recap and stats (humaskit.publications.summaries): stored only, never searched.
        publications=STORED(),  # [{url, channel, outlet, date}] from publications.yaml
        tag_list=STORED(),  # the tags as written
        speaker_list=STORED(),  # the speakers' full names
        # --- end recap and stats
    )


def record_stamp(folder: Path) -> str:
    """A short hash of a release's record file (and its publications.yaml, when it has
    one): an entry with another hash is out of date."""
    try:
        data = (folder / RECORD_FILE).read_bytes()
    except FileNotFoundError:
        return ""
    with contextlib.suppress(FileNotFoundError):
        data += b"\0" + (folder / PUBLICATIONS_FILE).read_bytes()
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def field_texts(release: Release) -> dict[str, str]:
    """The texts a release is indexed by, as the plain fields hold them (title, the text
    with speakers' titles, captions and tags, the unit with signature and location)."""
    content = [
        *release.texts(),
        *(s.title for s in release.speakers),
        *(p.caption for p in release.photos),
        *release.tags,
    ]
    return {
        "title": release.title,
        "content": "\n".join(content),
        "unit_text": f"{release.unit}\n{release.signature}\n{release.location}",
    }


def document(stored: StoredRelease) -> dict[str, Any]:
    """The index entry of one release."""
    from humaskit import publications

    release = stored.release
    names = [n for s in release.speakers for n in dict.fromkeys((s.name, s.short_name))]
    texts = field_texts(release)
    return {
        "id": stored.id,
        "date": release.date.isoformat(),
        "title": texts["title"],
        "title_stem": texts["title"],
        "title_pairs": texts["title"],
        "content": texts["content"],
        "content_stem": texts["content"],
        "content_pairs": texts["content"],
        "speakers": "\n".join(names),
        "unit": release.unit,
        "unit_text": texts["unit_text"],
        "unit_pairs": texts["unit_text"],
        "unit_key": release.unit.casefold().strip(),
        "signature_key": release.signature.casefold().strip(),
        "tags": ",".join(tag.replace(",", " ") for tag in release.tags),
        "stamp": record_stamp(stored.folder),
        # --- recap and stats (humaskit.publications.summaries)
        **publications.index_fields(
            stored.folder, release.tags, (s.name for s in release.speakers)
        ),
    }


# --------------------------------------------------------------------------- opening


def index_version() -> dict[str, Any]:
    """What an index must have been built with: this schema and this synonym list (the
    text's pair field holds the list's phrases)."""
    from importlib import resources

    data = resources.files("humaskit").joinpath("data", "synonyms.txt").read_bytes()
    return {"version": SCHEMA_VERSION, "synonyms": hashlib.blake2b(data, digest_size=8).hexdigest()}


def _built_with(folder: Path) -> Any:
    try:
        return json.loads((folder / VERSION_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None


def version_matches(archive: Archive) -> bool:
    """Whether the index was built as ``index_version`` says (read without importing Whoosh)."""
    return _built_with(archive.index_dir) == index_version()


def open_index(archive: Archive):  # -> whoosh.index.Index
    """The archive's index; raises :class:`IndexUnavailable` when missing or unreadable."""
    from whoosh.filedb.filestore import FileStorage

    folder = archive.index_dir
    if not folder.is_dir() or not any(folder.glob("_MAIN_*.toc")):
        raise IndexUnavailable("missing")
    built, wanted = _built_with(folder), index_version()
    if built != wanted:  # another humaskit version or synonym list, or not ours at all
        reason = "outdated" if isinstance(built, dict) and "version" in built else "damaged"
        raise IndexUnavailable(reason, f"built as {built!r}, expected {wanted!r}")
    try:
        # No mmap: Whoosh then wraps each part of a segment file in a BytesIO, which copies
        # the whole part (the 100 MB postings of a 100k archive: ~170 ms per search).
        ix = FileStorage(str(folder), supports_mmap=False).open_index()
        ix.doc_count()  # reads the table of contents and the segments list
    except Exception as err:  # a truncated or foreign file: any error means "rebuild it"
        raise IndexUnavailable("damaged", f"{type(err).__name__}: {err}") from None
    return ix


def open_or_rebuild(archive: Archive, on_rebuild: Callable[[str], None] | None = None):
    """The index, rebuilt first when it is missing or damaged (it is derived from the files)."""
    try:
        return open_index(archive)
    except IndexUnavailable as err:
        if on_rebuild is not None:
            on_rebuild(err.reason)
        rebuild(archive)
        return open_index(archive)


@contextlib.contextmanager
def writer_lock(archive: Archive, timeout: float | None = None) -> Iterator[None]:
    """The index writer lock: waits at most ``timeout`` seconds, then a clear error."""
    from filelock import FileLock, Timeout

    archive.root.mkdir(parents=True, exist_ok=True)
    lock = FileLock(
        str(archive.root / LOCK_NAME), timeout=LOCK_TIMEOUT if timeout is None else timeout
    )
    try:
        with lock:
            yield
    except Timeout:
        raise HumasError(t("search.index_locked", root=archive.root)) from None


# --------------------------------------------------------------------------- writing


def index_releases(archive: Archive, stored: list[StoredRelease]) -> None:
    """Add or update the index entries of ``stored`` releases (after ``new``/``edit``/``import``).

    A missing or damaged index is rebuilt from the files, which includes these releases.
    """
    if not stored:
        return
    with writer_lock(archive):
        try:
            ix = open_index(archive)
        except IndexUnavailable:
            _rebuild_locked(archive, None)
            return
        writer = ix.writer(timeout=LOCK_TIMEOUT)
        try:
            for one in stored:
                writer.update_document(**document(one))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _sync_postings(archive.index_dir)


def remove_entries(archive: Archive, ids: list[str]) -> None:
    """Delete the index entries of releases that no longer exist."""
    if not ids:
        return
    with writer_lock(archive):
        ix = open_index(archive)
        writer = ix.writer(timeout=LOCK_TIMEOUT)
        for release_id in ids:
            writer.delete_by_term("id", release_id)
        writer.commit()
        _sync_postings(archive.index_dir)


def rebuild(
    archive: Archive, progress: Progress | None = None, procs: int | None = None
) -> RebuildReport:
    """Build a fresh index from every release folder and swap it in.

    ``procs=None`` picks two writer processes for a large archive on a machine with two
    free cores, else one.
    """
    with writer_lock(archive):
        return _rebuild_locked(archive, progress, procs)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _rebuild_locked(
    archive: Archive, progress: Progress | None, procs: int | None = None
) -> RebuildReport:
    from whoosh import index as whoosh_index

    ids = archive.ids()
    report = RebuildReport()
    if procs is None:
        procs = 2 if len(ids) >= PARALLEL_FROM and _cores() >= 2 else 1
    build = make_temp_dir(archive.root)  # .tmp-<pid>-…: doctor cleans it if we are killed
    try:
        ix = whoosh_index.create_in(str(build), make_schema())
        options: dict[str, Any] = {"limitmb": WRITER_LIMIT_MB}
        if procs > 1:
            # Two sub-writers, each analysing half the releases while this process reads
            # the YAML. multisegment keeps their two segments as they are: merging them
            # (or a final optimize) costs more than the whole parallel build (20k releases:
            # 25 s build, +20 s merge, +31 s optimize), and searching two segments is as fast.
            options.update(procs=procs, multisegment=True, batchsize=200)
        writer = ix.writer(**options)
        try:
            _start_subwriters(writer)
            for number, release_id in enumerate(ids, start=1):
                try:
                    writer.add_document(**document(archive.load(release_id)))
                    report.indexed += 1
                except NotFoundError:  # a folder without a record is not a release
                    pass
                except HumasError:  # a damaged record: doctor reports it
                    report.damaged.append(release_id)
                if progress is not None:
                    progress(number, len(ids))
            writer.commit()
        except BaseException:
            with contextlib.suppress(Exception):
                writer.cancel()
            _stop_subwriters(writer)
            raise
        _sync_postings(build)
        atomic_write_text(build / VERSION_FILE, json.dumps(index_version()) + "\n")
        _swap_in(archive, build)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return report


def missing_postings(archive: Archive) -> list[Path]:
    """The postings files (``humaskit.search.postcache``) the index should have and has not."""
    from humaskit.search import postcache

    try:
        return postcache.missing(archive.index_dir)
    except Exception:  # an unreadable index is reported as such
        return []


def sync_postings(archive: Archive) -> None:
    """Write the missing postings files (``doctor --repair``), holding the writer lock."""
    from humaskit.search import postcache

    with writer_lock(archive):
        postcache.sync(archive.index_dir)


def _sync_postings(folder: Path) -> None:
    """Bring the fast copy of the long posting lists up to date (``humaskit.search.postcache``).

    It only speeds searches up: when it cannot be written (disk full, an index Whoosh
    cannot read back), searches read Whoosh and ``doctor`` reports it, but the save or
    rebuild stands.
    """
    from humaskit.search import postcache

    with contextlib.suppress(Exception):
        postcache.sync(folder)


def _start_subwriters(writer) -> None:  # type: ignore[no-untyped-def]
    """Start a parallel writer's processes now, deaf to Ctrl-C.

    Whoosh starts them lazily and they inherit the terminal's SIGINT: on Ctrl-C each would
    print its own traceback. The parent handles Ctrl-C and stops them (``_stop_subwriters``).
    """
    if not hasattr(writer, "_new_task"):  # one process
        return
    try:
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave Whoosh's lazy start
        return
    try:
        while len(writer.tasks) < writer.procs:
            writer._new_task()
    finally:
        signal.signal(signal.SIGINT, previous)


def _stop_subwriters(writer) -> None:  # type: ignore[no-untyped-def]
    """End a cancelled parallel writer's processes.

    ``MpWriter.cancel`` only flags its own copies of the tasks; the processes would wait on
    their job queue for ever, and this process for them at exit.
    """
    for task in getattr(writer, "tasks", ()):
        if task.is_alive():
            task.terminate()
        task.join(5)


def _swap_in(archive: Archive, build: Path) -> None:
    target = archive.index_dir
    old = None
    if target.exists():
        old = build.with_name(build.name + "-old")
        os.rename(target, old)
    os.rename(build, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- reading


def entries(archive: Archive) -> dict[str, str]:
    """Every indexed id with the record hash stored for it."""
    ix = open_index(archive)
    try:
        with ix.searcher() as searcher:
            return {f["id"]: f.get("stamp", "") for f in searcher.all_stored_fields()}
    except Exception as err:
        raise IndexUnavailable("damaged", f"{type(err).__name__}: {err}") from None
