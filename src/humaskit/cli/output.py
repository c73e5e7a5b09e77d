"""Printing for people and for scripts. Only the CLI layer calls this."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer


def ensure_utf8_streams() -> None:
    """Print Indonesian text even under ``LANG=C`` instead of failing on an ASCII stream."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


def error(message: str) -> None:
    typer.echo(f"humaskit: {message}", err=True)


def note(message: str) -> None:
    """A line for the person at the terminal that must not pollute ``--json`` output."""
    typer.echo(message, err=True)


def say(message: str = "") -> None:
    typer.echo(message)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def console():  # -> rich.console.Console
    from rich.console import Console

    # Piped output is read by people through less or a file: don't squeeze it to 80 columns.
    width = None if sys.stdout.isatty() else 200
    return Console(file=sys.stdout, highlight=False, soft_wrap=False, width=width)
