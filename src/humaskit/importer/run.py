"""Bring the back catalogue in: record files and published releases (.txt, .md, .docx).

A published release is text copied from a website or a Word file. ``recover`` turns that text
into raw record data — title, dateline (outlet/location), date, lead, body, speakers with their
jabatan, quotes with verb and speaker, closing, signature — which then goes through
``model.parse_release`` like any record, so there is one set of rules. Web leftovers
("Komentar0", "Bagikan", "Baca juga: …") are dropped on the way.

``import_paths`` drives a whole import: one bad file never stops the rest, a file already
imported (same content hash in ``meta.json``) is not imported twice, and the index is
updated in batches.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from humaskit.document.docx import RECORD_RELTYPE, text_digest
from humaskit.errors import HumasError, InputError, RecordError
from humaskit.i18n import t
from humaskit.record.model import Release, parse_release, read_record_file

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
TEXT_SUFFIXES = (".txt", ".md")
DOCX_SUFFIX = ".docx"
SUPPORTED = (*RECORD_SUFFIXES, *TEXT_SUFFIXES, DOCX_SUFFIX)

MAX_TEXT_BYTES = 4 * 1024 * 1024
MAX_DOCX_BYTES = 25 * 1024 * 1024
MAX_DOCX_UNZIPPED = 80 * 1024 * 1024  # photos included; a zip bomb expands far beyond this
MAX_DOCX_ENTRIES = 2000
MAX_DOCX_RATIO = 200  # a real Word part compresses maybe 10:1; bombs compress 1000:1
INDEX_BATCH = 100
SOURCE_PREFIX = "source"

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}  # fmt: skip
WEEKDAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu")

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_RE = r"Senin|Selasa|Rabu|Kamis|Jum'?at|Sabtu|Minggu|Ahad"
EXPLICIT_DATE = re.compile(
    rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_RE})\.?\s+(?P<y>(?:19|20)\d{{2}})\b"
    r"|\b(?P<d2>\d{1,2})[/.-](?P<m2>\d{1,2})[/.-](?P<y2>(?:19|20)\d{2})\b"
    r"|\b(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})\b",
    re.IGNORECASE,
)
NEWS_DATE = re.compile(
    rf"\b(?P<wd>{_DAY_RE})\s*\(\s*(?P<d>\d{{1,2}})\s*/\s*(?P<m>\d{{1,2}})"
    r"(?:\s*/\s*(?P<y>\d{2}|\d{4}))?\s*\)",
    re.IGNORECASE,
)
LONG_DATE = re.compile(rf"\b(?P<wd>{_DAY_RE}),?\s+(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_RE})\b", re.I)

# Words a jabatan starts with ("Kepala Rutan Kelas IIB Pelaihari, Fani Andika,").
TITLE_WORDS = (
    r"Kepala|Kalapas|Karutan|Kabapas|Kakanwil|Kadiv|Kadivpas|Kasi|Kasubsi|Kasubbag|Kasubag|"
    r"Kabid|Kabag|Kasat|Kanit|Kapolres|Kapolsek|Kapolda|Kajari|Kajati|Kadis|Kaur|Sekretaris|"
    r"Direktur|Dirjen|Sekjen|Inspektur|Menteri|Wakil|Ketua|Koordinator|Rektor|Dekan|Bupati|"
    r"Wali\s+Kota|Walikota|Gubernur|Camat|Lurah|Asisten|Komandan|Dandim|Danramil|Pembimbing|"
    r"Juru\s+Bicara|Jubir|Kabid|Pejabat|Analis|Penyuluh|Kasubdit|Kasubid|Kapala"
)
_NAME_WORD = r"(?:[A-Z][a-z]{0,2}\.|[A-Z][A-Za-z'’-]+)"  # "M." "Hj." or a word
NAME = rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,5}}"
JABATAN = re.compile(
    rf"(?<![\w])(?P<title>(?:(?:Plt|Plh)\.?\s+)?(?:{TITLE_WORDS})\b[^,;:.!?\"“”\n]{{0,150}}?)"
    rf",\s+(?P<name>{NAME})(?=\s*(?:[,.;)]|$|\s+[a-z(]))"
)
_TITLE_SPLIT = re.compile(
    rf"\b(?:serta|bersama|oleh|dari|dan|yakni|yaitu|antara\s+lain)\s+(?=(?:(?:Plt|Plh)\.?\s+)?"
    rf"(?:{TITLE_WORDS})\b)"
)
# Words that make a capitalised run an institution or a jabatan, not a person's name.
_NOT_NAME = {
    "rutan", "lapas", "bapas", "kanwil", "kantor", "bidang", "divisi", "seksi", "direktorat",
    "jenderal", "kementerian", "kelas", "pemasyarakatan", "negara", "dinas", "badan", "tim",
    "polres", "balai", "sub", "bagian", "kepala", "sekretaris", "direktur", "wilayah", "umum",
    "universitas", "pemerintah", "kabupaten", "kota", "provinsi", "imigrasi", "wakil",
}  # fmt: skip

_OPEN = '"“”„«'
_CLOSE = '"”“»'
_ATTRIBUTION = re.compile(r"^\s*,?\s*(?P<verb>[a-z]+)\b\s*(?P<who>[^\"“”]*?)\s*\.?\s*$")
_BEFORE_VERBS = {
    "mengatakan": "kata", "menjelaskan": "jelas", "menegaskan": "tegas",
    "mengungkapkan": "ungkap", "menuturkan": "tutur", "menerangkan": "terang",
    "menambahkan": "tambah", "memaparkan": "papar", "menyampaikan": "ujar",
    "berpesan": "pesan", "mengajak": "ajak", "berharap": "harap", "menyebutkan": "sebut",
    "mengimbau": "ujar", "menandaskan": "tandas",
}  # fmt: skip
_QUOTE_BEFORE = re.compile(
    r"^(?:Menurut\s+(?P<who1>[^\"“”,]{2,160}),|(?P<who2>[^\"“”]{2,160}?)\s+"
    rf"(?P<verb>{'|'.join(_BEFORE_VERBS)}),?)\s*(?:bahwa\s*)?[\"“](?P<text>[^\"“”]+)[\"”]\s*$"
)

# Lines a website wraps around the article.
_JUNK = re.compile(
    r"^(?:komentar\s*\d*|\d+\s*komentar|bagikan(?:\s*:)?|share(?:\s+this)?\s*:?|"
    r"baca\s+juga\s*:.*|editor\s*:.*|pewarta\s*:.*|penulis\s*:.*|reporter\s*:.*|"
    r"fotografer\s*:.*|foto\s*:.*|sumber\s*:.*|kontributor\s*:.*|oleh\s*:.*|"
    r"(?:di)?posting(?:\s+oleh)?\s*:?.*|dipublikasikan.*|kategori\s*:.*|"
    r"(?:home|beranda)\s*[>»/].*|\d+\s*(?:x\s*)?(?:kali\s+dibaca|dibaca|dilihat|views?|shares?|"
    r"suka|likes?)|\d+|facebook|twitter|whatsapp|telegram|linkedin|x|e-?mail|copy\s+link|"
    r"salin\s+tautan|print|cetak|tweet|\([a-z]{1,8}\)|\([a-z]{1,8}/[a-z]{1,8}\)|advertisement|"
    r"iklan|scroll\s+to\s+continue.*|siaran\s+pers|press\s+release|untuk\s+disiarkan\s+segera|"
    r"(?:copyright|hak\s+cipta|©).*)$",
    re.IGNORECASE,
)
_TAGS = re.compile(r"^(?:tags?|label|kata\s+kunci)\s*:\s*(?P<tags>.+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^(?:nomor|no\.?)\s*:?\s*(?P<number>\S.{0,80})$", re.IGNORECASE)
_SIGNATURE = re.compile(r"^[-–—]{1,2}\s*(?P<sig>[^-–—].{1,80})$")
_CONTACT_HEAD = re.compile(r"^\**\s*narahubung\s*:?\s*\**\s*(?P<rest>.*)$", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
_PHONE = re.compile(r"^\+?[\d ()./-]{7,20}$")
_DATELINE = re.compile(r"^(?P<prefix>[A-Z][^\s\"“”].{0,60}?)\s+[-–—]{1,2}\s+(?P<rest>\S.*)$")
_LETTERHEAD = re.compile(
    r"\b(?:KEMENTERIAN|KANTOR WILAYAH|DIREKTORAT|PEMERINTAH|JALAN|JL\.|TELEPON|TELP|FAKS|"
    r"LAMAN|WEBSITE|E-?MAIL|RUMAH TAHANAN|LEMBAGA PEMASYARAKATAN|BALAI|KEPOLISIAN)\b|@|www\.",
)
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_VERB_LEAD = re.compile(
    r"\b(?!melalui\b|mengenai\b|merupakan\b|menjadi\b)(me(?:ng|ny|m|n)?[a-z]{3,}|ber(?!sama\b|"
    r"bagai\b|dasarkan\b|tempat\b)[a-z]{3,}|di[a-z]{3,}kan)\b"
)
_STOP_HEADLINE = {"yang", "pada", "di", "dengan", "melalui", "dalam", "untuk", "bersama",
                  "kepada", "secara", "bertempat", "sebagai", "serta", "guna", "oleh"}  # fmt: skip


# --------------------------------------------------------------------------- reading files


@dataclass
class Source:
    """One input file, read and recovered into raw record data (not yet validated)."""

    path: Path
    data: dict[str, Any]
    original: bytes
    sha256: str
    warnings: list[str] = field(default_factory=list)


class FileProblem(HumasError):
    """One file cannot be imported; the message names the file and what to do."""


def read_source(
    path: Path, *, year: int | None = None, defaults: Mapping[str, Any] | None = None
) -> Source:
    """Read ``path`` and recover its record data; raises :class:`FileProblem`."""
    suffix = path.suffix.lower()
    limit = MAX_DOCX_BYTES if suffix == DOCX_SUFFIX else MAX_TEXT_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise FileProblem(t("import.too_big", source=path, limit=limit // 1024 // 1024))
        original = path.read_bytes()
    except OSError as err:
        raise FileProblem(t("import.unreadable", source=path, error=err.strerror or err)) from None
    digest = hashlib.sha256(original).hexdigest()
    warnings: list[str] = []
    if suffix in RECORD_SUFFIXES:
        try:
            data = read_record_file(path)
        except InputError as err:
            raise FileProblem(err.message) from None
        if not isinstance(data, dict):
            raise FileProblem(t("import.not_record", source=path))
        return Source(path, dict(data), original, digest, warnings)
    hints = Hints(year=year, file_year=_file_year(path), defaults=dict(defaults or {}))
    if suffix == DOCX_SUFFIX:
        lines, embedded, title_hint = read_docx(path, original)
        if embedded is not None:
            photos = embedded.get("photos") or []
            if any(not (path.parent / str(p.get("path", ""))).is_file() for p in photos):
                # A Word file sent on without its release folder: the photos stay behind.
                embedded.pop("photos")
                warnings.append(t("import.photos_dropped", source=path.name))
            return Source(path, embedded, original, digest, warnings)
        hints.title = title_hint
    else:
        text = decode_text(original, path, warnings)
        if suffix == ".md":
            text = _markdown_to_text(text, hints)
        lines = text.split("\n")
    data = recover(lines, hints, warnings)
    return Source(path, data, original, digest, warnings)


def _file_year(path: Path) -> int:
    try:
        return dt.date.fromtimestamp(path.stat().st_mtime).year
    except (OSError, ValueError, OverflowError):
        return dt.date.today().year


def decode_text(raw: bytes, path: Path, warnings: list[str]) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 with a warning; binary data is refused."""
    head = raw[:65536]
    if b"\x00" in head or (head and sum(b < 9 or 13 < b < 32 for b in head) > len(head) // 20):
        raise FileProblem(t("import.binary", source=path))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        raise FileProblem(t("import.encoding", source=path)) from None
    warnings.append(t("import.cp1252", source=path))
    return text


def read_docx(path: Path, raw: bytes) -> tuple[list[str], dict[str, Any] | None, str | None]:
    """Paragraph texts of a Word file, its embedded humaskit record (when its text is
    unchanged), and the headline from a Title/Heading style."""
    _check_zip(path, raw)
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors, ...
        raise FileProblem(t("import.bad_docx", source=path)) from None
    lines: list[str] = []
    title_hint = None
    for paragraph in document.paragraphs:
        text = paragraph.text
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if title_hint is None and text.strip() and style.startswith(("Title", "Heading")):
            title_hint = text.strip()
        lines.extend(text.split("\n"))
        lines.append("")  # Word paragraphs are paragraphs
    embedded = _embedded_record(document, lines)
    return lines, embedded, title_hint


def _check_zip(path: Path, raw: bytes) -> None:
    """Refuse what is not a zip and what would expand far beyond a Word file (zip bomb)."""
    buffer = io.BytesIO(raw)
    if not zipfile.is_zipfile(buffer):
        raise FileProblem(t("import.not_zip", source=path))
    try:
        with zipfile.ZipFile(buffer) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(t("import.not_zip", source=path)) from None
    total = sum(e.file_size for e in entries)
    ratio_bomb = any(
        e.file_size > 1024 * 1024 and e.file_size > MAX_DOCX_RATIO * max(e.compress_size, 1)
        for e in entries
    )
    if len(entries) > MAX_DOCX_ENTRIES or total > MAX_DOCX_UNZIPPED or ratio_bomb:
        raise FileProblem(
            t("import.zip_bomb", source=path, limit=MAX_DOCX_UNZIPPED // 1024 // 1024)
        )


# --------------------------------------------------------------------------- DOCX record stamp


def _embedded_record(document: Any, lines: list[str]) -> dict[str, Any] | None:
    import json

    for rel in document.part.rels.values():
        if rel.reltype != RECORD_RELTYPE or rel.is_external:
            continue
        try:
            payload = json.loads(rel.target_part.blob)
        except (ValueError, AttributeError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("record"), dict):
            return None
        if payload.get("text_sha256") != text_digest(lines):
            return None  # edited in Word after humaskit wrote it
        return payload["record"]
    return None


# --------------------------------------------------------------------------- structure recovery


@dataclass
class Hints:
    year: int | None = None
    file_year: int | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    title: str | None = None
    front: dict[str, Any] = field(default_factory=dict)


def clean_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line).replace("\u00a0", " ").replace("\t", " ")
    line = _CONTROL.sub("", line)
    return " ".join(line.split())


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank-line blocks; inside a block each line is a paragraph unless it was hard-wrapped
    (a line that does not end a sentence, followed by one that starts in lower case)."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in [*lines, ""]:
        line = clean_line(raw)
        if not line:
            if current:
                paragraphs.extend(current)
                current = []
            continue
        if (
            current
            and len(current[-1]) >= 50
            and not current[-1].endswith((".", "!", "?", '"', "”", ":"))
            and line[0].islower()
        ):
            current[-1] = f"{current[-1]} {line}"
        else:
            current.append(line)
    return paragraphs


def recover(lines: list[str], hints: Hints, warnings: list[str]) -> dict[str, Any]:
    """Raw record data from the lines of a published release."""
    data: dict[str, Any] = {}
    tags: list[str] = list(hints.front.get("tags") or [])
    kept: list[str] = []
    dates_seen: list[dt.date] = []
    contact_lines: list[str] | None = None
    for paragraph in _paragraphs(lines):
        if contact_lines is not None:
            contact_lines.append(paragraph)
            continue
        if match := _CONTACT_HEAD.match(paragraph):
            contact_lines = [match.group("rest")] if match.group("rest") else []
            continue
        if match := _TAGS.match(paragraph):
            tags += [
                x.strip(" #") for x in re.split(r"[,;|#]", match.group("tags")) if x.strip(" #")
            ]
            continue
        if not kept and (match := _NUMBER.match(paragraph)):
            data["number"] = match.group("number").strip()
            continue
        if re.fullmatch(r"untuk\s+disiarkan\s+segera", paragraph, re.IGNORECASE):
            data["embargo"] = "segera"
            continue
        if _JUNK.match(paragraph):
            continue
        if _is_date_line(paragraph):
            found = _explicit_dates(paragraph)
            dates_seen.extend(found)
            continue
        if not kept and paragraph.isupper() and _LETTERHEAD.search(paragraph):
            continue
        kept.append(paragraph)

    if contact_lines:
        data["contact"] = _contact(contact_lines)
    if tags:
        data["tags"] = tags

    # Signature: "- Rutan Pelaihari" at the end.
    while kept and (match := _SIGNATURE.match(kept[-1])) and len(kept[-1].split()) <= 9:
        data.setdefault("signature", match.group("sig").strip())
        kept.pop()

    # Title: the lines before the one with the dateline (one or two lines).
    lead_at = next((i for i, p in enumerate(kept) if _dateline(p, hints) is not None), None)
    if lead_at is None:
        lead_at = 1 if len(kept) > 2 and _looks_like_title(kept[0]) else 0
    title_lines = [p for p in kept[:lead_at] if _looks_like_title(p)][-2:]
    if title_lines:
        data["title"] = " ".join(title_lines)
    elif hints.title or hints.front.get("title"):
        data["title"] = hints.title or hints.front.get("title")
    paragraphs = kept[lead_at:]
    if not paragraphs:
        return _finish(data, hints)

    lead = paragraphs[0]
    dateline = _dateline(lead, hints)
    if dateline is not None:
        prefix, lead = dateline
        location, outlet, prefix_date = _parse_prefix(prefix, hints)
        if location:
            data["location"] = location
        if outlet:
            data["outlet"] = outlet
        if prefix_date:
            dates_seen.insert(0, prefix_date)
    data["lead"] = lead
    rest = paragraphs[1:]

    text = "\n".join(paragraphs)
    if hints.front.get("date"):
        data["date"] = str(hints.front["date"])
    elif (date := _recover_date(lead, text, dates_seen, hints, warnings)) is not None:
        data["date"] = date.isoformat()

    speakers = _find_speakers([lead, *rest])
    for entry in hints.front.get("speakers") or []:
        if isinstance(entry, dict) and entry.get("name") and entry.get("title"):
            existing = next((s for s in speakers if s["name"] == entry["name"]), None)
            if existing:
                existing["title"] = entry["title"]
            else:
                speakers.append({"name": entry["name"], "title": entry["title"]})
    body, quotes = _split_quotes(lead, rest, speakers, warnings)

    if body:
        last = body.pop()
        if last.startswith("\x00quote"):  # the release ends on a quote
            index = int(last.split(":", 1)[1])
            quote = quotes.pop(index)
            data["closing"] = quote["_raw"]
            warnings.append(t("import.closing_is_quote"))
        else:
            data["closing"] = last
    data["body"] = [p for p in body if not p.startswith("\x00quote")]
    data["quotes"] = [{k: v for k, v in q.items() if not k.startswith("_")} for q in quotes]
    used = {q["speaker"] for q in data["quotes"]}
    data["speakers"] = [s for s in speakers if s["name"] in used or s.get("_intro")]
    for s in data["speakers"]:
        s.pop("_intro", None)
    if "title" not in data:
        made = _title_from_lead(lead, data.get("signature") or hints.defaults.get("signature"))
        if made:
            data["title"] = made
            warnings.append(t("import.title_made", title=made))
    return _finish(data, hints)


def _finish(data: dict[str, Any], hints: Hints) -> dict[str, Any]:
    if hints.front.get("unit") and "unit" not in data:
        data["unit"] = hints.front["unit"]
    return {k: v for k, v in data.items() if v not in (None, "", [])}


def _looks_like_title(paragraph: str) -> bool:
    words = paragraph.split()
    return 1 < len(words) <= 25 and not paragraph.endswith((".", ",", ":", ";"))


def _is_date_line(paragraph: str) -> bool:
    """A line that is only a publication date/time ("Kamis, 6 Februari 2025 10:00 WIB")."""
    if not _explicit_dates(paragraph) or len(paragraph.split()) > 9:
        return False
    rest = EXPLICIT_DATE.sub("", paragraph)
    rest = re.sub(
        rf"{_DAY_RE}|\d{{1,2}}[:.]\d{{2}}|WIB|WITA|WIT|pukul|[,|/()-]", "", rest, flags=re.I
    )
    return len(rest.split()) <= 2


def _dateline(paragraph: str, hints: Hints) -> tuple[str, str] | None:
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    prefix = match.group("prefix").strip()
    if len(prefix.split()) > 7 or re.search(r"[.!?]\s", prefix):
        return None
    return prefix, match.group("rest")


def _parse_prefix(prefix: str, hints: Hints) -> tuple[str | None, str | None, dt.date | None]:
    """ "Pelaihari, INFO_PAS", "Jakarta (ANTARA)", "Wartanesia", "Banjarmasin, 6/2/2025"."""
    prefix_date = next(iter(_explicit_dates(prefix)), None)
    prefix = EXPLICIT_DATE.sub("", prefix).strip(" ,")
    location = outlet = None
    if match := re.fullmatch(r"(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)", prefix):
        location, outlet = match.group("a"), match.group("b")
    elif "," in prefix:
        location, outlet = (part.strip() for part in prefix.split(",", 1))
    else:
        # One name before the dash: the town when it is the profile's (or there is no other
        # town to use), else the outlet ("Wartanesia - ").
        known = str(hints.defaults.get("location") or "").casefold()
        if not known or prefix.casefold() == known or prefix.isupper():
            location = prefix
        else:
            outlet = prefix
    if location and location.isupper() and len(location) > 3:
        location = location.title()
    return location or None, outlet or None, prefix_date


def _explicit_dates(text: str) -> list[dt.date]:
    found: list[dt.date] = []
    for match in EXPLICIT_DATE.finditer(text):
        try:
            if match.group("d"):
                day, month = int(match.group("d")), MONTHS[match.group("m").lower()]
                year = int(match.group("y"))
            elif match.group("d2"):
                day, month, year = (int(match.group(g)) for g in ("d2", "m2", "y2"))
            else:
                day, month, year = (int(match.group(g)) for g in ("d3", "m3", "y3"))
            found.append(dt.date(year, month, day))
        except (ValueError, KeyError):
            continue
    return found


def weekday_index(name: str) -> int:
    key = name.lower().replace("'", "")
    return 6 if key == "ahad" else WEEKDAYS.index(key)


def _recover_date(
    lead: str, text: str, dates_seen: list[dt.date], hints: Hints, warnings: list[str]
) -> dt.date | None:
    """The activity day: the news form in the lead ("Kamis (6/2)") with its year, or the
    first explicit date; the year comes from the text, ``--year`` or the file's date, and
    the weekday is checked against it."""
    news = NEWS_DATE.search(lead) or NEWS_DATE.search(text)
    explicit = _explicit_dates(lead) or dates_seen or _explicit_dates(text)
    if news is None:
        if explicit:
            return explicit[0]
        long = LONG_DATE.search(lead)
        if long is None:
            return None
        day, month, weekday = int(long["d"]), MONTHS[long["m"].lower()], long["wd"]
        own_year = None
    else:
        day, month, weekday = int(news["d"]), int(news["m"]), news["wd"]
        own_year = int(news["y"]) + (2000 if len(news["y"]) == 2 else 0) if news["y"] else None
    wanted = weekday_index(weekday)
    if own_year is not None:
        candidates, guessed = [own_year], False
    elif explicit:
        # A page dated 2 January 2026 reports an activity of 30 December 2025.
        published = explicit[0]
        year = published.year - (1 if (month, day) > (published.month, published.day) else 0)
        candidates, guessed = [year], False
    elif hints.year is not None:
        candidates, guessed = [hints.year], False
    else:
        base = hints.file_year or dt.date.today().year
        candidates, guessed = [base - k for k in range(8)], True
    for year in candidates:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date.weekday() == wanted:
            if guessed and year != candidates[0]:
                warnings.append(t("import.year_from_weekday", date=date.isoformat(), day=weekday))
            return date
    try:
        date = dt.date(candidates[0], month, day)
    except ValueError:
        return None
    warnings.append(t("import.weekday_mismatch", date=date.isoformat(), day=weekday))
    return date


def _clean_name(name: str) -> str:
    name = name.strip().rstrip(".,")
    # "M." is an initial; a trailing "." after a full word is the end of the sentence.
    return name


def _valid_name(name: str) -> bool:
    words = name.split()
    return bool(words) and not any(w.lower().strip(".") in _NOT_NAME for w in words)


def _clean_title(title: str) -> str:
    parts = _TITLE_SPLIT.split(title)
    return " ".join(parts[-1].split())


def _find_speakers(paragraphs: list[str]) -> list[dict[str, Any]]:
    """Everyone introduced as "Jabatan, Nama," in order of first appearance."""
    speakers: list[dict[str, Any]] = []
    for paragraph in paragraphs:
        for match in JABATAN.finditer(paragraph):
            name = _clean_name(match.group("name"))
            if not _valid_name(name) or any(s["name"] == name for s in speakers):
                continue
            speakers.append(
                {"name": name, "title": _clean_title(match.group("title")), "_intro": True}
            )
    return speakers


def _resolve(who: str, speakers: list[dict[str, Any]]) -> dict[str, Any] | None:
    who = _clean_name(who)
    for speaker in speakers:
        if speaker["name"] == who:
            return speaker
    words = who.split()
    for speaker in speakers:
        names = speaker["name"].split()
        for i in range(len(names) - len(words) + 1):
            if names[i : i + len(words)] == words:
                if who != speaker["name"]:
                    speaker.setdefault("short", who)
                return speaker
    return None


def _last_mentioned(paragraphs: list[str], speakers: list[dict[str, Any]]) -> dict[str, Any] | None:
    for paragraph in reversed(paragraphs):
        best, where = None, -1
        for speaker in speakers:
            for name in (speaker["name"], speaker.get("short")):
                if name and (pos := paragraph.rfind(name)) > where:
                    best, where = speaker, pos
        if best is not None:
            return best
    return None


def _split_quotes(
    lead: str, paragraphs: list[str], speakers: list[dict[str, Any]], warnings: list[str]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Body paragraphs and quotes; a quote's place in the body is marked so the closing can
    tell whether the release ends on a quote."""
    body: list[str] = []
    quotes: list[dict[str, Any]] = []
    seen = [lead]
    for paragraph in paragraphs:
        quote = _parse_quote(paragraph, speakers, seen, warnings)
        if quote is None:
            body.append(paragraph)
        else:
            quote["_raw"] = paragraph
            body.append(f"\x00quote:{len(quotes)}")
            quotes.append(quote)
        seen.append(paragraph)
    return body, quotes


def _parse_quote(
    paragraph: str, speakers: list[dict[str, Any]], seen: list[str], warnings: list[str]
) -> dict[str, Any] | None:
    text = verb = who = None
    if paragraph[:1] in _OPEN:
        close = max(paragraph.rfind(mark) for mark in _CLOSE)
        if close <= 0:
            return None
        tail = _ATTRIBUTION.match(paragraph[close + 1 :])
        if tail is None:
            return None
        text = paragraph[1:close]
        verb, who = tail.group("verb"), tail.group("who")
        if any(mark in text for mark in '"“”'):
            return None  # several quoted passages in one paragraph: keep it as it is
    elif match := _QUOTE_BEFORE.match(paragraph):
        text = match.group("text")
        verb = _BEFORE_VERBS.get(match.group("verb") or "", "kata")
        who = (match.group("who1") or match.group("who2") or "").strip(" ,")
    else:
        return None
    text = text.strip().rstrip(",").strip()
    if not text.endswith(("?", "!")):
        text = text.rstrip(".").strip()
    speaker = None
    if who in ("", None) or (who and who.lower() in ("ia", "dia", "beliau")):
        if verb.endswith("nya"):
            verb = verb[:-3]
        speaker = _last_mentioned(seen, speakers)
    else:
        if verb.endswith("nya") and len(verb) > 5:
            verb = verb[:-3]
        if intro := JABATAN.fullmatch(who.rstrip(".")) or JABATAN.match(who):
            name = _clean_name(intro.group("name"))
            rest = who[intro.end() :].strip(" .,")
            if rest or not _valid_name(name):
                return None
            speaker = _resolve(name, speakers)
            if speaker is None:
                speaker = {"name": name, "title": _clean_title(intro.group("title"))}
                speakers.append(speaker)
        else:
            match = re.match(NAME, who)
            if match is None or who[match.end() :].strip(" ."):
                return None  # context after the name would be lost: keep the paragraph
            speaker = _resolve(match.group(), speakers)
            if speaker is None:
                warnings.append(t("import.unknown_speaker", name=_clean_name(match.group())))
                return None
    if speaker is None or not text:
        return None
    return {"speaker": speaker["name"], "text": text, "verb": verb}


def _contact(lines: list[str]) -> dict[str, str]:
    contact: dict[str, str] = {}
    for line in lines:
        value = line.strip(" *")
        if not value:
            continue
        if email := _EMAIL.search(value):
            contact.setdefault("email", email.group())
        elif _PHONE.match(value) or re.match(r"^(?:telp|hp|wa|telepon)\.?\s*:?", value, re.I):
            contact.setdefault("phone", re.sub(r"^[A-Za-z. ]+:?\s*", "", value) or value)
        else:
            contact.setdefault("name", value)
    return contact


def _title_from_lead(lead: str, subject: str | None) -> str | None:
    """A draft headline when the text has none: the unit and the lead's first verb phrase."""
    match = _VERB_LEAD.search(lead)
    if not match or not subject:
        return None
    words: list[str] = []
    for word in lead[match.start() :].split():
        bare = word.strip(',.;:()"“”')
        if words and bare.lower() in _STOP_HEADLINE:
            break
        words.append(bare)
        if word[-1:] in ",.;:" or len(words) >= 6:
            break
    phrase = " ".join(w[:1].upper() + w[1:] for w in words)
    return f"{subject} {phrase}" if phrase else None


def _markdown_to_text(text: str, hints: Hints) -> str:
    """Markdown (humaskit's own or from a website) to plain lines; front matter to hints."""
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        head, text = text[4:].split("\n---\n", 1)
        try:
            from humaskit.record.model import load_stored_yaml

            front = load_stored_yaml(head)
        except Exception:  # a broken front matter is just text we do not use
            front = None
        if isinstance(front, dict):
            hints.front = front
    lines: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("![") or re.fullmatch(r"\*[^*].*\*", stripped):
            continue  # photos and their captions
        if match := re.match(r"^#{1,6}\s+(.*)$", stripped):
            if hints.title is None:
                hints.title = match.group(1).strip()
                lines.append("")
                continue
            stripped = match.group(1)
        stripped = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), stripped)
        stripped = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", stripped)
        hard_break = line.endswith(("  ", "\\"))
        lines.append(stripped.rstrip("\\").rstrip() + ("\n" if hard_break else " "))
    # A Markdown paragraph is a block of lines; a single line break is only a soft wrap.
    blocks = "".join(line if line.strip() else "\n\n" for line in lines)
    return "\n".join(" ".join(b.split()) for b in re.split(r"\n", blocks))


