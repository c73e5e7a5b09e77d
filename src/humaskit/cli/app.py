"""The ``humaskit`` command: parses options, calls one core function, prints the result.

Errors from the core are :class:`humaskit.errors.HumasError`; ``HumasGroup.invoke`` is the
single place that turns them into one line on stderr and an exit status (README: 0, 1, 2,
and 130 for Ctrl-C). Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

import errno
import os
import sys
import traceback
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from typer.core import TyperGroup

from humaskit.cli import output as console
from humaskit.errors import ExitStatus, HumasError, InputError
from humaskit.i18n import set_profile_language, t

if TYPE_CHECKING:
    import datetime as dt

    from humaskit.archive.profile import Profile
    from humaskit.backends import ReleaseArchive


class HumasGroup(TyperGroup):
    # typer.Context is the click Context the base class takes; the stubs name click's own.
    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        try:
            try:
                result = super().invoke(ctx)
            finally:
                _report_skipped(ctx)
            console.stdout().flush()  # a full stdout shows here, not at interpreter exit
            return result
        except HumasError as err:
            if _debug(ctx):
                traceback.print_exc()
            console.error(err.message)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            console.error(t("cli.cancelled"))
            raise typer.Exit(ExitStatus.CANCELLED) from None
        except BrokenPipeError:  # `humaskit list | head`: the reader has all it wanted
            _silence_stdout()
            raise typer.Exit(ExitStatus.FAILED) from None
        except console.OutputError as err:
            _silence_stdout()
            console.error(t("cli.stdout_failed", error=err.error.strerror or err.error))
            raise typer.Exit(ExitStatus.FAILED) from None
        except OSError as err:  # a read-only or full disk, a folder we may not enter
            if _debug(ctx):
                traceback.print_exc()
            where = err.filename or _archive_root_in_use(ctx)
            if err.errno == errno.ELOOP:
                console.error(t("cli.symlink_loop", path=where))
                raise typer.Exit(ExitStatus.BAD_INPUT) from None
            console.error(_os_error_message(err, where))
            raise typer.Exit(ExitStatus.FAILED) from None


def _debug(ctx: typer.Context) -> bool:
    """``--debug`` as parsed (the session holds it once the options are read), or
    ``HUMASKIT_DEBUG=1`` for errors before that."""
    return bool(getattr(ctx.obj, "debug", False)) or os.environ.get("HUMASKIT_DEBUG") == "1"


def _os_error_message(err: OSError, where: str) -> str:
    """One line naming the path, with the hint that fits the cause: a full disk is not a
    permissions problem, and nothing was saved (a save that got further says so itself)."""
    error = err.strerror or str(err)
    if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return t("cli.disk_full", path=where, error=error)
    if err.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return t("cli.no_permission", path=where, error=error)
    return t("cli.os_error", path=where, error=error)


def _report_skipped(ctx: typer.Context) -> None:
    """Name each release a read had to leave out (damaged, a symlink), once, on stderr."""
    archive = getattr(ctx.obj, "__dict__", {}).get("archive")
    for release_id, message in sorted(getattr(archive, "skipped", {}).items()):
        console.note(t("cli.skipped", id=release_id, error=message))


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (the test runner's buffer): nothing is flushed at exit


def _archive_root_in_use(ctx: typer.Context) -> str:
    """The archive a failed write went to (a full disk names no file), if it was chosen."""
    archive = getattr(ctx.obj, "__dict__", {}).get("archive")  # a resolved cached_property
    return archive.location if archive is not None else ""


app = typer.Typer(
    cls=HumasGroup,
    name="humaskit",
    help="Menyusun, mencetak, dan mengarsipkan siaran pers unit pemerintah. "
    "Draft, render and archive the news releases of Indonesian government units.",
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class Session:
    """What every command needs: the profile found from here and the archive root."""

    archive_option: str | None  # a folder or a postgresql:// URI (a Path would mangle "//")
    cwd: Path
    debug: bool = False

    @cached_property
    def profile_path(self) -> Path | None:
        from humaskit.archive.profile import find_profile

        return find_profile(self.cwd)

    @cached_property
    def profile(self) -> Profile | None:
        from humaskit.archive.profile import load_profile

        if self.profile_path is None:
            return None
        profile = load_profile(self.profile_path)
        set_profile_language(profile.language)
        return profile

    def archive_location(self) -> Path | str:
        """The chosen archive: a folder, or a shared archive's ``postgresql://`` URI."""
        from humaskit.archive.profile import archive_root

        configured = self.profile.archive if self.profile else None
        return archive_root(self.archive_option, self.cwd, self.profile_path, configured)

    @cached_property
    def archive(self) -> ReleaseArchive:
        from humaskit.backends import open_archive

        root = self.archive_location()
        if isinstance(root, Path) and root.exists() and not root.is_dir():
            raise InputError(t("archive.not_a_folder", root=root))
        return open_archive(root)

    def defaults(self) -> dict:
        return self.profile.record_defaults() if self.profile else {}


def session(ctx: typer.Context) -> Session:
    return ctx.find_root().obj


def version_callback(value: bool) -> None:
    if value:
        from humaskit import __version__

        console.say(f"humaskit {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    archive: Annotated[
        str | None,
        typer.Option(
            "--archive",
            help="Folder arsip atau URI postgresql:// / archive folder or postgresql:// URI "
            "(default: $HUMASKIT_ARCHIVE, archive/ beside humaskit.toml, ./archive).",
            show_default=False,
        ),
    ] = None,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks (for bug reports).")
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=version_callback, is_eager=True, help="Show version."),
    ] = False,
) -> None:
    console.ensure_utf8_streams()
    ctx.obj = Session(archive_option=archive, cwd=Path.cwd(), debug=debug)
    # Read the profile early so its language applies to every message, errors included.
    _ = ctx.obj.profile


def _parse_date_option(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    from humaskit.record.dates import parse_user_date

    return parse_user_date(value, option)


def make_filters(since, until, unit, tag, speaker=None):
    from humaskit.search.filters import Filters

    filters = Filters(
        since=_parse_date_option(since, "--since"),
        until=_parse_date_option(until, "--until"),
        unit=unit,
        tag=tag,
        speaker=speaker,
    )
    if filters.since and filters.until and filters.since > filters.until:
        raise InputError(t("cli.range", since=since, until=until))
    return filters


def can_prompt() -> bool:
    from humaskit.prompts.flows import interactive_available

    return interactive_available()


def check_limit(limit: int | None) -> None:
    if limit is not None and limit < 0:
        raise InputError(t("cli.limit", value=limit))


JsonOption = Annotated[bool, typer.Option("--json", help="Keluaran JSON / JSON output.")]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Mulai tanggal / from date (YYYY-MM-DD).")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", help="Sampai tanggal / until date (YYYY-MM-DD).")
]
UnitOption = Annotated[
    str | None, typer.Option("--unit", help="Nama unit atau tanda tangan / unit or signature.")
]
TagOption = Annotated[str | None, typer.Option("--tag", help="Tag.")]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force", help="Timpa berkas yang sudah ada / overwrite files that already exist."
    ),
]


def run() -> int:
    """Run the app as a program; returns the exit status."""
    if sys.stdout is None:  # started with stdout closed (`humaskit list >&-`)
        if sys.stderr is not None:
            console.error(t("cli.stdout_closed"))
        return ExitStatus.FAILED
    if sys.stdin is None:  # stdin closed (`<&-`): behave as with no terminal, never crash
        sys.stdin = open(os.devnull)  # noqa: SIM115 - lives as long as the process
    try:
        app(prog_name="humaskit")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0
