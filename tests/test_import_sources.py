"""``humaskit import`` of the back catalogue as units really have it: saved web pages,
WordPress exports, messy published text, and the hostile files that come with them."""

from __future__ import annotations

import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data" / "import"
MESSY = DATA / "messy"


@pytest.fixture
def profile(cli, workdir: Path) -> Path:
    result = cli(
        "init",
        "--unit",
        "Lembaga Pemasyarakatan Kelas IIA Banjarmasin",
        "--signature",
        "Lapas Banjarmasin",
        "--location",
        "Banjarmasin",
    )
    assert result.exit_code == 0, result.stderr
    return workdir / "humaskit.toml"


def copy_messy(workdir: Path, *names: str) -> list[Path]:
    targets = []
    for name in names:
        shutil.copy(MESSY / name, workdir / name)
        targets.append(workdir / name)
    return targets


def imported(cli, *args) -> list[dict]:  # type: ignore[no-untyped-def]
    result = cli("import", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def meta_of(archive_dir: Path, release_id: str) -> dict:
    [folder] = archive_dir.glob(f"releases/*/{release_id}")
    return json.loads((folder / "meta.json").read_text("utf-8"))


# --------------------------------------------------------------------------- web pages


def test_saved_web_page_imports_its_article_not_its_page(cli, profile, workdir, archive_dir):
    [page] = copy_messy(workdir, "lapas_banjarmasin.html")
    [row] = imported(cli, page)
    record = cli("show", row["id"], "--json").json()
    assert record["title"] == "Lapas Banjarmasin Gelar Donor Darah"
    assert record["date"] == "2023-09-07"  # the article's, not the header bar's 27 November
    assert record["quotes"][0]["speaker"] == "Hendra Wijaya"
    text = json.dumps(record, ensure_ascii=False)
    for leftover in ("alert", "injected", "Berita Terkini", "Rutan Rantau Gelar Apel", "Copyright"):
        assert leftover not in text
    meta = meta_of(archive_dir, row["id"])
    assert meta["source_url"] == "https://lapasbanjarmasin.go.id/berita/donor-darah"
    logged = cli("publish", row["id"], "--json").json()["publications"]
    assert [(p["channel"], p["url"]) for p in logged] == [
        ("website", "https://lapasbanjarmasin.go.id/berita/donor-darah")
    ]
    shown = cli("show", row["id"])
    assert "https://lapasbanjarmasin.go.id/berita/donor-darah" in shown.stderr
    assert "Diimpor dari" in shown.stderr


def test_a_50_mb_page_is_refused_alone(cli, profile, workdir) -> None:
    big = workdir / "besar.html"
    with big.open("wb") as handle:
        handle.write(b"<html><body><p>")
        handle.truncate(50 * 1024 * 1024)
    [good] = copy_messy(workdir, "rutan_rantau.txt")
    result = cli("import", big, good, "--json")
    assert result.exit_code == 1
    assert "besar.html" in result.stderr and "MB" in result.stderr
    assert [Path(r["source"]).name for r in result.json()] == ["rutan_rantau.txt"]


# --------------------------------------------------------------------------- WordPress


def wxr(posts: list[str]) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">'
        "<channel><title>Rutan Rantau</title><wp:wxr_version>1.2</wp:wxr_version>"
        + "".join(posts)
        + "</channel></rss>"
    )


