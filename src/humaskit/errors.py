"""The one family of errors humaskit raises, and the exit status each maps to.

Core code only raises; ``cli.run`` is the single place that prints and exits.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitStatus(IntEnum):
    OK = 0
    FAILED = 1
    BAD_INPUT = 2
    CANCELLED = 130  # 128 + SIGINT


class HumasError(Exception):
    """An operation failed (exit 1). The message is already in the user's language."""

    exit_code = ExitStatus.FAILED

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InputError(HumasError):
    """The user gave bad input or bad usage (exit 2); nothing was written."""

    exit_code = ExitStatus.BAD_INPUT


class NotFoundError(HumasError):
    """A release, file or draft that was asked for does not exist (exit 1)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record: where (``quotes[1].speaker``), what, and how to fix it."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RecordError(InputError):
    """A release record is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem], source: str = "") -> None:
        from humaskit.i18n import t

        self.problems = problems
        self.source = source
        head = t("record.invalid", source=source) if source else t("record.invalid_nosource")
        lines = [head, *(f"  - {p}" for p in problems)]
        super().__init__("\n".join(lines))
