"""Generate a realistic synthetic humaskit archive of N Indonesian releases.

Each release is a real release folder (``release.yaml`` + ``meta.json``) written directly,
without rendering Markdown/DOCX, so 100,000 releases take minutes, not hours. Deterministic
for a given --seed.

    python bench/make_archive.py /tmp/arsip-100k --count 100000
    python bench/make_archive.py /tmp/arsip-varied --count 100000 --varied 100000
    python bench/make_archive.py /tmp/arsip-recap --count 100000 --publications

Without ``--varied`` thousands of releases share one template (long posting lists, ~1,000
distinct words); ``--varied N`` adds to each release a sentence from a long tail of N made-up
words, for a vocabulary the size of a real archive's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import sys
import time
from pathlib import Path

from humaskit.archive.store import META_FILE, PUBLICATIONS_FILE, RECORD_FILE, base_id
from humaskit.record.model import Quote, Release, Speaker, dump_record

TOWNS = [
    "Pelaihari",
    "Banjarmasin",
    "Martapura",
    "Banjarbaru",
    "Kandangan",
    "Batulicin",
    "Kotabaru",
    "Amuntai",
    "Barabai",
    "Tanjung",
    "Rantau",
    "Marabahan",
    "Paringin",
    "Balikpapan",
    "Samarinda",
    "Palangka Raya",
    "Pontianak",
    "Denpasar",
    "Mataram",
    "Kupang",
    "Makassar",
    "Manado",
    "Palu",
    "Kendari",
    "Ambon",
    "Jayapura",
    "Medan",
    "Padang",
    "Pekanbaru",
    "Jambi",
    "Palembang",
    "Bengkulu",
    "Lampung",
    "Serang",
    "Bandung",
    "Semarang",
    "Yogyakarta",
    "Surabaya",
    "Malang",
    "Kediri",
    "Jember",
    "Cirebon",
    "Tasikmalaya",
    "Garut",
    "Bogor",
]
KINDS = [
    ("Rumah Tahanan Negara Kelas IIB {t}", "Rutan {t}", "Kepala Rutan {t}"),
    ("Lembaga Pemasyarakatan Kelas IIA {t}", "Lapas {t}", "Kepala Lapas {t}"),
    ("Balai Pemasyarakatan Kelas II {t}", "Bapas {t}", "Kepala Bapas {t}"),
    ("Kantor Imigrasi Kelas II TPI {t}", "Kanim {t}", "Kepala Kantor Imigrasi {t}"),
    ("Kepolisian Resor {t}", "Polres {t}", "Kapolres {t}"),
    ("Dinas Komunikasi dan Informatika Kabupaten {t}", "Diskominfo {t}", "Kepala Diskominfo {t}"),
]
FIRST = [
    "Fani",
    "Gun Gun",
    "Made",
    "Rina",
    "Budi",
    "Siti",
    "Agus",
    "Dewi",
    "Hendra",
    "Nur",
    "Rahmat",
    "Yuli",
    "Andi",
    "Ratna",
    "Joko",
    "Wahyu",
    "Putu",
    "Lilik",
    "Hilal",
    "Eko",
]
LAST = [
    "Andika",
    "Gunawan",
    "Sudarsana",
    "Wulandari",
    "Santoso",
    "Rahayu",
    "Setiawan",
    "Kusuma",
    "Pratama",
    "Hidayat",
    "Saputra",
    "Lestari",
    "Sujandi",
    "Permana",
    "Siregar",
]
ACTIVITIES = [
    (
        "Gelar Tes Urine bagi Pegawai",
        "menggelar tes urine bagi seluruh pegawai bersama BNNK",
        ["narkoba", "p4gn"],
    ),
    (
        "Ikuti Penguatan Kehumasan",
        "mengikuti penguatan kehumasan tentang etika media sosial",
        ["kehumasan", "media sosial"],
    ),
    (
        "Terapkan Layanan Kunjungan Daring",
        "menerapkan layanan kunjungan daring bagi keluarga",
        ["layanan", "kunjungan"],
    ),
    (
        "Bina Warga Binaan Lewat Pelatihan Menjahit",
        "membina warga binaan melalui pelatihan menjahit dan kerajinan",
        ["pembinaan"],
    ),
    (
        "Geledah Kamar Hunian",
        "melakukan penggeledahan kamar hunian untuk mencegah halinar",
        ["kamtib", "razia"],
    ),
    ("Gelar Vaksinasi Massal", "menggelar vaksinasi bersama puskesmas setempat", ["kesehatan"]),
    (
        "Canangkan Zona Integritas",
        "mencanangkan pembangunan zona integritas menuju WBK",
        ["zi", "wbk"],
    ),
    (
        "Serahkan SK Pembebasan Bersyarat",
        "menyerahkan SK pembebasan bersyarat kepada klien",
        ["pb", "integrasi"],
    ),
    (
        "Panen Sayuran Ketahanan Pangan",
        "memanen sayuran dari lahan ketahanan pangan",
        ["ketahanan pangan"],
    ),
    ("Gelar Donor Darah", "menggelar donor darah bersama PMI", ["donor darah", "hut"]),
    (
        "Sosialisasi Bahaya Hoaks Pilkada",
        "menyosialisasikan bahaya hoaks menjelang pilkada",
        ["pilkada", "hoaks"],
    ),
    (
        "Layani Paspor Jemput Bola",
        "membuka layanan paspor jemput bola di kantor kecamatan",
        ["paspor", "imigrasi"],
    ),
    (
        "Gelar Pertandingan Sepak Bola",
        "menggelar pertandingan sepak bola persahabatan",
        ["olahraga"],
    ),
    (
        "Terima Kunjungan Kerja Kakanwil",
        "menerima kunjungan kerja Kepala Kantor Wilayah",
        ["kunjungan kerja"],
    ),
    (
        "Periksa Kesehatan Warga Binaan",
        "memeriksa kesehatan warga binaan lanjut usia",
        ["kesehatan"],
    ),
    ("Gelar Apel Siaga", "menggelar apel siaga pengamanan menjelang hari raya", ["apel"]),
    (
        "Berikan Remisi Idul Fitri",
        "memberikan remisi khusus Idul Fitri kepada warga binaan",
        ["remisi"],
    ),
    ("Tanam Pohon Bersama Warga", "menanam seribu pohon bersama warga sekitar", ["lingkungan"]),
]
FILLER = [
    "Kegiatan ini merupakan bagian dari program kerja tahun {y}.",
    "Kegiatan diikuti oleh pejabat struktural, staf, dan perwakilan instansi terkait.",
    "Petugas memastikan setiap tahapan berjalan sesuai standar operasional prosedur yang berlaku.",
    "Warga binaan menyambut baik kegiatan tersebut dan berharap dapat dilaksanakan secara rutin.",
    "Koordinasi dengan pemerintah daerah, kepolisian, dan TNI terus diperkuat.",
    "Hasil kegiatan akan dilaporkan kepada Kantor Wilayah sebagai bahan evaluasi kinerja bulanan.",
    "Masyarakat dapat memperoleh informasi lebih lanjut melalui kanal media sosial resmi unit.",
    "Pelaksanaan kegiatan mendapat pendampingan dari tim kesehatan dan petugas pengamanan.",
]
QUOTES = [
    "Kami berkomitmen memberikan pelayanan terbaik dan menjaga integritas seluruh petugas",
    "Kegiatan seperti ini harus terus kita lakukan agar manfaatnya dirasakan masyarakat luas",
    "Saya mengajak seluruh jajaran untuk bekerja dengan disiplin dan penuh tanggung jawab",
    "Sinergi dengan instansi lain menjadi kunci keberhasilan program ini",
]
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


SYLLABLES = [c + v for c in "bcdghjklmnprstwy" for v in "aiueo"] + ["ng", "an", "ar", "ul"]
AFFIXES = [
    ("", ""),
    ("me", "kan"),
    ("di", "kan"),
    ("pe", "an"),
    ("ke", "an"),
    ("ber", ""),
    ("", "nya"),
]


def long_tail(rng: random.Random, size: int) -> list[str]:
    """``size`` made-up words shaped like Indonesian ones (roots of 2-3 syllables, some with
    affixes): the long tail of names, places and rare words a real archive has."""
    words: set[str] = set()
    while len(words) < size:
        root = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        prefix, suffix = rng.choice(AFFIXES)
        words.add(prefix + root + suffix)
    return sorted(words)


def varied_paragraph(rng: random.Random, tail: list[str], weights: list[float]) -> str:
    """A sentence of 15-30 long-tail words, drawn with Zipf's law (a few common, most rare)."""
    chosen = rng.choices(tail, cum_weights=weights, k=rng.randint(15, 30))
    return " ".join(chosen).capitalize() + "."


