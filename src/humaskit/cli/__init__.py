"""The ``humaskit`` command: parses options, calls the core, prints text or JSON."""

from humaskit.cli.app import app, run

__all__ = ["app", "run"]
