"""The archives the commands work on, behind one interface (:class:`ReleaseArchive`).

``open_archive(location)`` picks the implementation: a ``postgresql://`` (or ``postgres://``)
URI gives the shared archive on a PostgreSQL server (:mod:`humaskit.backends.postgres`, the
only importer of psycopg); a folder path gives the folder archive (release files + a Whoosh
index). The commands never ask which one they have.
"""

from __future__ import annotations

from pathlib import Path

from humaskit.archive.location import has_password, is_server_uri, redact
from humaskit.backends.protocol import ReleaseArchive


def open_archive(location: Path | str) -> ReleaseArchive:
    """The archive at ``location``: a server URI or a folder."""
    if is_server_uri(location):
        from humaskit.backends.postgres import PostgresArchive

        return PostgresArchive(str(location).strip())
    from humaskit.backends.folder import FolderArchive

    return FolderArchive(Path(location))


__all__ = ["ReleaseArchive", "has_password", "is_server_uri", "open_archive", "redact"]
