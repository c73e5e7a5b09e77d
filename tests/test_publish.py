"""``humaskit publish``: where a release went out, kept in ``publications.yaml`` beside the
record, checked before anything is written, and kept through edit, reindex, export and a
copied archive."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
import yaml

from conftest import archive_snapshot
from humaskit.errors import InputError
from humaskit.publications import guess_channel, make_publication

SEED_ID = "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"
SITE = "https://rutanpelaihari.kemenkumham.go.id/berita/penguatan-kehumasan"
INSTAGRAM = "https://www.instagram.com/p/DFvXyZ1234/"


@pytest.fixture
def saved(cli, seed_record, archive_dir):  # type: ignore[no-untyped-def]
    assert cli("new", seed_record).exit_code == 0
    return archive_dir / "releases" / "2025" / SEED_ID


def recorded(folder) -> list[dict]:  # type: ignore[no-untyped-def]
    path = folder / "publications.yaml"
    return yaml.safe_load(path.read_text("utf-8")) if path.exists() else []


def test_publish_records_guesses_the_channel_and_show_lists_it(cli, saved) -> None:
    first = cli("publish", SEED_ID, SITE, "--date", "2025-02-06")
    assert first.exit_code == 0, first.stderr
    assert "terbit di Situs web pada 2025-02-06" in first.stdout  # the channel as named
    second = cli("publish", SEED_ID, INSTAGRAM, "--date", "2025-02-07", "--json")
    assert second.json()["publications"][1] == {
        "url": INSTAGRAM,
        "channel": "instagram",
        "outlet": None,
        "date": "2025-02-07",
    }
    media = cli("publish", SEED_ID, "https://wartanesia.id/rutan", "--outlet", "Wartanesia")
    assert media.exit_code == 0, media.stderr
    entries = recorded(saved)
    assert [(e["url"], e["channel"]) for e in entries] == [
        (SITE, "website"),
        (INSTAGRAM, "instagram"),
        ("https://wartanesia.id/rutan", "media"),
    ]
    assert entries[2]["outlet"] == "Wartanesia"
    assert entries[2]["date"] == dt.date.today()  # today when --date is not given
    assert all(e["recorded"].endswith("Z") for e in entries)
    shown = cli("show", SEED_ID).stdout
    assert f"2025-02-07 · Instagram · {INSTAGRAM}" in shown
    assert "Media massa (Wartanesia) · https://wartanesia.id/rutan" in shown
    listed = cli("publish", SEED_ID, "--json").json()
    assert [p["channel"] for p in listed["publications"]] == ["website", "instagram", "media"]
    # show --json stays the record (it goes back into edit); publish ID --json lists them.
    assert "publications" not in cli("show", SEED_ID, "--json").json()


def test_the_same_url_again_updates_its_entry(cli, saved) -> None:
    cli("publish", SEED_ID, INSTAGRAM, "--date", "2025-02-06")
    again = cli("publish", SEED_ID, INSTAGRAM, "--date", "2025-02-08")
    assert again.exit_code == 0
    assert [e["date"] for e in recorded(saved)] == [dt.date(2025, 2, 8)]


def test_remove_forgets_one_url(cli, saved, archive_dir) -> None:
    cli("publish", SEED_ID, SITE, "--date", "2025-02-06")
    cli("publish", SEED_ID, INSTAGRAM, "--date", "2025-02-06")
    done = cli("publish", SEED_ID, "--remove", SITE)
    assert done.exit_code == 0, done.stderr
    assert [e["url"] for e in recorded(saved)] == [INSTAGRAM]
    before = archive_snapshot(archive_dir)
    missing = cli("publish", SEED_ID, "--remove", "https://x.com/none")
    assert missing.exit_code == 1 and INSTAGRAM in missing.stderr
    assert archive_snapshot(archive_dir) == before
    cli("publish", SEED_ID, "--remove", INSTAGRAM)
    assert not (saved / "publications.yaml").exists()
    assert "Publikasi" not in cli("show", SEED_ID).stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ([SEED_ID, "rutanpelaihari.go.id/berita"], "URL"),
        ([SEED_ID, "ftp://rutanpelaihari.go.id/berita"], "URL"),
        ([SEED_ID, "https://"], "URL"),
        ([SEED_ID, "https://exa mple.com/a"], "URL"),
        ([SEED_ID, SITE, "--channel", "koran"], "--channel"),
        ([SEED_ID, "https://blog.example.com/post"], "--channel"),
        ([SEED_ID, SITE, "--date", "2999-01-01"], "--date"),
        ([SEED_ID, SITE, "--date", "31/02/2025"], "--date"),
        ([SEED_ID, SITE, "--outlet", " "], "--outlet"),
        (["2025-02-07-tidak-ada", SITE], "ID"),
        (["bukan-id", SITE], "ID"),
        ([SEED_ID], None),  # listing: fine
        ([SEED_ID, "--channel", "website"], "URL"),
        ([SEED_ID, SITE, "--remove", SITE], "--remove"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(cli, saved, archive_dir, args, field) -> None:
    before = archive_snapshot(archive_dir)
    result = cli("publish", *args)
    assert archive_snapshot(archive_dir) == before
    if field is None:
        assert result.exit_code == 0
        return
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"humaskit: {field}:"), result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_messages_in_english(cli, saved, monkeypatch) -> None:
    monkeypatch.setenv("HUMASKIT_LANG", "en")
    result = cli("publish", SEED_ID, SITE, "--date", "2999-01-01")
    assert "is in the future" in result.stderr
    assert "Recorded:" in cli("publish", SEED_ID, SITE).stdout


def test_publications_survive_edit_reindex_export_and_a_copy(
    cli, saved, seed_record, archive_dir, workdir
) -> None:
    cli("publish", SEED_ID, SITE, "--date", "2025-02-06")
    cli("publish", SEED_ID, INSTAGRAM, "--date", "2025-02-06")
    kept = (saved / "publications.yaml").read_bytes()
    data = yaml.safe_load(seed_record.read_text())
    data["closing"] = "Kegiatan ditutup dengan diskusi."
    changed = seed_record.with_name("v2.yaml")
    changed.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    assert cli("edit", SEED_ID, changed).exit_code == 0
    assert (saved / "publications.yaml").read_bytes() == kept
    shutil.rmtree(archive_dir / "index")
    assert cli("reindex").exit_code == 0
    recap = cli("recap", "--month", "2025-02", "--json").json()
    assert recap["publications"] == 2 and recap["channels"]["instagram"] == 1
    exported = cli("export", SEED_ID, "--md", workdir / "out.md")
    assert exported.exit_code == 0
    assert "instagram" not in (workdir / "out.md").read_text("utf-8")  # the release only
    assert (saved / "publications.yaml").read_bytes() == kept
    copy = workdir / "copy"
    shutil.copytree(archive_dir, copy)
    again = cli("--archive", copy, "recap", "--month", "2025-02", "--json").json()
    assert again["publications"] == 2
    assert (
        cli("--archive", copy, "publish", SEED_ID, "--json").json()["publications"][0]["url"]
        == SITE
    )


def test_doctor_sees_a_publications_file_edited_by_hand(cli, saved) -> None:
    cli("publish", SEED_ID, SITE, "--date", "2025-02-06")
    assert cli("doctor").exit_code == 0
    path = saved / "publications.yaml"
    path.write_text(path.read_text("utf-8").replace("website", "media"), "utf-8")
    found = cli("doctor", "--json")
    assert found.exit_code == 1
    [problem] = found.json()["problems"]
    assert (problem["kind"], problem["id"]) == ("stale_entry", SEED_ID)
    assert cli("doctor", "--repair").exit_code == 0
    assert cli("recap", "--month", "2025-02", "--json").json()["channels"]["media"] == 1


@pytest.mark.parametrize("damage", ["- url: [", "- url: https://a.go.id/\n  channel: koran\n"])
def test_a_damaged_publications_file_is_named_and_hides_nothing(cli, saved, damage) -> None:
    (saved / "publications.yaml").write_text(damage, "utf-8")
    result = cli("publish", SEED_ID, SITE)
    assert result.exit_code == 1
    assert "publications.yaml" in result.stderr and "Traceback" not in result.stderr
    assert cli("reindex").exit_code == 0
    found = cli("search", "penguatan kehumasan", "--json").json()
    assert [hit["id"] for hit in found] == [SEED_ID]  # still found
    recap = cli("recap", "--month", "2025-02")
    assert recap.exit_code == 1
    assert SEED_ID in recap.stderr and "publications.yaml" in recap.stderr


@pytest.mark.parametrize(
    ("url", "channel"),
    [
        ("https://www.instagram.com/p/abc/", ("instagram", None)),
        ("https://m.facebook.com/story.php?id=1", ("facebook", None)),
        ("https://fb.watch/abc", ("facebook", None)),
        ("https://twitter.com/rutan/status/1", ("x", None)),
        ("https://x.com/rutan/status/1", ("x", None)),
        ("https://youtu.be/abc", ("youtube", None)),
        ("https://www.youtube.com/watch?v=abc", ("youtube", None)),
        ("https://vt.tiktok.com/abc", ("tiktok", None)),
        ("https://kalsel.antaranews.com/berita/1", ("media", "ANTARA")),
        ("https://news.detik.com/berita/d-1", ("media", "detikcom")),
        ("https://ditjenpas.go.id/rutan", ("website", None)),
        ("https://rutanku.id/berita/1", ("website", None)),  # the profile's website
        ("https://notx.com/a", None),  # a host that merely ends like a known one
        ("https://blog.example.com/a", None),
    ],
)
def test_channel_from_the_host(url, channel) -> None:
    assert guess_channel(url, website="www.rutanku.id") == channel


def test_a_publication_date_may_be_today_not_tomorrow() -> None:
    today = dt.date(2025, 3, 10)
    assert make_publication(SITE, today=today).date == today
    with pytest.raises(InputError):
        make_publication(SITE, date=dt.date(2025, 3, 11), today=today)
