"""Markdown from the composed document: reads like a published Indonesian release."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from conftest import DATA, SEED_RECORD
from humaskit.document.compose import compose, format_quote
from humaskit.document.markdown import render_markdown
from humaskit.record import dates
from humaskit.record.model import Quote, Speaker, load_release_file

SEED_TEXT = DATA / "import" / "seed.txt"  # the published seed, exactly as it appeared


def _curly(text: str) -> str:
    """The seed uses straight quotes; humaskit writes Indonesian curly ones."""
    out, opening = [], True
    for char in text:
        if char == '"':
            out.append("“" if opening else "”")
            opening = not opening
        else:
            out.append(char)
    return "".join(out)


def test_seed_record_renders_to_the_published_seed() -> None:
    markdown = render_markdown(compose(load_release_file(SEED_RECORD)))
    published = [line for line in SEED_TEXT.read_text("utf-8").splitlines() if line.strip()]
    published = [line for line in published if not line.startswith("Komentar")]  # web junk
    body = markdown.split("\n---\n", 1)[1]
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    assert paragraphs.pop(0) == "# Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas"
    assert paragraphs == [_curly(line) for line in published]


def test_front_matter_and_headline() -> None:
    markdown = render_markdown(compose(load_release_file(SEED_RECORD)))
    assert markdown.startswith("---\ntitle: Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas\n")
    front = markdown.split("\n---\n", 1)[0]
    assert "date: '2025-02-06'" in front
    assert "unit: Rumah Tahanan Negara Kelas IIB Pelaihari" in front
    assert "- kehumasan" in front
    assert (
        "- name: Gun Gun Gunawan\n  title: Sekretaris Direktorat Jenderal Pemasyarakatan" in front
    )
    assert "\n# Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas\n" in markdown


def test_speaker_never_named_is_attributed_with_jabatan_then_short_name() -> None:
    release = load_release_file(SEED_RECORD)
    stranger = Speaker("Lilik Sujandi", "Direktur Kepatuhan Internal", short="Lilik")
    release = dataclasses.replace(
        release,
        body=["Kegiatan dibuka dengan doa."],
        speakers=[stranger],
        quotes=[
            Quote("Lilik Sujandi", "Etika adalah kunci"),
            Quote("Lilik Sujandi", "Apakah kita siap?", verb="tanya"),
            Quote("Lilik Sujandi", "Mari mulai dari diri sendiri!", verb="pungkas"),
        ],
    )
    quotes = [p.text for p in compose(release).paragraphs if p.kind == "quote"]
    assert quotes == [
        "“Etika adalah kunci,” ujar Direktur Kepatuhan Internal, Lilik Sujandi.",
        "“Apakah kita siap?” tanya Lilik.",
        "“Mari mulai dari diri sendiri!” pungkas Lilik.",
    ]


def test_quote_punctuation() -> None:
    assert format_quote("Kita siap.", "ujar Fani") == "“Kita siap,” ujar Fani."
    assert format_quote("Kita siap", "ujar Fani") == "“Kita siap,” ujar Fani."


def test_dateline_without_outlet_uses_the_location() -> None:
    release = dataclasses.replace(load_release_file(SEED_RECORD), outlet=None)
    lead = compose(release).paragraphs[0]
    assert lead.kind == "lead" and lead.text.startswith("Pelaihari - Kepala Rumah Tahanan")


def test_contact_block_and_photos(tmp_path: Path) -> None:
    from humaskit.record.model import Contact, Photo

    release = dataclasses.replace(
        load_release_file(SEED_RECORD),
        contact=Contact("Humas Rutan Pelaihari", "0812-5000-1234", "humas@example.go.id"),
        photos=[Photo("photos/01-apel.jpg", "Apel pagi")],
    )
    markdown = render_markdown(compose(release))
    assert "![Apel pagi](photos/01-apel.jpg)" in markdown
    tail = markdown.split("- Rutan Pelaihari", 1)[1]
    assert "**Narahubung:**" in tail
    assert "0812-5000-1234" in tail and "humas@example.go.id" in tail


@pytest.mark.parametrize(
    ("day", "today", "long", "news"),
    [
        ("2025-02-06", "2025-03-01", "Kamis, 6 Februari 2025", "Kamis (6/2)"),
        ("2024-12-31", "2025-01-02", "Selasa, 31 Desember 2024", "Selasa (31/12/2024)"),
        ("2025-08-17", "2025-08-17", "Minggu, 17 Agustus 2025", "Minggu (17/8)"),
    ],
)
def test_indonesian_dates(day: str, today: str, long: str, news: str) -> None:
    date = dt.date.fromisoformat(day)
    assert dates.long_date(date) == long
    assert dates.news_date(date, dt.date.fromisoformat(today)) == news
