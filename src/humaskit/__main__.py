"""Entry point for ``humaskit`` and ``python -m humaskit``."""

from __future__ import annotations

import sys


def main() -> None:
    from humaskit.cli import run

    sys.exit(run())


if __name__ == "__main__":
    main()
