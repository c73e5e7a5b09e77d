"""The acronym and synonym list: ``data/synonyms.txt``, extended by a unit's own file.

A line ``a = b = c`` makes every form find the others ("lapas" finds "lembaga
pemasyarakatan" and back). Forms are tuples of words as ``analysis.words`` gives them.
"""

from __future__ import annotations

import re
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


_CLASS = re.compile(r"\s+(?:Kelas\s+[IVX]+[AB]?(?:\s+Khusus)?|TPI)(?=\s|$)", re.IGNORECASE)


def short_unit_name(unit: str) -> str:
    """The signature a unit's full name suggests: the institution by the acronym the list
    knows for it, then the rest of the name without its class ("Lembaga Pemasyarakatan
    Kelas IIA Banjarmasin" -> "Lapas Banjarmasin", "Kantor Imigrasi Kelas II TPI Medan" ->
    "Kanim Medan"); "" when the list has no acronym for the name's beginning."""
    table = packaged_synonyms()
    names = unit.split()
    for count in range(len(names), 1, -1):  # the longest beginning the list knows
        beginning = tuple(words(" ".join(names[:count])))
        acronyms = [alt[0] for alt in table.get(beginning, ()) if len(alt) == 1]
        if len(beginning) > 1 and acronyms:
            acronym = min(acronyms, key=lambda a: (len(a), a))
            short = acronym.capitalize() if len(acronym) >= 5 else acronym.upper()
            place = _CLASS.sub("", " " + " ".join(names[count:])).strip()
            return f"{short} {place}".strip()
    return ""


def unit_place(unit: str) -> str:
    """The town a unit's full name ends with, for the dateline ("Lembaga Pemasyarakatan
    Kelas IIA Banjarmasin" -> "Banjarmasin", "… Kabupaten Bengkulu" -> "Bengkulu"); "" when
    the name is not an institution the acronym list knows followed by one or two words."""
    short = short_unit_name(unit)
    place = short.split(" ", 1)[1] if " " in short else ""
    place = re.sub(r"^(?:Kabupaten|Kab\.|Kota)\s+", "", place, flags=re.IGNORECASE)
    return place if 0 < len(place.split()) <= 2 else ""


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
