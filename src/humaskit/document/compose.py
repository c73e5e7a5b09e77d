"""One model of the finished document, rendered twice (Markdown and DOCX).

``compose`` decides everything a reader sees — the dateline, where each quote stands, how
each speaker is attributed — so the renderers only lay out paragraphs. This is what keeps
the Markdown and the Word file carrying the same paragraphs in the same order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from humaskit.record import dates
from humaskit.record.model import IMMEDIATE, Photo, Quote, Release, Speaker

OPEN_QUOTE, CLOSE_QUOTE = "“", "”"


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of running text.

    ``kind`` is ``lead``, ``body``, ``quote`` or ``closing``. ``text`` is the whole paragraph
    as printed; ``prefix`` (the dateline of the lead) and ``quote``/``attribution`` (of a
    quote paragraph) let a renderer style those parts.
    """

    kind: str
    text: str
    prefix: str = ""
    quote: str = ""
    attribution: str = ""


@dataclass(frozen=True)
class Document:
    release: Release
    headline: str
    dateline: str
    date_long: str
    date_news: str
    paragraphs: list[Paragraph]
    signature: str
    photos: list[Photo] = field(default_factory=list)
    contact_lines: list[str] = field(default_factory=list)
    release_line: str = ""  # "Untuk Disiarkan Segera" or the embargo line
    number: str = ""


def compose(release: Release, *, timezone: str = "WIB", today: dt.date | None = None) -> Document:
    dateline = release.dateline_text()
    paragraphs = [Paragraph("lead", f"{dateline} - {release.lead}", prefix=f"{dateline} - ")]
    paragraphs += _body_with_quotes(release)
    paragraphs.append(Paragraph("closing", release.closing))
    return Document(
        release=release,
        headline=release.title,
        dateline=dateline,
        date_long=dates.long_date(release.date),
        date_news=dates.news_date(release.date, today),
        paragraphs=paragraphs,
        signature=f"- {release.signature}",
        photos=list(release.photos),
        contact_lines=_contact_lines(release),
        release_line=_release_line(release, timezone),
        number=release.number or "",
    )


def _body_with_quotes(release: Release) -> list[Paragraph]:
    """Body paragraphs with each quote placed after the paragraph that brings its speaker in.

    A quote stands after the first body paragraph (at or after the previous quote) that
    names its speaker; a quote whose speaker is never named in the body follows the body.
    Quotes keep their order.
    """
    slots: dict[int, list[Quote]] = {}
    position = 0
    for quote in release.quotes:
        speaker = release.speaker(quote.speaker)
        names = _names(speaker) if speaker else [quote.speaker]
        found = next(
            (
                i
                for i in range(position, len(release.body))
                if any(n in release.body[i] for n in names)
            ),
            None,
        )
        slot = found if found is not None else len(release.body) - 1
        position = max(position, slot)
        slots.setdefault(slot, []).append(quote)

    out: list[Paragraph] = []
    introduced: set[str] = set()
    seen = [release.lead]  # the text so far, one entry per paragraph (joining is quadratic)

    def flush(quotes: list[Quote]) -> None:
        for quote in quotes:
            speaker = release.speaker(quote.speaker) or Speaker(quote.speaker, "")
            known = speaker.name in introduced or any(speaker.name in text for text in seen)
            attribution = quote_attribution(quote, speaker, introduced=known)
            introduced.add(speaker.name)
            text = format_quote(quote.text, attribution)
            out.append(Paragraph("quote", text, quote=quote.text, attribution=attribution))
            seen.append(text)

    flush(slots.pop(-1, []))  # quotes in a release without body paragraphs
    for i, paragraph in enumerate(release.body):
        out.append(Paragraph("body", paragraph))
        seen.append(paragraph)
        flush(slots.pop(i, []))
    return out


def _names(speaker: Speaker) -> list[str]:
    return [speaker.name] if not speaker.short else [speaker.name, speaker.short]


def quote_attribution(quote: Quote, speaker: Speaker, *, introduced: bool) -> str:
    """``ujar Gun Gun Gunawan`` once the speaker is known to the reader, else with the jabatan:
    ``ujar Kepala Rutan Kelas IIB Pelaihari, Fani Andika``."""
    if introduced:
        return f"{quote.verb} {speaker.short_name}"
    if speaker.title:
        return f"{quote.verb} {speaker.title}, {speaker.name}"
    return f"{quote.verb} {speaker.name}"


def format_quote(text: str, attribution: str) -> str:
    """Indonesian direct speech: “…,” ujar Nama. — a ? or ! stays instead of the comma."""
    body = text.rstrip()
    if body.endswith(("?", "!")):
        return f"{OPEN_QUOTE}{body}{CLOSE_QUOTE} {attribution}."
    body = body.rstrip(".,;: ")
    return f"{OPEN_QUOTE}{body},{CLOSE_QUOTE} {attribution}."


def _contact_lines(release: Release) -> list[str]:
    contact = release.contact
    if contact is None:
        return []
    lines = [contact.name]
    if contact.phone:
        lines.append(contact.phone)
    if contact.email:
        lines.append(contact.email)
    return lines


def _release_line(release: Release, timezone: str) -> str:
    if release.embargo is None:
        return ""
    if release.embargo == IMMEDIATE:
        return "Untuk Disiarkan Segera"
    moment = dt.datetime.strptime(release.embargo, "%Y-%m-%d %H:%M")
    when = f"{dates.long_date(moment.date())} pukul {moment:%H.%M} {timezone}"
    return f"Embargo hingga {when}"
