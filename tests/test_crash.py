"""Crash safety: about 20 SIGKILLs of ``humaskit new``, ``edit``, ``import`` and ``reindex`` at
random moments, then every release folder complete and readable, no visible temp file, and
``doctor --repair`` bringing the index back into agreement.

The full run (200 kills) is ``tests/stress/kill_stress.py``; this one shares its code.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "kill_stress", Path(__file__).parent / "stress" / "kill_stress.py"
)
assert _spec and _spec.loader
kill_stress = importlib.util.module_from_spec(_spec)
sys.modules["kill_stress"] = kill_stress  # dataclasses look their module up there
_spec.loader.exec_module(kill_stress)


@pytest.mark.slow  # about half a minute; still part of the default run
def test_twenty_kills_lose_and_corrupt_nothing(tmp_path: Path) -> None:
    lines: list[str] = []
    summary = kill_stress.stress(tmp_path, kills=20, seed=8, log=lines.append)
    assert summary.problems == [], "\n".join([*lines, summary.line(), *summary.problems])
    assert sum(summary.killed.values()) >= 20


def test_a_killed_build_folder_is_hidden_and_doctor_removes_it(tmp_path: Path) -> None:
    """What a SIGKILL between 'build' and 'rename' leaves: a hidden .tmp- folder, dead pid."""
    archive = tmp_path / "archive"
    [record] = kill_stress.make_inputs(tmp_path, count=1)
    assert kill_stress.run(archive, "new", record, cwd=tmp_path).returncode == 0
    dead_pid = 2**22 + 12345  # above the default pid_max: no such process
    left = archive / "releases" / "2025" / f".tmp-{dead_pid}-abcd"
    left.mkdir()
    (left / "release.yaml").write_text("title: setengah")
    listed = kill_stress.run(archive, "list", "--json", cwd=tmp_path)
    assert len(listed.stdout) and ".tmp" not in listed.stdout
    assert kill_stress.run(archive, "doctor", cwd=tmp_path).returncode == 1
    assert kill_stress.run(archive, "doctor", "--repair", cwd=tmp_path).returncode == 0
    assert not left.exists()
