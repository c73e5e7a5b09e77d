"""``humaskit doctor`` on the server: what is derived from a record and out of step with it.

- ``stale_rendering`` — ``release.md`` / ``release.docx`` missing for a release;
- ``photo_missing`` — a photo the record names is not stored;
- ``stale_entry`` — a search vector built by another humaskit version (``doc_version``);
- ``damaged_record`` — a record that cannot be read.

Transactions make half-written releases impossible here, so there is nothing like the
folder's temp files to clean. ``repair`` re-renders and rebuilds the vectors it may write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from humaskit.archive.store import DOCX_FILE, MARKDOWN_FILE
from humaskit.backends.postgres import textsearch
from humaskit.errors import HumasError

if TYPE_CHECKING:
    from humaskit.archive.profile import Profile
    from humaskit.backends.postgres import PostgresArchive
    from humaskit.doctor import DoctorReport
    from humaskit.findings import Finding


def examine(archive: PostgresArchive) -> list[Finding]:
    from humaskit.doctor import finding

    findings: list[Finding] = []
    rows = archive.conn.execute(
        "SELECT r.id, r.doc_version, r.record,"
        " coalesce(array_agg(f.name) FILTER (WHERE f.name IS NOT NULL), '{}')"
        " FROM releases r LEFT JOIN release_files f ON f.release_id = r.id"
        " GROUP BY r.id ORDER BY r.id DESC"
    ).fetchall()
    for release_id, doc_version, record, names in rows:
        where = archive.file_location(release_id, "")
        try:
            release = archive.parse_record(release_id, record)
        except HumasError as err:
            findings.append(
                finding("damaged_record", id=release_id, path=where, detail=err.message)
            )
            continue
        for name in (MARKDOWN_FILE, DOCX_FILE):
            if name not in names:
                path = archive.file_location(release_id, name)
                findings.append(
                    finding("stale_rendering", id=release_id, path=path, detail="missing")
                )
        for photo in release.photos:
            if photo.path not in names:
                path = archive.file_location(release_id, photo.path)
                findings.append(finding("photo_missing", id=release_id, path=path))
        if doc_version != textsearch.DOC_VERSION:
            findings.append(finding("stale_entry", id=release_id, path=where))
    return findings


def run(archive: PostgresArchive, profile: Profile | None, fix: bool) -> DoctorReport:
    from humaskit.doctor import DoctorReport

    findings = examine(archive)
    if not (fix and findings):
        return DoctorReport(problems=findings)
    from humaskit.releases import rerender

    for release_id in sorted({f.id for f in findings if f.code == "stale_rendering" and f.id}):
        try:
            rerender(archive, release_id, profile)
        except HumasError:
            continue  # stays a finding
    if any(f.code == "stale_entry" for f in findings):
        archive.reindex()
    left = examine(archive)
    still = {(f.code, f.id, f.path) for f in left}
    return DoctorReport(
        problems=left, repaired=[f for f in findings if (f.code, f.id, f.path) not in still]
    )
