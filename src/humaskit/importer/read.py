"""Reading import sources: each file becomes one or more :class:`SourceText` — the text of a
published release as lines, plus what the source itself says about it (a headline from a
Word heading or an HTML title, a publication date, a page URL, tags).

Every file is read through :func:`read_source`: only a regular file, never more than
its size cap, so a FIFO, ``/dev/zero`` or a 50 MB page cannot hang or exhaust the import.
Web pages go through trafilatura (htmldate when it finds no date); WordPress exports are
parsed with lxml with entity resolution and network access off (no XXE, no billion laughs).
Nothing here follows a path or a URL found inside a file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from humaskit.errors import HumasError, InputError
from humaskit.i18n import t

RECORD_SUFFIXES = (".yaml", ".yml", ".json")
TEXT_SUFFIXES = (".txt", ".md")
DOCX_SUFFIX = ".docx"
HTML_SUFFIXES = (".html", ".htm")
WXR_SUFFIX = ".xml"
SUPPORTED = (*RECORD_SUFFIXES, *TEXT_SUFFIXES, DOCX_SUFFIX, *HTML_SUFFIXES, WXR_SUFFIX)

MB = 1024 * 1024
MAX_TEXT_BYTES = 4 * MB
MAX_HTML_BYTES = 8 * MB
MAX_DOCX_BYTES = 25 * MB
MAX_WXR_BYTES = 200 * MB  # thousands of posts; parsed incrementally below
MAX_DOCX_UNZIPPED = 80 * MB  # photos included
MAX_DOCX_ENTRIES = 2000
MAX_DOCX_RATIO = 200  # a real Word part compresses maybe 10:1; bombs compress 1000:1


class FileProblem(HumasError):
    """One file cannot be imported; the message names the file and what to do."""


@dataclass
class SourceText:
    """One release found in a file: its text and what the source says about it."""

    label: str  # the file, or "file#post-id" for a post of a WordPress export
    kind: str  # record | text | markdown | docx | html | wxr
    original: bytes  # kept beside the imported release
    keep_as: str  # file name of the kept original ("source.txt")
    lines: list[str] = field(default_factory=list)
    record: dict[str, Any] | None = None  # a ready record (.yaml/.json)
    title: str | None = None  # headline given by the source (Word heading, HTML title, WXR)
    published: dt.date | None = None  # publication date given by the source
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    front: dict[str, Any] = field(default_factory=dict)  # Markdown front matter
    embedded: dict[str, Any] | None = None  # a humaskit record stamped into a .docx
    warnings: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.original).hexdigest()


@dataclass
class FileRead:
    """Everything read from one file: its releases and what was skipped (WXR drafts...)."""

    sources: list[SourceText]
    skipped: dict[str, int] = field(default_factory=dict)


def limit_for(path: Path) -> int:
    suffix = path.suffix.lower()
    if suffix == DOCX_SUFFIX:
        return MAX_DOCX_BYTES
    if suffix in HTML_SUFFIXES:
        return MAX_HTML_BYTES
    if suffix == WXR_SUFFIX:
        return MAX_WXR_BYTES
    return MAX_TEXT_BYTES


def read_source(path: Path, limit: int) -> bytes:
    """The bytes of ``path`` through the archive's one safe reader
    (:func:`humaskit.archive.fsio.read_regular_file`: a regular file only, opened
    non-blocking, at most ``limit`` bytes); a refusal is this file's problem alone."""
    from humaskit.archive.fsio import read_regular_file

    try:
        return read_regular_file(path, limit)
    except InputError as err:
        raise FileProblem(err.message) from None
    except OSError as err:
        raise FileProblem(t("import.read_error", source=path, error=err.strerror or err)) from None


def read_file(path: Path) -> FileRead:
    """Read one import file; raises :class:`FileProblem` naming it."""
    suffix = path.suffix.lower()
    raw = read_source(path, limit_for(path))
    keep_as = f"source{suffix}"
    if suffix in RECORD_SUFFIXES:
        return FileRead([_read_record(path, raw, keep_as)])
    if suffix == DOCX_SUFFIX:
        return FileRead([read_docx(path, raw)])
    if suffix in HTML_SUFFIXES:
        return FileRead([read_html(path, raw)])
    if suffix == WXR_SUFFIX:
        return read_wxr(path, raw)
    warnings: list[str] = []
    text = decode_text(raw, path, warnings)
    if suffix == ".md":
        source = SourceText(str(path), "markdown", raw, keep_as, warnings=warnings)
        markdown_to_lines(text, source)
        return FileRead([source])
    return FileRead(
        [SourceText(str(path), "text", raw, keep_as, text.split("\n"), warnings=warnings)]
    )


