"""Bring the back catalogue in: record files, published releases (.txt, .md, .docx), saved
web pages (.html) and WordPress exports (WXR .xml).

``read`` turns each file into one or more source texts, ``recover`` turns a text into raw
record data, which then goes through ``model.parse_release`` like any record, so there is
one set of rules. ``import_paths`` drives a whole import: each file (each post of an export)
succeeds or fails alone, a source already imported (same content hash in ``meta.json``) is
not imported twice, the index is updated in batches, and every release saved is indexed
even when a later file fails.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from humaskit.errors import HumasError, InputError, RecordError
from humaskit.i18n import t
from humaskit.importer.read import (
    SUPPORTED,
    FileProblem,
    SourceText,
    read_file,
)
from humaskit.importer.recover import Hints, Recovered, recover
from humaskit.record.model import Release, parse_release

if TYPE_CHECKING:
    from humaskit.archive.store import StoredRelease
    from humaskit.backends.protocol import ReleaseArchive
    from humaskit.releases import BackgroundSaves, Saved

INDEX_BATCH = 200
IN_FLIGHT = ""  # the id in ``known`` of a release whose save has not finished
SOURCE_PREFIX = "source"

__all__ = ["SUPPORTED", "FileProblem", "ImportResult", "Outcome", "import_paths"]

DateAsker = Callable[[str], "dt.date | None"]


def display_path(path: Path | str) -> str:
    """A path as text that can always be printed and stored: a file name that is not valid
    UTF-8 shows its undecodable bytes as U+FFFD."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


@dataclass
class Outcome:
    """What happened to one release source: imported, already there, would be imported,
    or failed — with what was recovered and why a field is empty."""

    source: str
    status: str  # imported | exists | ready | failed
    id: str | None = None
    title: str | None = None
    date: str | None = None
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: str | None = None
    recovered: dict[str, Any] = field(default_factory=dict)
    why_empty: dict[str, str] = field(default_factory=dict)

    def to_json(self, *, detail: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "source": self.source, "status": self.status}
        if self.warnings:
            data["warnings"] = self.warnings
        if self.missing:
            data["missing"] = self.missing
        if self.error:
            data["error"] = self.error
        if detail:
            data["recovered"] = self.recovered
            data["why_empty"] = self.why_empty
        return data


@dataclass
class ImportResult:
    outcomes: list[Outcome]
    skipped: dict[str, int] = field(default_factory=dict)  # WXR drafts, pages, attachments
    index_error: str | None = None


