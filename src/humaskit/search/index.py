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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from humaskit.archive.fsio import atomic_write_text, make_temp_dir
from humaskit.archive.store import PUBLICATIONS_FILE, RECORD_FILE, Archive, StoredRelease
from humaskit.errors import HumasError, NotFoundError
from humaskit.i18n import t

if TYPE_CHECKING:  # annotations only: a search reads the index, never a record
    from humaskit.record.model import Release

# Bump when the schema or the analysis changes: an index of another version is rebuilt.
# 4: one engine; 5: publications, tags, speakers (recap); 6: paragraphs stored for the
# snippets, the stem table beside the index.
SCHEMA_VERSION = 6
VERSION_FILE = "humaskit-index.json"
STEMS_FILE = "humaskit-stems.json"
LOCK_NAME = ".index.lock"
LOCK_TIMEOUT = 30.0  # seconds a second writer waits before giving up
WRITER_LIMIT_MB = 96  # Whoosh's posting pool before it spills to disk (per process)

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

    from humaskit.search.analysis import plain_analyzer, stem_analyzer

    plain, stemmed = plain_analyzer(), stem_analyzer()
    # The plain fields keep word positions (a quoted phrase or a multi-word synonym is a
    # Whoosh Phrase query on them); the stemmed fields only count words.
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        date=ID(stored=True, sortable=True),
        title=TEXT(analyzer=plain, stored=True, field_boost=2.0),
        title_stem=TEXT(analyzer=stemmed, field_boost=1.5, phrase=False),
        content=TEXT(analyzer=plain),
        content_stem=TEXT(analyzer=stemmed, phrase=False),
        # Names are matched as written, never stemmed (Bali must not become "bal").
        speakers=TEXT(analyzer=plain, field_boost=1.5),
        unit=STORED(),
        unit_text=TEXT(analyzer=plain),
        unit_key=ID(),
        signature_key=ID(),
        tags=KEYWORD(commas=True, lowercase=True, scorable=True),
        stamp=STORED(),
        # The release's paragraphs, for the snippets of the hits shown (no record re-read).
        paragraphs=STORED(),
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


def document(stored: StoredRelease, stamp: str | None = None) -> dict[str, Any]:
    """The index entry of one release (``stamp``: the hash of the record it was read from)."""
    folder = stored.folder
    assert folder is not None  # the folder archive's releases are folders
    release = stored.release
    names = [n for s in release.speakers for n in dict.fromkeys((s.name, s.short_name))]
    texts = field_texts(release)
    return {
        "id": stored.id,
        "date": release.date.isoformat(),
        "title": texts["title"],
        "title_stem": texts["title"],
        "content": texts["content"],
        "content_stem": texts["content"],
        "speakers": "\n".join(names),
        "unit": release.unit,
        "unit_text": texts["unit_text"],
        "unit_key": release.unit.casefold().strip(),
        "signature_key": release.signature.casefold().strip(),
        "tags": ",".join(tag.replace(",", " ") for tag in release.tags),
        "stamp": record_stamp(folder) if stamp is None else stamp,
        "paragraphs": release.texts(),
        # --- recap and stats (humaskit.publications.summaries)
        **_recap_fields(folder, release),
    }


# --------------------------------------------------------------------------- opening


def _recap_fields(folder: Path, release: Release) -> dict[str, Any]:
    """The stored fields ``recap`` and ``stats`` read (``publications.index_summaries``).

    A damaged ``publications.yaml`` must not hide the release from search: its entry gets
    ``publications="damaged"``, and a recap that meets it stops with a message naming it.
    """
    from humaskit.archive.store import PUBLICATIONS_FILE, read_publications_file
    from humaskit.record.publication import DAMAGED, from_data

    try:
        path = folder / PUBLICATIONS_FILE
        published: list[dict[str, Any]] | str = [
            from_data(item, path).to_json() for item in read_publications_file(folder)
        ]
    except HumasError:
        published = DAMAGED  # Whoosh does not store None
    return {
        "publications": published,
        "tag_list": list(release.tags),
        "speaker_list": list(dict.fromkeys(s.name for s in release.speakers)),
    }


def index_version() -> dict[str, Any]:
    """What an index must have been built with: this schema and this synonym list."""
    from humaskit.search.synonyms import packaged_text

    data = packaged_text().encode("utf-8")
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


_searchers: dict[str, tuple[tuple | None, Any]] = {}


def _signature(folder: Path) -> tuple | None:
    """What changes when the index does: the folder (a rebuild swaps in a new one) and its
    tables of contents (each commit writes one)."""
    try:
        tocs = sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("_MAIN_*.toc"))
        return (folder.stat().st_ino, tuple(tocs))
    except OSError:
        return None


def searcher(archive: Archive, on_rebuild: Callable[[str], None] | None = None):  # -> Searcher
    """A Whoosh searcher of the archive's index, kept open and reused by later searches in
    this process while the index is unchanged; the index is rebuilt first when it is
    missing or damaged. Do not close it."""
    key = str(archive.index_dir)
    signature = _signature(archive.index_dir)
    cached = _searchers.pop(key, None)
    if cached is not None:
        if signature is not None and cached[0] == signature:
            _searchers[key] = cached
            return cached[1]
        cached[1].close()
    from humaskit.search.weighting import make_weighting

    found = open_or_rebuild(archive, on_rebuild).searcher(weighting=make_weighting())
    _searchers[key] = (_signature(archive.index_dir), found)
    return found


_tables: dict[str, tuple[tuple | None, dict[str, str] | None]] = {}


