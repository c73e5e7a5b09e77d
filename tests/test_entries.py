"""How list and search show a release at a terminal: wrapped text, the id never broken."""

from __future__ import annotations

import re

from humaskit.cli.entries import INDENT, Entry, render

ANSI = re.compile(r"\x1b\[[0-9;]*m")

ENTRY = Entry(
    date="2025-02-06",
    title="Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas Secara Daring",
    id="2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas",
    about="Rumah Tahanan Negara Kelas IIB Pelaihari",
    snippet="Petugas **humas** mengikuti penguatan **kehumasan** yang diadakan secara daring",
)


def test_at_a_narrow_terminal_text_wraps_under_the_date_and_the_id_stays_whole() -> None:
    lines = render(ENTRY, width=48)
    assert lines[0] == "2025-02-06  Rutan Pelaihari Ikuti Penguatan"
    assert lines[1] == INDENT + "Kehumasan Ditjenpas Secara Daring"
    assert ENTRY.id in lines  # longer than the width: at the margin, still one line
    assert all(len(line) <= 48 for line in lines if ENTRY.id not in line)
    text = " ".join(line.strip() for line in lines[lines.index(ENTRY.id) + 1 :])
    assert (
        text
        == f"{ENTRY.about} Petugas humas mengikuti penguatan kehumasan yang diadakan secara daring"
    )


def test_piped_each_part_is_one_line() -> None:
    assert render(ENTRY) == [
        f"2025-02-06  {ENTRY.title}",
        INDENT + ENTRY.id,
        INDENT + ENTRY.about,
        INDENT + "Petugas humas mengikuti penguatan kehumasan yang diadakan secara daring",
    ]


def test_in_colour_only_the_matched_words_are_highlighted() -> None:
    lines = render(ENTRY, width=200, color=True)
    snippet = lines[-1]
    assert re.findall(r"(?:\x1b\[[0-9;]*m)+([^\x1b]+)\x1b\[0m", snippet) == ["humas", "kehumasan"]
    assert [ANSI.sub("", line) for line in lines] == render(ENTRY, width=200)


def test_a_release_without_tags_or_snippet_has_no_empty_lines() -> None:
    lines = render(Entry("2025-02-06", "Apel Pagi", "2025-02-06-apel-pagi", "Rutan"), width=80)
    assert lines == ["2025-02-06  Apel Pagi", INDENT + "2025-02-06-apel-pagi", INDENT + "Rutan"]


def test_messages_wrap_at_words_at_a_terminal_and_not_when_piped() -> None:
    from humaskit.terminal import wrapped

    text = (
        "“Tes urine ini bukti komitmen kami,” jelas Kepala Rutan Kelas IIB Pelaihari.\n"
        "\n"
        "- 2026-11-28 · Instagram · https://www.instagram.com/p/abc123456789/"
    )
    assert wrapped(text, None) == text
    lines = wrapped(text, 30).split("\n")
    assert lines == [
        "“Tes urine ini bukti komitmen",
        "kami,” jelas Kepala Rutan",
        "Kelas IIB Pelaihari.",
        "",
        "- 2026-11-28 · Instagram ·",
        "  https://www.instagram.com/p/abc123456789/",  # a link is never cut
    ]


def test_a_wrapped_list_item_goes_on_under_its_text() -> None:
    from humaskit.terminal import wrapped

    message = "rekaman tidak valid:\n  - date: 2025-02-31 bukan tanggal yang ada di kalender"
    assert wrapped(message, 30, "  ").split("\n") == [
        "rekaman tidak valid:",
        "  - date: 2025-02-31 bukan",
        "    tanggal yang ada di",
        "    kalender",
    ]
