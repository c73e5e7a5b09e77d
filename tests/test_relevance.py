"""Relevance of ``humaskit search`` on 24 releases of our own and 20 queries people type.

Morphology (penerapan/menerapkan), acronyms both ways, a synonym, typing mistakes, names and
filters; recall@10 and MRR are printed and must stay at or above 0.95 and 0.9.
"""

from __future__ import annotations

from pathlib import Path

import yaml

CLOSING = "Dengan adanya kegiatan ini, diharapkan pelayanan kepada masyarakat semakin baik."

UNITS = {
    "pelaihari": ("Rumah Tahanan Negara Kelas IIB Pelaihari", "Rutan Pelaihari", "Pelaihari"),
    "banjarmasin": (
        "Lembaga Pemasyarakatan Kelas IIA Banjarmasin",
        "Lapas Banjarmasin",
        "Banjarmasin",
    ),
    "martapura": ("Lembaga Pemasyarakatan Kelas IIA Martapura", "LP Martapura", "Martapura"),
    "banjarbaru": ("Lembaga Pemasyarakatan Kelas III Banjarbaru", "Lapas Banjarbaru", "Banjarbaru"),
    "kanwil": (
        "Kantor Wilayah Kementerian Hukum dan HAM Kalimantan Selatan",
        "Kanwil Kalsel",
        "Banjarmasin",
    ),
    "bapas": ("Balai Pemasyarakatan Kelas I Banjarmasin", "Bapas Banjarmasin", "Banjarmasin"),
    "imigrasi": ("Kantor Imigrasi Kelas II TPI Batulicin", "Kanim Batulicin", "Batulicin"),
    "polres": ("Kepolisian Resor Tanah Laut", "Polres Tanah Laut", "Pelaihari"),
    "kandangan": ("Rumah Tahanan Negara Kelas IIB Kandangan", "Rutan Kandangan", "Kandangan"),
    "denpasar": ("Lembaga Pemasyarakatan Kelas IIA Kerobokan", "Lapas Kerobokan", "Denpasar"),
}