def _read_record(path: Path, raw: bytes, keep_as: str) -> SourceText:
    from humaskit.record.model import record_from_bytes

    try:
        data = record_from_bytes(raw, path)
    except InputError as err:
        raise FileProblem(err.message) from None
    if not isinstance(data, dict):
        raise FileProblem(t("import.not_record", source=path))
    return SourceText(str(path), "record", raw, keep_as, record=dict(data))


# --------------------------------------------------------------------------- plain text


def decode_text(raw: bytes, path: Path | str, warnings: list[str]) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM, or the zero bytes of ASCII text in it),
    else Windows-1252 with a warning; other binary data is refused."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_utf16(raw, path, "utf-16")
    head = raw[:65536]
    if len(head) >= 4 and b"\x00" in head:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) > len(odd) * 0.3 and even.count(0) < len(even) * 0.05:
            return _decode_utf16(raw, path, "utf-16-le")
        if even.count(0) > len(even) * 0.3 and odd.count(0) < len(odd) * 0.05:
            return _decode_utf16(raw, path, "utf-16-be")
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


def _decode_utf16(raw: bytes, path: Path | str, codec: str) -> str:
    try:
        return raw.decode(codec).lstrip("\ufeff")
    except UnicodeDecodeError:
        raise FileProblem(t("import.utf16_damaged", source=path)) from None


def markdown_to_lines(text: str, source: SourceText) -> None:
    """Markdown (humaskit's own or from a website) to plain lines; front matter and the
    first heading go to ``source``."""
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        head, text = text[4:].split("\n---\n", 1)
        try:
            from humaskit.record.model import load_stored_yaml

            front = load_stored_yaml(head)
        except Exception:  # a broken front matter is just text we do not use
            front = None
        if isinstance(front, dict):
            source.front = front
    lines: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("![") or re.fullmatch(r"\*[^*].*\*", stripped):
            continue  # photos and their captions
        if match := re.match(r"^#{1,6}\s+(.*)$", stripped):
            if source.title is None:
                source.title = match.group(1).strip()
                lines.append("")
                continue
            stripped = match.group(1)
        stripped = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), stripped)
        stripped = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", stripped)
        hard_break = line.endswith(("  ", "\\"))
        lines.append(stripped.rstrip("\\").rstrip() + ("\n" if hard_break else " "))
    # A Markdown paragraph is a block of lines; a single line break is only a soft wrap.
    blocks = "".join(line if line.strip() else "\n\n" for line in lines)
    source.lines = [" ".join(b.split()) for b in re.split(r"\n", blocks)]


# --------------------------------------------------------------------------- Word


def read_docx(path: Path, raw: bytes) -> SourceText:
    """Paragraph texts of a Word file, the headline from a Title/Heading style, and the
    humaskit record stamped into it (checked against the visible text later)."""
    _check_zip(path, raw)
    import docx

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # python-docx raises KeyError, ValueError, lxml errors, ...
        raise FileProblem(t("import.bad_docx", source=path)) from None
    lines: list[str] = []
    title = None
    looked = 0  # the headline is near the top: styles (~1 ms each) are read there only
    for paragraph in document.paragraphs:
        text = paragraph.text
        if title is None and looked < 30 and text.strip():
            looked += 1
            if _style_name(paragraph).startswith(("Title", "Heading")):
                title = text.strip()
        lines.extend(text.split("\n"))
        lines.append("")  # Word paragraphs are paragraphs
    source = SourceText(str(path), "docx", raw, "source.docx", lines, title=title)
    source.embedded = _embedded_record(document, lines)
    return source


def _style_name(paragraph: Any) -> str:
    style = paragraph.style
    return (style.name if style is not None else "") or ""


