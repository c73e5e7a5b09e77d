"""The README stays true: every command is documented, and CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from humaskit.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text("utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert f"humaskit {command}" in README


def test_quick_start_has_two_commands_and_ci_runs_the_test_one() -> None:
    quick_start = README.split("## Mulai cepat", 1)[1].split("##", 1)[0]
    commands = [line for line in quick_start.splitlines() if line.startswith("python3 ")]
    assert len(commands) == 2
    install_and_run, test = commands
    assert "humaskit new examples/" in install_and_run
    assert (ROOT / install_and_run.split("humaskit new ", 1)[1].split()[0]).is_file()
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert re.search(rf"^{re.escape(test)}( \|\| exit 1)?$", ci, re.MULTILINE)