# key: (unit, date, title, lead, body, speakers, tags)
RELEASES = {
    "antrean": (
        "banjarmasin",
        "2025-01-14",
        "Lapas Banjarmasin Terapkan Antrean Daring Kunjungan",
        "Lapas Banjarmasin mulai menerapkan sistem antrean daring bagi keluarga yang "
        "hendak membesuk warga binaan pada Selasa (14/1).",
        ["Keluarga cukup mendaftar melalui aplikasi sehari sebelum datang."],
        [],
        [],
    ),
    "menjahit": (
        "pelaihari",
        "2025-02-03",
        "Rutan Pelaihari Latih Warga Binaan Menjahit",
        "Rutan Pelaihari membina warga binaan melalui pelatihan menjahit selama dua "
        "pekan di bengkel kerja.",
        ["Hasil jahitan berupa seragam dan tas dijual di galeri rutan."],
        [],
        ["bimker"],
    ),
    "kakanwil": (
        "kanwil",
        "2025-02-10",
        "Kakanwil Kalsel Tinjau Lapas Kotabaru",
        "Kepala Kantor Wilayah Kemenkumham Kalimantan Selatan mengunjungi Lapas Kotabaru "
        "untuk melihat langsung kondisi hunian dan dapur.",
        [],
        [("Hendra Kusuma", "Kepala Kantor Wilayah")],
        [],
    ),
    "kamar": (
        "martapura",
        "2025-02-12",
        "Petugas Periksa Kamar Hunian Jelang Ramadan",
        "Regu pengamanan memeriksa seluruh kamar hunian blok A dan blok B pada malam hari "
        "untuk memastikan tidak ada barang terlarang.",
        [],
        [],
        ["kamtib"],
    ),
    "urine": (
        "polres",
        "2025-03-05",
        "BNNK Tanah Laut Gelar Tes Urine Anggota Polres",
        "Petugas BNNK Tanah Laut melakukan tes urine kepada 150 anggota Polres Tanah Laut "
        "secara mendadak.",
        ["Seluruh sampel dinyatakan negatif dari zat terlarang."],
        [],
        ["narkoba"],
    ),
    "martapura": (
        "martapura",
        "2025-03-11",
        "Lembaga Pemasyarakatan Martapura Raih Penghargaan",
        "Lembaga Pemasyarakatan Kelas IIA Martapura menerima penghargaan pelayanan "
        "publik terbaik tingkat provinsi.",
        [],
        [],
        [],
    ),
    "hoaks": (
        "polres",
        "2024-10-21",
        "Polres Tanah Laut Ajak Warga Tangkal Hoaks Pilkada",
        "Satuan Binmas Polres Tanah Laut mengajak warga tidak menyebarkan hoaks menjelang "
        "Pilkada serentak.",
        ["Warga diminta memeriksa kebenaran pesan berantai sebelum membagikannya."],
        [],
        [],
    ),
    "vaksin": (
        "pelaihari",
        "2024-08-15",
        "Rutan Pelaihari Gelar Vaksinasi bagi Warga Binaan",
        "Bekerja sama dengan puskesmas setempat, Rutan Pelaihari menggelar vaksinasi "
        "bagi 200 warga binaan.",
        [],
        [],
        ["kesehatan"],
    ),
    "bola": (
        "banjarbaru",
        "2025-04-27",
        "Pertandingan Sepak Bola Meriahkan Hari Bakti",
        "Lapas Banjarbaru menggelar pertandingan sepak bola persahabatan antara petugas "
        "dan warga binaan dalam rangka Hari Bakti Pemasyarakatan.",
        [],
        [],
        ["olahraga"],
    ),
    "paspor": (
        "imigrasi",
        "2025-04-28",
        "Kanim Batulicin Jemput Bola Layanan Paspor",
        "Kantor Imigrasi Batulicin membuka layanan paspor keliling di kantor kecamatan; "
        "petugas jemput bola agar warga tidak perlu jauh datang ke kantor.",
        ["Sebanyak 80 permohonan paspor dilayani dalam sehari."],
        [],
        [],
    ),
    "kerobokan": (
        "denpasar",
        "2025-05-02",
        "Lapas Kerobokan Gelar Upacara Adat",
        "Lapas Kerobokan di Bali menggelar upacara adat bersama warga binaan.",
        [],
        [("Made Sudarsana", "Kepala Lapas Kerobokan")],
        [],
    ),
    "remisi": (
        "pelaihari",
        "2025-03-31",
        "Ratusan Warga Binaan Terima Remisi Idul Fitri",
        "Sebanyak 312 warga binaan Rutan Pelaihari menerima remisi khusus Idul Fitri.",
        [],
        [],
        ["remisi"],
    ),
    "pb": (
        "bapas",
        "2025-05-20",
        "Bapas Banjarmasin Serahkan SK PB kepada 12 Klien",
        "Bapas Banjarmasin menyerahkan SK PB kepada 12 klien pemasyarakatan yang memenuhi syarat.",
        [],
        [],
        [],
    ),
    "wbk": (
        "kandangan",
        "2025-01-20",
        "Rutan Kandangan Canangkan Pembangunan ZI menuju WBK",
        "Rutan Kandangan mencanangkan pembangunan ZI menuju WBK bersama pemerintah daerah.",
        [],
        [],
        ["reformasi birokrasi"],
    ),
    "donor": (
        "bapas",
        "2025-06-14",
        "Bapas Banjarmasin Gelar Donor Darah",
        "Bapas Banjarmasin bersama PMI kota menggelar donor darah yang diikuti 60 pegawai.",
        [],
        [],
        [],
    ),
    "apel2024": (
        "pelaihari",
        "2024-01-10",
        "Apel Pagi Awal Tahun di Rutan Pelaihari",
        "Seluruh pegawai Rutan Pelaihari mengikuti apel pagi awal tahun.",
        [],
        [],
        ["apel"],
    ),
    "apel2025": (
        "banjarbaru",
        "2025-03-03",
        "Apel Pagi Lapas Banjarbaru Tekankan Disiplin",
        "Kalapas Banjarbaru memimpin apel pagi dan menekankan disiplin pegawai.",
        [],
        [],
        ["apel"],
    ),
    "sosfani": (
        "pelaihari",
        "2025-06-02",
        "Rutan Pelaihari Sosialisasi Hak Warga Binaan",
        "Kepala Rutan Pelaihari, Fani Andika, memberikan sosialisasi hak dan kewajiban "
        "kepada warga binaan baru.",
        [],
        [("Fani Andika", "Kepala Rutan Pelaihari")],
        [],
    ),
    "hukum": (
        "kandangan",
        "2025-06-05",
        "Penyuluhan Hukum bagi Warga Binaan Rutan Kandangan",
        "Rutan Kandangan bekerja sama dengan pos bantuan hukum menggelar penyuluhan hukum "
        "dan sosialisasi tata tertib.",
        [],
        [("Rina Wulandari", "Penyuluh Hukum")],
        [],
    ),
    "etika": (
        "pelaihari",
        "2025-02-06",
        "Rutan Pelaihari Ikuti Penguatan Kehumasan",
        "Kepala Rutan Pelaihari, Fani Andika, mengikuti penguatan kehumasan tentang etika "
        "penggunaan media sosial bagi ASN.",
        [],
        [("Fani Andika", "Kepala Rutan")],
        [],
    ),
    "jagung": (
        "banjarbaru",
        "2025-07-08",
        "Lapas Banjarbaru Panen Jagung Hasil Pembinaan",
        "Lapas Banjarbaru memanen dua ton jagung dari lahan ketahanan pangan yang "
        "digarap warga binaan.",
        [],
        [],
        ["ketahanan pangan"],
    ),
    "videocall": (
        "martapura",
        "2025-07-15",
        "Layanan Video Call Dekatkan Keluarga",
        "LP Martapura menyediakan layanan video call gratis agar keluarga yang jauh tetap "
        "dapat berkomunikasi dengan warga binaan.",
        [],
        [],
        [],
    ),
    "pelantikan": (
        "kanwil",
        "2025-08-01",
        "Kanwil Kalsel Lantik 20 Pejabat Struktural",
        "Kepala Kantor Wilayah melantik 20 pejabat struktural di aula Kanwil Kalsel.",
        [],
        [],
        [],
    ),
    "musnah": (
        "kandangan",
        "2025-08-12",
        "Rutan Kandangan Musnahkan Barang Hasil Razia",
        "Rutan Kandangan memusnahkan ponsel, kabel, dan senjata tajam hasil razia kamar "
        "hunian selama tiga bulan.",
        [],
        [],
        [],
    ),
}

