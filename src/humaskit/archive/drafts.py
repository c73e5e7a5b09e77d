"""Unfinished prompt sessions, kept in ``<archive>/drafts/`` so nothing typed is lost.

A draft is a small YAML file: the answers so far (shaped like a release record, dates as
``YYYY-MM-DD`` text), the section the officer was at, text half-typed into the prompt that
was interrupted, and — for an interrupted ``edit`` — the id of the release being edited.
Drafts are written atomically, so a draft on disk is always complete.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from humaskit.archive.fsio import atomic_write_text, check_confined

DRAFT_SUFFIX = ".yaml"


class DraftHome(Protocol):
    """Any archive: drafts live in its ``drafts_dir`` on this computer (a folder archive's
    ``drafts/``; for a server archive, a folder of the user's)."""

    @property
    def drafts_dir(self) -> Path: ...


@dataclass
class Draft:
    """The answers of one prompt session, saved under ``archive/drafts/``."""

    archive: DraftHome
    answers: dict[str, Any] = field(default_factory=dict)
    step: str = ""
    reviewing: bool = False  # every section has been answered once
    edit_of: str | None = None
    partial: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    saved: str | None = None  # UTC time of the last write, ISO 8601

    @property
    def title(self) -> str:
        value = self.answers.get("title")
        return value.strip() if isinstance(value, str) else ""

    def keep(self) -> Path:
        """Write the draft (atomically); returns where it is."""
        if self.path is None:
            self.path = self.archive.drafts_dir / _new_name()
        self.saved = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        # Nothing on the way from the drafts folder's parent (the archive) is a symlink.
        check_confined(self.archive.drafts_dir.parent, self.path)
        atomic_write_text(self.path, _dump(self._to_data()))
        return self.path

    def discard(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            self.path = None

    def saved_local(self) -> str:
        """When it was saved, in local time, for a person choosing a draft."""
        if not self.saved:
            return ""
        try:
            moment = dt.datetime.fromisoformat(self.saved).astimezone()
        except ValueError:
            return self.saved
        return moment.strftime("%Y-%m-%d %H:%M")

    def _to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"saved": self.saved, "step": self.step}
        if self.reviewing:
            data["reviewing"] = True
        if self.edit_of:
            data["edit_of"] = self.edit_of
        data["answers"] = self.answers
        if self.partial:
            data["partial"] = self.partial
        return data


def new_draft(archive: DraftHome, answers: dict[str, Any] | None = None, **kwargs: Any) -> Draft:
    return Draft(archive, dict(answers or {}), **kwargs)


def list_drafts(archive: DraftHome) -> list[Draft]:
    """Every readable draft, the most recently saved first."""
    folder = archive.drafts_dir
    if folder.is_symlink() or not folder.is_dir():
        return []
    drafts = []
    for path in folder.glob(f"*{DRAFT_SUFFIX}"):
        if path.name.startswith(".") or path.is_symlink():
            continue  # a temp file of a write in progress; a link is never followed
        draft = load_draft(archive, path)
        if draft is not None:
            drafts.append(draft)
    drafts.sort(key=lambda d: (d.saved or "", d.path.name if d.path else ""), reverse=True)
    return drafts


def load_draft(archive: DraftHome, path: Path) -> Draft | None:
    """The draft in ``path``; ``None`` when it is not a draft humaskit can read."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("answers", {}), dict):
        return None
    partial = data.get("partial") or {}
    return Draft(
        archive,
        answers=dict(data.get("answers") or {}),
        step=str(data.get("step") or ""),
        reviewing=data.get("reviewing") is True,
        edit_of=data.get("edit_of") if isinstance(data.get("edit_of"), str) else None,
        partial={str(k): str(v) for k, v in partial.items()} if isinstance(partial, dict) else {},
        path=path,
        saved=str(data["saved"]) if data.get("saved") else None,
    )


def _new_name() -> str:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"draft-{stamp}-{os.getpid()}-{secrets.token_hex(2)}{DRAFT_SUFFIX}"


def _dump(data: dict[str, Any]) -> str:
    import yaml

    header = "# humaskit: draf siaran pers / release draft — lanjutkan: humaskit new --resume\n"
    return header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
