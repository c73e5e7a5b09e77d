"""How much of a published release ``import`` recovers: title, date, speakers, quote count and
unit signature, measured over fixtures written in the shapes units and news sites publish
(tests/data/import/messy) and over the earlier clean house-style texts (tests/data/import).

Each fixture's expected values are in the folder's ``expected.yaml``; the rate is computed
through the real command (``import --dry-run --json`` reports what it recovered).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data" / "import"
FIELDS = ("title", "date", "speakers", "quotes", "signature")


@pytest.fixture
def profile(cli, workdir: Path) -> Path:
    result = cli(
        "init",
        "--unit",
        "Rumah Tahanan Negara Kelas IIB Pelaihari",
        "--signature",
        "Rutan Pelaihari",
        "--location",
        "Pelaihari",
    )
    assert result.exit_code == 0, result.stderr
    return workdir / "humaskit.toml"


def recovery(cli, folder: Path, workdir: Path, *options: str) -> tuple[float, list[str]]:  # type: ignore[no-untyped-def]
    expected = yaml.safe_load((folder / "expected.yaml").read_text("utf-8"))
    target = workdir / folder.name
    target.mkdir()
    for name in expected:
        shutil.copy(folder / name, target / name)
    result = cli("import", target, "--dry-run", "--json", *options)
    rows = {Path(row["source"]).name: row for row in result.json()}
    hits, misses = 0, []
    for name, want in expected.items():
        row = rows[name]
        assert row["status"] == "ready", (name, row)
        got = row["recovered"]
        for key in FIELDS:
            value, wanted = got.get(key), want.get(key)
            if key == "speakers":
                ok = sorted(s["name"] for s in value) == sorted(wanted)
            elif key == "date":
                ok = value == str(wanted)
            else:
                ok = value == wanted
            hits += ok
            if not ok:
                misses.append(f"{name}: {key}: {value!r} != {wanted!r}")
    return hits / (len(expected) * len(FIELDS)), misses


def test_messy_published_texts_are_recovered(cli, profile, workdir) -> None:
    """Furniture, credits, every dateline and quote shape of issue 12: the held-out real
    texts must reach 80 %; these fixtures, written for each shape, must reach 95 %."""
    rate, misses = recovery(cli, DATA / "messy", workdir)
    assert rate >= 0.95, misses


def test_clean_house_style_texts_stay_recovered(cli, profile, workdir) -> None:
    rate, misses = recovery(cli, DATA, workdir, "--year", "2025")
    assert rate >= 0.95, misses


# --------------------------------------------------------------------------- invariants

PIECES = [
    "Rutan Rantau Gelar Razia",
    "Rantau, INFO_PAS – Rutan Kelas IIB Rantau menggelar razia pada Kamis (7/3).",
    "KBRN, Tarakan : Kantor Imigrasi memperketat pengawasan pada Jum'at (8/9/2023).",
    "Kepala Rutan Kelas IIB Rantau, Muhammad Ridwan Syah, S.H., memimpin razia.",
    "Kapolres Dumai AKBP Dhovan Oktavianton mengatakan hal itu.",
    '"Kami siap," ujar Karutan.',
    "“Kami siap melayani”, ujarnya.",
    '"Kalimat yang tidak ditutup, kata Rektor.',
    "“Paragraf pertama yang terbuka.",
    'Fauzan menjelaskan, "Setiap klien wajib lapor."',
    "(Humas Lapas Kembangkuning)",
    "(ado/met)",
    "[KM-04]",
    "- Rutan Rantau",
    "Berita Terkini",
    "Baca juga: Judul lain",
    "Reporter : A Editor : B",
    "Kamis, 7 September 2023 14:30 WIB",
    "Dilihat 312 kali",
    "Jum'at",
    "Petugas, AMd, dan pembimbing hadir.",
    "",
]


def test_recovery_never_fails_and_quotes_only_known_speakers() -> None:
    """Any arrangement of real-text pieces (and stray characters) gives record data or
    nothing: never an exception, never a quote whose speaker is not in speakers."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from humaskit.importer.recover import Hints, recover

    lines = st.one_of(st.sampled_from(PIECES), st.text(max_size=80))

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(lines, max_size=25), st.none() | st.integers(1990, 2030))
    def check(text: list[str], year: int | None) -> None:
        data = recover(text, Hints(year=year, defaults={"location": "Rantau"})).data
        names = {s["name"] for s in data.get("speakers", [])}
        assert all(q["speaker"] in names for q in data.get("quotes", []))
        assert all(s["name"] and s["title"] for s in data.get("speakers", []))
        if "date" in data:
            assert len(data["date"]) == 10

    check()


def test_a_list_of_roles_is_not_a_speaker() -> None:
    from humaskit.importer.recover import Hints, recover

    lines = [
        "Polsek Gambut Gelar Apel Gabungan",
        "",
        "Gambut - Polsek Gambut menggelar apel gabungan bersama Kapolsek, Danramil, Camat "
        "Gambut, dan tokoh masyarakat pada Senin (9/1/2023).",
        "Apel ditutup dengan doa bersama.",
    ]
    assert "speakers" not in recover(lines, Hints()).data
