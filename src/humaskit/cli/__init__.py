"""The ``humaskit`` command: parses options, calls the core, prints text or JSON.

``app.py`` holds the typer app, the error handling and what every command shares; each other
module registers one group of commands on it, in the order ``--help`` lists them.
"""
# ruff: noqa: I001 - the import order is the order of the commands in --help

from humaskit.cli.app import app, run
from humaskit.cli import (  # noqa: F401 - registers commands
    drafting,
    reading,
    searching,
    importing,
    publishing,
)
from humaskit.cli import server  # noqa: F401 - server init, server add-unit, sync

__all__ = ["app", "run"]