def make_release(
    rng: random.Random, number: int, tail: tuple[list[str], list[float]] | None = None
) -> Release:
    town = rng.choice(TOWNS)
    unit, signature, head = (part.format(t=town) for part in rng.choice(KINDS))
    title_part, act, tags = rng.choice(ACTIVITIES)
    date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 11 * 365))
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    speakers = [Speaker(name=name, title=head)]
    lead = (
        f"{head}, {name}, bersama jajaran {act} pada {DAYS[date.weekday()]} "
        f"({date.day}/{date.month}) di {town}."
    )
    body = [
        rng.choice(FILLER).format(y=date.year) + " " + rng.choice(FILLER).format(y=date.year)
        for _ in range(rng.randint(2, 4))
    ]
    if tail is not None:
        body.append(varied_paragraph(rng, *tail))
    quotes = [Quote(speaker=name, text=rng.choice(QUOTES), verb=rng.choice(["ujar", "jelas"]))]
    return Release(
        title=f"{signature} {title_part}",
        date=date,
        location=town,
        unit=unit,
        lead=lead,
        closing="Dengan adanya kegiatan ini, diharapkan kualitas pelayanan semakin meningkat.",
        signature=signature,
        body=body,
        speakers=speakers,
        quotes=quotes,
        tags=list(tags),
    )


