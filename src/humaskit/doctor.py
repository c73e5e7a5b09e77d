"""``humaskit doctor``: every disagreement between the release files and what is derived from
them, and every kind of damage in the archive folder. One finding is one problem, naming the
file it concerns (docs/archive.md lists them).

Findings (``code``):

- ``index_missing`` / ``index_damaged`` / ``index_outdated`` — the Whoosh index is absent,
  unreadable, or built by another humaskit version or synonym list;
- ``not_indexed`` — a release folder with no index entry;
- ``orphan_entry`` — an index entry whose release folder is gone;
- ``stale_entry`` — an entry made from another ``release.yaml`` (its stored hash differs: the
  index is compared by content, not only by presence);
- ``stale_rendering`` — ``release.md`` or ``release.docx`` missing or older than the record;
- ``stale_temp`` — a build folder or temp file left by a killed process (archive or index);
- ``wrong_year`` — a release folder under another year's folder than its date's;
- ``damaged_meta`` — a ``meta.json`` that is not a JSON object;
- ``damaged_record`` — a ``release.yaml`` that cannot be read, is missing, or is a folder;
- ``symlink`` — a symbolic link inside ``releases/``: never followed, never removed.

``repair`` fixes all but the last two, which need a person.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from humaskit.archive.fsio import TEMP_PREFIX, atomic_write_bytes
from humaskit.archive.profile import Profile
from humaskit.archive.store import (
    DOCX_FILE,
    ID_PATTERN,
    MARKDOWN_FILE,
    META_FILE,
    PHOTOS_DIR,
    RECORD_FILE,
    REVISIONS_DIR,
    Archive,
)
from humaskit.errors import HumasError
from humaskit.findings import Finding
from humaskit.i18n import t
from humaskit.search import index

if TYPE_CHECKING:
    from humaskit.backends.folder import FolderArchive

# Left for a person: humaskit cannot know which version or which link target is right.
BY_HAND = frozenset({"damaged_record", "symlink"})
# Findings a save running beside ``doctor --repair`` causes for a moment.
IN_FLIGHT = frozenset({"not_indexed", "stale_entry", "stale_rendering", "orphan_entry"})
# A Whoosh table of contents being written is ``<toc>.<time>``; one older than this is a
# leftover of a killed writer (a commit takes seconds).
INDEX_TEMP_AGE = 600.0


@dataclass
class DoctorReport:
    problems: list[Finding] = field(default_factory=list)
    repaired: list[Finding] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        return {
            "consistent": self.consistent,
            "problems": [_json(f) for f in self.problems],
            "repaired": [_json(f) for f in self.repaired],
        }


def _json(finding: Finding) -> dict:
    return {
        "kind": finding.code,
        "id": finding.id,
        "path": finding.path,
        "message": finding.message,
    }


def finding(
    code: str,
    *,
    id: str | None = None,
    path: Path | str | None = None,
    detail: str = "",
) -> Finding:
    """A finding whose message is the kind's own text, with ``detail`` when there is one; a
    damaged record's message is the reading error itself (it names the file and the fix)."""
    detail = " ".join(detail.split())
    if code == "damaged_record" and detail:
        message = detail
    else:
        message = t(f"doctor.{code}") + (f" ({detail})" if detail else "")
    return Finding(code, message=message, id=id, path=str(path) if path else None)


@dataclass
class _Scan:
    """What walking ``releases/`` found: healthy release ids, and every damaged thing."""

    healthy: dict[str, Path] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)  # every id with a folder, damaged or not
    findings: list[Finding] = field(default_factory=list)
    indexed: dict[str, str] | None = None  # id -> stamp, when the index can be read
    stamps: dict[str, str] = field(default_factory=dict)  # id -> hash of its release.yaml


def examine(archive: Archive) -> list[Finding]:
    """Everything out of step or damaged in ``archive``; reads, never writes."""
    scan = _Scan()
    unavailable = None
    try:
        scan.indexed = index.entries(archive)
    except index.IndexUnavailable as err:
        unavailable = err
    _scan_releases(archive, scan)
    findings = list(scan.findings)
    findings += _index_findings(archive, scan, unavailable)
    findings += _rendering_findings(scan)
    findings += [finding("stale_temp", path=p) for p in _stale_temps(archive)]
    return findings


