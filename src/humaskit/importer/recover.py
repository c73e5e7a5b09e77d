"""Structure recovery: the text of a published release back into raw record data.

``recover`` takes the lines of a release as published (copied from a website, a Word file,
a saved page, a WordPress post) and finds the headline, the dateline (outlet/location), the
date, the lead, the body, the speakers with their jabatan, the quotes with verb and speaker,
the closing and the unit's signature. Page furniture ("Baca juga: …", share buttons, view
counters, "Berita Terkini" lists, weather widgets) is dropped; credits (reporter/editor
lines, "(ado/met)", "[KM-04]", "Sumber: …") are kept apart, never taken as the unit.

Where the text is ambiguous it stays body text: a quote is structured only when its speaker
is known, and a date is never made up — without one the field stays empty and the caller
says how to give it (``--date``/``--year``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from humaskit.i18n import t
from humaskit.record.model import fill_dateline
from humaskit.record.vocabulary import (
    ACADEMIC_TITLES_PATTERN,
    CONTROL_CHARS,
    DAY_PATTERN,
    DAY_WORD,
    EMAIL,
    HONORIFIC_PATTERN,
    HONORIFICS_PATTERN,
    INVISIBLE_CHARS,
    JABATAN,
    JABATAN_WORDS,
    MONTH_PATTERN,
    MONTHS,
    NAME,
    NEWS_DATE,
    RANK_PATTERN,
    ROLE_WORDS,
    weekday_index,
)

EXPLICIT_DATE = re.compile(
    rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{MONTH_PATTERN})\.?\s+(?P<y>(?:19|20)\d{{2}})\b"
    r"|\b(?P<d2>\d{1,2})[/.-](?P<m2>\d{1,2})[/.-](?P<y2>(?:19|20)\d{2})\b"
    r"|\b(?P<y3>(?:19|20)\d{2})-(?P<m3>\d{2})-(?P<d3>\d{2})\b"
    rf"|\b(?P<m4>{MONTH_PATTERN})\.?\s+(?P<d4>\d{{1,2}}),?\s+(?P<y4>(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
ACADEMIC_TITLES = re.compile(ACADEMIC_TITLES_PATTERN)
HONORIFICS = re.compile(HONORIFICS_PATTERN)
LONG_DATE = re.compile(
    rf"\b(?P<wd>{DAY_PATTERN}),?\s+(?P<d>\d{{1,2}})\s+(?P<m>{MONTH_PATTERN})\b", re.I
)

# "Kapolres Dumai AKBP Dedi Supriadi mengatakan": a rank marks where the name starts.
JABATAN_RANK = re.compile(
    rf"(?<![\w])(?P<title>(?:{JABATAN_WORDS})\b[^,;:.!?\"“”\n]{{0,120}}?)\s+"
    rf"(?P<name>(?:{RANK_PATTERN})\s+{NAME})(?=\s*(?:[,.;)]|$|\s+[a-z(]))"
)
_TITLE_SPLIT = re.compile(
    rf"\b(?:serta|bersama|oleh|dari|dan|yakni|yaitu|antara\s+lain)\s+(?=(?:(?:Plt|Plh)\.?\s+)?"
    rf"(?:{JABATAN_WORDS})\b)"
)
# Words that make a capitalised run an institution, a place or a jabatan, not a name.
_NOT_NAME = {
    "rutan", "lapas", "bapas", "lpka", "kanwil", "kantor", "bidang", "divisi", "seksi",
    "direktorat", "jenderal", "kementerian", "kelas", "pemasyarakatan", "negara", "dinas",
    "badan", "tim", "polres", "polsek", "polda", "balai", "sub", "bagian", "kepala",
    "sekretaris", "direktur", "wilayah", "umum", "universitas", "pemerintah", "kabupaten",
    "kota", "provinsi", "imigrasi", "wakil", "petugas", "staf", "ahli", "bupati", "pegawai",
    "humas", "kemenkumham", "kemenag", "diskominfo", "kominfo", "pemkab", "pemkot", "warga",
    "binaan", "ketua", "anggota", "kalsel", "kaltim", "kalbar", "kalteng", "kaltara", "jatim",
    "jabar", "jateng", "sumut", "sumbar", "sumsel", "sulsel", "sulut", "sulteng", "sultra",
    "sulbar", "ntb", "ntt", "dki", "diy", "kepri", "babel", "malut", "wbp", "asn", "satuan",
    "fakultas", "program", "studi", "lembaga", "rumah", "tahanan", "karutan", "kalapas",
    "kabapas", "kakanwil", "kapolres", "kapolsek", "camat", "lurah", "rektor", "dekan",
    "menteri", "gubernur", "amd", "klien", "narapidana", "masyarakat", "peserta",
}  # fmt: skip

_OPEN = '"“”„«'
_CLOSE = '"”“»'
_VERB_WORDS = (
    r"ujar|kata|ungkap|jelas|tegas|tutur|terang|imbuh|pungkas|lanjut|papar|tandas|sebut|"
    r"tambah|harap|ajak|pesan|ucap|tukas|seru|sambung|urai|beber|paparnya|katanya"
)
_ATTRIBUTION = re.compile(
    rf"^\s*[,.]?\s*(?P<verb>(?:{_VERB_WORDS})(?:nya)?)\b\s*(?P<who>[^\"“”]*?)\s*[.]?\s*$",
    re.IGNORECASE,
)
_BEFORE_VERBS = {
    "mengatakan": "kata", "menjelaskan": "jelas", "menegaskan": "tegas",
    "mengungkapkan": "ungkap", "menuturkan": "tutur", "menerangkan": "terang",
    "menambahkan": "tambah", "memaparkan": "papar", "menyampaikan": "ujar",
    "berpesan": "pesan", "mengajak": "ajak", "berharap": "harap", "menyebutkan": "sebut",
    "mengimbau": "ujar", "menandaskan": "tandas", "mengucapkan": "ujar", "menyatakan": "ujar",
    "berkata": "kata", "mengingatkan": "ujar", "menekankan": "tegas", "mengungkap": "ungkap",
}  # fmt: skip
_QUOTE_BEFORE = re.compile(
    r"^(?:Menurut\s+(?P<who1>[^\"“”]{2,160}?),|(?P<who2>[^\"“”]{2,200}?)\s+"
    rf"(?P<verb>{'|'.join(_BEFORE_VERBS)})(?:\s+bahwa)?\s*[,:]?)\s*(?:bahwa\s*)?"
    r"[\"“”](?P<text>[^\"“”]+)[\"”“]?\s*\.?\s*$"
)
_PRONOUNS = {"ia", "dia", "beliau", "nya", ""}
# Place and time after the speaker's name: "Faisol Ali di Banjarmasin, Kamis."
_AFTER_NAME = re.compile(
    r"^(?:,?\s*(?:kepada\s+(?:wartawan|awak\s+media|media|para\s+wartawan|jurnalis)|"
    r"saat\s+(?:dikonfirmasi|ditemui|diwawancarai|dihubungi)|ketika\s+(?:dikonfirmasi|ditemui)|"
    r"dalam\s+(?:keterangannya|keterangan\s+tertulis(?:nya)?|sambutannya|siaran\s+pers(?:nya)?)"
    r"|usai\s+(?:kegiatan|acara|upacara|apel)))*\s*,?\s*"
    rf"(?:(?:di|saat\s+di|ketika\s+di)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){{0,3}})?"
    rf"\s*,?\s*(?:(?:pada\s+)?(?:{DAY_PATTERN})(?:\s*\(\d{{1,2}}/\d{{1,2}}(?:/\d{{2,4}})?\))?)?"
    r"\s*[.]?$"
)

# ---- page furniture and credits

_SOCIAL = r"facebook|twitter|whatsapp|telegram|linkedin|x|e-?mail|copy\s+link|pinterest|line"
_JUNK = re.compile(
    r"^(?:komentar\s*\(?\d*\)?|\(?\d+\)?\s*komentar|(?:lihat|tulis)\s+komentar|bagikan(?:\s+(?:ke|via))?(?:\s*:)?|"
    rf"(?:share|bagikan)(?:\s+this)?\s*:?(?:\s*(?:{_SOCIAL}))*|(?:(?:{_SOCIAL})\s*)+|"
    r"baca\s+juga\s*:?.*|(?:baca|lihat)\s+(?:selengkapnya|berita\s+lainnya).*|"
    r"(?:di)?posting(?:\s+oleh)?\s*:?.*|dipublikasikan.*|diterbitkan\s*:?.*|kategori\s*:.*|"
    r"(?:home|beranda)(?:\s*[>»/|].*)?|\d+\s*(?:x\s*)?(?:kali\s+dibaca|dibaca|dilihat|views?|"
    r"shares?|suka|likes?|pembaca)|(?:dibaca|dilihat|views?|hits?)\s*:?\s*\d+(?:\s*kali)?|"
    r"\d+|print|cetak|tweet|advertisement|iklan|scroll\s+to\s+continue.*|"
    r"siaran\s+pers|press\s+release|untuk\s+disiarkan\s+segera|"
    r"(?:copyright|hak\s+cipta|©).*|print\s+friendly.*|(?:cetak|print)\s+(?:halaman|"
    r"berita|artikel|this\s+page).*|pdf\s*&?\s*email|menu|tutup|menu\s+tutup|cari|search|"
    r"skip\s+to\s+content|langsung\s+ke\s+konten|navigasi.*|login|masuk|daftar|"
    r"tinggalkan\s+(?:komentar|balasan).*|leave\s+a\s+(?:reply|comment).*|"
    r"(?:belum\s+ada|tidak\s+ada)\s+komentar.*|komentar\s+anda.*|"
    r"diakses\s+(?:pada|tanggal).*|(?:cuaca|weather)\b.*|.*\d+\s*°\s*[CF]?.*|"
    r"artikel\s+lain(?:nya)?|berita\s+lain(?:nya)?|tags?|ikuti\s+kami.*|follow\s+us.*|"
    r"(?:font|ukuran\s+(?:huruf|teks))\s*[-+a]*.*|a\s*[-+]\s*a\s*[-+]?|"
    r"(?:#[\w-]+\s*)+|(?:sebelumnya|selanjutnya|previous|next)\s*(?:post|artikel|berita)?\s*:?.*)$",
    re.IGNORECASE,
)
# A heading that starts a list of other articles' headlines inside or after the article.
_LIST_HEAD = re.compile(
    r"^(?:berita\s+(?:terkini|terbaru|terkait|populer|lainnya|pilihan|utama)|artikel\s+"
    r"(?:terkait|terbaru|populer|lainnya)|terpopuler|populer|trending|rekomendasi|"
    r"related\s+posts?|recent\s+posts?|pos(?:t)?\s+terbaru|baca\s+juga)\s*:?$",
    re.IGNORECASE,
)
_CREDIT_LINE = re.compile(
    r"^(?:(?:reporter|editor|redaktur|pewarta|penulis|peliput|fotografer|foto|sumber|"
    r"kontributor|oleh|teks|narasi|desain|video|liputan|wartawan)\s*:.*)$",
    re.IGNORECASE,
)
# A photo caption between the headline and the lead: "Karutan membuka kegiatan (Foto: Humas)".
_CAPTION = re.compile(
    r"\(\s*(?:foto|dok\.?|dokumentasi|ist\.?|istimewa|sumber\s+foto)\s*[:.)]?[^()]*\)\s*$"
    r"|^(?:foto|dok\.?|dokumentasi)\s*[:.]\s",
    re.IGNORECASE,
)
_CRAWL_DATE = re.compile(r"^(?:diakses|accessed|dicetak|printed|retrieved)\b", re.IGNORECASE)
_CONTRIBUTOR = re.compile(r"^kontributor\s*:\s*(?:tim\s+)?humas\s+(?P<sig>.{3,60})$", re.IGNORECASE)
_CREDIT_INLINE = re.compile(
    r"\s+(?P<credit>(?:reporter|editor|redaktur|pewarta|penulis|peliput|fotografer|sumber)"
    r"\s*:.*)$",
    re.IGNORECASE,
)
_INITIALS = re.compile(
    r"^(?:\((?P<a>[a-z]{1,6}(?:\s*/\s*[a-z]{1,6})*)\)|\[(?P<b>[A-Z]{1,4}-?\d{1,4})\])$"
)
_TRAILING_CREDIT = re.compile(
    r"\s*(?P<credit>\([a-z]{1,6}(?:\s*/\s*[a-z]{1,6})*\)|\[[A-Z]{1,4}-?\d{1,4}\])\s*$"
)
_PAREN_UNIT = re.compile(
    r"^\((?:(?:tim\s+)?humas\s+|kontributor\s*:?\s*)?(?P<sig>[A-Z][\w.&'’ -]{1,60})\)$",
    re.IGNORECASE,
)
_TRAILING_PAREN_UNIT = re.compile(
    r"(?<=[.!?\"”])\s*\((?P<inner>(?:(?:tim\s+)?humas\s+)?[A-Z][\w.&'’ -]{1,60})\)\s*$"
)
_SIGNATURE = re.compile(r"^[-–—]{1,3}\s*(?P<sig>[^-–—].{1,80})$")
_TAGS = re.compile(r"^(?:tags?|label|kata\s+kunci|topik)\s*:\s*(?P<tags>.+)$", re.IGNORECASE)
_NUMBER = re.compile(r"^(?:nomor|no\.?)\s*:?\s*(?P<number>\S.{0,80})$", re.IGNORECASE)
_CONTACT_HEAD = re.compile(r"^\**\s*narahubung\s*:?\s*\**\s*(?P<rest>.*)$", re.IGNORECASE)
_PHONE = re.compile(r"^\+?[\d ()./-]{7,20}$")
_DATELINE = re.compile(
    r"^(?P<prefix>[A-Z][^\s\"“”].{0,60}?)\s*(?:\s[-–—]{1,3}|[-–—]{2,3}|\s:)\s*(?P<rest>\S.*)$"
    r"|^(?P<prefix2>[A-Z][A-Za-z.]+(?:\s[A-Z][A-Za-z.]+)?(?:\s*\([^()]{1,30}\)|,\s*[\w. ]{2,30}))"
    r"\s*[-–—]{1,3}\s*(?P<rest2>\S.*)$"
)
_LETTERHEAD = re.compile(
    r"\b(?:KEMENTERIAN|KANTOR WILAYAH|DIREKTORAT|PEMERINTAH|JALAN|JL\.|TELEPON|TELP|FAKS|"
    r"LAMAN|WEBSITE|E-?MAIL|RUMAH TAHANAN|LEMBAGA PEMASYARAKATAN|BALAI|KEPOLISIAN)\b|@|www\.",
)
_VERB_LEAD = re.compile(
    r"\b(?!melalui\b|mengenai\b|merupakan\b|menjadi\b)(me(?:ng|ny|m|n)?[a-z]{3,}|ber(?!sama\b|"
    r"bagai\b|dasarkan\b|tempat\b)[a-z]{3,}|di[a-z]{3,}kan)\b"
)
_STOP_HEADLINE = {"yang", "pada", "di", "dengan", "melalui", "dalam", "untuk", "bersama",
                  "kepada", "secara", "bertempat", "sebagai", "serta", "guna", "oleh"}  # fmt: skip
_KNOWN_OUTLETS = {"antara", "info_pas", "infopas", "kbrn", "rri", "mc", "inmas", "humas",
                  "mr", "tribun", "detik", "kompas"}  # fmt: skip


@dataclass
class Hints:
    """What the source and the command line say besides the text itself."""

    year: int | None = None  # --year
    date: dt.date | None = None  # --date
    file_year: int | None = None
    published: dt.date | None = None  # the page's or the post's own date
    defaults: dict[str, Any] = field(default_factory=dict)
    title: str | None = None  # a headline the source gives (heading, <title>, WXR)
    tags: list[str] = field(default_factory=list)
    front: dict[str, Any] = field(default_factory=dict)


@dataclass
class Recovered:
    """Raw record data and what recovery has to say about it."""

    data: dict[str, Any]
    credits: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    why_empty: dict[str, str] = field(default_factory=dict)


def clean_line(line: str) -> str:
    line = unicodedata.normalize("NFC", line)
    line = INVISIBLE_CHARS.sub("", line).replace("\u00a0", " ").replace("\t", " ")
    line = CONTROL_CHARS.sub("", line)
    line = re.sub(r"[\ud800-\udfff\ufffe\uffff]", "", line)
    return " ".join(line.split())


def paragraphs_of(lines: list[str]) -> list[str]:
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


def _looks_like_headline(paragraph: str) -> bool:
    words = paragraph.split()
    return (
        1 < len(words) <= 25
        and not paragraph.endswith((".", ",", ":", ";"))
        and paragraph[:1] not in _OPEN
    )


def _sift(paragraphs: list[str], rec: Recovered, tags: list[str]) -> tuple[list[str], list]:
    """Drop page furniture, keep credits and tags apart; returns the kept paragraphs and
    the header dates seen (position in kept, date, has a time)."""
    data = rec.data
    kept: list[str] = []
    header_dates: list[tuple[int, dt.date, bool]] = []
    contact_lines: list[str] | None = None
    in_list = False
    for paragraph in paragraphs:
        if contact_lines is not None:
            contact_lines.append(paragraph)
            continue
        if in_list:
            # The other articles' headlines: short lines without a full stop.
            if (
                _looks_like_headline(paragraph)
                and len(paragraph.split()) <= 16
                and not any(mark in paragraph for mark in _OPEN)
                and not paragraph.endswith(("”", "?", "!"))
                and not _dateline_match(paragraph)
            ):
                continue
            in_list = False
        if _LIST_HEAD.match(paragraph):
            in_list = True
            continue
        if match := _CONTACT_HEAD.match(paragraph):
            contact_lines = [match.group("rest")] if match.group("rest") else []
            continue
        if match := _TAGS.match(paragraph):
            tags += [x.strip(" #") for x in re.split(r"[,;|#]", match["tags"]) if x.strip(" #")]
            continue
        if not kept and (match := _NUMBER.match(paragraph)):
            data["number"] = match.group("number").strip()
            continue
        if re.fullmatch(r"untuk\s+disiarkan\s+segera", paragraph, re.IGNORECASE):
            data["embargo"] = "segera"
            continue
        if _CREDIT_LINE.match(paragraph) or _INITIALS.match(paragraph):
            rec.credits.append(paragraph)
            continue
        if _is_date_line(paragraph) and not _CRAWL_DATE.match(paragraph):
            found = _explicit_dates(paragraph)
            if found:
                timed = bool(re.search(r"\d{1,2}[:.]\d{2}", EXPLICIT_DATE.sub("", paragraph)))
                header_dates.append((len(kept), found[0], timed))
            continue
        if _JUNK.match(paragraph) or _CAPTION.search(paragraph):
            continue
        if not kept and paragraph.isupper() and _LETTERHEAD.search(paragraph):
            continue
        if len(paragraph.split()) <= 3 and paragraph.isupper() and not _dateline_match(paragraph):
            continue  # "MENU", "BERITA DAERAH": navigation, not a headline
        if match := _CREDIT_INLINE.search(paragraph):
            rec.credits.append(match.group("credit"))
            paragraph = paragraph[: match.start()].rstrip()
            if not paragraph:
                continue
        kept.append(paragraph)
    if contact_lines:
        data["contact"] = _contact(contact_lines)
    return kept, header_dates


def _take_signature(kept: list[str], rec: Recovered) -> None:
    """The unit's signature and the credits at the end ("- Rutan Rantau", "(Humas Lapas X)",
    "(ado/met)", "[KM-04]"), on their own lines or after the last sentence."""
    data = rec.data
    while kept:
        last = kept[-1]
        if _INITIALS.match(last):
            rec.credits.append(kept.pop())
            continue
        if (match := _SIGNATURE.match(last)) and len(last.split()) <= 9:
            data.setdefault("signature", _signature_name(match.group("sig")))
            kept.pop()
            continue
        if (match := _PAREN_UNIT.match(last)) and len(last.split()) <= 8:
            data.setdefault("signature", _signature_name(match.group("sig")))
            kept.pop()
            continue
        break
    if not kept:
        return
    last = kept[-1]
    changed = True
    while changed:
        changed = False
        if match := _TRAILING_CREDIT.search(last):
            rec.credits.append(match.group("credit"))
            last = last[: match.start()].rstrip()
            changed = True
        if match := _TRAILING_PAREN_UNIT.search(last):
            data.setdefault("signature", _signature_name(match.group("inner")))
            last = last[: match.start()].rstrip()
            changed = True
    kept[-1] = last


def _signature_name(text: str) -> str:
    text = text.strip().strip("()").strip()
    text = re.sub(r"^(?:tim\s+)?humas\s+(?=\S)", "", text, flags=re.IGNORECASE)
    return text.strip(" .")


def recover(lines: list[str], hints: Hints) -> Recovered:
    """Raw record data from the lines of a published release."""
    rec = Recovered({})
    data = rec.data
    warnings = rec.warnings
    tags: list[str] = list(hints.front.get("tags") or []) + list(hints.tags)
    kept, header_dates = _sift(paragraphs_of(lines), rec, tags)
    if tags:
        data["tags"] = list(dict.fromkeys(t_ for t_ in tags if t_))
    _take_signature(kept, rec)
    if "signature" not in data:
        for credit in rec.credits:
            if match := _CONTRIBUTOR.match(credit):
                data["signature"] = match.group("sig").strip(" .")
                break

    # A headline the source gives (HTML/WXR/Word heading) is not repeated as a paragraph.
    source_title = clean_line(hints.title or "") or None
    if source_title and kept and _looks_like_headline(kept[0]):
        suffix = source_title[len(kept[0]) :] if source_title.startswith(kept[0]) else ""
        if re.match(r"^\s*[-–—|:]\s*\S", suffix):
            source_title = kept[0]  # "Judul - Nama Situs" in <title>, "Judul" on the page
    if source_title:
        folded = source_title.casefold()
        while kept and kept[0].casefold() in (folded, folded.rstrip(".")):
            kept.pop(0)

    # The lead: the paragraph with the dateline; the headline is the line(s) before it.
    lead_at = next((i for i, p in enumerate(kept[:12]) if _dateline(p) is not None), None)
    if lead_at is None:
        if source_title:
            lead_at = next((i for i, p in enumerate(kept) if not _looks_like_headline(p)), 0)
        else:
            lead_at = next(
                (i for i, p in enumerate(kept[:8]) if not _looks_like_headline(p) and i > 0),
                1 if len(kept) > 2 and _looks_like_headline(kept[0]) else 0,
            )
    title = _title_from(kept[:lead_at])
    if source_title:
        data["title"] = source_title
    elif title:
        data["title"] = title
    elif hints.front.get("title"):
        data["title"] = hints.front["title"]
    paragraphs = kept[lead_at:]
    if not paragraphs:
        rec.why_empty["lead"] = t("import.why_no_text")
        return _finish(rec, hints)

    lead = paragraphs[0]
    dateline = _dateline(lead)
    if dateline is not None:
        prefix, lead = dateline
        location, outlet, form, prefix_date = _parse_prefix(prefix, hints, " ".join(paragraphs))
        if location:
            data["location"] = location
        if outlet:
            data["outlet"] = outlet
        # The dateline's form only when the record would read otherwise without it
        # ("Pelaihari, INFO_PAS -" where the outlet alone would be written).
        place = location or str(hints.defaults.get("location") or "")
        media = outlet or hints.defaults.get("outlet")
        usual = fill_dateline(hints.defaults.get("dateline"), place, media)
        if form and place and fill_dateline(form, place, media) != usual:
            data["dateline"] = form
        if prefix_date:
            header_dates.append((lead_at, prefix_date, True))
    else:
        rec.why_empty["location"] = t("import.why_no_dateline")
    rest = paragraphs[1:]
    if not rest:
        # A release published as one block: its first sentence is the lead, its last the
        # closing (the record needs both), and nothing is lost.
        sentences = _sentences(lead)
        if len(sentences) >= 2:
            lead, rest = sentences[0], sentences[1:]
    data["lead"] = lead

    # Header dates: the one nearest before the lead, a dated-and-timed one first.
    before = sorted(
        (d for d in header_dates if d[0] <= lead_at), key=lambda d: (d[2], d[0]), reverse=True
    )
    dates_seen = [d[1] for d in before] + [d[1] for d in header_dates if d[0] > lead_at]
    if hints.published:
        dates_seen.append(hints.published)
    if hints.date is not None:
        data["date"] = hints.date.isoformat()
    elif hints.front.get("date"):
        data["date"] = str(hints.front["date"])
    elif date := _recover_date(lead, "\n".join(paragraphs), dates_seen, hints, warnings):
        data["date"] = date.isoformat()
    else:
        rec.why_empty["date"] = t("import.why_no_date")

    speakers = _find_speakers([lead, *rest], _places(data, hints, paragraphs))
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
    else:
        rec.why_empty["closing"] = t("import.why_no_closing")
    data["body"] = [p for p in body if not p.startswith("\x00quote")]
    data["quotes"] = [{k: v for k, v in q.items() if not k.startswith("_")} for q in quotes]
    used = {q["speaker"] for q in data["quotes"]}
    data["speakers"] = [s for s in speakers if s["name"] in used or s.get("_intro")]
    for s in data["speakers"]:
        s.pop("_intro", None)
    if not data["speakers"]:
        rec.why_empty["speakers"] = t("import.why_no_speakers")
    if not data["quotes"]:
        rec.why_empty["quotes"] = t("import.why_no_quotes")
    if "signature" not in data:
        rec.why_empty["signature"] = t("import.why_no_signature")
    if "title" not in data:
        made = _title_from_lead(lead, data.get("signature") or hints.defaults.get("signature"))
        if made:
            data["title"] = made
            warnings.append(t("import.title_made", title=made))
        else:
            rec.why_empty["title"] = t("import.why_no_title")
    return _finish(rec, hints)


def _sentences(paragraph: str) -> list[str]:
    """Sentences of a paragraph; an initial ("M.", "H.") or a quote does not end one."""
    parts = re.split(r"(?<=[a-z0-9)][.!?])\s+(?=[A-Z])", paragraph)
    if any(p.count('"') % 2 or p.count("“") != p.count("”") for p in parts):
        return [paragraph]  # a sentence boundary inside a quotation: leave it whole
    return [p for p in parts if p]


_FURNITURE_HEAD = re.compile(r"^(?:(?:MENU|TUTUP|Menu|Tutup|Beranda|Home|BERANDA|HOME)\s+)+")
_FURNITURE_TAIL = re.compile(
    r"\s+(?:Artikel\s+Lain(?:nya)?|Berita\s+Lain(?:nya)?|Baca\s+Juga|Berita\s+Terkait)\s*$",
    re.IGNORECASE,
)


def _strip_furniture(line: str) -> str:
    """Menu words stuck before a headline and "Artikel Lain" stuck after it."""
    return _FURNITURE_TAIL.sub("", _FURNITURE_HEAD.sub("", line)).strip()


def _title_from(lines: list[str]) -> str | None:
    """The headline among the lines before the lead: the last headline-like line, joined
    with the one before when a long headline was broken over two lines."""
    lines = [_strip_furniture(p) for p in lines]
    lines = [p for p in lines if p and not _explicit_dates(p)]
    candidates = [p for p in lines if _looks_like_headline(p) and not p.isupper()]
    candidates = [p for p in candidates if not _dateline_match(p)] or candidates
    if not candidates:
        upper = [p for p in lines if _looks_like_headline(p)]
        return upper[-1] if upper else None
    last = candidates[-1]
    if len(candidates) >= 2 and lines and lines[-1] == last:
        previous = candidates[-2]
        at = lines.index(last)
        if (
            at > 0
            and lines[at - 1] == previous
            and len(previous.split()) >= 3
            and len(last.split()) >= 2
            and len(previous.split()) + len(last.split()) <= 18
            and (last.split()[0][:1].islower() or len(last.split()) <= 5)
        ):
            return f"{previous} {last}"
    return last


def _finish(rec: Recovered, hints: Hints) -> Recovered:
    data = rec.data
    if hints.front.get("unit") and "unit" not in data:
        data["unit"] = hints.front["unit"]
    rec.data = {k: v for k, v in data.items() if v not in (None, "", [])}
    return rec


def _is_date_line(paragraph: str) -> bool:
    """A line that is only a publication date/time ("Kamis, 7 September 2023 14:30 WIB",
    "07/09/2023", "Diposting 7 Sep 2023")."""
    if not _explicit_dates(paragraph) or len(paragraph.split()) > 14:
        return False
    rest = EXPLICIT_DATE.sub("", paragraph)
    rest = re.sub(
        rf"{DAY_PATTERN}|\d{{1,2}}[:.]\d{{2}}(?:[:.]\d{{2}})?|WIB|WITA|WIT|pukul|"
        r"diposting|diperbarui|dipublikasikan|terbit|updated?|published|oleh|admin|"
        r"(?:dibaca|dilihat|views?|komentar|kali|hits?)\s*:?\s*\d*|\d+\s*(?:kali|views?)|"
        r"[,|/()•·-]",
        "",
        rest,
        flags=re.I,
    )
    return len(rest.split()) <= 2


def _dateline_match(paragraph: str) -> re.Match[str] | None:
    return _DATELINE.match(paragraph)


def _dateline(paragraph: str) -> tuple[str, str] | None:
    match = _DATELINE.match(paragraph)
    if not match:
        return None
    prefix = (match.group("prefix") or match.group("prefix2") or "").strip()
    rest = match.group("rest") or match.group("rest2") or ""
    if len(prefix.split()) > 6 or re.search(r"[.!?]\s", prefix) or len(rest.split()) < 6:
        return None
    if prefix[-1:] == ":" or re.search(r"\b(?:" + JABATAN_WORDS + r")\b", prefix):
        return None
    # The prefix is a place and/or an outlet: capitalised words, maybe in parentheses.
    words = re.sub(r"[(),]", " ", prefix).split()
    if any(w[:1].islower() and not re.search(r"\w[._]\w", w) for w in words):
        return None
    return prefix, rest.lstrip("-–— ")


def _is_outlet(word: str) -> bool:
    bare = word.strip()
    return (
        bare.casefold() in _KNOWN_OUTLETS
        or "_" in bare
        or ".com" in bare.casefold()
        or (bare.isupper() and len(bare) <= 5 and len(bare.split()) == 1)
    )


def _parse_prefix(
    prefix: str, hints: Hints, text: str = ""
) -> tuple[str | None, str | None, str | None, dt.date | None]:
    """ "Pelaihari, INFO_PAS", "Jakarta (ANTARA)", "KBRN, Tarakan", "Wartanesia": the town,
    the outlet, the dateline's form ("{location}, {outlet}") and a date written in it."""
    prefix_date = next(iter(_explicit_dates(prefix)), None)
    prefix = EXPLICIT_DATE.sub("", prefix).strip(" ,")
    location = outlet = None
    if match := re.fullmatch(r"(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)", prefix):
        location, outlet = match.group("a").strip(" ,"), match.group("b")
        form = "{location} ({outlet})"
    elif "," in prefix:
        first, second = (part.strip() for part in prefix.split(",", 1))
        if _is_outlet(first) and not _is_outlet(second):
            outlet, location = first, second
            form = "{outlet}, {location}"
        else:
            location, outlet = first, second
            form = "{location}, {outlet}"
    else:
        # One name before the dash: the town when it is the profile's (or there is no other
        # town to use), else the outlet ("Wartanesia - ").
        known = str(hints.defaults.get("location") or "").casefold()
        in_text = re.search(rf"\b{re.escape(prefix)}\b", text[len(prefix) + 3 :])
        if not known or prefix.casefold() == known or prefix.isupper() or in_text:
            location, form = prefix, "{location}"
        else:
            outlet, form = prefix, "{outlet}"
    if location and location.isupper() and len(location) > 3:
        location = location.title()
    if not (location and outlet):  # one of the two parts was empty after all
        form = "{location}" if location else "{outlet}"
    return location or None, outlet or None, form, prefix_date