# query, extra options, relevant keys
QUERIES = [
    ("penerapan antrean", [], {"antrean"}),
    ("pembinaan menjahit", [], {"menjahit"}),
    ("kunjungan kakanwil", [], {"kakanwil"}),
    ("pemeriksaan kamar hunian", [], {"kamar"}),
    ("badan narkotika nasional kabupaten tes urin", [], {"urine"}),
    ("lapas martapura penghargaan", [], {"martapura"}),
    ("berita bohong", [], {"hoaks"}),
    ("pemilihan kepala daerah", [], {"hoaks"}),
    ("vaksinsi", [], {"vaksin"}),
    ("pertandingan sepak bola", [], {"bola"}),
    ("layanan paspor", [], {"paspor"}),
    ("Made Sudarsana", [], {"kerobokan"}),
    ("remisi lebaran", [], {"remisi"}),
    ("pembebasan bersyarat", [], {"pb"}),
    ("zona integritas wilayah bebas korupsi", [], {"wbk"}),
    ("apel pagi", ["--unit", "lapas banjarbaru"], {"apel2025"}),
    ("apel", ["--until", "2024-12-31"], {"apel2024"}),
    ("sosialisasi", ["--speaker", "Fani"], {"sosfani"}),
    ("penyuluhn hukum", [], {"hukum"}),
    ("Fani Andika", [], {"sosfani", "etika"}),
    ("panggilan video keluarga", [], {"videocall"}),
    ("pelantikan pejabat kalimantan selatan", [], {"pelantikan"}),
    ("pemusnahan barang razia", [], {"musnah"}),
    ("", ["--tag", "ketahanan pangan"], {"jagung"}),
]


