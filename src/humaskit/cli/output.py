"""Printing for people and for scripts. Only the CLI layer calls this."""

from __future__ import annotations

import json
import sys
from typing import IO, Any, cast

import typer

from humaskit.i18n import t
from humaskit.terminal import terminal_width, wrapped


def ensure_utf8_streams() -> None:
    """Print Indonesian text even under ``LANG=C`` instead of failing on an ASCII stream."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")


class OutputError(Exception):
    """Standard output could not be written (a full disk behind ``> file``, ``/dev/full``):
    the command's own work is not at fault, so the message says it is the output."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error)
        self.error = error


class GuardedStream:
    """A stream whose write failures become :class:`OutputError` (BrokenPipeError stays
    itself: a reader that stopped early, ``| head``, is not an error)."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self._guard(self.stream.write, text)

    def flush(self) -> None:
        self._guard(self.stream.flush)

    def _guard(self, call: Any, *args: Any) -> Any:
        try:
            return call(*args)
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OutputError(err) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def stdout() -> IO[str]:
    """Standard output whose write failures are :class:`OutputError` (it behaves as a text
    stream; typer and rich write to it like to any file)."""
    return cast(IO[str], GuardedStream(sys.stdout))


def printable(text: str) -> str:
    """``text`` with lone surrogates escaped: a hostile key name must not crash the print."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error(message: str) -> None:
    note(f"humaskit: {message}")


def note(message: str) -> None:
    """A line for the person at the terminal that must not pollute ``--json`` output
    (wrapped at words there; one line when standard error is a file or a pipe)."""
    typer.echo(printable(wrapped(message, terminal_width(sys.stderr), "  ")), err=True)


def note_rebuild(reason: str) -> None:
    """Say that the search index is rebuilt first, and why ("missing", "damaged", ...)."""
    note(t(f"search.rebuilt_{reason}"))


def say(message: str = "") -> None:
    typer.echo(printable(message), file=stdout())


def say_wrapped(message: str) -> None:
    """A line that is read rather than copied (a finding, a problem), wrapped at words with
    a hanging indent at a terminal; one line when piped."""
    say(wrapped(message, terminal_width(), "  "))


def emit_json(data: Any) -> None:
    typer.echo(printable(json.dumps(data, ensure_ascii=False, indent=2)), file=stdout())


def console():  # -> rich.console.Console
    from rich.console import Console

    # Piped output is read by people through less or a file: don't squeeze it to 80 columns.
    width = None if sys.stdout.isatty() else 200
    return Console(file=stdout(), highlight=False, soft_wrap=False, width=width)


def stderr_console():
    from rich.console import Console

    return Console(file=sys.stderr)


class Progress:
    """A rich progress bar on stderr, only at a terminal and only for many files.

    ``finishing`` replaces the label once every file is read, for work that follows (a
    rebuild writes the index for a while after its last release).
    """

    def __init__(self, label: str, finishing: str | None = None) -> None:
        self.label = label
        self.finishing = finishing
        self.bar: Any = None  # a rich Progress, once there is enough to show
        self.task: Any = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            if total < 20 or not sys.stderr.isatty():
                return
            from rich.progress import MofNCompleteColumn, Progress, TimeRemainingColumn

            columns = (
                *Progress.get_default_columns()[:2],
                MofNCompleteColumn(),
                TimeRemainingColumn(),
            )
            self.bar = Progress(*columns, console=stderr_console(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        if done == total and self.finishing:
            self.bar.update(self.task, completed=done, description=self.finishing)
        elif done == total or done % 20 == 0:
            self.bar.update(self.task, completed=done)


def print_findings(findings, on_stderr: bool = False) -> None:
    """A finding per line ("kesalahan: lead: … [weekday]"), wrapped at a terminal."""
    for f in findings:
        line = f"{t('check.' + f.severity)}: {f.field}: {f.message} [{f.code}]"
        (note if on_stderr else say_wrapped)(line)
