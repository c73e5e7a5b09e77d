"""User-facing text: one catalogue per language in ``locale/<lang>.toml``.

Indonesian is the default; ``HUMASKIT_LANG=en`` (or ``language = "en"`` in the unit
profile) switches to English. The environment wins over the profile.
"""

from __future__ import annotations

import os
import tomllib
from functools import cache

from humaskit.packaged import packaged_file

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

_profile_language: str | None = None


def set_profile_language(language: str | None) -> None:
    """Record the profile's language; ``HUMASKIT_LANG`` still overrides it."""
    global _profile_language
    _profile_language = language if language in LANGUAGES else None


def current_language() -> str:
    env = os.environ.get("HUMASKIT_LANG", "").strip().lower()[:2]
    if env in LANGUAGES:
        return env
    return _profile_language or DEFAULT_LANGUAGE


@cache
def catalogue(language: str) -> dict[str, str]:
    text = packaged_file("locale", f"{language}.toml").read_text("utf-8")
    return _flatten(tomllib.loads(text))


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def t(key: str, /, **values: object) -> str:
    """The message ``key`` in the current language, with ``{placeholders}`` filled in."""
    text = catalogue(current_language()).get(key) or catalogue(DEFAULT_LANGUAGE)[key]
    return text.format(**values) if values else text
