"""The archives the commands work on, behind one interface (:class:`ReleaseArchive`).

``open_archive(location)`` picks the implementation: a ``postgresql://`` (or ``postgres://``)
URI gives the shared archive on a PostgreSQL server (:mod:`humaskit.backends.postgres`, the
only importer of psycopg); a folder path gives the folder archive (release files + a Whoosh
index). The commands never ask which one they have.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from humaskit.backends.protocol import ReleaseArchive

SERVER_SCHEMES = ("postgresql://", "postgres://")


def is_server_uri(location: object) -> bool:
    return isinstance(location, str) and location.strip().lower().startswith(SERVER_SCHEMES)


def has_password(uri: str) -> bool:
    """Whether ``uri`` carries a password (in the user part or as ``?password=``)."""
    parts = urlsplit(uri)
    return bool(parts.password) or "password" in parse_qs(parts.query)


def redact(uri: str) -> str:
    """``uri`` without its password, for messages."""
    parts = urlsplit(uri)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.split(':', 1)[0]}@{host}"
    query = "&".join(
        p for p in parts.query.split("&") if p and not p.lower().startswith("password=")
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def open_archive(location: Path | str) -> ReleaseArchive:
    """The archive at ``location``: a server URI or a folder."""
    if is_server_uri(location):
        from humaskit.backends.postgres import PostgresArchive

        return PostgresArchive(str(location).strip())
    from humaskit.backends.folder import FolderArchive

    return FolderArchive(Path(location))


__all__ = ["ReleaseArchive", "has_password", "is_server_uri", "open_archive", "redact"]