def write_records(folder: Path) -> dict[str, str]:
    """Every release as a record file; returns file name -> key."""
    names = {}
    for key, (unit, date, title, lead, body, speakers, tags) in RELEASES.items():
        full, signature, location = UNITS[unit]
        record = {
            "title": title,
            "date": date,
            "location": location,
            "unit": full,
            "lead": lead,
            "body": body,
            "speakers": [{"name": n, "title": t} for n, t in speakers],
            "closing": CLOSING,
            "signature": signature,
            "tags": tags,
        }
        path = folder / f"{key}.yaml"
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), "utf-8")
        names[key] = path
    return names


def test_relevance(cli, workdir: Path) -> None:
    paths = write_records(workdir)
    saved = cli("new", *paths.values(), "--json")
    assert saved.exit_code == 0, saved.stderr
    key_of = {entry["id"]: key for entry, key in zip(saved.json(), paths, strict=True)}

    recalls, reciprocal_ranks, misses = [], [], []
    for query, options, relevant in QUERIES:
        result = cli("search", query, *options, "--json")
        assert result.exit_code == 0, (query, result.stderr)
        ranked = [key_of[hit["id"]] for hit in result.json()]
        found = relevant & set(ranked[:10])
        recalls.append(len(found) / len(relevant))
        rank = next((n for n, key in enumerate(ranked, start=1) if key in relevant), None)
        reciprocal_ranks.append(1 / rank if rank else 0.0)
        if rank != 1 or found != relevant:
            misses.append((query, options, ranked[:5]))

    recall = sum(recalls) / len(recalls)
    mrr = sum(reciprocal_ranks) / len(reciprocal_ranks)
    print(
        f"\nrelevance: {len(QUERIES)} queries on {len(RELEASES)} releases: "
        f"recall@10 = {recall:.3f}, MRR = {mrr:.3f}"
    )
    for miss in misses:
        print("  not first:", miss)
    assert recall >= 0.95, misses
    assert mrr >= 0.9, misses


def test_one_shared_word_is_not_a_hit(cli, workdir: Path) -> None:
    """'jemput bola' in a passport release must not answer a query about football."""
    paths = write_records(workdir)
    saved = cli("new", paths["bola"], paths["paspor"], "--json")
    football, passport = (entry["id"] for entry in saved.json())
    found = [hit["id"] for hit in cli("search", "pertandingan sepak bola", "--json").json()]
    assert found == [football]
    assert passport not in found


# Quoted phrases, for comparing the ways a search is answered (not part of the figures).
PHRASE_QUERIES = [
    '"sepak bola"',
    '"jemput bola" paspor',
    '"kamar hunian" razia',
    '"kepala kantor wilayah"',
    '"lembaga pemasyarakatan" martapura',
    '"warga binaan" menjahit',
    '"bola sepak"',
]


def _all_results(cli) -> list:  # type: ignore[no-untyped-def]
    asked = [(q, options) for q, options, _ in QUERIES] + [(q, []) for q in PHRASE_QUERIES]
    return [cli("search", q, *options, "--json").json() for q, options in asked]