PUBLISHED_ON = [  # (channel, URL pattern, outlet, weight): most go to the site and Instagram
    ("website", "https://{site}.go.id/berita/{id}", None, 90),
    ("instagram", "https://www.instagram.com/p/{n:x}/", None, 70),
    ("facebook", "https://www.facebook.com/{site}/posts/{n}", None, 40),
    ("x", "https://x.com/{site}/status/{n}", None, 15),
    ("youtube", "https://youtu.be/{n:x}", None, 5),
    ("tiktok", "https://www.tiktok.com/@{site}/video/{n}", None, 10),
    ("media", "https://kalsel.antaranews.com/berita/{n}", "ANTARA", 10),
    ("media", "https://wartanesia.id/{id}", "Wartanesia", 8),
]


def make_publications(rng: random.Random, release: Release, release_id: str) -> list[dict]:
    """Where a synthetic release went out: none for one in ten, else one to four channels,
    on the day of the release or the day after (``publications.yaml`` entries)."""
    if rng.random() < 0.1:
        return []
    site = release.signature.lower().replace(" ", "")
    chosen = {rng.choices(PUBLISHED_ON, weights=[p[3] for p in PUBLISHED_ON])[0]
              for _ in range(rng.randint(1, 4))}  # fmt: skip
    entries = []
    for channel, pattern, outlet, _weight in sorted(chosen, key=PUBLISHED_ON.index):
        url = pattern.format(site=site, id=release_id, n=rng.randrange(10**9))
        entry = {"url": url, "channel": channel}
        if outlet:
            entry["outlet"] = outlet
        entry["date"] = release.date + dt.timedelta(days=rng.randint(0, 1))
        entries.append(entry)
    return entries


def make_archive(
    root: Path, count: int, seed: int = 6, varied: int = 0, publications: bool = False
) -> float:
    """Write ``count`` releases; ``varied`` > 0 adds to each a sentence from a long tail of
    that many made-up words (Zipf), for a vocabulary the size of a real archive's;
    ``publications`` gives most releases a ``publications.yaml`` (the releases themselves
    stay the same for a seed)."""
    import yaml

    rng = random.Random(seed)
    published_rng = random.Random(seed + 2)
    tail = None
    if varied:
        words = long_tail(random.Random(seed + 1), varied)
        weights = list(itertools.accumulate(1 / rank for rank in range(1, len(words) + 1)))
        tail = (words, weights)
    start = time.perf_counter()
    used: set[str] = set()
    made: set[Path] = set()
    stamp = json.dumps({"created": "2025-01-01T00:00:00Z", "revision": 0}).encode()
    for number in range(count):
        release = make_release(rng, number, tail)
        release_id, n = base_id(release), 1
        while release_id in used:
            n += 1
            release_id = f"{base_id(release)}-{n}"
        used.add(release_id)
        year = root / "releases" / f"{release.date.year:04d}"
        if year not in made:
            year.mkdir(parents=True, exist_ok=True)
            made.add(year)
        folder = year / release_id
        folder.mkdir()
        (folder / RECORD_FILE).write_text(dump_record(release), "utf-8")
        (folder / META_FILE).write_bytes(stamp)
        entries = make_publications(published_rng, release, release_id) if publications else []
        if entries:
            dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
            text = yaml.dump(entries, Dumper=dumper, sort_keys=False)
            (folder / PUBLICATIONS_FILE).write_text(text, "utf-8")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--varied",
        type=int,
        default=0,
        metavar="WORDS",
        help="add to each release a sentence from a long tail of WORDS made-up words",
    )
    parser.add_argument(
        "--publications",
        action="store_true",
        help="record where most releases went out (publications.yaml), for humaskit recap",
    )
    args = parser.parse_args()
    if (args.root / "releases").exists():
        print(f"{args.root}/releases exists; choose an empty folder", file=sys.stderr)
        return 2
    seconds = make_archive(args.root, args.count, args.seed, args.varied, args.publications)
    print(f"{args.count} releases written to {args.root} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
