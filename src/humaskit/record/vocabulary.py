"""The words humaskit recognises in Indonesian release text, kept in one place.

Day and month names (with the spellings seen on real websites), the words a jabatan starts
with, academic titles and ranks that belong to neither a person's name nor a record's
``name``, and the e-mail and control-character patterns. The importer and the checks read
them from here so that both agree on what a weekday or a jabatan is.
"""

from __future__ import annotations

import re

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "ags": 8, "agt": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")

# Regular-expression alternations (no groups): use inside a larger pattern.
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
DAY_PATTERN = r"Senin|Selasa|Rabu|Kamis|Jum['’`]?at|Sabtu|Minggu|Ahad"
DAY_WORD = re.compile(rf"^(?:{DAY_PATTERN})$", re.IGNORECASE)

# Words a jabatan starts with ("Kepala Rutan Kelas IIB Pelaihari, Fani Andika,").
JABATAN_WORDS = (
    r"Kepala|Kalapas|Karutan|Kabapas|Kakanwil|Kadiv|Kadivpas|Kadivmin|Kadivim|Kasi|Kasubsi|"
    r"Kasubbag|Kasubag|Kabid|Kabag|Kasat|Kasatreskrim|Kasatlantas|Kasatresnarkoba|Kanit|"
    r"Kapolres|Kapolresta|Kapolsek|Kapolda|Kajari|Kajati|Kadis|Kaur|Kakan|Kakankemenag|"
    r"Kakanim|Kasie|Sekretaris|Sekda|Direktur|Dirjen|Sekjen|Inspektur|Menteri|Wakil|Wakapolres|"
    r"Ketua|Koordinator|Rektor|Dekan|Bupati|Wabup|Wali\s+Kota|Walikota|Gubernur|Camat|Lurah|"
    r"Asisten|Komandan|Dandim|Danramil|Pembimbing|Juru\s+Bicara|Jubir|Pejabat|Analis|Penyuluh|"
    r"Kasubdit|Kasubid|Kapala|Plt|Plh|Staf\s+Ahli|Pranata|Kasubsektor|Kepsek|Ka\.\s?\w+"
)

# Jabatan abbreviations that name a role alone ("ujar Karutan"): resolved to the person
# introduced earlier with a title starting with one of the expansions.
ROLE_WORDS = {
    "karutan": ("karutan", "kepala rutan", "kepala rumah tahanan"),
    "kalapas": ("kalapas", "kepala lapas", "kepala lembaga pemasyarakatan"),
    "kabapas": ("kabapas", "kepala bapas", "kepala balai pemasyarakatan"),
    "kakanwil": ("kakanwil", "kepala kantor wilayah", "kepala kanwil"),
    "kapolres": ("kapolres", "kepala kepolisian resor"),
    "kapolsek": ("kapolsek", "kepala kepolisian sektor"),
    "kakanim": ("kakanim", "kepala kantor imigrasi"),
    "bupati": ("bupati",),
    "rektor": ("rektor",),
    "kadis": ("kadis", "kepala dinas"),
}

# Academic degrees and ranks: kept out of a person's ``name`` (the jabatan may keep them).
ACADEMIC_TITLES_PATTERN = (
    r"(?:,?\s*\b(?:S\.?\s?H|M\.?\s?H|S\.?\s?Sos|M\.?\s?Si|S\.?\s?Kom|M\.?\s?Kom|S\.?\s?E|"
    r"M\.?\s?M|S\.?\s?Pd|M\.?\s?Pd|S\.?\s?T|M\.?\s?T|S\.?\s?Ag|M\.?\s?Ag|S\.?\s?IP|M\.?\s?AP|"
    r"S\.?\s?Psi|M\.?\s?Psi|S\.?\s?Ked|S\.?\s?Kep|S\.?\s?Tr\.?\s?Pas|A\.?\s?Md(?:\.?\s?\w+)?|"
    r"Amd|AMd|S\.?\s?Hum|M\.?\s?Hum|S\.?\s?Farm|Apt|Ph\.?\s?D|M\.?\s?Sc|MBA|LL\.?M|"
    r"S\.?\s?H\.?\s?I|M\.?\s?E|S\.?\s?I\.?\s?Kom|M\.?\s?I\.?\s?Kom|CPNS)\b\.?)+\s*$"
)
HONORIFICS_PATTERN = (
    r"^(?:(?:Prof|Dr|Drs|Dra|Ir|H|Hj|KH|Ust|Ustadz|dr|drg|Kompol|AKBP|AKP|Iptu|Ipda|Aiptu|"
    r"Aipda|Bripka|Brigpol|Briptu|Bripda|Brigadir|Kombes(?:\s+Pol)?|Irjen(?:\s+Pol)?|"
    r"Brigjen(?:\s+Pol)?|Letkol|Kolonel|Mayor|Kapten|Serka|Serma|Pelda|Pratu|Kopda|Sertu|"
    r"Bapak|Ibu|Pak|Bu|Sdr|Sdri|Saudara|Saudari)\.?"
    r"(?:\s+Pol\.?)?\s+)+"
)

# A person's name as written, and a jabatan introducing one: "Kepala Rutan X, Fani Andika,".
NAME_WORD = r"(?:[A-Z][a-z]{0,2}\.|[A-Z][A-Za-z'’-]+)"  # "M." "Hj." or a word
NAME = rf"{NAME_WORD}(?:\s+{NAME_WORD}){{0,5}}"
RANK_PATTERN = (
    r"AKBP|Kompol|AKP|Iptu|Ipda|Aiptu|Aipda|Bripka|Brigpol|Briptu|Bripda|Kombes\s+Pol\.?|"
    r"Kombes|Brigjen\s+Pol\.?|Irjen\s+Pol\.?|Letkol|Kolonel|Mayor|Kapten|Dr\.|Drs\.|Ir\.|H\."
)
HONORIFIC_PATTERN = r"Prof\.|Hj\.|KH\.?|dr\.|drg\.|Ust\.|Ustadz|Bapak|Ibu|Pak|Bu"
JABATAN = re.compile(
    rf"(?<![\w])(?P<title>(?:(?:Plt|Plh)\.?\s+)?(?i:{JABATAN_WORDS})\b[^,;:.!?\"“”\n]{{0,150}}?)"
    rf",\s+(?P<name>(?:(?:{RANK_PATTERN}|{HONORIFIC_PATTERN})\s+)*{NAME})(?=\s*(?:[,.;)]|$|\s+[a-z(]))"
)

NEWS_DATE = re.compile(
    rf"\b(?P<wd>{DAY_PATTERN}),?\s*\(\s*(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
    r"(?:\s*/\s*(?P<y>\d{2}|\d{4}))?\s*\)",
    re.IGNORECASE,
)

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# Control characters an imported text may carry (stripped there): not tab, newline or CR.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What a record's text may never hold: C0/C1 controls but tab and newline, line and paragraph
# separators, lone surrogates, and the non-characters U+FFFE/U+FFFF (python-docx and XML
# refuse them).
FORBIDDEN_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
INVISIBLE_CHARS = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")


def weekday_index(name: str) -> int:
    """Monday = 0 … Sunday = 6 for an Indonesian weekday name ("Jum'at", "Ahad")."""
    key = re.sub(r"['’`]", "", name.lower())
    return 6 if key == "ahad" else WEEKDAYS.index(key)
