"""``humaskit doctor``: every disagreement between the release files and what is derived from them.

Findings (``kind``):

- ``index_missing`` / ``index_damaged`` / ``index_outdated`` — the Whoosh index is absent,
  unreadable, or built by another humaskit version or synonym list;
- ``not_indexed`` — a release folder with no index entry;
- ``orphan_entry`` — an index entry whose release folder is gone;
- ``stale_entry`` — an entry made from an older ``release.yaml`` (its stored hash differs);
- ``stale_rendering`` — ``release.md`` / ``release.docx`` missing or older than ``release.yaml``;
- ``stale_temp`` — a build folder or temp file left by a killed process;
- ``damaged_record`` — a ``release.yaml`` that cannot be read (found while repairing; only a
  person can fix it, from ``revisions/``).

``repair`` fixes all but the last: rebuild or update the index, re-render, remove temps.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from humaskit.archive.profile import Profile
from humaskit.archive.store import DOCX_FILE, MARKDOWN_FILE, RECORD_FILE, Archive
from humaskit.errors import HumasError
from humaskit.search import index


@dataclass(frozen=True)
class Finding:
    kind: str
    id: str | None = None
    path: str | None = None
    detail: str = ""

    def to_json(self) -> dict:
        return {"kind": self.kind, "id": self.id, "path": self.path, "detail": self.detail}


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
            "problems": [f.to_json() for f in self.problems],
            "repaired": [f.to_json() for f in self.repaired],
        }


def examine(archive: Archive) -> list[Finding]:
    """Everything out of step in ``archive``; reads, never writes."""
    findings: list[Finding] = []
    ids = archive.ids()
    findings += _index_findings(archive, ids)
    findings += _rendering_findings(archive, ids)
    findings += [Finding("stale_temp", path=str(p)) for p in archive.stale_temps()]
    return findings


def _index_findings(archive: Archive, ids: list[str]) -> list[Finding]:
    try:
        indexed = index.entries(archive)
    except index.IndexUnavailable as err:
        if err.reason == "missing" and not ids:
            return []
        return [Finding(f"index_{err.reason}", path=str(archive.index_dir), detail=err.detail)]
    findings: list[Finding] = []
    for release_id in ids:
        stamp = indexed.get(release_id)
        if stamp is None:
            findings.append(Finding("not_indexed", id=release_id))
        elif stamp != index.record_stamp(archive.folder(release_id)):
            findings.append(Finding("stale_entry", id=release_id))
    present = set(ids)
    findings += [Finding("orphan_entry", id=i) for i in sorted(indexed) if i not in present]
    return findings


def _rendering_findings(archive: Archive, ids: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for release_id in ids:
        folder = archive.folder(release_id)
        try:
            record_time = os.stat(folder / RECORD_FILE).st_mtime_ns
        except FileNotFoundError:
            continue  # a folder without a record is not a release
        for name in (MARKDOWN_FILE, DOCX_FILE):
            try:
                older = os.stat(folder / name).st_mtime_ns < record_time
                detail = "older" if older else ""
            except FileNotFoundError:
                detail = "missing"
            if detail:
                path = str(folder / name)
                findings.append(Finding("stale_rendering", id=release_id, path=path, detail=detail))
    return findings


def repair(archive: Archive, profile: Profile | None, findings: list[Finding]) -> DoctorReport:
    """Fix what can be fixed; returns what was repaired and what is left (re-examined)."""
    report = DoctorReport()
    kinds = {f.kind for f in findings}
    if kinds & {"index_missing", "index_damaged", "index_outdated"}:
        index.rebuild(archive)  # a record that does not load stays not_indexed: see below
    else:
        stale = [f.id for f in findings if f.kind in ("not_indexed", "stale_entry") and f.id]
        loaded = []
        for release_id in stale:
            try:
                loaded.append(archive.load(release_id))
            except HumasError:
                continue  # reported as damaged_record below
        index.index_releases(archive, loaded)
        index.remove_entries(archive, [f.id for f in findings if f.kind == "orphan_entry" and f.id])
    from humaskit.releases import rerender

    damaged: dict[str, str] = {}
    for release_id in sorted({f.id for f in findings if f.kind == "stale_rendering" and f.id}):
        try:
            rerender(archive, release_id, profile)
        except HumasError as err:
            damaged[release_id] = err.message
    if "stale_temp" in kinds:
        archive.clean_stale_temps()
    left = examine(archive)
    still = {(f.kind, f.id, f.path) for f in left}
    report.repaired = [f for f in findings if (f.kind, f.id, f.path) not in still]
    report.problems = left + _damaged_records(archive, left, damaged)
    return report


def _damaged_records(archive: Archive, left: list[Finding], known: dict[str, str]) -> list[Finding]:
    """Why an entry could not be repaired: its record does not load."""
    found = dict(known)
    for finding in left:
        if finding.id and finding.id not in found and finding.kind != "orphan_entry":
            try:
                archive.load(finding.id)
            except HumasError as err:
                found[finding.id] = err.message
    return [
        Finding("damaged_record", id=i, path=str(archive.folder(i) / RECORD_FILE), detail=m)
        for i, m in sorted(found.items())
    ]


def run(archive: Archive, profile: Profile | None, fix: bool) -> DoctorReport:
    findings = examine(archive)
    if fix and findings:
        return repair(archive, profile, findings)
    return DoctorReport(problems=findings)