# --------------------------------------------------------------------------- whole imports


@dataclass
class Outcome:
    """What happened to one file: imported, already there, would be imported, or failed."""

    source: str
    status: str  # imported | exists | ready | failed
    id: str | None = None
    title: str | None = None
    date: str | None = None
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "source": self.source, "status": self.status}
        if self.warnings:
            data["warnings"] = self.warnings
        if self.missing:
            data["missing"] = self.missing
        if self.error:
            data["error"] = self.error
        return data


def collect_files(paths: list[Path]) -> list[Path]:
    """The files to import, folders walked recursively in a stable order. A PATH that does not
    exist is bad usage (exit 2)."""
    files: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise InputError(t("import.no_path", path=path))
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not p.name.startswith(("~$", SOURCE_PREFIX + "."))
                and not _rendered_copy(p)
            )
        else:
            found = [path]
        for file in found:
            key = file.resolve()
            if key not in seen:
                seen.add(key)
                files.append(file)
    return files


def _rendered_copy(path: Path) -> bool:
    """Inside a humaskit archive only ``release.yaml`` is the release; its .md, .docx and
    revisions are copies, and the index and drafts are not releases at all."""
    from humaskit.archive.store import (
        DRAFTS_DIR,
        INDEX_DIR,
        RECORD_FILE,
        RELEASES_DIR,
        REVISIONS_DIR,
    )

    for folder in path.parents:  # an archive's index and drafts are not releases
        if folder.name in (INDEX_DIR, DRAFTS_DIR) and (folder.parent / RELEASES_DIR).is_dir():
            return True
    if path.name != RECORD_FILE and (path.parent / RECORD_FILE).is_file():
        return True
    return path.parent.name == REVISIONS_DIR and (path.parent.parent / RECORD_FILE).is_file()