def test_fast_postings_copy_gives_the_same_results(cli, workdir: Path, monkeypatch) -> None:
    """The copy of the index (humaskit.search.postcache) changes speed, not answers: the same ids,
    order, scores and snippets answered from the copy alone, through Whoosh with the copy's
    posting lists, through Whoosh alone, and with a damaged copy; also after an edit leaves
    a deleted entry in an older part of the index."""
    from humaskit.search import postcache

    # Every term gets a bitmap, as the common words of a large archive do.
    monkeypatch.setattr(postcache, "BITMAP_SHARE", 1)
    paths = write_records(workdir)
    saved = cli("new", *paths.values(), "--json")
    assert saved.exit_code == 0, saved.stderr
    first, path = saved.json()[0]["id"], next(iter(paths.values()))
    record = yaml.safe_load(path.read_text("utf-8"))
    record["title"] = record["title"] + " Bersama BNNK"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    edited = cli("edit", first, path)
    assert edited.exit_code == 0, edited.stderr

    index_dir = workdir / "archive" / "index"
    copies = sorted(index_dir.glob("humaskit-*.postings"))
    assert copies and len(copies) == len(list(index_dir.glob("*.seg")))
    assert postcache.open_snapshot(index_dir) is not None
    from_copy = _all_results(cli)
    assert all(from_copy[-len(PHRASE_QUERIES) : -1]) and not from_copy[-1]
    assert cli("doctor").exit_code == 0

    (index_dir / postcache.SNAPSHOT).unlink()  # Whoosh, with the copy's posting lists
    assert _all_results(cli) == from_copy
    for copy in copies:  # Whoosh alone
        copy.unlink()
    assert _all_results(cli) == from_copy
    doctor = cli("doctor", "--json").json()
    assert {p["kind"] for p in doctor["problems"]} == {"postings_missing"}
    assert len(doctor["problems"]) == len(copies) + 1  # the segments' files and the snapshot
    assert cli("doctor", "--repair").exit_code == 0
    assert sorted(index_dir.glob("humaskit-*.postings")) == copies
    assert postcache.open_snapshot(index_dir) is not None

    for copy in copies:
        copy.write_bytes(postcache.MAGIC + b"\x00" * 40)
    damaged = cli("search", "tes urine", "--json")
    assert damaged.exit_code == 0 and "Traceback" not in damaged.stderr
    assert _all_results(cli) == from_copy
    assert cli("doctor").exit_code == 1
    assert cli("doctor", "--repair").exit_code == 0
    assert _all_results(cli) == from_copy


def test_spelling_suggestions_from_the_copy_are_whooshs(cli, workdir: Path) -> None:
    """The copy's suggestions for words found nowhere are the ones Whoosh's corrector gives,
    with one segment (swapped letters: two edits) and with several (one edit)."""
    from humaskit.archive.store import Archive
    from humaskit.search import postcache
    from humaskit.search.index import open_index
    from humaskit.search.indexview import CopyView, WhooshView

    paths = write_records(workdir)
    saved = cli("new", *paths.values(), "--json")
    assert saved.exit_code == 0, saved.stderr
    archive = Archive(workdir / "archive")
    typos = [
        "vaksinsi", "kunjugan", "pemeriksan", "pelantkan", "narkotkia", "psapor", "kesehtaan",
        "pembinan", "sosialisai", "rutn", "lapsa", "penyuluhna", "zona", "xyzzy", "integritsa",
    ]  # fmt: skip

    def compare() -> int:
        ix = open_index(archive)
        snapshot = postcache.open_snapshot(archive.index_dir)
        assert snapshot is not None
        copy, agreed = CopyView(snapshot, archive), 0
        with ix.searcher() as searcher:
            whoosh = WhooshView(searcher, archive.index_dir)
            for word in typos:
                for name in ("content", "title"):
                    for distance in (1, 2):
                        expected = whoosh.suggest(name, word, distance)
                        assert copy.suggest(name, word, distance) == expected, (word, name)
                        agreed += expected is not None
        return agreed

    assert compare() > 10
    first, path = saved.json()[0]["id"], next(iter(paths.values()))
    record = yaml.safe_load(path.read_text("utf-8"))
    record["closing"] += " Kegiatan berlangsung tertib."  # an identical edit writes nothing
    path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    assert cli("edit", first, path).exit_code == 0  # a second segment
    assert len(postcache.open_snapshot(archive.index_dir).segments) > 1
    assert compare() > 10
