"""Writes stay inside the archive; unit templates stay inside their sandbox.

A symlink anywhere on the way to a file humaskit writes (``releases/``, a year folder, a
release folder, ``revisions/``, ``photos/``, a rendered file, ``.lock``, ``index/``,
``drafts/``) is refused with one line naming it, and nothing outside the archive changes;
reading such an entry reports it instead of following it. ``export`` never writes into the
archive and replaces an existing file only with ``--force``. A unit template runs in Jinja2's
sandbox within bounds of time and size.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SEED_RECORD, archive_snapshot


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.fixture
def saved(cli, workdir: Path) -> tuple[Path, str]:
    archive = workdir / "archive"
    result = cli("--archive", archive, "new", SEED_RECORD, "--json")
    assert result.exit_code == 0, result.stderr
    return archive, result.json()[0]["id"]


@pytest.fixture
def changed(workdir: Path) -> Path:
    data = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
    data["closing"] += " Kegiatan ditutup dengan doa bersama."
    target = workdir / "changed.yaml"
    target.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return target


def _release_folder(archive: Path, release_id: str) -> Path:
    return archive / "releases" / release_id[:4] / release_id


def _link_out(inside: Path, outside: Path) -> None:
    """Move ``inside`` (when it exists) to ``outside`` and leave a symlink in its place."""
    if inside.exists():
        shutil.move(str(inside), str(outside))
    else:
        outside.mkdir(parents=True, exist_ok=True)
    inside.symlink_to(outside, target_is_directory=outside.is_dir())


def _assert_refused_naming(result, link: Path) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("humaskit: ") and result.stderr.count("\n") == 1
    assert str(link) in result.stderr


# Each place a link could sit, relative to the archive or to the release folder.
LINKS = {
    "releases": lambda a, f: a / "releases",
    "year": lambda a, f: f.parent,
    "release folder": lambda a, f: f,
    "revisions": lambda a, f: f / "revisions",
    "photos": lambda a, f: f / "photos",
    "release.md": lambda a, f: f / "release.md",
    "release.docx": lambda a, f: f / "release.docx",
    "meta.json": lambda a, f: f / "meta.json",
}


@pytest.mark.parametrize("place", sorted(LINKS))
@pytest.mark.parametrize("command", ["new", "edit"])
def test_a_symlink_on_the_way_is_refused_and_nothing_outside_changes(
    cli, workdir, saved, changed, tmp_path, place, command
) -> None:
    archive, release_id = saved
    folder = _release_folder(archive, release_id)
    link = LINKS[place](archive, folder)
    outside = tmp_path / "outside" / link.name
    outside.parent.mkdir()
    _link_out(link, outside)
    before = _tree(tmp_path / "outside")
    if command == "new":
        record = yaml.safe_load(changed.read_text("utf-8"))
        record["title"] = "Rutan Pelaihari Gelar Apel Pagi"
        path = workdir / "other.yaml"
        path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
        result = cli("--archive", archive, "new", path)
        if place not in ("releases", "year"):
            # A link inside another release's folder is not on the way of a new release.
            assert result.exit_code == 0, result.stderr
            assert _tree(tmp_path / "outside") == before
            return
    else:
        result = cli("--archive", archive, "edit", release_id, changed)
    first_link = (
        next(p for p in (archive / "releases", folder.parent, folder) if p.is_symlink())
        if place in ("releases", "year", "release folder")
        else link
    )
    _assert_refused_naming(result, first_link)
    assert _tree(tmp_path / "outside") == before


def test_the_lock_file_and_the_index_as_symlinks_are_refused(cli, saved, tmp_path) -> None:
    archive, _ = saved
    target = tmp_path / "victim"
    target.write_text("precious")
    (archive / ".lock").unlink(missing_ok=True)
    (archive / ".lock").symlink_to(target)
    other = _other_record(tmp_path)
    _assert_refused_naming(cli("--archive", archive, "new", other), archive / ".lock")
    assert target.read_text() == "precious"
    (archive / ".lock").unlink()
    _link_out(archive / "index", tmp_path / "index-outside")
    before = _tree(tmp_path / "index-outside")
    _assert_refused_naming(cli("--archive", archive, "new", other), archive / "index")
    assert _tree(tmp_path / "index-outside") == before


def _other_record(folder: Path) -> Path:
    record = yaml.safe_load(SEED_RECORD.read_text("utf-8"))
    record["title"] = "Rutan Pelaihari Gelar Apel Pagi"
    path = folder / "other.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    return path


def test_reads_report_a_symlinked_release_instead_of_following_it(cli, saved, tmp_path) -> None:
    archive, release_id = saved
    other = _other_record(tmp_path)
    assert cli("--archive", archive, "new", other).exit_code == 0
    folder = _release_folder(archive, release_id)
    _link_out(folder, tmp_path / "moved")
    listed = cli("--archive", archive, "list", "--json")
    assert listed.exit_code == 0
    assert [row["id"] for row in listed.json()] == ["2025-02-06-rutan-pelaihari-gelar-apel-pagi"]
    assert release_id in listed.stderr and str(folder) in listed.stderr
    shown = cli("--archive", archive, "show", release_id)
    _assert_refused_naming(shown, folder)
    doctor = cli("--archive", archive, "doctor", "--json")
    assert doctor.exit_code == 1
    assert {"kind": "symlink", "path": str(folder)}.items() <= next(
        p for p in doctor.json()["problems"] if p["kind"] == "symlink"
    ).items()


# --------------------------------------------------------------------------- export


def test_export_never_writes_into_the_archive(cli, saved, tmp_path) -> None:
    archive, release_id = saved
    folder = _release_folder(archive, release_id)
    before = archive_snapshot(archive)
    other_record = folder / "release.yaml"
    for target in (other_record, archive / "x.md", archive / "releases", folder):
        result = cli("--archive", archive, "export", release_id, "--md", target, "--force")
        assert result.exit_code == 2, (target, result.stderr)
        assert str(archive.resolve()) in result.stderr
    # A link outside that points into the archive is refused too.
    link = tmp_path / "link.md"
    link.symlink_to(folder / "release.md")
    assert cli("--archive", archive, "export", release_id, "--md", link, "--force").exit_code == 2
    assert archive_snapshot(archive) == before


def test_export_overwrites_an_existing_file_only_with_force(cli, saved, tmp_path) -> None:
    archive, release_id = saved
    target = tmp_path / "kirim.md"
    target.write_text("catatan saya")
    refused = cli("--archive", archive, "export", release_id, "--md", target)
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert target.read_text() == "catatan saya"
    forced = cli("--archive", archive, "export", release_id, "--md", target, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert target.read_text().startswith("---")


# --------------------------------------------------------------------------- templates

TEMPLATE_ATTACKS = {
    "division": "{{ 1/0 }}",
    "extends itself": '{% extends "release.md.j2" %}',
    "macro recursion": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "huge range": "{% for i in range(10**9) %}x{% endfor %}",
    "nested loops": (
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"
    ),
    "loops without calls": (
        "{% set s = range(99999)|list %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"
    ),
    "string product": '{{ "x" * 10**9 }}',
    "power": "{{ 9**9**9 }}",
    "padding filter": '{{ "x"|center(10**9) }}',
    "format width": '{{ "{:>999999999}".format(1) }}',
    "percent width": '{{ "%999999999s" % 1 }}',
    "python internals": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "shell": '{{ cycler.__init__.__globals__.os.popen("touch /tmp/humaskit-pwned").read() }}',
    "syntax": "{% for p in doc.paragraphs %}",
    "undefined": "{{ nothing.here }}",
}


@pytest.mark.parametrize("name", sorted(TEMPLATE_ATTACKS))
def test_a_hostile_unit_template_is_one_line_and_changes_nothing(cli, workdir, name) -> None:
    assert cli("init", "--unit", "Rutan Pelaihari", "--signature", "Rutan Pelaihari").exit_code == 0
    (workdir / "templates").mkdir()
    (workdir / "templates" / "release.md.j2").write_text(TEMPLATE_ATTACKS[name], "utf-8")
    before = archive_snapshot(workdir / "archive")
    result = cli("new", SEED_RECORD)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert "release.md.j2" in result.stderr
    assert archive_snapshot(workdir / "archive") == before
    assert not Path("/tmp/humaskit-pwned").exists()


@pytest.mark.parametrize("target", ["/etc/passwd", "../humaskit.toml"])
def test_a_symlinked_template_is_refused(cli, workdir, target) -> None:
    assert cli("init", "--unit", "Rutan Pelaihari", "--signature", "Rutan Pelaihari").exit_code == 0
    (workdir / "templates").mkdir()
    (workdir / "templates" / "release.md.j2").symlink_to(target)
    before = archive_snapshot(workdir / "archive")
    result = cli("new", SEED_RECORD)
    assert result.exit_code == 2 and "release.md.j2" in result.stderr
    assert "root:x:0" not in result.stderr and "[unit]" not in result.stderr
    assert archive_snapshot(workdir / "archive") == before


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet="{}%#()[]|.*~+-/=<> abcdefgijkmnoprstuxy0123456789\"'_\n", max_size=60))
def test_any_template_text_renders_or_is_one_clean_line(tmp_path_factory, text) -> None:
    from humaskit.document.templates import render_template
    from humaskit.errors import InputError

    folder = tmp_path_factory.mktemp("tpl")
    (folder / "t.j2").write_text(text, "utf-8")
    try:
        out = render_template([folder], "t.j2", {"doc": {"headline": "Judul"}})
    except InputError as err:
        assert "\n" not in err.message and "t.j2" in err.message
    else:
        assert isinstance(out, str)


def test_the_packaged_template_still_renders_in_the_sandbox(cli, workdir) -> None:
    result = cli("new", SEED_RECORD, "--json")
    assert result.exit_code == 0, result.stderr
    markdown = Path(result.json()[0]["markdown"]).read_text("utf-8")
    assert "# Rutan Pelaihari Ikuti Penguatan Kehumasan Ditjenpas" in markdown
    assert os.environ.get("HUMASKIT_DEBUG") is None


def test_a_release_brought_back_by_sync_refuses_a_symlinked_year_folder(
    cli, saved, tmp_path
) -> None:
    """``sync --from`` puts releases through the same build-and-rename step as ``new``
    (``Archive.install``), so a year folder linked out of the archive is refused there too."""
    from humaskit.backends.folder import FolderArchive
    from humaskit.errors import HumasError

    archive, release_id = saved
    year = release_id[:4]
    _link_out(archive / "releases" / year, tmp_path / "year-outside")
    before = _tree(tmp_path / "year-outside")
    record = (tmp_path / "year-outside" / release_id / "release.yaml").read_text("utf-8")
    with pytest.raises(HumasError, match="releases/" + year):
        FolderArchive(archive).restore(f"{year}-12-31-dari-server", record, {}, [record], {})
    assert _tree(tmp_path / "year-outside") == before
