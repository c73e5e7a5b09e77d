from pathlib import Path


def test_new_from_seed_record_saves_and_lists(cli, seed_record: Path, archive_dir: Path) -> None:
    result = cli("new", seed_record, "--json")
    assert result.exit_code == 0, result.stderr
    [saved] = result.json()
    assert saved["id"] == "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"
    assert Path(saved["markdown"]).is_file()
    listed = cli("list", "--json").json()
    assert [row["id"] for row in listed] == [saved["id"]]
