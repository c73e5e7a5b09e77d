"""``humaskit --help`` must stay fast: heavy libraries are imported only by the commands that
use them. A fresh interpreter is the only honest place to look at ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("docx", "whoosh", "questionary", "Sastrawi", "PIL", "jinja2", "babel", "yaml")

PROBE = """
import json, sys
from humaskit.cli import app
try:
    app(json.loads(sys.argv[2]), prog_name="humaskit")
except SystemExit as exit_:
    code = exit_.code
else:
    code = 0
loaded = sorted({name.split(".")[0] for name in sys.modules} & set(json.loads(sys.argv[1])))
print(json.dumps({"code": code, "loaded": loaded}), file=sys.stderr)
"""


def run_probe(argv: list[str]) -> dict:
    """Run the app with ``argv`` in a fresh interpreter; its exit code and heavy imports."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(HEAVY), json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return json.loads(done.stderr.strip().splitlines()[-1])


def test_help_imports_no_heavy_library() -> None:
    result = run_probe(["--help"])
    assert result["code"] in (0, None)
    assert result["loaded"] == [], f"--help imported {result['loaded']}; import them lazily"


def test_help_of_every_command_imports_no_heavy_library() -> None:
    from typer.main import get_command

    from humaskit.cli import app

    for name in get_command(app).commands:  # type: ignore[attr-defined]
        result = run_probe([name, "--help"])
        assert result["code"] in (0, None), name
        assert result["loaded"] == [], f"humaskit {name} --help imported {result['loaded']}"
