"""``server init``, ``server add-unit`` and ``sync``: the shared archive on a PostgreSQL server."""

from __future__ import annotations

from typing import Annotated

import typer

from humaskit.cli import output as console
from humaskit.cli.app import JsonOption, app, session
from humaskit.errors import ExitStatus, InputError
from humaskit.i18n import t

server_app = typer.Typer(
    help="Arsip bersama di server PostgreSQL / the shared archive on a PostgreSQL server.",
    no_args_is_help=True,
)
app.add_typer(server_app, name="server")

UriArgument = Annotated[
    str,
    typer.Argument(
        metavar="URI",
        help="postgresql://peran@host:5432/basisdata (tanpa kata sandi / no password).",
        show_default=False,
    ),
]


def _server_uri(value: str | None, option: str) -> str:
    from humaskit.backends import is_server_uri

    if not is_server_uri(value):
        raise InputError(t("server.need_server", option=option, value=value or ""))
    assert value is not None
    return value.strip()


@server_app.command("init")
def server_init(uri: UriArgument, as_json: JsonOption = False) -> None:
    """Buat atau perbarui skema arsip bersama. Create or migrate the shared archive's schema."""
    from humaskit.backends import redact
    from humaskit.backends.postgres.server import init_server

    applied, version = init_server(_server_uri(uri, "URI"))
    if as_json:
        console.emit_json({"location": redact(uri), "version": version, "applied": applied})
    elif applied:
        applied_text = ", ".join(map(str, applied))
        console.say(
            t("server.initialised", location=redact(uri), version=version, applied=applied_text)
        )
    else:
        console.say(t("server.up_to_date", location=redact(uri), version=version))


@server_app.command("add-unit")
def server_add_unit(
    ctx: typer.Context,
    unit: Annotated[
        str, typer.Argument(help="Nama lengkap unit / the unit's full name.", show_default=False)
    ],
    role: Annotated[
        str, typer.Option("--role", help="Peran PostgreSQL unit / the unit's login role.")
    ],
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            help="URI arsip bersama (default: --archive, $HUMASKIT_ARCHIVE, humaskit.toml).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Beri unit peran sendiri (hanya menulis siaran persnya). Give a unit its own role."""
    from humaskit.backends.postgres.server import register_unit

    s = session(ctx)
    uri = _server_uri(server or str(s.archive_location()), "--server")
    if register_unit(uri, unit, role):
        from humaskit.archive.location import redact

        console.say(t("server.unit_added", role=role, unit=unit, uri=redact(uri)))
    else:
        console.say(t("server.unit_updated", role=role, unit=unit))


@app.command("sync")
def sync_command(
    ctx: typer.Context,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Kirim ke arsip bersama / send to the shared archive (URI)."),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option("--from", help="Ambil dari arsip bersama / bring from the shared archive."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Selaraskan arsip folder dengan arsip bersama. Sync a folder archive with the server."""
    from humaskit.backends import is_server_uri, open_archive
    from humaskit.backends.sync import sync

    if (to is None) == (from_ is None):
        raise InputError(t("sync.one_direction"))
    uri = _server_uri(to or from_, "--to" if to else "--from")
    s = session(ctx)
    local = s.archive_location()
    if is_server_uri(local):
        raise InputError(t("sync.need_folder"))
    report = sync(open_archive(local), open_archive(uri), to_server=to is not None)
    if as_json:
        console.emit_json(report.to_json())
    else:
        console.say(
            t(
                "sync.done",
                copied=len(report.copied),
                updated=len(report.updated),
                unchanged=report.unchanged,
            )
        )
        for release_id in report.newer_there:
            console.note(t("sync.newer_there", id=release_id))
        for release_id in report.conflicts:
            console.note(t("sync.conflict", id=release_id))
        for release_id, error in report.refused:
            console.note(t("sync.refused", id=release_id, error=error))
    if report.conflicts or report.refused:
        raise typer.Exit(ExitStatus.FAILED)
