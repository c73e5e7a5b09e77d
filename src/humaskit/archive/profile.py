"""The unit profile ``humaskit.toml``: who the unit is, and the defaults for its releases."""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from humaskit.errors import InputError
from humaskit.i18n import LANGUAGES, t

PROFILE_NAME = "humaskit.toml"
PAPERS = ("A4", "F4")
TIMEZONES = ("WIB", "WITA", "WIT")


@dataclass
class Profile:
    """Everything in ``humaskit.toml``; paths in it are relative to its folder."""

    unit: str | None = None
    signature: str | None = None
    location: str | None = None
    outlet: str | None = None
    dateline: str | None = None  # "{location}, {outlet}": see docs/profile.md
    timezone: str = "WIB"
    language: str | None = None
    paper: str = "A4"
    letterhead: list[str] = field(default_factory=list)
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    logo: str | None = None
    docx_template: str | None = None
    contact: dict[str, str] = field(default_factory=dict)
    # The archive: a folder (relative to this file) or a shared archive's postgresql:// URI,
    # never with a password (libpq's ~/.pgpass, PGPASSWORD or a service file give it).
    archive: str | None = None
    path: Path | None = None  # where it was read from; not written

    @property
    def folder(self) -> Path | None:
        return self.path.parent if self.path else None

    def resolve(self, value: str | None) -> Path | None:
        """A path from the profile, relative to the profile's folder."""
        if not value:
            return None
        candidate = Path(value).expanduser()
        if not candidate.is_absolute() and self.folder is not None:
            candidate = self.folder / candidate
        return candidate

    @property
    def templates_dir(self) -> Path | None:
        """A unit's own ``templates/`` beside ``humaskit.toml`` overrides the packaged ones."""
        return self.folder / "templates" if self.folder else None

    def record_defaults(self) -> dict[str, Any]:
        """The values a record may leave out because the profile has them."""
        defaults: dict[str, Any] = {
            "location": self.location,
            "outlet": self.outlet,
            "dateline": self.dateline,
            "unit": self.unit,
            "signature": self.signature,
        }
        if self.contact.get("name"):
            defaults["contact"] = dict(self.contact)
        return {k: v for k, v in defaults.items() if v}

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "path" or value in (None, "", [], {}):
                continue
            data[f.name] = value
        return data


_FIELDS = tuple(f.name for f in fields(Profile) if f.name != "path")
_CONTACT_KEYS = ("name", "phone", "email")


MAX_PROFILE_BYTES = 1024 * 1024


def find_profile(start: Path) -> Path | None:
    """The nearest ``humaskit.toml`` in ``start`` or a folder above it."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / PROFILE_NAME
        if candidate.is_file():
            return candidate
    return None


def load_profile(path: Path) -> Profile:
    from humaskit.archive.fsio import read_regular_file

    try:
        data = tomllib.loads(read_regular_file(path, MAX_PROFILE_BYTES).decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(t("profile.not_utf8", path=path)) from None
    except tomllib.TOMLDecodeError as err:
        raise InputError(t("profile.bad_toml", path=path, error=err)) from None
    return profile_from_mapping(data, path)


def profile_from_mapping(data: dict[str, Any], path: Path | None) -> Profile:
    where = path or PROFILE_NAME
    for key in data:
        if key not in _FIELDS:
            near = difflib.get_close_matches(key, _FIELDS, n=1)
            hint = t("record.unknown_key_near", near=near[0]) if near else ""
            raise InputError(t("profile.unknown_key", path=where, key=key, hint=hint))
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "letterhead":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise InputError(t("profile.bad_value", path=where, key=key, expected="[...]"))
            values[key] = [v.strip() for v in value if v.strip()]
        elif key == "contact":
            if not isinstance(value, dict) or any(k not in _CONTACT_KEYS for k in value):
                raise InputError(
                    t("profile.bad_value", path=where, key=key, expected="{name, phone, email}")
                )
            values[key] = {k: str(v).strip() for k, v in value.items() if str(v).strip()}
        elif not isinstance(value, str):
            raise InputError(t("profile.bad_value", path=where, key=key, expected='"..."'))
        else:
            values[key] = value.strip()
    if values.get("archive"):
        from humaskit.archive.location import has_password, is_server_uri

        if is_server_uri(values["archive"]) and has_password(values["archive"]):
            raise InputError(t("profile.archive_password", path=where))
    profile = Profile(**values, path=path)
    profile.paper = profile.paper.upper()
    profile.timezone = profile.timezone.upper()
    if profile.paper not in PAPERS:
        raise InputError(t("profile.choice", path=where, key="paper", choices=", ".join(PAPERS)))
    if profile.timezone not in TIMEZONES:
        raise InputError(
            t("profile.choice", path=where, key="timezone", choices=", ".join(TIMEZONES))
        )
    if profile.dateline:
        from humaskit.record.model import check_dateline

        if problem := check_dateline(profile.dateline, profile.outlet):
            raise InputError(t("profile.bad_field", path=where, key="dateline", problem=problem))
    if profile.language is not None and profile.language not in LANGUAGES:
        raise InputError(
            t("profile.choice", path=where, key="language", choices=", ".join(LANGUAGES))
        )
    return profile


def write_profile(profile: Profile, path: Path) -> None:
    import tomli_w

    from humaskit.archive.fsio import atomic_write_text

    header = "# Profil unit humaskit / humaskit unit profile. Lihat / see: docs/profile.md\n"
    atomic_write_text(path, header + tomli_w.dumps(profile.to_toml()))


def archive_root(
    option: str | Path | None,
    cwd: Path,
    profile_path: Path | None,
    configured: str | None = None,
) -> Path | str:
    """SPEC order: ``--archive``, ``$HUMASKIT_ARCHIVE``, the profile's ``archive`` (relative to
    ``humaskit.toml``), ``archive/`` beside the nearest ``humaskit.toml``, else ``./archive``.
    A ``postgresql://`` URI is returned as it is (a string); a folder as an absolute path."""
    from humaskit.archive.location import is_server_uri

    for given in (option, os.environ.get("HUMASKIT_ARCHIVE", "").strip() or None):
        if given is None or given == "":
            continue
        if is_server_uri(given):
            return str(given).strip()
        return Path(given).expanduser().absolute()
    if profile_path is not None:
        if configured:
            if is_server_uri(configured):
                return configured
            folder = Path(configured).expanduser()
            return folder if folder.is_absolute() else profile_path.parent / folder
        return profile_path.parent / "archive"
    return cwd.absolute() / "archive"
