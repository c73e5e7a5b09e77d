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


def test_cli_reference_is_generated_from_the_commands() -> None:
    """docs/cli.md is cog output of every command's --help; a changed option must show there."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", str(ROOT / "docs" / "cli.md")],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, f"run `cog -r docs/cli.md`: {done.stdout}{done.stderr}"
    reference = (ROOT / "docs" / "cli.md").read_text("utf-8")
    for command in COMMANDS:
        assert f"## `humaskit {command}`" in reference


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize(
    "page", [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))], ids=lambda p: p.name
)
def test_documents_link_only_to_files_the_repository_has(page: Path) -> None:
    for target in LINK.findall(page.read_text("utf-8")):
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (page.parent / target).exists(), f"{page.name} links to missing {target}"
