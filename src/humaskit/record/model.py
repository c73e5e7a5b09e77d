"""The release record: dataclasses, loading from YAML/JSON, and validation.

Validation collects *every* problem with its field path (``quotes[1].speaker``) before
raising one :class:`RecordError`, so an officer fixes a file in one pass. The same
``check_*`` functions back the interactive prompts, so there is one set of rules.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import unicodedata
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from humaskit.errors import InputError, Problem, RecordError
from humaskit.i18n import t
from humaskit.record.vocabulary import EMAIL, FORBIDDEN_CHARS

# SPEC order; also the order of the stored record. ``dateline`` extends SPEC for the
# forms "Pelaihari, INFO_PAS -" and "Jakarta (ANTARA) -", ``number`` and ``embargo`` for the
# official siaran pers header (see docs/record.md).
KEYS = (
    "title",
    "date",
    "location",
    "outlet",
    "dateline",
    "unit",
    "lead",
    "body",
    "speakers",
    "quotes",
    "closing",
    "signature",
    "tags",
    "photos",
    "contact",
    "number",
    "embargo",
)
REQUIRED = ("title", "date", "location", "unit", "lead", "closing", "signature")
PROFILE_KEYS = ("location", "outlet", "dateline", "unit", "signature", "contact")
SPEAKER_KEYS = ("name", "title", "short")
QUOTE_KEYS = ("speaker", "text", "verb")
PHOTO_KEYS = ("path", "caption")
CONTACT_KEYS = ("name", "phone", "email")

DEFAULT_VERB = "ujar"
# The attribution verbs Indonesian newsrooms use; ``check`` warns on others.
KNOWN_VERBS = (
    "ujar",
    "jelas",
    "kata",
    "ungkap",
    "tegas",
    "tutur",
    "terang",
    "imbuh",
    "pungkas",
    "lanjut",
    "papar",
    "tandas",
    "sebut",
    "tambah",
    "harap",
    "ajak",
    "pesan",
)
IMMEDIATE = "segera"

MAX_RECORD_BYTES = 2 * 1024 * 1024
MAX_TITLE_CHARS = 200
MAX_LINE_CHARS = 500
# Size limits (docs/record.md): far above any real release, low enough that every command
# finishes in seconds on any record that passes them.
MAX_PARAGRAPH_CHARS = 50_000
MAX_ITEMS = {"body": 1_000, "speakers": 100, "quotes": 200, "tags": 100, "photos": 50}
# Digits of an integer PyYAML/json may convert; longer ones are kept as a refused value.
MAX_INT_DIGITS = 100

# C0/C1 control characters except tab and newline, lone surrogates, U+FFFE and U+FFFF:
# python-docx and lxml refuse them, and they cannot be written as UTF-8.
# Characters that print as nothing: a title made only of these is empty.
_INVISIBLE = frozenset("\u115f\u1160\u3164\u2800\uffa0")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_SPACES = re.compile(r"\s+")
_QUOTE_MARKS = "\"“”„«»'‘’"
_VERB = re.compile(r"^[a-zA-Z-]+$")
_EMBARGO = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}[:.]\d{2}$")


@dataclass
class Speaker:
    name: str
    title: str
    short: str | None = None

    @property
    def short_name(self) -> str:
        """The name used once the speaker has been introduced."""
        return self.short or self.name


@dataclass
class Quote:
    speaker: str
    text: str
    verb: str = DEFAULT_VERB


@dataclass
class Photo:
    path: str
    caption: str


@dataclass
class Contact:
    name: str
    phone: str | None = None
    email: str | None = None


@dataclass
class Release:
    title: str
    date: dt.date
    location: str
    unit: str
    lead: str
    closing: str
    signature: str
    outlet: str | None = None
    dateline: str | None = None  # the form of the dateline: "{location}, {outlet}"
    body: list[str] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    contact: Contact | None = None
    number: str | None = None
    embargo: str | None = None

    def speaker(self, name: str) -> Speaker | None:
        return next((s for s in self.speakers if s.name == name), None)

    def to_record(self, *, json_safe: bool = False) -> dict[str, Any]:
        """The record as plain data in SPEC key order, empty optional keys left out."""
        values: dict[str, Any] = {
            "title": self.title,
            "date": self.date.isoformat() if json_safe else self.date,
            "location": self.location,
            "outlet": self.outlet,
            "dateline": self.dateline,
            "unit": self.unit,
            "lead": self.lead,
            "body": list(self.body),
            "speakers": [_dropnone(vars(s)) for s in self.speakers],
            "quotes": [_dropnone(vars(q)) for q in self.quotes],
            "closing": self.closing,
            "signature": self.signature,
            "tags": list(self.tags),
            "photos": [vars(p).copy() for p in self.photos],
            "contact": _dropnone(vars(self.contact)) if self.contact else None,
            "number": self.number,
            "embargo": self.embargo,
        }
        return {k: v for k, v in values.items() if v not in (None, [], {})}

    def dateline_text(self) -> str:
        """The words before the dash of the lead: "Pelaihari, INFO_PAS" (see ``fill_dateline``)."""
        return fill_dateline(self.dateline, self.location, self.outlet)

    def texts(self) -> list[str]:
        """Every paragraph of running text, in record order (for search and checks)."""
        return [self.lead, *self.body, *(q.text for q in self.quotes), self.closing]


_DATELINE_PART = re.compile(r"\{(location|outlet)\}")


def fill_dateline(form: str | None, location: str, outlet: str | None) -> str:
    """The dateline a release is filed under: ``form`` with ``{location}`` and ``{outlet}``
    filled in ("{location}, {outlet}" -> "Pelaihari, INFO_PAS", "{location} ({outlet})" ->
    "Jakarta (ANTARA)"); without a form the outlet ("Wartanesia"), else the town."""
    if not form:
        return outlet or location
    parts = {"location": location, "outlet": outlet or ""}
    return _DATELINE_PART.sub(lambda match: parts[match.group(1)], form)


def check_dateline(form: str, outlet: str | None) -> str | None:
    """What is wrong with a dateline form, or None: braces other than ``{location}`` and
    ``{outlet}``, or ``{outlet}`` with no outlet to fill it."""
    rest = _DATELINE_PART.sub("", form)
    if "{" in rest or "}" in rest:
        return t("record.dateline_braces")
    if "{outlet}" in form and not outlet:
        return t("record.dateline_no_outlet")
    return None


def _dropnone(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


# --------------------------------------------------------------------------- text rules


def check_text(value: Any, *, multiline: bool = False) -> tuple[str | None, str | None]:
    """Clean one text value. Returns ``(text, None)`` or ``(None, problem message)``.

    Text is NFC-normalised and trimmed; control characters are refused. One-line values
    must not contain a line break; paragraphs fold single line breaks into spaces and
    refuse blank lines (a second paragraph belongs in its own entry).
    """
    if not isinstance(value, str):
        return None, t("record.not_text", value=_show(value))
    if match := FORBIDDEN_CHARS.search(value):
        return None, t("record.control_char", code=f"U+{ord(match.group()):04X}")
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.strip()
    if text and not any(_visible(ch) for ch in text):
        return "", None  # zero-width spaces and the like only: as good as empty
    if multiline:
        if _BLANK_LINE.search(text):
            return None, t("record.one_paragraph")
        text = _SPACES.sub(" ", text)
    else:
        if "\n" in text:
            return None, t("record.one_line")
        text = _SPACES.sub(" ", text)
    return text, None


def _visible(char: str) -> bool:
    return (
        not char.isspace()
        and unicodedata.category(char) not in ("Cf", "Zs", "Zl", "Zp", "Mn", "Me")
        and char not in _INVISIBLE
    )


def check_title(value: Any) -> tuple[str | None, str | None]:
    text, error = check_text(value)
    if error:
        return None, error
    if not text:
        return None, t("record.empty")
    if len(text) > MAX_TITLE_CHARS:
        return None, t("record.too_long", limit=MAX_TITLE_CHARS)
    return text, None


def parse_date(value: Any) -> tuple[dt.date | None, str | None]:
    """A real calendar date from ``YYYY-MM-DD`` (or a YAML date)."""
    if isinstance(value, dt.datetime):
        return None, t("record.date_format", value=_show(value))
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()), None
        except ValueError:
            return None, t("record.date_unreal", value=value.strip())
    return None, t("record.date_format", value=_show(value))


def parse_embargo(value: str) -> tuple[str | None, str | None]:
    text = value.strip()
    if text.lower() == IMMEDIATE:
        return IMMEDIATE, None
    if _EMBARGO.fullmatch(text):
        try:
            dt.datetime.strptime(text.replace(".", ":"), "%Y-%m-%d %H:%M")
        except ValueError:
            return None, t("record.embargo", value=text)
        return text.replace(".", ":"), None
    return None, t("record.embargo", value=text)


def _show(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**MAX_INT_DIGITS:
        return t("record.huge_number")
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "…"


# --------------------------------------------------------------------------- validation


def _required(field: str) -> str:
    """ "is required", with where else the value may come from for the profile's keys."""
    return t("record.required_profile" if field in PROFILE_KEYS else "record.required")


