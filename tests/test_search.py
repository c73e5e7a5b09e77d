"""search, reindex and doctor through the real CLI against real archives in tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import yaml
from filelock import FileLock

from humaskit.search import index


def _saved_id(cli, *paths: Path) -> list[str]:  # type: ignore[no-untyped-def]
    result = cli("new", *paths, "--json")
    assert result.exit_code == 0, result.stderr
    return [entry["id"] for entry in result.json()]


def _variant(seed_record: Path, name: str, **changes) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(seed_record.read_text("utf-8"))
    data.update(changes)
    target = seed_record.with_name(name)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return target


def test_search_finds_the_seed_by_another_word_form(cli, seed_record: Path) -> None:
    (release_id,) = _saved_id(cli, seed_record)
    result = cli("search", "penerapan etika", "--json")
    assert result.exit_code == 0
    (hit,) = result.json()
    assert set(hit) == {"id", "title", "date", "unit", "score", "snippet"}
    assert hit["id"] == release_id
    assert hit["date"] == "2025-02-06"
    assert hit["unit"] == "Rumah Tahanan Negara Kelas IIB Pelaihari"
    assert "**menerapkan**" in hit["snippet"] or "**etika**" in hit["snippet"]
    assert hit["score"] > 0


def test_human_output_gives_each_hit_its_whole_id_on_a_line(cli, seed_record: Path) -> None:
    """The id is copied from here into show/export: never cut, folded or shared with text."""
    (release_id,) = _saved_id(cli, seed_record)
    result = cli("search", "kehumasan")
    assert result.exit_code == 0
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert lines[0].startswith("2025-02-06  Rutan Pelaihari Ikuti Penguatan")
    assert release_id in lines  # a line of its own
    assert "Rumah Tahanan Negara Kelas IIB Pelaihari" in lines
    snippet = " ".join(lines[3:])
    assert "kehumasan" in snippet.lower() and "**" not in snippet  # markers become bold


def test_nothing_found_is_exit_0_with_an_empty_array(cli, seed_record: Path) -> None:
    _saved_id(cli, seed_record)
    result = cli("search", "pertandingan sepak bola", "--json")
    assert result.exit_code == 0
    assert result.json() == []
    assert "Tidak ada siaran pers yang cocok" in result.stderr


def test_typo_is_corrected_and_reported(cli, seed_record: Path) -> None:
    (release_id,) = _saved_id(cli, seed_record)
    result = cli("search", "kehumasn", "--json")
    assert [hit["id"] for hit in result.json()] == [release_id]
    assert '"kehumasn" → "kehumasan"' in result.stderr


def test_acronym_finds_full_form_and_back(cli, seed_record: Path) -> None:
    (release_id,) = _saved_id(cli, seed_record)
    # The seed writes "ASN" and "Direktorat Jenderal Pemasyarakatan".
    assert [h["id"] for h in cli("search", "aparatur sipil negara", "--json").json()] == [
        release_id
    ]
    assert [h["id"] for h in cli("search", "ditjenpas", "--json").json()] == [release_id]


def test_phrases_and_unparsable_queries(cli, seed_record: Path) -> None:
    (release_id,) = _saved_id(cli, seed_record)
    assert cli("search", '"media sosial"', "--json").json()[0]["id"] == release_id
    assert cli("search", '"sosial media"', "--json").json() == []
    for odd in ('"kehumasan', "AND kehumasan", "kehumasan OR", 'kehumasan "'):
        result = cli("search", odd, "--json")
        assert result.exit_code == 0, odd
        assert [h["id"] for h in result.json()] == [release_id], odd


def test_filters_combine_and_an_empty_query_lists(cli, seed_record: Path) -> None:
    older = _variant(seed_record, "older.yaml", date="2024-05-01", title="Apel Pagi Rutan")
    other = _variant(
        seed_record,
        "other.yaml",
        unit="Lembaga Pemasyarakatan Kelas IIA Banjarmasin",
        signature="Lapas Banjarmasin",
        title="Lapas Banjarmasin Ikuti Penguatan Kehumasan",
        speakers=[{"name": "Budi Santoso", "title": "Kepala Lapas"}],
        quotes=[],
        tags=["kehumasan"],
    )
    seed_id, older_id, other_id = _saved_id(cli, seed_record, older, other)

    def ids(*args: str) -> list[str]:
        result = cli("search", *args, "--json")
        assert result.exit_code == 0, result.stderr
        return [hit["id"] for hit in result.json()]

    assert set(ids("kehumasan")) == {seed_id, older_id, other_id}
    assert ids("kehumasan", "--since", "2025-01-01", "--unit", "LAPAS BANJARMASIN") == [other_id]
    assert set(ids("kehumasan", "--unit", "rumah tahanan negara kelas iib pelaihari")) == {
        seed_id,
        older_id,
    }
    assert ids("kehumasan", "--until", "2024-12-31") == [older_id]
    assert ids("--speaker", "Budi Santoso") == [other_id]
    assert ids("--speaker", "fani", "--since", "2025-01-01") == [seed_id]
    assert ids("--tag", "Media Sosial", "--since", "2025-01-01") == [seed_id]
    assert ids("--since", "2020-01-01") == [seed_id, other_id, older_id] or ids(
        "--since", "2020-01-01"
    ) == [other_id, seed_id, older_id]
    assert len(ids("--since", "2020-01-01", "--limit", "1")) == 1


def test_empty_query_without_filters_is_a_usage_error(cli, seed_record: Path) -> None:
    _saved_id(cli, seed_record)
    result = cli("search", "")
    assert result.exit_code == 2
    assert "--since" in result.stderr
    assert cli("search", "x", "--since", "kemarin").exit_code == 2


def test_search_in_an_empty_archive(cli, workdir: Path) -> None:
    result = cli("search", "apa saja", "--json")
    assert result.exit_code == 0
    assert result.json() == []


def test_deleted_index_reindex_gives_the_same_results(cli, seed_record, archive_dir) -> None:
    older = _variant(seed_record, "older.yaml", date="2024-05-01", title="Apel Pagi Rutan")
    _saved_id(cli, seed_record, older)
    before = cli("search", "penguatan kehumasan", "--json").json()
    shutil.rmtree(archive_dir / "index")
    result = cli("reindex")
    assert result.exit_code == 0, result.stderr
    assert "2" in result.stdout
    assert cli("search", "penguatan kehumasan", "--json").json() == before


def test_missing_or_damaged_index_is_rebuilt_by_search(cli, seed_record, archive_dir) -> None:
    (release_id,) = _saved_id(cli, seed_record)
    shutil.rmtree(archive_dir / "index")
    result = cli("search", "kehumasan", "--json")
    assert result.exit_code == 0
    assert [h["id"] for h in result.json()] == [release_id]
    assert "dibangun" in result.stderr
    for toc in (archive_dir / "index").glob("*.toc"):
        toc.write_bytes(b"\x00garbage")
    result = cli("search", "kehumasan", "--json")
    assert result.exit_code == 0, result.stderr
    assert [h["id"] for h in result.json()] == [release_id]
    assert "rusak" in result.stderr
    assert "Traceback" not in result.stderr


def test_edit_updates_the_index(cli, seed_record: Path) -> None:
    (release_id,) = _saved_id(cli, seed_record)
    changed = _variant(
        seed_record, "changed.yaml", closing="Kegiatan ditutup dengan penanaman pohon mangrove."
    )
    assert cli("edit", release_id, changed).exit_code == 0
    assert [h["id"] for h in cli("search", "mangrove", "--json").json()] == [release_id]
    assert cli("search", "kredibilitas", "--json").json() == []
    assert len(cli("search", "kehumasan", "--json").json()) == 1


def test_the_stem_table_follows_reindex_new_and_edit(cli, seed_record, archive_dir) -> None:
    """The index's stem table lists every indexed word whose stem differs (written by a
    rebuild, extended by each save) and every word of the synonym list."""
    (release_id,) = _saved_id(cli, seed_record)
    table = index.read_stem_table(archive_dir / "index")
    assert table is not None
    assert table["menerapkan"] == "terap"
    assert "etika" not in table  # its own stem
    assert table["pemasyarakatan"] == "masyarakat"
    assert table["lembaga"] == "lembaga"  # a synonym-list word is listed even as itself
    changed = _variant(
        seed_record, "changed.yaml", closing="Pejabat baru dikukuhkan oleh Kakanwil."
    )
    assert cli("edit", release_id, changed).exit_code == 0
    assert index.read_stem_table(archive_dir / "index")["dikukuhkan"] == "kukuh"
    assert cli("reindex").exit_code == 0
    assert index.read_stem_table(archive_dir / "index")["dikukuhkan"] == "kukuh"
    (hit,) = cli("search", "pengukuhan", "--json").json()
    assert "**dikukuhkan**" in hit["snippet"]


def test_unit_synonyms_beside_the_profile(cli, seed_record: Path, workdir: Path) -> None:
    assert (
        cli(
            "init",
            "--unit",
            "Rumah Tahanan Negara Kelas IIB Pelaihari",
            "--signature",
            "Rutan Pelaihari",
            "--location",
            "Pelaihari",
        ).exit_code
        == 0
    )
    (release_id,) = _saved_id(cli, seed_record)
    assert cli("search", "humas digital", "--json").json() == []
    (workdir / "synonyms.txt").write_text("humas digital = media sosial\n", "utf-8")
    assert [h["id"] for h in cli("search", "humas digital", "--json").json()] == [release_id]


def test_second_index_writer_waits_then_fails_clearly(cli, seed_record, archive_dir, monkeypatch):
    _saved_id(cli, seed_record)
    monkeypatch.setattr(index, "LOCK_TIMEOUT", 0.3)
    with FileLock(str(archive_dir / index.LOCK_NAME)):
        result = cli("reindex")
    assert result.exit_code == 1
    assert "indeks pencarian" in result.stderr and "proses lain" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli("reindex").exit_code == 0


def test_doctor_finds_and_repairs_every_kind(cli, seed_record, archive_dir) -> None:
    older = _variant(seed_record, "older.yaml", date="2024-05-01", title="Apel Pagi Rutan")
    gone = _variant(seed_record, "gone.yaml", date="2024-06-01", title="Rilis Yang Dihapus")
    seed_id, older_id, gone_id = _saved_id(cli, seed_record, older, gone)
    doctor = cli("doctor", "--json")
    assert doctor.exit_code == 0, doctor.stdout
    assert doctor.json()["consistent"] is True

    # A release edited by hand, one deleted by hand, and a temp folder of a killed process.
    folder = archive_dir / "releases" / "2025" / seed_id
    record = folder / "release.yaml"
    record.write_text(record.read_text("utf-8").replace("Zoom Meeting", "Zoom Webinar"), "utf-8")
    earlier = os.stat(record).st_mtime - 5
    for rendered in ("release.md", "release.docx"):
        os.utime(folder / rendered, (earlier, earlier))
    shutil.rmtree(archive_dir / "releases" / "2024" / gone_id)
    stale = archive_dir / ".tmp-999999999-abc"
    stale.mkdir()
    (archive_dir / "releases" / "2024" / older_id / "release.docx").unlink()

    doctor = cli("doctor", "--json")
    assert doctor.exit_code == 1
    kinds = {(p["kind"], p["id"]) for p in doctor.json()["problems"]}
    assert ("stale_entry", seed_id) in kinds
    assert ("stale_rendering", seed_id) in kinds
    assert ("stale_rendering", older_id) in kinds
    assert ("orphan_entry", gone_id) in kinds
    assert ("stale_temp", None) in kinds
    assert cli("search", "webinar", "--json").json() == []

    repaired = cli("doctor", "--repair", "--json")
    assert repaired.exit_code == 0, repaired.stdout
    assert repaired.json()["consistent"] is True
    assert len(repaired.json()["repaired"]) == len(doctor.json()["problems"])
    assert not stale.exists()
    assert (archive_dir / "releases" / "2024" / older_id / "release.docx").is_file()
    assert [h["id"] for h in cli("search", "webinar", "--json").json()] == [seed_id]
    assert cli("doctor").exit_code == 0


def test_doctor_missing_index_and_damaged_record(cli, seed_record, archive_dir) -> None:
    older = _variant(seed_record, "older.yaml", date="2024-05-01", title="Apel Pagi Rutan")
    seed_id, older_id = _saved_id(cli, seed_record, older)
    shutil.rmtree(archive_dir / "index")
    doctor = cli("doctor")
    assert doctor.exit_code == 1
    assert "index_missing" in doctor.stdout
    assert "doctor --repair" in doctor.stderr
    broken = archive_dir / "releases" / "2024" / older_id / "release.yaml"
    broken.write_text("title: [unclosed\n", "utf-8")
    repaired = cli("doctor", "--repair", "--json")
    assert repaired.exit_code == 1
    left = {(p["kind"], p["id"]) for p in repaired.json()["problems"]}
    assert ("damaged_record", older_id) in left
    assert [h["id"] for h in cli("search", "kehumasan", "--json").json()] == [seed_id]


def test_search_after_every_release_is_gone(cli, seed_record, archive_dir) -> None:
    """An index without entries (its reader has no segments) answers like an empty archive."""
    (release_id,) = _saved_id(cli, seed_record)
    shutil.rmtree(archive_dir / "releases" / "2025" / release_id)
    assert cli("doctor", "--repair").exit_code == 0
    result = cli("search", "kehumasan", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json() == []
    assert cli("reindex").exit_code == 0
    assert cli("search", "kehumasan", "--json").json() == []


def test_an_index_of_another_version_is_rebuilt_and_said_so(cli, seed_record, archive_dir) -> None:
    """After an upgrade the index is rebuilt by the first search, which says why, or by
    doctor --repair, which reports it as index_outdated."""
    (release_id,) = _saved_id(cli, seed_record)
    version_file = archive_dir / "index" / "humaskit-index.json"
    version_file.write_text('{"version": 1}\n', "utf-8")
    doctor = cli("doctor", "--json")
    assert doctor.exit_code == 1
    assert [p["kind"] for p in doctor.json()["problems"]] == ["index_outdated"]
    result = cli("search", "kehumasan", "--json")
    assert result.exit_code == 0, result.stderr
    assert [h["id"] for h in result.json()] == [release_id]
    assert "versi humaskit atau daftar sinonim lain" in result.stderr
    assert cli("doctor").exit_code == 0
    version_file.write_text('{"version": 1}\n', "utf-8")
    assert cli("doctor", "--repair").exit_code == 0
    assert cli("doctor").exit_code == 0


# --------------------------------------------------------------------------- architecture

SRC = Path(__file__).resolve().parent.parent / "src"


def _modules() -> dict[str, Path]:
    found = {}
    for path in (SRC / "humaskit").rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The humaskit modules ``name`` imports anywhere (lazy imports in functions too)."""
    import ast

    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    tree = ast.parse(path.read_text("utf-8"))
    for block in ast.walk(tree):  # imports for type checkers only are never executed
        if isinstance(block, ast.If) and ast.unparse(block.test) in ("TYPE_CHECKING",):
            block.body = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, *([node.module] if node.module else [])])
            for alias in node.names:
                full = f"{base}.{alias.name}"
                found.add(full if full in modules else base)
    return {m for m in found if m in modules and m != name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        order[node] = low[node] = len(order)
        stack.append(node)
        for other in graph[node]:
            if other not in order:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], order[other])
        if low[node] == order[node]:
            group = []
            while True:
                top = stack.pop()
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in order:
            visit(node)
    return found


