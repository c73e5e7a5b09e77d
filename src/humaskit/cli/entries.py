"""Releases as ``list`` and ``search`` print them for people: an entry per release, its id
whole on a line of its own.

The id is what ``show``, ``edit``, ``export`` and ``publish`` are given, so it is copied
from here: a table cell cut it ("2025-02-06-rutan-pelai…") or folded it over two lines,
and neither copies with a double click. At a terminal the title and snippet wrap to its
width under the date; piped, each stays on one line for ``grep`` and ``less`` to handle.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import typer

from humaskit.cli.output import say
from humaskit.search.snippets import HIGHLIGHT
from humaskit.terminal import terminal_width

DATE_WIDTH = 10  # 2025-02-06
INDENT = " " * (DATE_WIDTH + 2)
NARROWEST = 24  # text columns kept beside the date however narrow the terminal


@dataclass(frozen=True)
class Entry:
    date: str
    title: str
    id: str
    about: str  # the unit, and the tags in ``list``
    snippet: str = ""  # matched words between HIGHLIGHT markers (``search``)


def terminal_layout() -> tuple[int | None, bool]:
    """The width to wrap to (None: piped, don't wrap) and whether to colour
    (a terminal, and no ``NO_COLOR`` in the environment: https://no-color.org)."""
    width = terminal_width()
    return width, width is not None and not os.environ.get("NO_COLOR")


def show(entries: list[Entry]) -> None:
    """Print ``entries`` on stdout, a blank line between two."""
    width, color = terminal_layout()
    for number, entry in enumerate(entries):
        if number:
            say()
        say("\n".join(render(entry, width, color)))


def render(entry: Entry, width: int | None = None, color: bool = False) -> list[str]:
    """The lines of one entry; ``width`` None leaves the title and snippet unwrapped."""
    text_width = None if width is None else max(width - len(INDENT), NARROWEST)

    title = _wrap([(word, True) for word in entry.title.split()], text_width)
    about = _wrap([(word, False) for word in entry.about.split()], text_width)
    snippet = _wrap(list(_marked_words(entry.snippet)), text_width)
    lines = [
        (entry.date.ljust(DATE_WIDTH) + "  " if number == 0 else INDENT)
        + _joined(line, color, bold=True)
        for number, line in enumerate(title)
    ]
    # Under the title; at the margin when that would push it past the terminal's edge.
    id_indent = INDENT if width is None or len(INDENT) + len(entry.id) <= width else ""
    lines.append(id_indent + (typer.style(entry.id, dim=True) if color else entry.id))
    lines += [INDENT + _joined(line, color) for line in about]
    lines += [INDENT + _joined(line, color, bold=True, fg="yellow") for line in snippet]
    return lines


def _joined(words: list[tuple[str, bool]], color: bool, **style) -> str:
    """A line's words, each run of marked words in ``style`` when ``color``."""
    runs: list[tuple[str, bool]] = []
    for word, marked in words:
        if runs and runs[-1][1] == marked:
            runs[-1] = (f"{runs[-1][0]} {word}", marked)
        else:
            runs.append((word, marked))
    return " ".join(typer.style(run, **style) if marked and color else run for run, marked in runs)


def _marked_words(snippet: str) -> Iterator[tuple[str, bool]]:
    """The snippet's words, each with whether it lies between HIGHLIGHT markers."""
    for number, part in enumerate(snippet.split(HIGHLIGHT)):
        for word in part.split():
            yield word, number % 2 == 1


def _wrap(words: list[tuple[str, bool]], width: int | None) -> list[list[tuple[str, bool]]]:
    """Words into lines of at most ``width`` characters (a longer word gets its own line)."""
    if width is None:
        return [words] if words else []
    lines: list[list[tuple[str, bool]]] = []
    length = 0
    for word in words:
        if lines and length + 1 + len(word[0]) <= width:
            lines[-1].append(word)
            length += 1 + len(word[0])
        else:
            lines.append([word])
            length = len(word[0])
    return lines
