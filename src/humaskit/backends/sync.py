"""``humaskit sync``: a unit's folder archive and the shared archive kept in step.

``sync --to URI`` sends the folder's releases to the server, ``sync --from URI`` brings the
server's releases into the folder (a copy for offline work). A release is compared by the hash
of its record; the folder remembers, per server, the hash both sides had at the last sync
(``<archive>/sync/<server>.json``), so:

- missing on the other side: copied with its id, files and revisions;
- the same on both sides: nothing (running sync twice changes nothing);
- changed on this side only since the last sync: the other side gets it as a new version
  (its previous record kept as a revision);
- changed on the other side only: left alone (the other direction brings it);
- changed on both sides (or never synced and different): reported as a conflict, neither
  side overwritten.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from humaskit.errors import HumasError, InputError
from humaskit.i18n import t

STATE_DIR = "sync"


@dataclass
class SyncReport:
    copied: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    newer_there: list[str] = field(default_factory=list)  # changed on the receiving side only
    conflicts: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # id, why

    def to_json(self) -> dict:
        return {
            "copied": self.copied,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "newer_there": self.newer_there,
            "conflicts": self.conflicts,
            "refused": [{"id": i, "error": e} for i, e in self.refused],
        }


def record_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _state_path(folder: Any, server: Any) -> Path:
    key = hashlib.blake2b(server.location.encode(), digest_size=8).hexdigest()
    return Path(folder.root) / STATE_DIR / f"{key}.json"


def _read_state(path: Path) -> dict[str, str]:
    try:
        return json.loads(path.read_text("utf-8")).get("hashes", {})
    except (FileNotFoundError, ValueError):
        return {}


def sync(folder: Any, server: Any, *, to_server: bool) -> SyncReport:
    """Send (``to_server``) or bring back every release; see the module's rules."""
    from humaskit.archive.fsio import atomic_write_text
    from humaskit.backends.folder import FolderArchive

    if not isinstance(folder, FolderArchive):  # the state and the copy live in a folder
        raise InputError(t("sync.need_folder"))
    folder.ensure()
    state_path = _state_path(folder, server)
    state = _read_state(state_path)
    source, target = (folder, server) if to_server else (server, folder)
    report = SyncReport()
    brought: list[str] = []
    there = set(target.ids())
    try:
        for release_id in source.ids():
            try:
                record = source.record_text(release_id)
                mine = record_hash(record)
                if release_id not in there:
                    _copy(source, target, release_id, record)
                    _merge_publications(source, target, release_id)
                    report.copied.append(release_id)
                    brought.append(release_id)
                    state[release_id] = mine
                    continue
                theirs = record_hash(target.record_text(release_id))
                last = state.get(release_id)
                if theirs == mine:
                    report.unchanged += 1
                    state[release_id] = mine
                elif last is not None and last == theirs:
                    _update(source, target, release_id)
                    report.updated.append(release_id)
                    brought.append(release_id)
                    state[release_id] = record_hash(target.record_text(release_id))
                elif last is not None and last == mine:
                    report.newer_there.append(release_id)
                else:
                    report.conflicts.append(release_id)
            except HumasError as err:  # e.g. another unit's release: row-level security
                report.refused.append((release_id, err.message))
                continue
            try:
                if _merge_publications(source, target, release_id) and release_id not in brought:
                    brought.append(release_id)
            except HumasError as err:
                report.refused.append((release_id, err.message))
    finally:
        text = json.dumps({"location": server.location, "hashes": state}, indent=1)
        atomic_write_text(state_path, text + "\n")
        if brought:
            target.index([target.load(i) for i in brought])
    return report


def _merge_publications(source: Any, target: Any, release_id: str) -> bool:
    """The publication log travels with its release, whatever happened to the record: the
    target keeps its entries and gains the source's other URLs (nothing recorded on either
    side is lost). Returns whether the target changed."""
    mine = source.read_publications(release_id)
    added: list[dict] = []

    def change(theirs: list[dict]) -> list[dict]:
        known = {p.get("url") for p in theirs}
        added.extend(p for p in mine if p.get("url") not in known)
        return theirs + added

    if mine:
        target.update_publications(release_id, change)
    return bool(added)


def _files(source: Any, release_id: str) -> dict[str, bytes]:
    return {name: source.read_file(release_id, name) for name in source.file_names(release_id)}


def _copy(source: Any, target: Any, release_id: str, record: str) -> None:
    meta = {k: v for k, v in source.read_meta(release_id).items() if k != "revision"}
    target.restore(
        release_id,
        record,
        _files(source, release_id),
        source.revision_records(release_id),
        meta,
    )


def _update(source: Any, target: Any, release_id: str) -> None:
    """The source's version as a new version on the target (its old one kept as a revision)."""
    stored = source.load(release_id)
    target.replace(release_id, stored.release, _files(source, release_id))