def test_no_import_cycle_between_humaskit_modules() -> None:
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    assert graph["humaskit.search.engine"] >= {"humaskit.search.query"}  # the walker works
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": set()}) == [["a", "b"]]
    assert _cycles(graph) == []


def test_no_private_whoosh_name_in_src() -> None:
    """humaskit uses Whoosh through its public API only: no ``whoosh._x`` module, no imported
    ``_x``, and no ``._x`` attribute that Whoosh defines and humaskit does not."""
    import ast
    import re

    import whoosh

    whoosh_dir = Path(whoosh.__file__).parent
    whoosh_private = set()
    for path in whoosh_dir.rglob("*.py"):
        whoosh_private.update(re.findall(r"\b_[a-zA-Z]\w*", path.read_text("utf-8", "replace")))
    whoosh_private = {n for n in whoosh_private if not n.startswith("__")}
    ours, used = set(), []
    for path in (SRC / "humaskit").rglob("*.py"):
        text = path.read_text("utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
                ours.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                ours.add(node.id)
            elif isinstance(node, ast.Attribute):
                if isinstance(node.ctx, ast.Store):
                    ours.add(node.attr)
                elif node.attr.startswith("_") and not node.attr.startswith("__"):
                    used.append((path.name, node.lineno, node.attr))
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
                assert not any(part.startswith("_") for part in node.module.split(".")), path
                for alias in node.names:
                    assert not alias.name.startswith("_"), (path, alias.name)
        assert not re.search(r"\)\.__name__\s*==", text), f"{path}: compares a class name"
    reached = [(f, line, n) for f, line, n in used if n in whoosh_private and n not in ours]
    assert reached == [], reached


def test_a_units_full_name_suggests_its_signature() -> None:
    from humaskit.search.synonyms import short_unit_name

    assert short_unit_name("Rumah Tahanan Negara Kelas IIB Pelaihari") == "Rutan Pelaihari"
    assert short_unit_name("Lembaga Pemasyarakatan Kelas IIA Banjarmasin") == "Lapas Banjarmasin"
    assert short_unit_name("Kantor Imigrasi Kelas II TPI Medan") == "Kanim Medan"
    assert short_unit_name("Kepolisian Resor Kota Banjarmasin") == "Polresta Banjarmasin"
    assert short_unit_name("Lembaga Pembinaan Khusus Anak Kelas I Martapura") == "LPKA Martapura"
    assert short_unit_name("Universitas Lambung Mangkurat") == ""  # no acronym known: no guess
    assert short_unit_name("Rutan Pelaihari") == ""  # already short


def test_a_units_full_name_suggests_its_town() -> None:
    from humaskit.search.synonyms import unit_place

    assert unit_place("Lembaga Pemasyarakatan Kelas IIA Banjarmasin") == "Banjarmasin"
    assert unit_place("Dinas Komunikasi dan Informatika Kabupaten Bengkulu") == "Bengkulu"
    assert unit_place("Kantor Imigrasi Kelas I TPI Tanjung Priok") == "Tanjung Priok"
    # Not a town: no guess.
    assert unit_place("Kantor Wilayah Kementerian Hukum dan HAM Kalimantan Selatan") == ""
    assert unit_place("Universitas Lambung Mangkurat") == ""