class _Checker:
    """Collects problems while turning raw record data into typed values."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def unknown_keys(self, data: Mapping[str, Any], known: tuple[str, ...], prefix: str) -> None:
        for key in data:
            if key in known:
                continue
            name = str(key)
            near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
            hint = t("record.unknown_key_near", near=near[0]) if near else ""
            self.add(
                f"{prefix}{name}",
                t("record.unknown_key", known=", ".join(known), hint=hint),
            )

    def text(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool, multiline=False
    ) -> str | None:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.add(path, _required(path))
            return None
        text, error = check_text(value, multiline=multiline)
        if error:
            self.add(path, error)
            return None
        if not text:
            if required:
                self.add(path, _required(path))
            return None
        limit = MAX_PARAGRAPH_CHARS if multiline else MAX_LINE_CHARS
        if len(text) > limit:
            self.add(path, t("record.too_long", limit=limit))
            return None
        return text

    def items(self, data: Mapping[str, Any], key: str) -> list[Any]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(key, t("record.not_list", value=_show(value)))
            return []
        if len(value) > MAX_ITEMS[key]:
            self.add(key, t("record.too_many", count=len(value), limit=MAX_ITEMS[key]))
            return []
        return value

    def mapping(self, value: Any, path: str, example: str) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.add(path, t("record.not_mapping", value=_show(value), example=example))
            return None
        return value


def parse_release(
    data: Any, *, defaults: Mapping[str, Any] | None = None, source: str = ""
) -> Release:
    """Validate raw record data (from YAML, JSON or prompts) into a :class:`Release`.

    ``defaults`` are the unit profile's values for ``location``, ``outlet``, ``dateline``,
    ``unit``, ``signature`` and ``contact``; values in the record win.
    """
    c = _Checker()
    if not isinstance(data, Mapping):
        raise RecordError([Problem("(record)", t("record.not_a_mapping"))], source)
    c.unknown_keys(data, KEYS, "")
    merged: dict[str, Any] = {}
    for key in PROFILE_KEYS:
        if defaults and defaults.get(key) not in (None, ""):
            merged[key] = defaults[key]
    merged.update({k: v for k, v in data.items() if v is not None})

    title = None
    if merged.get("title") is None:
        c.add("title", t("record.required"))
    else:
        title, error = check_title(merged["title"])
        if error:
            c.add("title", error)

    date = None
    if merged.get("date") is None:
        c.add("date", t("record.required"))
    else:
        date, error = parse_date(merged["date"])
        if error:
            c.add("date", error)

    location = c.text(merged, "location", "location", required=True)
    outlet = c.text(merged, "outlet", "outlet", required=False)
    dateline = c.text(merged, "dateline", "dateline", required=False)
    if dateline is not None:
        dateline = dateline.rstrip("-–— ") or None  # the dash is humaskit's to write
    if dateline is not None and (error := check_dateline(dateline, outlet)):
        c.add("dateline", error)
    unit = c.text(merged, "unit", "unit", required=True)
    lead = c.text(merged, "lead", "lead", required=True, multiline=True)
    closing = c.text(merged, "closing", "closing", required=True, multiline=True)
    signature = c.text(merged, "signature", "signature", required=True)
    if signature:
        signature = signature.lstrip("-–— ").strip() or None
        if signature is None:
            c.add("signature", _required("signature"))

    body: list[str] = []
    for i, item in enumerate(c.items(merged, "body")):
        path = f"body[{i}]"
        text, error = check_text(item, multiline=True)
        if error:
            c.add(path, error)
        elif not text:
            c.add(path, t("record.empty_paragraph"))
        elif len(text) > MAX_PARAGRAPH_CHARS:
            c.add(path, t("record.too_long", limit=MAX_PARAGRAPH_CHARS))
        else:
            body.append(text)

    speakers = _parse_speakers(c, merged)
    quotes = _parse_quotes(c, merged, speakers)
    tags = _parse_tags(c, merged)
    photos = _parse_photos(c, merged)
    contact = _parse_contact(c, merged.get("contact"))

    number = c.text(merged, "number", "number", required=False)
    embargo = None
    if (raw := c.text(merged, "embargo", "embargo", required=False)) is not None:
        embargo, error = parse_embargo(raw)
        if error:
            c.add("embargo", error)

    if c.problems:
        raise RecordError(c.problems, source)
    assert title and date and location and unit and lead and closing and signature
    return Release(
        title=title,
        date=date,
        location=location,
        unit=unit,
        lead=lead,
        closing=closing,
        signature=signature,
        outlet=outlet,
        dateline=dateline,
        body=body,
        speakers=speakers,
        quotes=quotes,
        tags=tags,
        photos=photos,
        contact=contact,
        number=number,
        embargo=embargo,
    )


def _parse_speakers(c: _Checker, data: Mapping[str, Any]) -> list[Speaker]:
    speakers: list[Speaker] = []
    seen: set[str] = set()
    for i, item in enumerate(c.items(data, "speakers")):
        path = f"speakers[{i}]"
        entry = c.mapping(item, path, "{name: ..., title: ...}")
        if entry is None:
            continue
        c.unknown_keys(entry, SPEAKER_KEYS, f"{path}.")
        name = c.text(entry, "name", f"{path}.name", required=True)
        title = c.text(entry, "title", f"{path}.title", required=True)
        short = c.text(entry, "short", f"{path}.short", required=False)
        if name and name in seen:
            c.add(f"{path}.name", t("record.speaker_twice", name=name))
            continue
        if name and title:
            seen.add(name)
            speakers.append(Speaker(name=name, title=title, short=short))
    return speakers


def _parse_quotes(c: _Checker, data: Mapping[str, Any], speakers: list[Speaker]) -> list[Quote]:
    names = [s.name for s in speakers]
    raw_speakers = data.get("speakers")
    declared = {
        str(s.get("name", "")).strip()
        for s in (raw_speakers if isinstance(raw_speakers, list) else [])
        if isinstance(s, Mapping)
    }
    quotes: list[Quote] = []
    for i, item in enumerate(c.items(data, "quotes")):
        path = f"quotes[{i}]"
        entry = c.mapping(item, path, "{speaker: ..., text: ...}")
        if entry is None:
            continue
        c.unknown_keys(entry, QUOTE_KEYS, f"{path}.")
        speaker = c.text(entry, "speaker", f"{path}.speaker", required=True)
        text = c.text(entry, "text", f"{path}.text", required=True, multiline=True)
        verb = c.text(entry, "verb", f"{path}.verb", required=False) or DEFAULT_VERB
        if not _VERB.fullmatch(verb):
            c.add(f"{path}.verb", t("record.verb", value=verb, known=", ".join(KNOWN_VERBS[:9])))
            continue
        if speaker and speaker not in names:
            if speaker not in declared:  # a broken speaker entry was already reported
                near = difflib.get_close_matches(speaker, names, n=1, cutoff=0.5)
                hint = t("record.unknown_key_near", near=near[0]) if near else ""
                message = (
                    t("record.quote_speaker", name=speaker, names=", ".join(names), hint=hint)
                    if names
                    else t("record.quote_no_speakers", name=speaker)
                )
                c.add(f"{path}.speaker", message)
            continue
        if text is not None:
            text = strip_quote_marks(text)
            if not text:
                c.add(f"{path}.text", t("record.required"))
                continue
        if speaker and text:
            quotes.append(Quote(speaker=speaker, text=text, verb=verb.lower()))
    return quotes


def strip_quote_marks(text: str) -> str:
    """Drop quote marks wrapped around a whole quote; the renderer adds its own."""
    while len(text) >= 2 and text[0] in _QUOTE_MARKS and text[-1] in _QUOTE_MARKS:
        inner = text[1:-1]
        if any(mark in inner for mark in '"“”'):
            break
        text = inner.strip()
    return text


def _parse_tags(c: _Checker, data: Mapping[str, Any]) -> list[str]:
    tags: list[str] = []
    seen: set[str] = set()
    for i, item in enumerate(c.items(data, "tags")):
        text, error = check_text(item)
        if error or not text:
            c.add(f"tags[{i}]", error or t("record.empty"))
        elif len(text) > MAX_LINE_CHARS:
            c.add(f"tags[{i}]", t("record.too_long", limit=MAX_LINE_CHARS))
        elif text.casefold() not in seen:
            seen.add(text.casefold())
            tags.append(text)
    return tags


def _parse_photos(c: _Checker, data: Mapping[str, Any]) -> list[Photo]:
    photos: list[Photo] = []
    for i, item in enumerate(c.items(data, "photos")):
        path = f"photos[{i}]"
        entry = c.mapping(item, path, "{path: foto.jpg, caption: ...}")
        if entry is None:
            continue
        c.unknown_keys(entry, PHOTO_KEYS, f"{path}.")
        file = c.text(entry, "path", f"{path}.path", required=True)
        caption = c.text(entry, "caption", f"{path}.caption", required=True)
        if file and caption:
            photos.append(Photo(path=file, caption=caption))
    return photos


def _parse_contact(c: _Checker, value: Any) -> Contact | None:
    if value is None:
        return None
    entry = c.mapping(value, "contact", "{name: ..., phone: ..., email: ...}")
    if entry is None:
        return None
    c.unknown_keys(entry, CONTACT_KEYS, "contact.")
    name = c.text(entry, "name", "contact.name", required=True)
    phone = c.text(entry, "phone", "contact.phone", required=False)
    email = c.text(entry, "email", "contact.email", required=False)
    if email and not EMAIL.fullmatch(email):
        c.add("contact.email", t("record.email", value=email))
        return None
    return Contact(name=name, phone=phone, email=email) if name else None


# --------------------------------------------------------------------------- files


def parse_record_text(text: str, *, fmt: str, source: str) -> Any:
    """Parse YAML or JSON text safely (no Python tags, no aliases, no duplicate keys)."""
    try:
        if fmt == "json":
            return json.loads(text, object_pairs_hook=_json_object, parse_int=_json_int)
        return _load_yaml(text)
    except _DuplicateKey as err:
        raise RecordError([Problem(err.key, t("record.duplicate_key"))], source) from None
    except json.JSONDecodeError as err:
        where = t("record.at_line", line=err.lineno, column=err.colno)
        raise InputError(t("record.bad_json", source=source, where=where, error=err.msg)) from None
    except _yaml_errors() as err:
        raise InputError(_yaml_message(err, source)) from None
    except RecursionError:  # "[[[[…" thousands deep: refuse it instead of a traceback
        raise InputError(t("robust.too_deep", source=source)) from None
    except (ValueError, TypeError, LookupError, AttributeError, OverflowError) as err:
        # A tagged list or mapping that does not convert (``!!omap [1, 2]``, ``!!set``
        # of a list): PyYAML fails inside its own constructors, past any one field.
        error = " ".join(f"{type(err).__name__}: {err}".split())[:200]
        raise InputError(t("record.unconvertible", source=source, error=error)) from None


def read_record_file(path: Path) -> Any:
    """Read a ``.yaml``/``.yml``/``.json`` record file into raw data (not yet validated).
    Only a regular file is read (a FIFO or ``/dev/zero`` is refused), up to the size cap."""
    from humaskit.archive.fsio import read_regular_file

    return record_from_bytes(read_regular_file(path, MAX_RECORD_BYTES), path)


def record_from_bytes(raw: bytes, path: Path) -> Any:
    """A record file's bytes as raw data (not yet validated): UTF-8, not empty, JSON for
    ``.json`` (or a ``{`` where the name says neither), else YAML."""
    source = str(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(t("record.not_utf8", source=source, offset=err.start)) from None
    if not text.strip():
        raise InputError(t("record.empty_file", source=source))
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip().startswith("{")):
        fmt = "json"
    else:
        fmt = "yaml"
    return parse_record_text(text, fmt=fmt, source=source)


def load_release_file(path: Path, *, defaults: Mapping[str, Any] | None = None) -> Release:
    return parse_release(read_record_file(path), defaults=defaults, source=str(path))


class Unconvertible:
    """A YAML/JSON value whose tag does not convert (``!!int "abc"``, an integer of
    thousands of digits): kept as itself, so validation refuses it naming the field."""

    def __init__(self, tag: str, value: str) -> None:
        self.tag = tag.rsplit(":", 1)[-1]
        self.value = value

    def __repr__(self) -> str:
        value = self.value if len(self.value) <= 20 else f"{self.value[:20]}… ({len(self.value)})"
        return f"!!{self.tag} {value!r}"

    def __hash__(self) -> int:
        return hash((self.tag, self.value))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unconvertible) and (self.tag, self.value) == (
            other.tag,
            other.value,
        )


def _json_int(text: str) -> int | Unconvertible:
    return int(text) if len(text) <= MAX_INT_DIGITS else Unconvertible("int", text)


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _yaml_errors() -> type[Exception]:
    import yaml

    return yaml.YAMLError


def _yaml_message(err: Exception, source: str) -> str:
    import yaml

    mark = getattr(err, "problem_mark", None)
    where = t("record.at_line", line=mark.line + 1, column=mark.column + 1) if mark else ""
    if isinstance(err, yaml.constructor.ConstructorError) and "tag" in str(err):
        return t("record.unsafe_yaml", source=source, where=where)
    problem = getattr(err, "problem", None) or str(err)
    return t("record.bad_yaml", source=source, where=where, error=problem)


_loader_class: type | None = None


def _load_yaml(text: str) -> Any:
    global _loader_class
    if _loader_class is None:
        _loader_class = _make_loader()
    loader = _loader_class(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _make_loader() -> type:
    import yaml

    class RecordLoader(yaml.SafeLoader):
        """Safe YAML without aliases (no billion laughs) and without duplicate keys."""

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(
                    None, None, "aliases (*name) are not allowed in a record", mark
                )
            return super().compose_node(parent, index)

        def construct_mapping(self, node, deep=False):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, Hashable) or isinstance(key, tuple):
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        "a key must be a plain word, not a list or mapping",
                        key_node.start_mark,
                    )
                if isinstance(key, str) and key in seen:
                    raise _DuplicateKey(key)
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, LookupError, AttributeError, OverflowError):
                if not isinstance(node, yaml.ScalarNode):
                    raise
                self.recursive_objects.pop(node, None)
                value = self.constructed_objects[node] = Unconvertible(node.tag, str(node.value))
                return value

        def construct_yaml_int(self, node):
            digits = str(node.value)
            if len(digits) > MAX_INT_DIGITS:
                return Unconvertible(node.tag, digits)
            return super().construct_yaml_int(node)

        def construct_yaml_timestamp(self, node):
            # "2025-02-30" looks like a date to YAML but is none: hand the text to the
            # record's own date check, which names the field.
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError:
                return self.construct_scalar(node)

    RecordLoader.add_constructor(
        "tag:yaml.org,2002:timestamp", RecordLoader.construct_yaml_timestamp
    )
    RecordLoader.add_constructor("tag:yaml.org,2002:int", RecordLoader.construct_yaml_int)
    return RecordLoader


def load_stored_yaml(text: str) -> Any:
    """Load a record humaskit wrote itself: the fast C loader when PyYAML has it."""
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def dump_record(release: Release) -> str:
    """The stored record: readable YAML that loads back to the same release."""
    import yaml

    return yaml.dump(
        release.to_record(),
        Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper),
        allow_unicode=True,
        sort_keys=False,
        width=100,
        default_flow_style=False,
    )


def suggest_short_name(name: str) -> str:
    """A short name for later mentions: the first word of the name that is not a title."""
    prefixes = {"dr.", "dr", "ir.", "h.", "hj.", "drs.", "prof.", "m.", "muh.", "moh."}
    words = [w for w in name.replace(",", " ").split() if w.lower() not in prefixes]
    return words[0] if words else name