def _explicit_dates(text: str) -> list[dt.date]:
    found: list[dt.date] = []
    for match in EXPLICIT_DATE.finditer(text):
        try:
            if match.group("d"):
                day, month = int(match.group("d")), MONTHS[match.group("m").lower()]
                year = int(match.group("y"))
            elif match.group("d2"):
                day, month, year = (int(match.group(g)) for g in ("d2", "m2", "y2"))
            elif match.group("m4"):
                day, month = int(match.group("d4")), MONTHS[match.group("m4").lower()]
                year = int(match.group("y4"))
            else:
                day, month, year = (int(match.group(g)) for g in ("d3", "m3", "y3"))
            found.append(dt.date(year, month, day))
        except (ValueError, KeyError):
            continue
    return found


def _recover_date(
    lead: str, text: str, dates_seen: list[dt.date], hints: Hints, warnings: list[str]
) -> dt.date | None:
    """The activity day: the news form in the lead ("Kamis (6/2)") with its year, or the
    first explicit date; the year comes from the text, the page's date, ``--year`` or the
    weekday, which is checked against it."""
    news = NEWS_DATE.search(lead) or NEWS_DATE.search(text)
    explicit = _explicit_dates(lead) or dates_seen or _explicit_dates(text)
    if news is None:
        long = LONG_DATE.search(lead)
        if long is None or _explicit_dates(lead):
            return explicit[0] if explicit else None
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
    elif hints.file_year is not None:
        candidates, guessed = [hints.file_year - k for k in range(8)], True
    else:
        return None
    for year in candidates:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date.weekday() == wanted:
            if guessed:
                warnings.append(t("import.year_from_weekday", date=date.isoformat(), day=weekday))
            return date
    if guessed:
        return None
    try:
        date = dt.date(candidates[0], month, day)
    except ValueError:
        return None
    warnings.append(t("import.weekday_mismatch", date=date.isoformat(), day=weekday))
    return date