def imported_hashes(archive: Any) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for release_id in archive.ids():
        digest = archive.read_meta(release_id).get("source_sha256")
        if digest:
            hashes[digest] = release_id
    return hashes


def import_paths(
    archive: Any,
    paths: list[Path],
    *,
    profile: Any,
    defaults: Mapping[str, Any],
    year: int | None = None,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Import every file under ``paths``; returns one outcome per file, in order."""
    from humaskit.archive.store import base_id
    from humaskit.releases import index_saved, save_new

    files = collect_files(paths)
    known = imported_hashes(archive)
    outcomes: list[Outcome] = []
    batch: list[Any] = []
    for number, path in enumerate(files, start=1):
        outcome = Outcome(source=str(path), status="failed")
        outcomes.append(outcome)
        try:
            source = read_source(path, year=year, defaults=defaults)
            outcome.warnings = source.warnings
            if source.sha256 in known:
                outcome.status, outcome.id = "exists", known[source.sha256]
                outcome.warnings = []
                continue
            release = _validate(source, defaults, outcome)
            if release is None:
                continue
            outcome.title, outcome.date = release.title, release.date.isoformat()
            if dry_run:
                outcome.status, outcome.id = "ready", base_id(release)
                known[source.sha256] = outcome.id
                continue
            extra = {f"{SOURCE_PREFIX}{path.suffix.lower()}": source.original}
            saved = save_new(
                archive,
                release,
                profile,
                path.parent.absolute(),
                meta={"source_sha256": source.sha256, "source_name": path.name},
                extra_files=extra,
                index=False,
            )
            outcome.status, outcome.id = "imported", saved.id
            known[source.sha256] = saved.id
            batch.append(saved.id)
        except FileProblem as err:
            outcome.error = err.message
        except HumasError as err:  # a photo that is missing, a template error, ...
            outcome.error = f"{path}: {err.message}"
        finally:
            if len(batch) >= INDEX_BATCH:
                index_saved(archive, list(archive.iter_releases(batch)))
                batch = []
            if progress is not None:
                progress(number, len(files))
    if batch:
        index_saved(archive, list(archive.iter_releases(batch)))
    return outcomes


def _validate(source: Source, defaults: Mapping[str, Any], outcome: Outcome) -> Release | None:
    try:
        return parse_release(source.data, defaults=defaults, source=str(source.path))
    except RecordError as err:
        outcome.missing = sorted({p.field.split("[")[0].split(".")[0] for p in err.problems})
        details = "; ".join(str(p).rstrip(".") for p in err.problems)
        outcome.error = t("import.invalid", source=source.path, problems=details)
        return None


def recover_release(
    path: Path, *, defaults: Mapping[str, Any] | None = None, year: int | None = None
) -> Release:
    """One published release or record file as a validated release (for ``check FILE``)."""
    try:
        source = read_source(path, year=year, defaults=defaults)
    except FileProblem as err:
        raise InputError(err.message) from None
    return parse_release(source.data, defaults=defaults, source=str(path))