def _scan_releases(archive: Archive, scan: _Scan) -> _Scan:
    root = archive.releases_dir
    if root.is_symlink():
        scan.findings.append(finding("symlink", path=root))
        return scan
    if not root.is_dir():
        return scan
    for year in sorted(os.scandir(root), key=lambda e: e.name):
        if year.name.startswith(TEMP_PREFIX):
            continue
        if year.is_symlink():
            scan.findings.append(finding("symlink", path=year.path))
            continue
        if not (year.name.isdigit() and year.is_dir()):
            continue
        for entry in sorted(os.scandir(year.path), key=lambda e: e.name):
            match = ID_PATTERN.fullmatch(entry.name)
            if not match:
                continue
            scan.present.add(entry.name)
            if entry.is_symlink():
                scan.findings.append(finding("symlink", id=entry.name, path=entry.path))
            elif not entry.is_dir():
                continue
            elif match.group(1) != year.name:
                scan.findings.append(finding("wrong_year", id=entry.name, path=entry.path))
            else:
                _scan_release(archive, entry.name, Path(entry.path), scan)
    return scan


def _scan_release(archive: Archive, release_id: str, folder: Path, scan: _Scan) -> None:
    links = [p for p in _release_entries(folder) if p.is_symlink()]
    scan.findings += [finding("symlink", id=release_id, path=p) for p in links]
    if links:
        return  # nothing behind a link is read
    record = folder / RECORD_FILE
    if not record.exists() or record.is_dir():
        key = "archive.record_is_folder" if record.is_dir() else "archive.record_missing"
        detail = t(key, path=record)
        scan.findings.append(finding("damaged_record", id=release_id, path=record, detail=detail))
        return
    stamp = scan.stamps[release_id] = index.record_stamp(folder)
    if scan.indexed is None or scan.indexed.get(release_id) != stamp:
        # A record whose hash the index holds loaded when it was indexed; any other is
        # read in full here, so a damaged one is found without reading every healthy one.
        try:
            archive.load(release_id)
        except HumasError as err:
            scan.findings.append(
                finding("damaged_record", id=release_id, path=record, detail=err.message)
            )
            return
    try:
        archive.read_meta(release_id)
    except HumasError:
        scan.findings.append(finding("damaged_meta", id=release_id, path=folder / META_FILE))
    scan.healthy[release_id] = folder


def _release_entries(folder: Path) -> list[Path]:
    found = []
    for path in folder.iterdir():
        found.append(path)
        if path.name in (PHOTOS_DIR, REVISIONS_DIR) and path.is_dir() and not path.is_symlink():
            found += list(path.iterdir())
    return found


def _index_findings(
    archive: Archive, scan: _Scan, unavailable: index.IndexUnavailable | None
) -> list[Finding]:
    if unavailable is not None or scan.indexed is None:
        err = unavailable
        if err is None or (err.reason == "missing" and not scan.present):
            return []
        return [finding(f"index_{err.reason}", path=archive.index_dir, detail=err.detail)]
    indexed = scan.indexed
    findings: list[Finding] = []
    for release_id, folder in sorted(scan.healthy.items(), reverse=True):
        stamp = indexed.get(release_id)
        record = folder / RECORD_FILE
        if stamp is None:
            findings.append(finding("not_indexed", id=release_id, path=record))
        elif stamp != scan.stamps.get(release_id, index.record_stamp(folder)):
            findings.append(finding("stale_entry", id=release_id, path=record))
    findings += [
        finding("orphan_entry", id=i, path=archive.folder(i))
        for i in sorted(indexed)
        if i not in scan.present
    ]
    return findings


def _rendering_findings(scan: _Scan) -> list[Finding]:
    findings: list[Finding] = []
    for release_id, folder in sorted(scan.healthy.items(), reverse=True):
        try:
            record_time = os.stat(folder / RECORD_FILE).st_mtime_ns
        except FileNotFoundError:
            continue  # removed while we looked
        for name in (MARKDOWN_FILE, DOCX_FILE):
            path = folder / name
            try:
                detail = "" if os.stat(path).st_mtime_ns >= record_time else "older"
            except FileNotFoundError:
                detail = "missing"
            if detail:
                findings.append(
                    finding(
                        "stale_rendering", id=release_id, path=path, detail=t(f"doctor.{detail}")
                    )
                )
    return findings