def wxr_post(number: int, *, status: str = "publish", kind: str = "post", extra: str = "") -> str:
    day = 1 + number % 28
    return f"""<item><title>Rutan Rantau Gelar Kegiatan Pembinaan Ke-{number}</title>
<link>https://rutanrantau.go.id/berita/kegiatan-{number}</link>
<pubDate>Wed, {day - 1 if day > 1 else 1:02d} May 2024 23:30:00 +0000</pubDate>
<content:encoded><![CDATA[<p>Rantau - Rumah Tahanan Negara Kelas IIB Rantau menggelar
kegiatan pembinaan ke-{number} bagi warga binaan di aula rutan.</p>
<p>Kepala Rutan Kelas IIB Rantau, Muhammad Ridwan Syah, membuka kegiatan itu.</p>
<p>"Pembinaan adalah inti dari pemasyarakatan," ujar Ridwan.</p>{extra}
<p>Kegiatan ditutup dengan doa bersama.</p>
<p>- Rutan Rantau</p>]]></content:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_date>2024-05-{day:02d} 06:30:00</wp:post_date>
<wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type>
<category domain="category" nicename="berita"><![CDATA[Berita]]></category>
<category domain="post_tag" nicename="pembinaan"><![CDATA[pembinaan]]></category>
</item>"""


def test_wordpress_export_one_release_per_published_post(cli, profile, workdir, archive_dir):
    posts = [wxr_post(n) for n in range(1, 26)]
    posts += [wxr_post(101, status="draft"), wxr_post(102, kind="page")]
    posts += [wxr_post(103, kind="attachment"), wxr_post(104, status="private")]
    posts.append(wxr_post(105, extra="<script>fetch('https://evil.example/')</script>"))
    export = workdir / "rutanrantau.WordPress.2024-06-01.xml"
    export.write_text(wxr(posts), encoding="utf-8")
    result = cli("import", export, "--json")
    assert result.exit_code == 0, result.stderr
    rows = result.json()
    assert len(rows) == 26 and all(r["status"] == "imported" for r in rows)
    assert "1 draf" in result.stderr and "1 halaman" in result.stderr
    assert "1 lampiran" in result.stderr and "1 tulisan pribadi" in result.stderr
    record = cli("show", rows[0]["id"], "--json").json()
    # wp:post_date (local, 06:30 on 2 May) not pubDate (GMT, the evening before)
    assert record["date"] == "2024-05-02"
    assert record["title"] == "Rutan Rantau Gelar Kegiatan Pembinaan Ke-1"
    assert set(record["tags"]) == {"Berita", "pembinaan"}
    assert record["quotes"][0]["speaker"] == "Muhammad Ridwan Syah"
    assert meta_of(archive_dir, rows[0]["id"])["source_url"].endswith("/kegiatan-1")
    # The post's page is where the release went out: a website publication, indexed.
    published = cli("publish", rows[0]["id"], "--json").json()["publications"]
    assert [(p["channel"], p["url"].rsplit("/", 1)[-1]) for p in published] == [
        ("website", "kegiatan-1")
    ]
    assert published[0]["date"] == "2024-05-02"
    recap = cli("recap", "--since", "2024-01-01", "--until", "2024-12-31", "--json").json()
    assert recap["channels"]["website"] == 26
    scripted = cli("show", rows[-1]["id"], "--json").json()
    assert "evil" not in json.dumps(scripted) and "fetch" not in json.dumps(scripted)
    listed = cli("search", "pembinaan", "--json", "--limit", "100").json()
    assert len(listed) == 26  # indexed in batches
    again = cli("import", export, "--json")
    assert again.exit_code == 0, again.stderr
    assert {r["status"] for r in again.json()} == {"exists"}
    assert len(cli("list", "--json").json()) == 26


@pytest.mark.parametrize(
    ("name", "prolog"),
    [
        ("xxe.xml", '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'),
        (
            "lol.xml",
            '<!DOCTYPE rss [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;">]>',
        ),
        ("net.xml", '<!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'),
    ],
)
def test_hostile_wordpress_exports_are_refused_alone(cli, profile, workdir, name, prolog):
    post = wxr_post(1).replace("Ke-1</title>", "Ke-1 &xxe;&d;</title>")
    body = wxr([post]).replace("?>\n", f"?>\n{prolog}\n", 1)
    path = workdir / name
    path.write_text(body, encoding="utf-8")
    [good] = copy_messy(workdir, "rutan_rantau.txt")
    result = cli("import", path, good, "--json")
    assert result.exit_code == 1
    assert name in result.stderr and "DTD" in result.stderr
    assert "root:" not in result.stdout + result.stderr
    assert [Path(r["source"]).name for r in result.json()] == ["rutan_rantau.txt"]


