"""Import benchmark: a WordPress export (WXR) of many posts through ``humaskit import``.

Writes a synthetic export (published posts in a unit website's shape, plus drafts, pages and
attachments to skip), imports it into a fresh archive with the real command, then imports it
again (nothing may be added) and prints the times. The target (issue 12): 2,000 posts in
under a minute on this machine.

    .venv/bin/python bench/bench_import_wxr.py                 # 2,000 posts
    .venv/bin/python bench/bench_import_wxr.py --posts 500 --check   # exit 1 above 60 s
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_search import child_cpu  # this folder: run as bench/bench_import_wxr.py

Completed = subprocess.CompletedProcess

TARGET_SECONDS = 60.0
UNITS = [
    ("Rutan Rantau", "Rumah Tahanan Negara Kelas IIB Rantau", "Rantau", "Kepala Rutan"),
    ("Lapas Banjarmasin", "Lembaga Pemasyarakatan Kelas IIA Banjarmasin", "Banjarmasin",
     "Kepala Lapas"),
    ("Bapas Banjarmasin", "Balai Pemasyarakatan Kelas I Banjarmasin", "Banjarmasin",
     "Kepala Bapas"),
]  # fmt: skip
ACTIVITIES = ["razia kamar hunian", "pelatihan menjahit", "penyuluhan hukum", "donor darah",
              "tes urine", "senam bersama", "bimbingan rohani", "bakti sosial"]  # fmt: skip
NAMES = ["Muhammad Ridwan Syah", "Hendra Wijaya", "Yuliana Sari", "Fani Andika", "Rina Kartika"]
WEEKDAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


def post(number: int, status: str = "publish", kind: str = "post") -> str:
    short, unit, town, role = UNITS[number % len(UNITS)]
    activity = ACTIVITIES[number % len(ACTIVITIES)]
    name = NAMES[number % len(NAMES)]
    day = dt.date(2019, 1, 1) + dt.timedelta(days=number % 2000)
    weekday = WEEKDAYS[day.weekday()]
    return f"""<item><title>{short} Gelar {activity.title()} Ke-{number}</title>
<link>https://contoh.go.id/{day:%Y/%m}/berita-{number}</link>
<pubDate>{day:%a, %d %b %Y} 01:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>{town}, INFO_PAS - {unit} menggelar {activity} ke-{number} bagi warga
binaan pada {weekday} ({day.day}/{day.month}).</p>
<p>{role} {short.split()[1]}, {name}, membuka kegiatan itu dan meminta seluruh peserta mengikuti
dengan tertib.</p>
<p>"Kegiatan {activity} ini bagian dari pembinaan yang kami lakukan setiap bulan," ujar
{name.split()[0]}.</p>
<p>Kegiatan berlangsung sejak pukul 09.00 hingga 12.00 di aula.</p>
<p>Dengan kegiatan ini, diharapkan warga binaan semakin siap kembali ke masyarakat.</p>
<p>- {short}</p>]]></content:encoded>
<wp:post_id>{number}</wp:post_id><wp:post_date>{day:%Y-%m-%d} 08:00:00</wp:post_date>
<wp:status>{status}</wp:status><wp:post_type>{kind}</wp:post_type>
<category domain="category" nicename="berita"><![CDATA[Berita]]></category>
<category domain="post_tag" nicename="pembinaan"><![CDATA[pembinaan]]></category>
</item>"""


def write_export(path: Path, posts: int) -> None:
    items = [post(n) for n in range(1, posts + 1)]
    items += [post(posts + n, status="draft") for n in range(1, 51)]
    items += [post(posts + 100 + n, kind="page") for n in range(1, 11)]
    items += [post(posts + 200 + n, kind="attachment") for n in range(1, 101)]
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8" ?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Contoh</title>'
        "<wp:wxr_version>1.2</wp:wxr_version>" + "".join(items) + "</channel></rss>",
        encoding="utf-8",
    )


def run(humaskit: Path, folder: Path, *args: str) -> tuple[float, float, Completed]:
    """Wall and CPU seconds of one ``humaskit`` process, and what it printed."""
    start, cpu = time.perf_counter(), child_cpu()
    done = subprocess.run(
        [str(humaskit), *args], cwd=folder, capture_output=True, text=True, check=False
    )
    return time.perf_counter() - start, child_cpu() - cpu, done


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--check", action="store_true", help="exit 1 above the target")
    options = parser.parse_args()
    humaskit = Path(sys.executable).parent / "humaskit"
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-wxr-") as tmp:
        folder = Path(tmp)
        export = folder / "export.xml"
        write_export(export, options.posts)
        init = ["init", "--unit", UNITS[0][1], "--signature", UNITS[0][0], "--location", "Rantau"]
        run(humaskit, folder, *init)
        size = os.path.getsize(export) / 1024 / 1024
        first, cpu_first, done = run(humaskit, folder, "import", "export.xml", "--json")
        rows = json.loads(done.stdout or "[]")
        imported = sum(r["status"] == "imported" for r in rows)
        second, cpu_second, again = run(humaskit, folder, "import", "export.xml", "--json")
        added = sum(r["status"] == "imported" for r in json.loads(again.stdout or "[]"))
        found = json.loads(run(humaskit, folder, "search", "pembinaan", "--json")[2].stdout)
    print(f"export: {options.posts} published posts + 160 to skip, {size:.1f} MB")
    print(f"load average at the start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        f"first import:  {first:6.1f} s wall, {cpu_first:6.1f} s CPU, {imported} imported"
        f" (exit {done.returncode})"
    )
    print(
        f"second import: {second:6.1f} s wall, {cpu_second:6.1f} s CPU, {added} added"
        f" (exit {again.returncode})"
    )
    print(f"search finds:  {len(found)} (limit 10)")
    if done.returncode != 0:
        print(done.stderr[-2000:], file=sys.stderr)
    ok = done.returncode == 0 and imported == options.posts and added == 0
    ok = ok and first <= TARGET_SECONDS
    return 0 if ok or not options.check else 1


if __name__ == "__main__":
    sys.exit(main())
