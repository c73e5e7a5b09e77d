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