def test_an_xml_that_is_not_a_wordpress_export_says_so(cli, profile, workdir) -> None:
    path = workdir / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url/></urlset>', encoding="utf-8")
    result = cli("import", path)
    assert result.exit_code == 1
    assert "bukan ekspor WordPress" in result.stderr


# --------------------------------------------------------------------------- messy text


def test_credits_are_kept_in_meta_never_as_the_unit(cli, profile, workdir, archive_dir):
    [path] = copy_messy(workdir, "kanwil_antara.txt")
    [row] = imported(cli, path)
    record = cli("show", row["id"], "--json").json()
    assert record["signature"] == "Lapas Banjarmasin"  # the profile's: the text has none
    assert record["quotes"] == [
        {
            "speaker": "Faisol Ali",
            "text": "Zona integritas bukan sekadar papan nama di depan kantor, tetapi perubahan "
            "cara kita melayani masyarakat",
            "verb": "kata",
        }
    ]
    assert "(ado/met)" not in json.dumps(record)
    credits = meta_of(archive_dir, row["id"])["credits"]
    assert credits == ["(ado/met)", "Pewarta: Sukri Rahman", "Editor: Budi Hartono"]


def test_role_only_attribution_and_furniture(cli, profile, workdir) -> None:
    [path] = copy_messy(workdir, "rutan_rantau.txt")
    [row] = imported(cli, path)
    record = cli("show", row["id"], "--json").json()
    assert record["date"] == "2024-03-07"
    assert record["quotes"][0]["speaker"] == "Muhammad Ridwan Syah"  # "ujar Karutan"
    assert record["signature"] == "Rutan Rantau"
    assert (record["location"], record["outlet"]) == ("Rantau", "INFO_PAS")


def test_ranks_and_degrees_stay_out_of_names(cli, profile, workdir) -> None:
    paths = copy_messy(workdir, "polres_dumai.txt", "ulm_kampus.txt", "kemenag_simeulue.txt")
    names = set()
    for row in imported(cli, *paths):
        record = cli("show", row["id"], "--json").json()
        names |= {s["name"] for s in record["speakers"]}
        assert "PSSI" not in json.dumps(record)  # "Berita Terkini" list in the middle
    assert names == {
        "Dhovan Oktavianton",
        "Ahmad Alim Bachri",
        "Muhammad Nasir",
        "Rahmawati",
    }


def test_weekdays_and_petugas_are_not_speakers(cli, profile, workdir) -> None:
    [path] = copy_messy(workdir, "bapas_jumat.txt")
    [row] = imported(cli, path)
    record = cli("show", row["id"], "--json").json()
    names = {s["name"] for s in record["speakers"]}
    assert names == {"Yuliana Sari", "Herman", "Fauzan Akbar"}
    assert {s["title"] for s in record["speakers"]} >= {"Staf Ahli Bupati"}


# --------------------------------------------------------------------------- dates


def test_no_date_anywhere_is_refused_alone_naming_date(cli, profile, workdir, archive_dir):
    nodate, good = copy_messy(workdir, "nodate.txt", "rutan_rantau.txt")
    result = cli("import", nodate, good, "--json")
    assert result.exit_code == 1
    assert "--date" in result.stderr and "--year" in result.stderr
    assert "humaskit.toml" not in result.stderr.split("nodate.txt", 1)[1].split("\n", 1)[0]
    assert [Path(r["source"]).name for r in result.json()] == ["rutan_rantau.txt"]
    [row] = imported(cli, nodate, "--date", "2024-04-22")
    assert cli("show", row["id"], "--json").json()["date"] == "2024-04-22"


