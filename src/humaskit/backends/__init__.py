"""The archives the commands work on, behind one interface (:class:`ReleaseArchive`).

``open_archive(location)`` picks the implementation: a folder path gives the folder archive
(release files + a Whoosh index); the commands never ask which one they have.
"""

from __future__ import annotations

from pathlib import Path

from humaskit.backends.protocol import ReleaseArchive


def open_archive(location: Path) -> ReleaseArchive:
    """The archive at ``location`` (a folder)."""
    from humaskit.backends.folder import FolderArchive

    return FolderArchive(location)


__all__ = ["ReleaseArchive", "open_archive"]
