"""``humaskit --help`` must stay fast: heavy libraries are imported only by the commands that
use them. A fresh interpreter is the only honest place to look at ``sys.modules``."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = (
    *("docx", "whoosh", "questionary", "Sastrawi", "PIL", "jinja2", "babel", "yaml"),
    *("openpyxl", "matplotlib"),  # only recap --xlsx / --docx draws
)

PROBE = """
import json, sys
from humaskit.cli import app
try:
    app(json.loads(sys.argv[2]), prog_name="humaskit")
except SystemExit as exit_:
    code = exit_.code
else:
    code = 0
modules = set(sys.modules) | {name.split(".")[0] for name in sys.modules}
loaded = sorted(modules & set(json.loads(sys.argv[1])))
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


def test_a_search_imports_only_what_it_needs(tmp_path) -> None:
    """A real command with options pays for no library it does not use: typer 0.29 and
    later coerce options through pydantic (~100 ms a command), hence the pin in
    pyproject.toml; a search loads Whoosh (and Sastrawi only for a word the archive and the
    synonym list do not have), not Word, prompts or templates."""
    probe = PROBE.replace("app(json", "import os; os.chdir(sys.argv[3])\n    app(json", 1)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            probe,
            json.dumps([*HEAVY, "pydantic"]),
            json.dumps(["search", "tes urine", "--since", "2025-01-01", "--json"]),
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    assert result["code"] in (0, None), done.stderr
    assert "pydantic" not in result["loaded"]
    assert not {"docx", "questionary", "PIL", "jinja2", "babel"} & set(result["loaded"])
    assert not {"openpyxl", "matplotlib"} & set(result["loaded"])


def test_every_search_goes_through_whoosh(cli, seed_record, workdir) -> None:  # type: ignore[no-untyped-def]
    """One engine: plain words, typing mistakes, phrases and filters are all answered by
    Whoosh (there is no second copy of the index to answer without it), and none of them
    loads Word, prompts or pydantic."""
    assert cli("new", seed_record).exit_code == 0
    probe = PROBE.replace("app(json", "import os; os.chdir(sys.argv[3])\n    app(json", 1)

    def run(*argv: str) -> dict:
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                probe,
                json.dumps([*HEAVY, "pydantic"]),
                json.dumps(argv),
                str(workdir),
            ],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        result = json.loads(done.stderr.strip().splitlines()[-1])
        result["stdout"] = done.stdout
        return result

    for argv in (
        ("search", "etika kehumasan", "--json"),
        ("search", "kehumasn", "--json"),
        ("search", '"penguatan kehumasan"', "--json"),
        ("search", "kehumasan", "--since", "2025-01-01", "--json"),
        ("search", "kehumasan OR mangrove -sepak", "--json"),
    ):
        found = run(*argv)
        assert found["code"] in (0, None), argv
        assert "2025-02-06-rutan-pelaihari" in found["stdout"], argv
        assert "whoosh" in found["loaded"], argv
        assert not {"docx", "questionary", "pydantic"} & set(found["loaded"]), argv


WATCHED = (*HEAVY, "humaskit.record.model")


def test_a_search_of_the_archives_words_loads_no_stemmer_and_no_yaml(
    cli, seed_record, workdir
) -> None:  # type: ignore[no-untyped-def]
    """The stems of the archive's words and the synonym list's come from the table written
    with the index, and snippets from the paragraphs stored in it: such a search loads
    neither Sastrawi's dictionary nor PyYAML; a word the archive lacks is still stemmed."""
    assert cli("new", seed_record).exit_code == 0
    probe = PROBE.replace("app(json", "import os; os.chdir(sys.argv[3])\n    app(json", 1)

    def run(*argv: str) -> dict:
        done = subprocess.run(
            [sys.executable, "-c", probe, json.dumps(WATCHED), json.dumps(argv), str(workdir)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        result = json.loads(done.stderr.strip().splitlines()[-1])
        result["hits"] = json.loads(done.stdout)
        return result

    found = run("search", "menerapkan etika lapas", "--json")
    assert found["code"] in (0, None)
    assert [h["id"] for h in found["hits"]] == [
        "2025-02-06-rutan-pelaihari-ikuti-penguatan-kehumasan-ditjenpas"
    ]
    assert "**menerapkan**" in found["hits"][0]["snippet"]
    assert "whoosh" in found["loaded"]
    # ... nor the record model: a search reads the index, never a record
    assert not {"Sastrawi", "yaml", "humaskit.record.model"} & set(found["loaded"])
    # The text's "dari" holds the end of the stem "hari": a stop word is never a match, and
    # stemming it would load Sastrawi (~20 ms) for nothing.
    found = run("search", "hari", "--json")
    assert "hari**" in found["hits"][0]["snippet"]
    assert "**dari**" not in found["hits"][0]["snippet"]
    assert "Sastrawi" not in found["loaded"]
    # "penerapan" is in neither: its stem (terap) needs Sastrawi, and finds "menerapkan".
    found = run("search", "penerapan etika", "--json")
    assert len(found["hits"]) == 1
    assert "Sastrawi" in found["loaded"]