def test_date_option_is_for_one_file(cli, profile, workdir, archive_dir) -> None:
    paths = copy_messy(workdir, "nodate.txt", "rutan_rantau.txt")
    result = cli("import", *paths, "--date", "2024-04-22")
    assert result.exit_code == 2
    assert "--date" in result.stderr
    assert cli("import", paths[0], "--date", "22-22-2024").exit_code == 2
    assert not list(archive_dir.glob("releases/*/*"))


def test_a_terminal_is_asked_for_the_missing_date(cli, profile, workdir) -> None:
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    [nodate] = copy_messy(workdir, "nodate.txt")
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        pipe.send_text("2024-04-2x\x15" + "2024-04-22\r")
        result = cli("import", nodate)
    assert result.exit_code == 0, result.stderr
    [row] = cli("list", "--json").json()
    assert row["date"] == "2024-04-22"


def test_dry_run_json_says_what_was_recovered_and_why_not(cli, profile, workdir, archive_dir):
    paths = copy_messy(workdir, "nodate.txt", "polres_dumai.txt")
    result = cli("import", *paths, "--dry-run", "--json")
    assert result.exit_code == 1
    nodate, polres = result.json()
    assert nodate["status"] == "failed" and nodate["missing"] == ["date"]
    assert "--date" in nodate["why_empty"]["date"]
    assert "speakers" in nodate["why_empty"]
    assert polres["recovered"]["speakers"] == [
        {"name": "Dhovan Oktavianton", "title": "Kapolres Dumai"}
    ]
    assert polres["recovered"]["quotes"] == 2
    assert polres["recovered"]["credits"] == ["Reporter : Rahmat Hidayat Editor : Zulkifli"]
    assert "signature" in polres["why_empty"]
    assert not list(archive_dir.glob("releases/*/*"))


# --------------------------------------------------------------------------- check FILE


def test_check_on_a_published_text_reports_what_a_reader_meets(cli, profile, workdir) -> None:
    [nodate] = copy_messy(workdir, "nodate.txt")
    result = cli("check", nodate, "--json")
    assert result.exit_code == 1, result.stderr
    findings = result.json()
    assert [f["field"] for f in findings] == ["date"]
    assert "--date" in findings[0]["message"]
    [good] = copy_messy(workdir, "rutan_rantau.txt")
    assert cli("check", good).exit_code == 0
    binary = workdir / "rusak.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    assert cli("check", binary).exit_code == 2
    other = cli("check", "/etc/passwd")
    assert other.exit_code == 2 and "bukan berkas yang dapat diperiksa" in other.stderr


# --------------------------------------------------------------------------- issue 16


