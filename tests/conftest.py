"""Shared fixtures: a real archive in tmp_path and the real CLI through typer's CliRunner."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from humaskit.cli import app
from pg import pg_cluster, pg_database  # noqa: F401 - the PostgreSQL fixtures (tests/pg.py)

DATA = Path(__file__).parent / "data"
SEED_RECORD = DATA / "seed.yaml"


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.stdout)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's archive, language or profile."""
    monkeypatch.delenv("HUMASKIT_ARCHIVE", raising=False)
    monkeypatch.delenv("HUMASKIT_LANG", raising=False)
    monkeypatch.delenv("HUMASKIT_DEBUG", raising=False)
    from humaskit.i18n import set_profile_language

    set_profile_language(None)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder (the current directory during the test)."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


@pytest.fixture
def archive_dir(workdir: Path) -> Path:
    return workdir / "archive"


@pytest.fixture
def cli(workdir: Path):  # type: ignore[no-untyped-def]
    """Run ``humaskit ARGS...`` in-process; returns exit code, stdout and stderr apart."""
    runner = CliRunner()

    def invoke(*args: str | Path, input: str | None = None) -> Result:
        result = runner.invoke(app, [str(a) for a in args], input=input, catch_exceptions=False)
        return Result(result.exit_code, result.stdout, result.stderr)

    return invoke


@pytest.fixture
def seed_record(workdir: Path) -> Path:
    """The seed release as a record file in the working folder."""
    target = workdir / "seed.yaml"
    shutil.copy(SEED_RECORD, target)
    return target


def archive_snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (to prove a failed command wrote nothing)."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }
