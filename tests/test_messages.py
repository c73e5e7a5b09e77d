"""The message catalogues: both languages say the same things, and every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from humaskit.i18n import LANGUAGES, catalogue

SRC = Path(__file__).parent.parent / "src" / "humaskit"
# t("section.key" ...) with a literal key; keys built with f-strings are checked below.
USED_KEY = re.compile(r"""\bt\(\s*["']([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_language_has_the_same_keys() -> None:
    indonesian = set(catalogue("id"))
    for language in LANGUAGES:
        keys = set(catalogue(language))
        assert sorted(indonesian - keys) == [], f"missing in {language}.toml"
        assert sorted(keys - indonesian) == [], f"missing in id.toml (present in {language})"


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "id"])
def test_every_message_has_the_same_placeholders(language: str) -> None:
    indonesian, other = catalogue("id"), catalogue(language)
    different = {
        key: (sorted(placeholders(text)), sorted(placeholders(other[key])))
        for key, text in indonesian.items()
        if key in other and placeholders(text) != placeholders(other[key])
    }
    assert different == {}


def test_every_key_used_in_the_source_exists() -> None:
    known = set(catalogue("id"))
    missing = {
        f"{path.relative_to(SRC)}: {key}"
        for path in SRC.rglob("*.py")
        for key in USED_KEY.findall(path.read_text(encoding="utf-8"))
        if key not in known
    }
    assert sorted(missing) == []


def test_keys_built_by_the_prompts_exist() -> None:
    from humaskit.prompts.flows import REVIEW, SECTIONS

    known = set(catalogue("id"))
    built = [f"prompts.section_{s}" for s in (*SECTIONS, REVIEW)]
    built += [f"prompts.{k}" for k in ("location", "outlet", "unit", "signature")]
    built += [f"prompts.profile_{k}" for k in ("unit", "signature", "location", "outlet")]
    built += [f"prompts.profile_{k}" for k in ("address", "phone")]
    assert [key for key in built if key not in known] == []