# --------------------------------------------------------------------------- speakers


def clean_name(name: str) -> str:
    """A person's name without ranks, honorifics before it and degrees after it."""
    name = name.strip().rstrip(",")
    name = ACADEMIC_TITLES.sub("", name).strip(" ,")
    name = HONORIFICS.sub("", name).strip()
    if name.endswith(".") and len(name.split()) > 1 and not re.search(r"\b[A-Z][a-z]?\.$", name):
        name = name.rstrip(".")  # the end of the sentence, not an initial ("M.")
    return name.strip(" ,")


_JABATAN_WORD = re.compile(
    rf"(?:{JABATAN_WORDS}|Danrem|Dandim|Danramil|Babinsa|Bhabinkamtibmas)$", re.I
)


def valid_name(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 5:
        return False
    for word in words:
        bare = word.lower().strip(".,'’")
        if bare in _NOT_NAME or DAY_WORD.match(word.strip(".,")) or _JABATAN_WORD.match(word):
            return False  # "Kapolsek, Danramil, Camat …": roles listed, not a name
        if len(word) >= 3 and word.isupper() and word.isalpha():
            return False  # an acronym: PSSI, AKBP, WBP
        if re.fullmatch(r"(?:me|di|ber|ter|pe)\w+kan|\w+nya", bare):
            return False  # a verb or a noun phrase: "Siapkan", "Kegiatannya"
    return re.match(rf"^{NAME}$", name) is not None


def _clean_title(title: str) -> str:
    parts = _TITLE_SPLIT.split(title)
    title = " ".join(parts[-1].split()).strip(" ,")
    return title[:1].upper() + title[1:]


_REPORTING = (
    r"mengatakan|menjelaskan|menyampaikan|mengungkapkan|menegaskan|menuturkan|menerangkan|"
    r"memaparkan|menambahkan|berharap|berpesan|meminta|mengajak|mengimbau|menyebutkan|"
    r"mengapresiasi|menyatakan"
)
_NO_COMMA_INTRO = re.compile(
    rf"(?<![\w])(?P<intro>(?:{JABATAN_WORDS})\b[^,;:.!?\"“”\n]{{3,150}}?)\s+(?:{_REPORTING})\b"
)
_PLACE_AFTER = re.compile(
    r"\b(?:Kelas\s+(?:I{1,3}|IV)[AB]?(?:\s+TPI)?|Kabupaten|Kota|Kecamatan|Polres|Polresta|"
    r"Polsek|Lapas|Rutan|Bapas|LPKA|Kanim|Kemenag|Kantor\s+Imigrasi)\s+(?P<place>[A-Z][a-z]+)"
)
_UNIT_WORDS = set(
    [
        "rutan",
        "lapas",
        "bapas",
        "lpka",
        "kanim",
        "kanwil",
        "polres",
        "polsek",
        "humas",
        "diskominfo",
        "kominfo",
        "kemenag",
        "imigrasi",
        "pemkab",
        "pemkot",
        "dinas",
    ]
)


def _places(data: dict[str, Any], hints: Hints, paragraphs: list[str]) -> set[str]:
    """Town names the text and the profile give: where a jabatan ends and a name starts in
    "Kepala Rutan Kelas IIB Pelaihari Fani Andika mengatakan"."""
    places: set[str] = set()
    for value in (
        data.get("location"),
        hints.defaults.get("location"),
        data.get("signature"),
        hints.defaults.get("signature"),
    ):
        for word in str(value or "").split():
            if word.lower() not in _UNIT_WORDS:
                places.add(word.casefold())
    for paragraph in paragraphs:
        places |= {m.group("place").casefold() for m in _PLACE_AFTER.finditer(paragraph)}
    return places


def _find_speakers(paragraphs: list[str], places: set[str] | None = None) -> list[dict[str, Any]]:
    """Everyone introduced as "Jabatan, Nama," (or "Jabatan AKBP Nama", or "Jabatan Kota
    Nama mengatakan" where Kota is a known town) in order."""
    speakers: list[dict[str, Any]] = []
    for paragraph in paragraphs:
        found: list[tuple[int, str, str]] = []
        for match in [*JABATAN.finditer(paragraph), *JABATAN_RANK.finditer(paragraph)]:
            found.append((match.start(), match.group("name"), match.group("title")))
        for match in _NO_COMMA_INTRO.finditer(paragraph):
            if split := _split_intro(match.group("intro"), places or set()):
                found.append((match.start(), split[1], split[0]))
        for _, raw_name, raw_title in sorted(found, key=lambda f: f[0]):
            name = clean_name(raw_name)
            if not valid_name(name) or any(s["name"] == name for s in speakers):
                continue
            title = _clean_title(raw_title)
            if DAY_WORD.match(title) or not title:
                continue
            speakers.append({"name": name, "title": title, "_intro": True})
    return speakers


def _split_intro(intro: str, places: set[str]) -> tuple[str, str] | None:
    """ "Kepala Rutan Kelas IIB Pelaihari Fani Andika" → jabatan and name, when the word
    before the name is a known town or an institution word; otherwise nothing."""
    words = intro.split()
    for size in (3, 2, 1):
        if len(words) <= size:
            continue
        before, name = words[-size - 1], words[-size:]
        boundary = before.casefold().strip(",") in places or before.lower() in _NOT_NAME
        if (
            boundary
            and valid_name(" ".join(name))
            and (size > 1 or len(name[0]) > 3)
            and not any(w.casefold() in places for w in name)
        ):
            return " ".join(words[:-size]), " ".join(name)
    return None


def _resolve(who: str, speakers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The speaker ``who`` names: the full name, part of it, or a role ("Karutan")."""
    who = clean_name(who)
    if not who:
        return None
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
    # "Kepala Kanwil Kemenkumham Kalsel Faisol Ali": the jabatan then a known name.
    for speaker in speakers:
        for name in (speaker["name"], speaker.get("short")):
            if name and who.endswith(" " + name):
                return speaker
    return _resolve_role(who, speakers)


def _resolve_role(who: str, speakers: list[dict[str, Any]]) -> dict[str, Any] | None:
    """ "ujar Karutan": the person introduced earlier in that role (only when one is)."""
    key = " ".join(who.casefold().strip(" .").split())
    expansions = ROLE_WORDS.get(key)
    if expansions is None:
        # "ujar Kepala Rutan Kelas IIB Pelaihari": the jabatan someone was introduced with.
        if len(key.split()) < 2 or not re.match(rf"(?:{JABATAN_WORDS})\b", who, re.IGNORECASE):
            return None
        expansions = (key,)
    found = [s for s in speakers if s["title"].casefold().startswith(expansions)]
    return found[0] if len(found) == 1 else None


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


# --------------------------------------------------------------------------- quotes


def _split_quotes(
    lead: str, paragraphs: list[str], speakers: list[dict[str, Any]], warnings: list[str]
) -> tuple[list[str], list[dict[str, Any]]]:
    """Body paragraphs and quotes; a quote's place in the body is marked so the closing can
    tell whether the release ends on a quote. A quote continued over two paragraphs (the
    first left open) is one quote."""
    body: list[str] = []
    quotes: list[dict[str, Any]] = []
    seen = [lead]
    i = 0
    while i < len(paragraphs):
        paragraph = paragraphs[i]
        joined, used = paragraph, 1
        if (
            paragraph[:1] in _OPEN
            and _closing_mark(paragraph) <= 0
            and i + 1 < len(paragraphs)
            and _closing_mark(paragraphs[i + 1]) > 0
        ):
            following = paragraphs[i + 1]
            following = following[1:] if following[:1] in _OPEN else following
            joined, used = f"{paragraph} {following}", 2
        quote = _parse_quote(joined, speakers, seen, warnings) if used == 2 else None
        if quote is None:
            joined, used = paragraph, 1
            quote = _parse_quote(paragraph, speakers, seen, warnings)
        if quote is None:
            body.append(paragraph)
        else:
            quote["_raw"] = joined
            body.append(f"\x00quote:{len(quotes)}")
            quotes.append(quote)
        seen.extend(paragraphs[i : i + used])
        i += used
    return body, quotes


def _closing_mark(paragraph: str) -> int:
    """Where the quote that opens ``paragraph`` closes (-1 when it is left open)."""
    return max(paragraph.rfind(mark, 1) for mark in _CLOSE)


def _parse_quote(
    paragraph: str, speakers: list[dict[str, Any]], seen: list[str], warnings: list[str]
) -> dict[str, Any] | None:
    text = verb = who = None
    if paragraph[:1] in _OPEN:
        close = _closing_mark(paragraph)
        tail = _ATTRIBUTION.match(paragraph[close + 1 :]) if close > 0 else None
        if tail is None:
            # Left unclosed: '"Kami siap melayani, ujar Karutan.'
            open_tail = re.search(
                rf",\s+(?P<verb>(?:{_VERB_WORDS})(?:nya)?)\b(?P<who>[^\"“”,]*?)\.?\s*$",
                paragraph,
                re.IGNORECASE,
            )
            if open_tail is None or any(m in paragraph[1:] for m in _CLOSE):
                return None
            text = paragraph[1 : open_tail.start()]
            verb, who = open_tail.group("verb"), open_tail.group("who")
        else:
            text = paragraph[1:close]
            verb, who = tail.group("verb"), tail.group("who")
        if any(mark in text for mark in '"“”'):
            return None  # several quoted passages in one paragraph: keep it as it is
    elif match := _QUOTE_BEFORE.match(paragraph):
        text = match.group("text")
        verb = _BEFORE_VERBS.get(match.group("verb") or "", "kata")
        who = (match.group("who1") or match.group("who2") or "").strip(" ,")
        # "Dalam sambutannya, Kepala Rutan X, Fani Andika, mengatakan": the last clause.
        if (
            who
            and "," in who
            and not JABATAN.search(who)
            and _resolve(who.rsplit(",", 1)[-1], speakers)
        ):
            who = who.rsplit(",", 1)[-1]
    else:
        return None
    verb = verb.lower()
    text = text.strip().rstrip(",").strip()
    if not text.endswith(("?", "!")):
        text = text.rstrip(".").strip()
    who = (who or "").strip(" ,.")
    if verb in ("katanya", "paparnya"):
        verb = verb[:-3]
    speaker = None
    if who.casefold() in _PRONOUNS:
        if verb.endswith("nya") and len(verb) > 5:
            verb = verb[:-3]
        speaker = _last_mentioned(seen, speakers)
    else:
        if verb.endswith("nya") and len(verb) > 5:
            return None  # "ujarnya Budi" is not Indonesian: keep the paragraph
        speaker = _speaker_from_attribution(who, speakers, warnings, seen)
    if speaker is None or not text:
        return None
    return {"speaker": speaker["name"], "text": text, "verb": verb}


def _speaker_from_attribution(
    who: str, speakers: list[dict[str, Any]], warnings: list[str], seen: list[str]
) -> dict[str, Any] | None:
    """The speaker an attribution names: "Fani", "Kepala Rutan X, Fani Andika", "Karutan",
    "Kepala Kanwil Kemenkumham Kalsel Faisol Ali di Banjarmasin, Kamis"."""
    intro = JABATAN.fullmatch(who) or JABATAN.match(who) or JABATAN_RANK.match(who)
    if intro is None:
        last = None
        for last in JABATAN.finditer(who):  # noqa: B007 (the last introduction is wanted)
            pass
        if last is not None and re.search(r"(?:^|,)\s*$", who[: last.start()]):
            intro = last
    name = clean_name(intro.group("name")) if intro is not None else ""
    rest = who[intro.end() :].strip(" .,") if intro is not None else ""
    if intro is not None and valid_name(name) and (not rest or _AFTER_NAME.match(rest)):
        speaker = _resolve(name, speakers)
        if speaker is None:
            speaker = {"name": name, "title": _clean_title(intro.group("title"))}
            speakers.append(speaker)
        return speaker
    if (role := _resolve_role(who, speakers)) is not None:
        return role
    # A known name or role, maybe with the place and day after it.
    for cut in range(len(who.split()), 0, -1):
        head = " ".join(who.split()[:cut])
        rest = who[len(head) :].strip(" .,")
        if rest and not _AFTER_NAME.match(rest):
            continue
        if (speaker := _resolve(head, speakers)) is not None:
            return speaker
    if (speaker := _jabatan_then_name(who)) is not None:
        speakers.append(speaker)
        return speaker
    if (speaker := _introduced_without_commas(who, seen)) is not None:
        speakers.append(speaker)
        return speaker
    match = re.match(NAME, who)
    if match is not None and not who[match.end() :].strip(" ."):
        name = clean_name(match.group())
        if valid_name(name):
            warnings.append(t("import.unknown_speaker", name=name))
    return None


def _introduced_without_commas(who: str, seen: list[str]) -> dict[str, Any] | None:
    """ "ujar Hendra" after "Kepala Lapas Kelas IIA Banjarmasin Hendra Wijaya mengatakan":
    the short name in the attribution shows where the full name starts."""
    if not valid_name(who) or len(who.split()) > 2:
        return None
    pattern = re.compile(
        rf"(?<![\w])(?P<title>(?:{JABATAN_WORDS})\b[^,;:.!?\"“”\n]{{0,120}}?)\s+"
        rf"(?:(?:{RANK_PATTERN}|{HONORIFIC_PATTERN})\s+)*(?P<name>{re.escape(who)}(?:\s+[A-Z][\w'’-]+){{0,3}})"
        r"(?=\s*(?:[,.;)]|$|\s+[a-z(]))"
    )
    for paragraph in seen:
        if match := pattern.search(paragraph):
            name, title = clean_name(match.group("name")), _clean_title(match.group("title"))
            if valid_name(name) and title and not DAY_WORD.match(title):
                return (
                    {"name": name, "title": title, "short": who}
                    if name != who
                    else {
                        "name": name,
                        "title": title,
                    }
                )
    return None


def _jabatan_then_name(who: str) -> dict[str, Any] | None:
    """ "Kepala Kanwil Kemenkumham Kalsel Faisol Ali di Banjarmasin, Kamis": a jabatan and a
    name with no comma between. Taken only when the word before the name is an institution
    or region word (Kalsel, Kemenkumham), so a town is never read as part of a name."""
    if not re.match(rf"(?:{JABATAN_WORDS})\b", who):
        return None
    words = who.split()
    for cut in range(len(words), 2, -1):
        head = words[:cut]
        if not _AFTER_NAME.match(" ".join(words[cut:])):
            continue
        for size in (3, 2):
            name, before = head[-size:], head[-size - 1] if len(head) > size else ""
            if (
                len(head) > size
                and before.lower().strip(",") in _NOT_NAME
                and valid_name(" ".join(name))
            ):
                return {"name": " ".join(name), "title": " ".join(head[:-size])}
    return None


def _contact(lines: list[str]) -> dict[str, str]:
    contact: dict[str, str] = {}
    for line in lines:
        value = line.strip(" *")
        if not value:
            continue
        if email := EMAIL.search(value):
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