def stem_table(archive: Archive) -> dict[str, str] | None:
    """The index's stem table (:func:`read_stem_table`), kept for later searches in this
    process while the index is unchanged."""
    key = str(archive.index_dir)
    signature = _signature(archive.index_dir)
    cached = _tables.get(key)
    if cached is not None and signature is not None and cached[0] == signature:
        return cached[1]
    table = read_stem_table(archive.index_dir)
    _tables[key] = (signature, table)
    return table


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
    """Bring the index entries of ``stored`` releases up to what is on disk now (after
    ``new``/``edit``/``import``).

    Each record is read again inside the index lock: of several processes saving one
    release at once, the last to index reads the last record written, so the index never
    keeps an older version (the in-memory ``stored.release`` may already be outdated).
    A record gone from disk loses its entry; a missing or damaged index is rebuilt.
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
            texts: list[str] = []
            for one in stored:
                current = _read_on_disk(archive, one.id)
                if current is None:
                    writer.delete_by_term("id", one.id)
                else:
                    entry = document(*current)
                    texts += [entry["title"], entry["content"]]
                    writer.update_document(**entry)
            # Before the commit: a stem listed for a word not (yet) indexed is harmless, an
            # indexed word missing from the table is not (see ``stem_table``).
            _add_stems(archive.index_dir, texts)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()


def _read_on_disk(archive: Archive, release_id: str) -> tuple[StoredRelease, str] | None:
    """The release as its record file is now, with the hash of exactly those bytes (the
    file is read between two hashes until both agree: an ``edit`` outside the index lock
    may replace it meanwhile); ``None`` when the release is gone."""
    for _ in range(10):
        folder = archive.folder(release_id)
        before = record_stamp(folder)
        try:
            loaded = archive.load(release_id)
        except NotFoundError:
            return None
        if record_stamp(folder) == before:
            return loaded, before
    return loaded, record_stamp(folder)


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


def rebuild(archive: Archive, progress: Progress | None = None) -> RebuildReport:
    """Build a fresh index from every release folder and swap it in."""
    with writer_lock(archive):
        return _rebuild_locked(archive, progress)


def _rebuild_locked(archive: Archive, progress: Progress | None) -> RebuildReport:
    from whoosh import index as whoosh_index

    from humaskit.search.analysis import words

    ids = archive.ids()
    report = RebuildReport()
    build = make_temp_dir(archive.root)  # .tmp-<pid>-…: doctor cleans it if we are killed
    try:
        ix = whoosh_index.create_in(str(build), make_schema())
        # One process: Whoosh's parallel writer (procs=2) starts its workers lazily with
        # the terminal's Ctrl-C, and its public API has no way to stop them cleanly.
        writer = ix.writer(limitmb=WRITER_LIMIT_MB)
        # The words of the titles and texts, for the stem table, gathered as they are
        # indexed: reading them back from the new index took ~180 MB more at 100,000.
        vocabulary: set[str] = set()
        try:
            for number, release_id in enumerate(ids, start=1):
                try:
                    entry = document(archive.load(release_id))
                    writer.add_document(**entry)
                    vocabulary.update(words(entry["title"]), words(entry["content"]))
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
            raise
        _write_stems(build, {**_synonym_stems(), **_stems_of(vocabulary)})
        atomic_write_text(build / VERSION_FILE, json.dumps(index_version()) + "\n")
        _swap_in(archive, build)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return report


def _swap_in(archive: Archive, build: Path) -> None:
    target = archive.index_dir
    old = None
    if target.exists():
        old = build.with_name(build.name + "-old")
        os.rename(target, old)
    os.rename(build, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- stem table


def _stems_of(vocabulary: set[str]) -> dict[str, str]:
    """The Sastrawi stems of ``vocabulary`` that differ from the word itself."""
    from humaskit.search.analysis import stem_word

    found = {}
    for word in vocabulary:
        stem = stem_word(word)
        if stem != word:
            found[word] = stem
    return found


def _synonym_stems() -> dict[str, str]:
    """The stem of every word of the packaged synonym list, itself included: a query's
    synonyms are stemmed too, and many of their words are not in a given archive."""
    from humaskit.search.analysis import stem_word
    from humaskit.search.synonyms import packaged_synonyms

    found = {}
    for form, alternatives in packaged_synonyms().items():
        for one in (form, *alternatives):
            for word in one:
                found[word] = stem_word(word)
    return found


def _write_stems(folder: Path, stems: dict[str, str]) -> None:
    atomic_write_text(
        folder / STEMS_FILE, json.dumps(stems, ensure_ascii=False, separators=(",", ":"))
    )


def _add_stems(folder: Path, texts: list[str]) -> None:
    """Add the stems of the words of ``texts`` to the index's stem table."""
    from humaskit.search.analysis import words

    known = read_stem_table(folder)
    if known is None:  # no table: searches stem with Sastrawi; keep it that way
        return
    new = _stems_of({w for text in texts for w in words(text)} - known.keys())
    if new:
        _write_stems(folder, {**known, **new})


def read_stem_table(folder: Path) -> dict[str, str] | None:
    """The stem table written with the index: every word of the titles and texts whose
    Sastrawi stem differs from it (a word of those fields not listed is its own stem), and
    every word of the packaged synonym list.
    Derived data like the index; lets a search stem its words without loading Sastrawi's
    dictionary. ``None`` when the file is missing or unreadable."""
    try:
        found = json.loads((folder / STEMS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


# --------------------------------------------------------------------------- reading


def entries(archive: Archive) -> dict[str, str]:
    """Every indexed id with the record hash stored for it."""
    ix = open_index(archive)
    try:
        with ix.searcher() as searcher:
            return {f["id"]: f.get("stamp", "") for f in searcher.all_stored_fields()}
    except Exception as err:
        raise IndexUnavailable("damaged", f"{type(err).__name__}: {err}") from None
