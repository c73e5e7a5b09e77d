"""The acronym and synonym list: ``data/synonyms.txt``, extended by a unit's own file.

A line ``a = b = c`` makes every form find the others ("lapas" finds "lembaga
pemasyarakatan" and back). Forms are tuples of words as ``analysis.words`` gives them.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from humaskit.errors import InputError
from humaskit.i18n import t
from humaskit.packaged import packaged_file
from humaskit.search.analysis import words

SYNONYMS_FILE = "synonyms.txt"

Form = tuple[str, ...]
Table = dict[Form, set[Form]]


def parse_synonyms(text: str) -> Table:
    """``a = b = c`` lines -> every form with the other forms of its lines."""
    table: Table = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        forms = [tuple(words(part)) for part in line.split("=")]
        forms = [f for f in dict.fromkeys(forms) if f]
        for form in forms:
            table.setdefault(form, set()).update(f for f in forms if f != form)
    return table


@cache
def packaged_text() -> str:
    """The text of the list shipped with humaskit (read once per process)."""
    return packaged_file("data", SYNONYMS_FILE).read_text("utf-8")


@cache
def packaged_synonyms() -> Table:
    """The list shipped with humaskit (read once per process; do not modify it)."""
    return parse_synonyms(packaged_text())


_extended: dict[tuple[str, int, int], Table] = {}


def load_synonyms(extra: Path | None = None) -> Table:
    """The packaged list, extended by a unit's ``synonyms.txt`` beside ``humaskit.toml``.

    Read once per process (again when the unit's file changes). Do not modify the table.
    """
    try:
        stat = extra.stat() if extra is not None else None
    except OSError:
        stat = None
    if extra is None or stat is None or not extra.is_file():
        return packaged_synonyms()
    key = (str(extra), stat.st_mtime_ns, stat.st_size)
    found = _extended.get(key)
    if found is not None:
        return found
    table = {form: set(alts) for form, alts in packaged_synonyms().items()}
    try:
        text = extra.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(t("search.bad_synonyms", path=extra, error=err)) from None
    for form, alts in parse_synonyms(text).items():
        table.setdefault(form, set()).update(alts)
    _extended.clear()
    _extended[key] = table
    return table