def test_embedded_record_neither_pulls_in_photos_nor_overrides_the_text(
    cli, profile, workdir, archive_dir, seed_record
) -> None:
    """A Word file whose embedded record names a local image and a hidden title."""
    from PIL import Image

    [row] = cli("new", seed_record, "--json").json()
    secret = workdir / "rahasia" / "foto-pribadi.jpg"
    secret.parent.mkdir()
    Image.new("RGB", (64, 64), (200, 0, 0)).save(secret, "JPEG")
    crafted = workdir / "kiriman.docx"
    with zipfile.ZipFile(row["docx"]) as source, zipfile.ZipFile(crafted, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "customXml/humaskit-record.json":  # the attacker's edit
                payload = json.loads(data)
                payload["record"]["photos"] = [{"path": str(secret), "caption": "x"}]
                payload["record"]["title"] = "Judul Tersembunyi yang Tidak Terlihat"
                data = json.dumps(payload).encode()
            target.writestr(item, data)
    result = cli("--archive", workdir / "lain", "import", crafted, "--json", "--year", "2025")
    assert result.exit_code == 0, result.stderr
    [done] = result.json()
    record = cli("--archive", workdir / "lain", "show", done["id"], "--json").json()
    assert record["title"] != "Judul Tersembunyi yang Tidak Terlihat"
    assert "photos" not in record
    assert not list((workdir / "lain").rglob("*.jpg"))
    assert any("photos:" in w or "kiriman.docx" in w for w in done["warnings"])


def test_a_record_that_crashes_fails_alone_and_the_rest_is_indexed(
    cli, profile, workdir, monkeypatch
) -> None:
    import humaskit.importer.run as run

    real = run.recover

    def exploding(lines, hints):  # type: ignore[no-untyped-def]
        if any("Marabahan" in line for line in lines):
            raise RecursionError("deep")
        return real(lines, hints)

    monkeypatch.setattr(run, "recover", exploding)
    folder = workdir / "arsip-lama"
    folder.mkdir()
    for name in ("kanwil_antara.txt", "nodate.txt", "rutan_rantau.txt", "polsek_km04.txt"):
        shutil.copy(MESSY / name, folder / name)
    result = cli("import", folder, "--json")
    assert result.exit_code == 1
    assert "nodate.txt" in result.stderr and "RecursionError" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.json()) == 3
    assert "1 gagal dari 4" in result.stderr  # the summary is always there
    assert cli("search", "razia", "--json").json()[0]["title"].startswith("Rutan Rantau")


def test_non_utf8_file_names(cli, profile, workdir) -> None:
    name = os.fsdecode(b"rilis-\xff\xfe.txt")
    shutil.copy(MESSY / "rutan_rantau.txt", workdir / name)
    result = cli("import", workdir / name, "--json")
    assert result.exit_code == 0, result.stderr
    [row] = result.json()
    assert row["source"].endswith("rilis-\ufffd\ufffd.txt")
    folder = workdir / "folder"
    folder.mkdir()
    (workdir / name).rename(folder / name)
    again = cli("--archive", workdir / "a2", "import", folder)
    assert again.exit_code == 0, again.stderr
    assert "\ufffd" in again.stdout


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_read(cli, profile, workdir, codec) -> None:
    text = (MESSY / "rutan_rantau.txt").read_text("utf-8")
    path = workdir / "utf16.txt"
    path.write_bytes(text.encode(codec))
    [row] = imported(cli, path)
    assert cli("show", row["id"], "--json").json()["signature"] == "Rutan Rantau"


def test_docx_with_too_many_parts_says_so(cli, profile, workdir) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for number in range(2100):
            archive.writestr(f"word/media/image{number}.png", b"x")
    path = workdir / "banyak.docx"
    path.write_bytes(buffer.getvalue())
    result = cli("import", path)
    assert result.exit_code == 1
    assert "2101 bagian" in result.stderr
    assert "80 MB" not in result.stderr and "bom zip" not in result.stderr


@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/urandom"])
def test_only_regular_files_are_read(cli, profile, workdir, special) -> None:
    if special == "fifo":
        target = workdir / "pipa.txt"
        os.mkfifo(target)
    else:
        target = Path(special)
    [good] = copy_messy(workdir, "rutan_rantau.txt")
    result = cli("import", target, good, "--json")
    assert result.exit_code == 1
    assert "bukan berkas biasa" in result.stderr
    assert [Path(r["source"]).name for r in result.json()] == ["rutan_rantau.txt"]