def _check_zip(path: Path, raw: bytes) -> None:
    """Refuse what is not a zip, and say which limit a suspicious one passes."""
    buffer = io.BytesIO(raw)
    if not zipfile.is_zipfile(buffer):
        raise FileProblem(t("import.not_zip", source=path))
    try:
        with zipfile.ZipFile(buffer) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileProblem(t("import.not_zip", source=path)) from None
    if len(entries) > MAX_DOCX_ENTRIES:
        raise FileProblem(
            t("import.zip_entries", source=path, count=len(entries), limit=MAX_DOCX_ENTRIES)
        )
    total = sum(e.file_size for e in entries)
    if total > MAX_DOCX_UNZIPPED:
        raise FileProblem(
            t("import.zip_bomb", source=path, size=total // MB, limit=MAX_DOCX_UNZIPPED // MB)
        )
    for e in entries:
        if e.file_size > MB and e.file_size > MAX_DOCX_RATIO * max(e.compress_size, 1):
            raise FileProblem(
                t("import.zip_ratio", source=path, entry=e.filename, ratio=MAX_DOCX_RATIO)
            )


def _embedded_record(document: Any, lines: list[str]) -> dict[str, Any] | None:
    """The record humaskit stamped into a Word file it wrote, when the text is unchanged.
    Only a convenience: ``recover`` checks it against the visible text."""
    import json

    from humaskit.document.docx import RECORD_RELTYPE, text_digest

    for rel in document.part.rels.values():
        if rel.reltype != RECORD_RELTYPE or rel.is_external:
            continue
        try:
            payload = json.loads(rel.target_part.blob)
        except (ValueError, AttributeError, RecursionError):
            return None
        if not isinstance(payload, dict) or not isinstance(payload.get("record"), dict):
            return None
        if payload.get("text_sha256") != text_digest(lines):
            return None  # edited in Word after humaskit wrote it
        return payload["record"]
    return None


# --------------------------------------------------------------------------- web pages


def read_html(path: Path, raw: bytes) -> SourceText:
    """A saved web page: the article's main text, title, date and URL through trafilatura
    (htmldate when trafilatura finds no date). Scripts are dropped, never run; nothing is
    fetched."""
    import trafilatura

    try:
        found = trafilatura.bare_extraction(
            raw, with_metadata=True, include_comments=False, include_tables=False
        )
    except Exception:  # lxml/trafilatura errors on broken markup
        found = None
    if found is None:
        raise FileProblem(t("import.html_empty", source=path))
    meta = found.as_dict() if hasattr(found, "as_dict") else dict(found)
    text = meta.get("text") or ""
    if not text.strip():
        raise FileProblem(t("import.html_empty", source=path))
    source = SourceText(str(path), "html", raw, "source.html", text.split("\n"))
    source.title = _clean_meta(meta.get("title"))
    source.url = _clean_url(meta.get("url"))
    published = _iso_date(meta.get("date"))
    if published is None:
        published = _htmldate(raw)
    source.published = published
    for key in ("tags", "categories"):
        value = meta.get(key)
        if isinstance(value, str):
            value = [v for v in re.split(r"[,;]", value)]
        source.tags += [v.strip() for v in value or [] if v and v.strip()]
    return source


def _htmldate(raw: bytes) -> dt.date | None:
    try:
        from htmldate import find_date

        return _iso_date(find_date(raw, extensive_search=False, original_date=True))
    except Exception:  # htmldate raises on markup it cannot parse
        return None


def _iso_date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _clean_meta(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value else ""
    return text or None


def _clean_url(value: Any) -> str | None:
    text = str(value or "").strip()
    return text if re.match(r"^https?://\S+$", text) else None


_BLOCK_TAGS = "p div br h1 h2 h3 h4 h5 h6 li blockquote tr section article ul ol table pre hr"
_BLOCKS = frozenset(_BLOCK_TAGS.split())
_DROPPED_TAGS = "script style noscript iframe object embed form template svg figure button nav"
_DROPPED = tuple(_DROPPED_TAGS.split())


def html_to_lines(fragment: str) -> list[str]:
    """Paragraph lines of an HTML fragment (a WordPress post): block elements and blank lines
    separate paragraphs; scripts, styles, frames and figures are dropped unread."""
    import lxml.html
    from lxml import etree

    if not fragment.strip():
        return []
    if "<p" not in fragment.lower():  # WordPress stores unwrapped paragraphs (wpautop)
        fragment = "".join(f"<p>{block}</p>" for block in re.split(r"\n\s*\n", fragment))
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    for element in list(root.iter(*_DROPPED)):
        element.drop_tree()
    for element in list(root.iter(etree.Comment)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in root.iter():
        # In HTML a line break in the source is a space; only blocks make paragraphs.
        if element.text:
            element.text = re.sub(r"\s+", " ", element.text)
        if element.tail:
            element.tail = re.sub(r"\s+", " ", element.tail)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in _BLOCKS:
            element.tail = "\n" + (element.tail or "")
            if element.tag != "br":
                element.text = "\n" + (element.text or "")
    return root.text_content().split("\n")


# --------------------------------------------------------------------------- WordPress export

_WP_NAMESPACES = (
    "http://wordpress.org/export/1.2/",
    "http://wordpress.org/export/1.1/",
    "http://wordpress.org/export/1.0/",
)
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def read_wxr(path: Path, raw: bytes) -> FileRead:
    """Every published post of a WordPress export (WXR) as one release; drafts, pages,
    attachments and others are skipped and counted. The XML is parsed with entities left
    unresolved, no DTD loaded and no network."""
    from lxml import etree

    prolog = raw[: raw.find(b"<rss")] if b"<rss" in raw else raw[:65536]
    if re.search(rb"<!DOCTYPE|<!ENTITY", prolog, re.IGNORECASE):
        # A WordPress export never declares a DTD; one that does may carry an external
        # entity (XXE) or an entity bomb: refused before parsing.
        raise FileProblem(t("import.xml_entities", source=path))
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(raw, parser)
    except etree.XMLSyntaxError as err:
        raise FileProblem(t("import.bad_xml", source=path, error=str(err)[:200])) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise FileProblem(t("import.not_wxr", source=path))
    namespace = next(
        (
            ns
            for ns in _WP_NAMESPACES
            if root.nsmap.get("wp") == ns or channel.find(f"{{{ns}}}wxr_version") is not None
        ),
        None,
    )
    if namespace is None:
        raise FileProblem(t("import.not_wxr", source=path))
    wp = f"{{{namespace}}}"
    result = FileRead([])
    for item in channel.iterfind("item"):
        post_type = _child_text(item, f"{wp}post_type") or "post"
        status = _child_text(item, f"{wp}status") or "publish"
        if post_type != "post":
            key = post_type if post_type in ("page", "attachment") else "other"
            result.skipped[key] = result.skipped.get(key, 0) + 1
            continue
        if status != "publish":
            key = "draft" if status in ("draft", "pending", "auto-draft", "future") else status
            key = key if key in ("draft", "private", "trash") else "other"
            result.skipped[key] = result.skipped.get(key, 0) + 1
            continue
        result.sources.append(_wxr_post(path, item, wp))
    return result


def _child_text(item: Any, tag: str) -> str:
    child = item.find(tag)
    return (child.text or "").strip() if child is not None else ""


def _wxr_post(path: Path, item: Any, wp: str) -> SourceText:
    from lxml import etree

    post_id = _child_text(item, f"{wp}post_id") or _child_text(item, "guid")
    content = _child_text(item, _CONTENT)
    original = etree.tostring(item, encoding="utf-8")
    source = SourceText(f"{path}#{post_id}", "wxr", original, "source.xml", html_to_lines(content))
    source.title = _clean_meta(_child_text(item, "title"))
    source.url = _clean_url(_child_text(item, "link"))
    # wp:post_date is the site's local time; pubDate is GMT (a morning post would show the
    # previous day), so it is only the fallback.
    source.published = _iso_date(_child_text(item, f"{wp}post_date"))
    if source.published is None:
        source.published = _rfc822_date(_child_text(item, "pubDate"))
    for category in item.iterfind("category"):
        value = " ".join((category.text or "").split())
        if value and value not in source.tags and value.lower() != "uncategorized":
            source.tags.append(value)
    return source


def _rfc822_date(value: str) -> dt.date | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value).date() if value else None
    except (TypeError, ValueError, IndexError):
        return None
