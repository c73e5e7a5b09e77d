"""The terminal text is shown on: its width, and text wrapped to it at words.

Wrapping is for text that is read there (messages, findings, lists, the review of a
draft); piped or redirected, text keeps one line per paragraph.
"""

from __future__ import annotations

import os
import sys
from typing import IO


def terminal_width(stream: IO[str] | None = None) -> int | None:
    """The width of the terminal ``stream`` (stdout) is, or None when it is piped
    (``$COLUMNS`` first, as ``shutil.get_terminal_size`` reads it)."""
    import shutil

    stream = stream or sys.stdout
    if not stream.isatty():
        return None
    columns = shutil.get_terminal_size((0, 0)).columns  # $COLUMNS, or stdout's terminal
    if not columns:  # stdout piped, this stream (stderr) at a terminal: ask it
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (OSError, ValueError):
            columns = 80
    return columns


def wrapped(text: str, width: int | None, hanging: str = "") -> str:
    """``text`` with each line wrapped at word boundaries to ``width`` (the terminal would cut
    words); unchanged when ``width`` is None, so piped text keeps one line per paragraph.
    A line goes on under its own indentation and ``hanging``; a list item ("- …") under
    its text."""
    if width is None:
        return text
    import textwrap

    lines = []
    for line in text.split("\n"):
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)] + ("  " if stripped[:2] == "- " else hanging)
        lines += textwrap.wrap(
            line, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
        ) or [""]
    return "\n".join(lines)