def test_progress_counts_the_posts_of_an_export(workdir) -> None:
    """A 2,000-post export is one file: the progress bar must count posts, not files."""
    from humaskit.archive.store import Archive
    from humaskit.importer.run import import_paths

    export = workdir / "export.xml"
    export.write_text(wxr([wxr_post(n) for n in range(1, 31)]), encoding="utf-8")
    other = workdir / "rutan_rantau.txt"
    shutil.copy(MESSY / "rutan_rantau.txt", other)
    seen: list[tuple[int, int]] = []
    defaults = {"unit": "Rumah Tahanan Negara Kelas IIB Rantau", "signature": "Rutan Rantau"}
    result = import_paths(
        Archive(workdir / "archive"),
        [export, other],
        profile=None,
        defaults=defaults,
        dry_run=True,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert len(result.outcomes) == 31
    assert seen[-1] == (31, 31)
    assert [done for done, _ in seen] == list(range(1, 32))


def test_a_symlink_loop_is_named_as_such_not_as_permissions(cli, profile, workdir) -> None:
    loop = workdir / "putar.txt"
    loop.symlink_to(loop)
    result = cli("import", loop)
    assert result.exit_code == 1
    assert "berputar" in result.stderr and "izin" not in result.stderr


def test_a_post_whose_link_the_log_refuses_is_saved_without_a_publication(
    cli, profile, workdir, archive_dir
):
    """The website publication is saved with the release (one write); a link the publication
    log refuses is a warning on that post, and the release is saved all the same."""
    good, bad = (
        wxr_post(1),
        wxr_post(2).replace(
            "https://rutanrantau.go.id/berita/kegiatan-2", "http://intranet/kegiatan-2"
        ),
    )
    export = workdir / "ekspor.xml"
    export.write_text(wxr([good, bad]), encoding="utf-8")
    result = cli("import", export, "--json")
    assert result.exit_code == 0, result.stderr
    rows = result.json()
    assert [r["status"] for r in rows] == ["imported", "imported"]
    assert any("http://intranet/kegiatan-2" in w for w in rows[1].get("warnings", []))
    assert not any("intranet" in w for w in rows[0].get("warnings", []))
    logged = [cli("publish", r["id"], "--json").json()["publications"] for r in rows]
    assert [[p["url"] for p in items] for items in logged] == [
        ["https://rutanrantau.go.id/berita/kegiatan-1"],
        [],
    ]
    folders = [archive_dir / "releases" / "2024" / r["id"] for r in rows]
    assert [(f / "publications.yaml").is_file() for f in folders] == [True, False]


def test_a_failed_save_is_reported_for_its_own_post_while_the_next_is_written(
    cli, profile, workdir, archive_dir
) -> None:
    """Each post's writes overlap the next post's rendering (``releases.BackgroundSaves``):
    a save that fails must be reported on its own row, never on the post after it, and the
    same post twice in one export is saved once even while the first is still in flight."""
    outside = workdir / "outside"
    outside.mkdir()
    (archive_dir / "releases").mkdir(parents=True, exist_ok=True)
    (archive_dir / "releases" / "2023").symlink_to(outside, target_is_directory=True)
    in_2023 = {3, 4, 7}
    posts = []
    for number in range(1, 9):
        post = wxr_post(number)
        posts.append(post.replace("2024-05-", "2023-05-") if number in in_2023 else post)
    posts.append(wxr_post(8))  # the same post again, right after the first
    export = workdir / "export.xml"
    export.write_text(wxr(posts), encoding="utf-8")
    result = cli("import", export, "--json")
    assert result.exit_code == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("Gagal:")]
    assert [line.split()[1].rsplit("/", 1)[-1] for line in failed] == [
        f"export.xml#{n}:" for n in sorted(in_2023)
    ]
    assert all("releases/2023" in line for line in failed)
    rows = result.json()  # the saved ones
    assert [row["source"].rsplit("/", 1)[-1] for row in rows] == [
        f"export.xml#{n}" for n in (1, 2, 5, 6, 8, 8)
    ]
    assert [row["status"] for row in rows[-2:]] == ["imported", "exists"]
    assert rows[-1]["id"] == rows[-2]["id"]
    assert all(row["id"].startswith("2024-") for row in rows)
    assert list(outside.iterdir()) == []
    found = cli("search", "pembinaan", "--json", "--limit", "100").json()
    assert sorted(hit["id"] for hit in found) == sorted(row["id"] for row in rows[:-1])