def _stale_temps(archive: Archive) -> list[Path]:
    """Leftovers of killed processes: humaskit's ``.tmp-<pid>-…`` (whose process is gone)
    and Whoosh's ``<toc>.<time>`` older than a commit can take."""
    found = archive.stale_temps()
    if archive.index_dir.is_dir() and not archive.index_dir.is_symlink():
        now = time.time()
        for path in archive.index_dir.glob("*.toc.*"):
            try:
                old = now - path.stat().st_mtime > INDEX_TEMP_AGE
            except FileNotFoundError:
                continue
            if old:
                found.append(path)
    return found


def repair(
    archive: FolderArchive, profile: Profile | None, findings: list[Finding]
) -> DoctorReport:
    """Fix what can be fixed; returns what was repaired and what is left (re-examined)."""
    codes = {f.code for f in findings}
    for item in findings:
        if item.code == "wrong_year" and item.id and item.path:
            _move_to_its_year(archive, item.id, Path(item.path))
        elif item.code == "damaged_meta" and item.id:
            _rewrite_meta(archive, item.id)
    if codes & {"index_missing", "index_damaged", "index_outdated"}:
        index.rebuild(archive)
    else:
        wanted = {"not_indexed", "stale_entry", "wrong_year"}
        stale = sorted({f.id for f in findings if f.code in wanted and f.id})
        loaded = []
        for release_id in stale:
            try:
                loaded.append(archive.load(release_id))
            except HumasError:
                continue  # its own finding says why
        if loaded:
            index.index_releases(archive, loaded)
        orphans = [f.id for f in findings if f.code == "orphan_entry" and f.id]
        if orphans:
            index.remove_entries(archive, orphans)
    from humaskit.releases import rerender

    for release_id in sorted({f.id for f in findings if f.code == "stale_rendering" and f.id}):
        try:
            rerender(archive, release_id, profile)
        except HumasError:
            continue  # examined again below
    for path in _stale_temps(archive):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    left = examine(archive)
    before = {(f.code, f.path) for f in findings}
    left = [f for f in left if not _in_flight(f, before)]
    still = {(f.code, f.path) for f in left}
    return DoctorReport(
        problems=left, repaired=[f for f in findings if (f.code, f.path) not in still]
    )


def _in_flight(item: Finding, before: set[tuple[str, str | None]]) -> bool:
    """A finding that was not there at the first look and is of a kind a save causes for a
    moment (saved, not yet indexed or rendered): a save running beside the repair, which
    finishes that work itself. It is not left for a person."""
    return item.code in IN_FLIGHT and (item.code, item.path) not in before


def _move_to_its_year(archive: Archive, release_id: str, current: Path) -> None:
    target = archive.folder(release_id)
    with archive.lock():
        if os.path.lexists(target) or not current.is_dir() or current.is_symlink():
            return  # a folder of that id is already in place: a person decides
        archive.confine(target).parent.mkdir(parents=True, exist_ok=True)
        os.rename(current, target)


def _rewrite_meta(archive: Archive, release_id: str) -> None:
    """A fresh ``meta.json`` from what the folder shows: record time and revision count."""
    folder = archive.folder(release_id)
    moment = dt.datetime.fromtimestamp((folder / RECORD_FILE).stat().st_mtime, dt.UTC)
    stamp = moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
    meta = {"created": stamp, "updated": stamp, "revision": len(archive.revisions(release_id))}
    with archive.lock():
        path = archive.confine(folder / META_FILE)
        atomic_write_bytes(path, (json.dumps(meta, indent=2) + "\n").encode("utf-8"))


def run(archive: FolderArchive, profile: Profile | None, fix: bool) -> DoctorReport:
    findings = examine(archive)
    archive.skipped.clear()  # doctor names every one itself
    if fix and findings:
        report = repair(archive, profile, findings)
        archive.skipped.clear()
        return report
    return DoctorReport(problems=findings)