def collect_files(paths: list[Path]) -> list[Path]:
    """The files to import, folders walked recursively in a stable order. A PATH that does not
    exist is bad usage (exit 2)."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise InputError(t("import.no_path", path=display_path(path)))
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.name.startswith(("~$", SOURCE_PREFIX + "."))
                and not _rendered_copy(p)
            )
        else:
            found = [path]
        for file in found:
            try:
                key = file.resolve()
            except (OSError, RuntimeError):  # a symlink loop: reported when read
                key = file.absolute()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def _rendered_copy(path: Path) -> bool:
    """Inside a humaskit archive only ``release.yaml`` is the release; its .md, .docx and
    revisions are copies, and the index and drafts are not releases at all."""
    from humaskit.archive.store import (
        DRAFTS_DIR,
        INDEX_DIR,
        RECORD_FILE,
        RELEASES_DIR,
        REVISIONS_DIR,
    )

    for folder in path.parents:  # an archive's index and drafts are not releases
        if folder.name in (INDEX_DIR, DRAFTS_DIR) and (folder.parent / RELEASES_DIR).is_dir():
            return True
    if path.name != RECORD_FILE and (path.parent / RECORD_FILE).is_file():
        return True
    return path.parent.name == REVISIONS_DIR and (path.parent.parent / RECORD_FILE).is_file()


def imported_hashes(archive: ReleaseArchive) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for release_id in archive.ids():
        try:
            meta = archive.read_meta(release_id)
        except (HumasError, OSError, ValueError):
            continue
        digest = meta.get("source_sha256") if isinstance(meta, dict) else None
        if digest:
            hashes[digest] = release_id
    return hashes


def _file_year(path: Path) -> int | None:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).year
    except (OSError, ValueError, OverflowError):
        return None


def recover_source(
    source: SourceText,
    *,
    defaults: Mapping[str, Any],
    year: int | None = None,
    date: dt.date | None = None,
    file_year: int | None = None,
) -> Recovered:
    """Raw record data of one source text (a record file's data as it is)."""
    if source.record is not None:
        return Recovered(dict(source.record))
    hints = Hints(
        year=year,
        date=date,
        file_year=file_year,
        published=source.published,
        defaults=dict(defaults),
        title=source.title,
        tags=list(source.tags),
        front=source.front,
    )
    recovered = recover(source.lines, hints)
    if source.embedded is not None:
        recovered = _with_embedded(source, recovered)
    recovered.warnings[:0] = source.warnings
    return recovered


def _with_embedded(source: SourceText, recovered: Recovered) -> Recovered:
    """A Word file humaskit wrote carries its record. It is a convenience, not a trust
    anchor: its photo paths are never followed, and it is used only when every text field
    in it is what the document visibly says; otherwise the visible text wins."""
    assert source.embedded is not None  # only called for a Word file with a record
    record = {k: v for k, v in source.embedded.items() if k != "photos"}
    warnings = list(recovered.warnings)
    if source.embedded and source.embedded.get("photos"):
        warnings.append(t("import.photos_not_followed", source=display_path(source.label)))
    visible = "\n".join(" ".join(line.split()) for line in source.lines)
    texts: list[str] = []
    for key in ("title", "lead", "closing"):
        if isinstance(record.get(key), str):
            texts.append(record[key])
    for key in ("body",):
        if isinstance(record.get(key), list):
            texts += [p for p in record[key] if isinstance(p, str)]
    for quote in record.get("quotes") or []:
        if isinstance(quote, dict) and isinstance(quote.get("text"), str):
            texts.append(quote["text"])
    title_ok = record.get("title") == (source.title or recovered.data.get("title"))
    if title_ok and texts and all(" ".join(x.split()) in visible for x in texts):
        return Recovered(record, recovered.credits, warnings)
    warnings.append(t("import.embedded_disagrees", source=display_path(source.label)))
    recovered.warnings = warnings
    return recovered


def import_paths(
    archive: ReleaseArchive,
    paths: list[Path],
    *,
    profile: Any,
    defaults: Mapping[str, Any],
    year: int | None = None,
    date: dt.date | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    ask_date: DateAsker | None = None,
) -> ImportResult:
    """Import every file under ``paths``; returns one outcome per release source, in order.

    ``date`` (``--date``) is for one file only. ``ask_date`` is called with the source's
    name when a text has no date at all (in a terminal); without it that source fails alone
    with a message naming ``--date`` and ``--year``.
    """
    files = collect_files(paths)
    if date is not None and len(files) > 1:
        raise InputError(t("import.date_one_file", count=len(files)))
    from humaskit.releases import BackgroundSaves

    known = imported_hashes(archive)
    result = ImportResult([])
    batch: list[StoredRelease] = []
    saver = BackgroundSaves(archive, profile)
    counted = [0, len(files)]  # sources done, sources expected (a WordPress export adds its posts)

    def step(sources: int = 1) -> None:
        counted[1] += sources - 1
        if len(batch) >= INDEX_BATCH:
            saver.wait()
            _index(archive, batch, result)
        if progress is not None:
            counted[0] += 1
            progress(counted[0], counted[1])

    try:
        with saver:  # the last save finishes (and reports) before the last batch is indexed
            for path in files:
                _import_file(path, result, known, batch, saver, defaults, step,
                             year=year, date=date, dry_run=dry_run, ask_date=ask_date)  # fmt: skip
    finally:
        _index(archive, batch, result)
    return result


def _index(archive: ReleaseArchive, batch: list[StoredRelease], result: ImportResult) -> None:
    """Index what was saved; a failure is reported, never hides the saves (doctor --repair
    or reindex brings the index back)."""
    from humaskit.releases import index_saved

    if not batch:
        return
    saved = list(batch)
    ids = [one.id for one in saved]
    batch.clear()
    try:
        index_saved(archive, saved)
    except HumasError as err:
        result.index_error = err.message
    except Exception as err:  # the releases are saved: say so, never hide it in a traceback
        error = type(err).__name__
        result.index_error = t("releases.saved_not_indexed", ids=", ".join(ids), error=error)


def _import_file(
    path: Path,
    result: ImportResult,
    known: dict[str, str],
    batch: list[StoredRelease],
    saver: BackgroundSaves,
    defaults: Mapping[str, Any],
    step: Callable[..., None],
    *,
    year: int | None,
    date: dt.date | None,
    dry_run: bool,
    ask_date: DateAsker | None,
) -> None:
    shown = display_path(path)
    try:
        read = read_file(path)
    except FileProblem as err:
        result.outcomes.append(Outcome(shown, "failed", error=display_path(err.message)))
        step()
        return
    except Exception as err:  # a reader crashing on a hostile file must not stop the rest
        result.outcomes.append(Outcome(shown, "failed", error=_crash(shown, err)))
        step()
        return
    if not read.sources:
        step()
    for key, count in read.skipped.items():
        result.skipped[key] = result.skipped.get(key, 0) + count
    if date is not None and len(read.sources) > 1:
        raise InputError(t("import.date_one_file", count=len(read.sources)))
    file_year = _file_year(path)
    for source in read.sources:
        outcome = Outcome(display_path(source.label), "failed")
        result.outcomes.append(outcome)
        try:
            _import_source(source, outcome, known, batch, saver, defaults,
                           year=year, date=date, file_year=file_year, dry_run=dry_run,
                           ask_date=ask_date)  # fmt: skip
        except Exception as err:  # one failing record never stops the import
            _failed(outcome, err)
        finally:
            step(len(read.sources) if source is read.sources[0] else 1)


def _failed(outcome: Outcome, err: BaseException) -> None:
    if isinstance(err, FileProblem):
        outcome.status, outcome.error = "failed", display_path(err.message)
    elif isinstance(err, HumasError):  # a missing photo, a template error, a full disk...
        outcome.status, outcome.error = "failed", f"{outcome.source}: {err.message}"
    else:  # a crash in one record is that record's failure
        outcome.status, outcome.error = "failed", _crash(outcome.source, err)


def _crash(source: str, err: BaseException) -> str:
    return t("import.crashed", source=source, error=type(err).__name__)


def _import_source(
    source: SourceText,
    outcome: Outcome,
    known: dict[str, str],
    batch: list[StoredRelease],
    saver: BackgroundSaves,
    defaults: Mapping[str, Any],
    *,
    year: int | None,
    date: dt.date | None,
    file_year: int | None,
    dry_run: bool,
    ask_date: DateAsker | None,
) -> None:
    from humaskit.archive.store import base_id

    digest = source.sha256
    if known.get(digest) == IN_FLIGHT:
        saver.wait()  # the same post earlier in this run, still being written: its id
    if digest in known:
        outcome.status, outcome.id = "exists", known[digest]
        return
    recovered = recover_source(source, defaults=defaults, year=year, date=date,
                               file_year=file_year)  # fmt: skip
    data = recovered.data
    outcome.warnings = recovered.warnings
    outcome.why_empty = recovered.why_empty
    if "date" not in data and source.record is None and not dry_run and ask_date is not None:
        asked = ask_date(outcome.source)
        if asked is not None:
            data["date"] = asked.isoformat()
            recovered.why_empty.pop("date", None)
    outcome.recovered = _summary(data, recovered)
    if "date" not in data and source.record is None:
        outcome.missing = ["date"]
        outcome.error = t("import.no_date", source=outcome.source)
        return
    release = _validate(source, data, defaults, outcome)
    if release is None:
        return
    outcome.title, outcome.date = release.title, release.date.isoformat()
    if dry_run:
        outcome.status, outcome.id = "ready", base_id(release)
        known[digest] = outcome.id
        return
    meta: dict[str, Any] = {
        "source_sha256": digest,
        "source_name": display_path(Path(source.label).name),
        "imported_from": _absolute_label(source.label),
        "source_kind": source.kind,
    }
    if source.url:
        meta["source_url"] = source.url
    if recovered.credits:
        meta["credits"] = recovered.credits
    # The page it was taken from is where it went out: its website publication is saved
    # with the release, in the same step.
    website = _website_publication(source, release, outcome) if source.url else None

    def done(saved: Saved | None, error: BaseException | None) -> None:
        if saved is None or saved.stored is None:
            known.pop(digest, None)
            _failed(outcome, error or RuntimeError())
            return
        outcome.status, outcome.id = "imported", saved.id
        known[digest] = saved.id
        batch.append(saved.stored)

    known[digest] = IN_FLIGHT
    try:
        saver.save(
            release,
            Path(source.label.split("#", 1)[0]).parent.absolute(),
            done,
            meta=meta,
            extra_files={source.keep_as: source.original},
            publications=website,
        )
    except BaseException:
        known.pop(digest, None)
        raise


def _website_publication(
    source: SourceText, release: Release, outcome: Outcome
) -> list[dict] | None:
    """The publication log of a new release taken from ``source.url`` (a ``website``
    publication), or ``None`` with a warning when the log refuses the URL (not http(s)):
    the release itself is saved all the same."""
    from humaskit.archive.store import utc_now
    from humaskit.publications import make_publication

    try:
        new = make_publication(
            source.url or "",
            channel="website",
            date=source.published or release.date,
            recorded=utc_now(),
        )
    except InputError as err:
        outcome.warnings.append(t("import.url_not_recorded", url=source.url, error=err.message))
        return None
    return [new.to_data()]


def _absolute_label(label: str) -> str:
    path, sep, post = label.partition("#")
    return display_path(Path(path).absolute()) + sep + post


def _summary(data: Mapping[str, Any], recovered: Recovered) -> dict[str, Any]:
    """What was recovered, for ``--dry-run --json``: enough to correct before saving."""
    quotes = data.get("quotes")
    quotes = quotes if isinstance(quotes, list) else []
    speakers = data.get("speakers")
    speakers = speakers if isinstance(speakers, list) else []
    summary = {
        "title": data.get("title"),
        "date": data.get("date"),
        "location": data.get("location"),
        "outlet": data.get("outlet"),
        "dateline": data.get("dateline"),  # its form, when the default would read otherwise
        "signature": data.get("signature"),
        "speakers": [
            {"name": s.get("name"), "title": s.get("title")}
            for s in speakers
            if isinstance(s, dict)
        ],
        "quotes": len(quotes),
        "body": len(data.get("body") or []) if isinstance(data.get("body"), list) else 0,
        "tags": data.get("tags") or [],
    }
    if recovered.credits:
        summary["credits"] = recovered.credits
    return summary


def _validate(
    source: SourceText, data: dict[str, Any], defaults: Mapping[str, Any], outcome: Outcome
) -> Release | None:
    try:
        return parse_release(data, defaults=defaults, source=outcome.source)
    except RecordError as err:
        outcome.missing = sorted({p.field.split("[")[0].split(".")[0] for p in err.problems})
        details = "; ".join(str(p).rstrip(".") for p in err.problems)
        key = "import.invalid_record" if source.record is not None else "import.invalid"
        outcome.error = t(key, source=outcome.source, problems=details)
        return None


def read_for_check(
    path: Path, *, defaults: Mapping[str, Any] | None = None
) -> tuple[SourceText, Recovered]:
    """One published release or record file, read and recovered (for ``check FILE``);
    a file that cannot be read is bad input (exit 2)."""
    try:
        read = read_file(path)
    except FileProblem as err:
        raise InputError(display_path(err.message)) from None
    if len(read.sources) != 1:
        raise InputError(t("check.many_posts", source=display_path(path), count=len(read.sources)))
    [source] = read.sources
    return source, recover_source(source, defaults=defaults or {}, file_year=_file_year(path))
