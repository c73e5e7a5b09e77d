"""A small archive with known publications for the recap tests (and docs/recap.md's pictures).

March 2025 for two units, one release just before and one just after the month. What each
release is, and where it went out, is written here as plain data, so a test can count the
expected figures itself without humaskit's code.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PELAIHARI = ("Rumah Tahanan Negara Kelas IIB Pelaihari", "Rutan Pelaihari", "Pelaihari")
BANJARBARU = ("Lembaga Pemasyarakatan Kelas IIA Banjarbaru", "Lapas Banjarbaru", "Banjarbaru")
SPEAKERS = {
    "Rutan Pelaihari": ("Fani Andika", "Kepala Rutan Kelas IIB Pelaihari"),
    "Lapas Banjarbaru": ("Rina Wulandari", "Kepala Lapas Kelas IIA Banjarbaru"),
}
ACTIVITIES = [
    ("Gelar Tes Urine bagi Pegawai", "menggelar tes urine bagi pegawai bersama BNNK", ["p4gn"]),
    ("Ikuti Penguatan Kehumasan", "mengikuti penguatan kehumasan", ["kehumasan"]),
    ("Terapkan Kunjungan Daring", "menerapkan layanan kunjungan daring", ["layanan"]),
    ("Bina Warga Binaan Lewat Menjahit", "membina warga binaan lewat pelatihan menjahit", []),
    ("Geledah Kamar Hunian", "menggeledah kamar hunian bersama aparat", ["kamtib", "razia"]),
]


@dataclass
class Entry:
    day: dt.date
    unit: tuple[str, str, str]
    activity: int
    # (url, channel as the test expects it, --channel given or None, outlet, date published)
    publications: list[tuple[str, str, str | None, str | None, dt.date]] = field(
        default_factory=list
    )

    @property
    def title(self) -> str:
        return f"{self.unit[1]} {ACTIVITIES[self.activity][0]} {self.day.day}/{self.day.month}"

    @property
    def tags(self) -> list[str]:
        return ACTIVITIES[self.activity][2]

    @property
    def speaker(self) -> str:
        return SPEAKERS[self.unit[1]][0]


def _march_days() -> list[dt.date]:
    # Two releases on the 3rd; none on 1, 2, 8, 9, 15, 16, 22, 23, 29, 30 (weekends).
    numbers = [3, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, 31]
    return [dt.date(2025, 3, n) for n in numbers]


def entries() -> list[Entry]:
    found: list[Entry] = []
    for number, day in enumerate(_march_days()):
        unit = BANJARBARU if day.day in (6, 13) else PELAIHARI
        entry = Entry(day, unit, number % len(ACTIVITIES))
        slug = f"{day:%Y%m%d}-{number}"
        after = day + dt.timedelta(days=1)
        if number % 7 != 6:  # every seventh release went out nowhere
            site = "rutanpelaihari" if unit is PELAIHARI else "lapasbanjarbaru"
            entry.publications.append(
                (f"https://{site}.kemenkumham.go.id/berita/{slug}", "website", None, None, day)
            )
            if number % 2 == 0:
                entry.publications.append(
                    (f"https://www.instagram.com/p/{slug}/", "instagram", None, None, day)
                )
            if number % 3 == 0:
                entry.publications.append(
                    (f"https://www.facebook.com/{site}/posts/{slug}", "facebook", None, None, day)
                )
            if number % 5 == 0:
                entry.publications.append(
                    (f"https://kalsel.antaranews.com/berita/{slug}", "media", None, "ANTARA", after)
                )
            if number % 5 == 1:
                entry.publications.append(
                    (f"https://wartanesia.id/{slug}", "media", "media", "Wartanesia", after)
                )
            if number == 4:
                entry.publications.append(
                    (f"https://youtu.be/{slug}", "youtube", None, None, after)
                )
                entry.publications.append(
                    (f"https://x.com/{site}/status/{number}", "x", None, None, day)
                )
            if number == 9:
                entry.publications.append(
                    (f"https://www.tiktok.com/@{site}/video/{number}", "tiktok", None, None, day)
                )
        found.append(entry)
    # Outside March: counted by stats, never by the March recap.
    feb = Entry(dt.date(2025, 2, 28), PELAIHARI, 1)
    feb.publications.append(
        ("https://rutanpelaihari.kemenkumham.go.id/berita/feb", "website", None, None, feb.day)
    )
    found.append(feb)
    found.append(Entry(dt.date(2025, 4, 1), PELAIHARI, 2))
    return found


def record(entry: Entry) -> dict:
    unit, signature, town = entry.unit
    name, title = SPEAKERS[signature]
    activity = ACTIVITIES[entry.activity][1]
    return {
        "title": entry.title,
        "date": entry.day.isoformat(),
        "location": town,
        "unit": unit,
        "signature": signature,
        "lead": f"{title}, {name}, bersama jajaran {activity} pada hari ini di {town}.",
        "speakers": [{"name": name, "title": title}],
        "quotes": [{"speaker": name, "text": "Kegiatan ini kami laksanakan secara rutin"}],
        "closing": "Dengan adanya kegiatan ini, diharapkan pelayanan semakin baik.",
        "tags": entry.tags,
    }


def write_records(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, entry in enumerate(entries()):
        path = folder / f"{number:02d}.yaml"
        path.write_text(yaml.safe_dump(record(entry), allow_unicode=True), "utf-8")
        paths.append(path)
    return paths


def publish_commands(entry: Entry, release_id: str) -> list[list[str]]:
    """The ``humaskit publish`` arguments that record ``entry``'s publications."""
    commands = []
    for url, _channel, given, outlet, day in entry.publications:
        args = ["publish", release_id, url, "--date", day.isoformat()]
        if given:
            args += ["--channel", given]
        if outlet and given:
            args += ["--outlet", outlet]
        commands.append(args)
    return commands
