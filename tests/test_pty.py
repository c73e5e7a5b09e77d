"""The installed ``humaskit new`` in a real pseudo-terminal (pexpect), as an officer uses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.slow

HUMASKIT = Path(sys.executable).parent / "humaskit"
ENTER, CLEAR, UP, DOWN, CTRL_C = "\r", "\x15", "\x1b[A", "\x1b[B", "\x03"
UNIT = "Rumah Tahanan Negara Kelas IIB Pelaihari"
JABATAN = "Sekretaris Direktorat Jenderal Pemasyarakatan"


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUMASKIT_")}
    # Without this prompt_toolkit waits for the terminal's cursor-position reply.
    env.update(PROMPT_TOOLKIT_NO_CPR="1", TERM="xterm", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return env


def spawn(tmp_path: Path, *args: str):  # type: ignore[no-untyped-def]
    if not HUMASKIT.exists():
        pytest.skip(f"{HUMASKIT} is not installed")
    return pexpect.spawn(
        str(HUMASKIT),
        ["--archive", str(tmp_path / "archive"), *args],
        cwd=str(tmp_path),
        env=environment(),
        encoding="utf-8",
        dimensions=(50, 200),
        timeout=30,
    )


def answer(child, prompt: str, keys: str) -> None:  # type: ignore[no-untyped-def]
    child.expect_exact(prompt)
    child.send(keys)


def test_new_in_a_terminal_then_show(tmp_path: Path) -> None:
    child = spawn(tmp_path, "new")
    answer(child, "Judul berita", "Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas" + ENTER)
    answer(child, "Tanggal kegiatan", CLEAR + "31/2/2025" + ENTER)
    child.expect_exact("bukan tanggal yang ada di kalender")  # the record's message, as typed
    child.send(CLEAR + "6/2/2025" + ENTER)
    child.expect_exact("Kamis, 6 Februari 2025")
    answer(child, "Kota dateline", "Pelaihari" + ENTER)
    answer(child, "Nama media", "Wartanesia" + ENTER)
    answer(child, "Nama lengkap unit", UNIT + ENTER)
    answer(child, "Tanda tangan", CLEAR + "Humas Rutan Pelaihari" + ENTER)  # over the suggestion
    answer(child, "Teras berita", "Kepala Rutan mengikuti kegiatan pada Kamis (6/2)." + ENTER * 2)
    answer(
        child, "Paragraf 1", "Sekretaris Ditjenpas, Gun Gun Gunawan, memberi arahan." + ENTER * 2
    )
    answer(child, "Paragraf 2", ENTER)
    answer(child, "Narasumber 1", "Gun Gun Gunawan" + ENTER)
    answer(child, "Jabatan Gun Gun Gunawan", JABATAN + ENTER)
    answer(child, "Nama singkat Gun Gun Gunawan", CLEAR + "Gun Gun" + ENTER)
    answer(child, "Narasumber 2", ENTER)
    answer(child, "Kutipan 1 dari", ENTER)
    answer(child, "Kutipan Gun Gun Gunawan", "Kita harus bijak bermedia sosial" + ENTER * 2)
    answer(child, "Kata kerja atribusi", DOWN + ENTER)  # ujar is first; jelas next
    answer(child, "Kutipan 2 dari", UP + ENTER)  # "(tidak ada kutipan lagi)"
    answer(child, "Paragraf penutup", "seluruh ASN bijak bermedia sosial." + ENTER * 2)
    answer(child, "Tag", "kehumasan, media sosial" + ENTER)
    answer(child, "Foto 1", ENTER)
    answer(child, "Narahubung, nama", "Humas Rutan Pelaihari" + ENTER)
    answer(child, "telepon", "0812-5000-1000" + ENTER)
    answer(child, "e-mail", "humas@rutanpelaihari.go.id" + ENTER)
    child.expect_exact("“Kita harus bijak bermedia sosial,” jelas")  # the review
    answer(child, "Siaran pers di atas", ENTER)
    child.expect_exact("Tersimpan: 2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    shown = subprocess.run(
        [
            str(HUMASKIT),
            "--archive",
            str(tmp_path / "archive"),
            "show",
            "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas",
            "--json",
        ],
        capture_output=True,
        text=True,
        env=environment(),
        check=True,
    )
    record = json.loads(shown.stdout)
    assert record["date"] == "2025-02-06"
    assert record["outlet"] == "Wartanesia"
    assert record["signature"] == "Humas Rutan Pelaihari"
    assert record["speakers"] == [{"name": "Gun Gun Gunawan", "title": JABATAN, "short": "Gun Gun"}]
    assert record["quotes"] == [
        {"speaker": "Gun Gun Gunawan", "text": "Kita harus bijak bermedia sosial", "verb": "jelas"}
    ]
    assert record["closing"] == (
        "Dengan adanya kegiatan ini, diharapkan seluruh ASN bijak bermedia sosial."
    )
    assert record["contact"] == {
        "name": "Humas Rutan Pelaihari",
        "phone": "0812-5000-1000",
        "email": "humas@rutanpelaihari.go.id",
    }
    assert not list((tmp_path / "archive" / "drafts").glob("*.yaml"))


def test_ctrl_c_in_a_terminal_exits_130_and_keeps_a_draft(tmp_path: Path) -> None:
    child = spawn(tmp_path, "new")
    answer(child, "Judul berita", "Apel Pagi Rutan Pelaihari" + ENTER)
    answer(child, "Tanggal kegiatan", CTRL_C)
    child.expect_exact("humaskit new --resume")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    [draft] = (tmp_path / "archive" / "drafts").glob("*.yaml")
    assert "Apel Pagi Rutan Pelaihari" in draft.read_text(encoding="utf-8")


def test_search_wraps_at_words_in_a_narrow_terminal_and_show_does_not(tmp_path: Path) -> None:
    """At 60 columns search's entries are wrapped at words (piped: the same words, one line
    each); show prints the release as it is copied, a line per paragraph."""
    import re

    from conftest import SEED_RECORD

    if not HUMASKIT.exists():
        pytest.skip(f"{HUMASKIT} is not installed")
    archive = ["--archive", str(tmp_path / "archive")]
    run = {"capture_output": True, "text": True, "env": environment(), "check": True}
    saved = subprocess.run([str(HUMASKIT), *archive, "new", str(SEED_RECORD), "--json"], **run)
    run |= {"capture_output": False, "stdout": subprocess.PIPE, "stderr": subprocess.STDOUT}
    release_id = json.loads(saved.stdout)[0]["id"]
    for args in (["search", "etika media sosial"], ["list"]):
        piped = subprocess.run([str(HUMASKIT), *archive, *args], **run).stdout
        child = pexpect.spawn(
            str(HUMASKIT),
            [*archive, *args],
            env=environment(),
            encoding="utf-8",
            dimensions=(80, 60),
        )
        child.expect(pexpect.EOF)
        shown = re.sub(r"\x1b\[[0-9;]*m", "", child.before).replace("\r\n", "\n")
        lines = shown.splitlines()
        assert release_id in [line.strip() for line in lines]
        assert max(len(line) for line in lines if release_id not in line) <= 60, shown
        assert len(lines) > len(piped.splitlines())  # wrapped, and nothing else changed:
        assert sorted(shown.split()) == sorted(piped.split())  # (notes come first in a pty)
    piped = subprocess.run([str(HUMASKIT), *archive, "show", release_id], **run).stdout
    child = pexpect.spawn(
        str(HUMASKIT), [*archive, "show", release_id], env=environment(), encoding="utf-8",
        dimensions=(80, 60),
    )  # fmt: skip
    child.expect(pexpect.EOF)
    assert child.before.replace("\r\n", "\n").splitlines() == piped.splitlines()


def test_the_review_of_a_draft_wraps_at_words_in_a_narrow_terminal(tmp_path: Path) -> None:
    """edit opens on the review: at 60 columns no word of the release is cut."""
    import re

    from conftest import SEED_RECORD

    if not HUMASKIT.exists():
        pytest.skip(f"{HUMASKIT} is not installed")
    archive = ["--archive", str(tmp_path / "archive")]
    run = {"capture_output": True, "text": True, "env": environment(), "check": True}
    saved = subprocess.run([str(HUMASKIT), *archive, "new", str(SEED_RECORD), "--json"], **run)
    release_id = json.loads(saved.stdout)[0]["id"]
    child = pexpect.spawn(
        str(HUMASKIT), [*archive, "edit", release_id], env=environment(), encoding="utf-8",
        dimensions=(200, 60), timeout=30,
    )  # fmt: skip
    child.expect_exact("Siaran pers di atas")
    review = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before).replace("\r\n", "\n")
    child.send(DOWN + DOWN + ENTER)  # Batal
    child.expect_exact("Buang siaran pers ini")
    child.send("y" + ENTER)
    child.expect(pexpect.EOF)
    lines = review.strip("\n").splitlines()
    assert lines and max(len(line) for line in lines) <= 60, review
    shown = subprocess.run([str(HUMASKIT), *archive, "show", release_id], **run).stdout
    paragraph = next(p for p in shown.split("\n") if p.startswith("Wartanesia - "))
    assert " ".join(paragraph.split()) in " ".join(review.split())  # every word whole
