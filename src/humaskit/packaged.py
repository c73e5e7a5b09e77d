"""Files shipped inside the humaskit package: message catalogues, word lists, templates.

Read by path beside this module (humaskit is installed as files, never run from a zip):
``importlib.resources`` would give the same files but costs a search process ~2 ms of
imports (``zipfile`` and its readers) for nothing.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def packaged_file(*parts: str) -> Path:
    """``humaskit/<parts...>``, e.g. ``packaged_file("data", "synonyms.txt")``."""
    return PACKAGE_DIR.joinpath(*parts)
