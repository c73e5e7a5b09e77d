"""Where an archive is: a folder, or a shared archive's ``postgresql://`` URI (whose password,
when one is written in it, never reaches a message or the profile)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit, urlunsplit

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
