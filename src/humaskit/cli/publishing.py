"""``publish``, ``recap`` and ``stats``: where releases went out, and what a unit reports."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from humaskit.cli import output as console
from humaskit.cli.app import (
    ForceOption,
    JsonOption,
    SinceOption,
    TagOption,
    UnitOption,
    UntilOption,
    app,
    make_filters,
    session,
)
from humaskit.errors import InputError
from humaskit.i18n import t

# --------------------------------------------------------------------------- publish


@app.command()
def publish(
    ctx: typer.Context,
    release_id: Annotated[str, typer.Argument(metavar="ID", help="Id siaran pers / release id.")],
    url: Annotated[
        str | None,
        typer.Argument(metavar="URL", help="Alamat terbitan / where it went out (http/https)."),
    ] = None,
    channel: Annotated[
        str | None,
        typer.Option(
            "--channel",
            help="website|instagram|facebook|x|youtube|tiktok|media|other "
            "(default: from the URL's host).",
            show_default=False,
        ),
    ] = None,
    outlet: Annotated[
        str | None, typer.Option("--outlet", help="Nama media / news outlet name.")
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Tanggal terbit / date published (YYYY-MM-DD; default today)."),
    ] = None,
    remove: Annotated[
        str | None, typer.Option("--remove", metavar="URL", help="Hapus catatan / forget URL.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Catat di mana siaran pers terbit (tanpa URL: daftarnya). Record where a release went
    out (without URL: list them)."""
    from humaskit import publications

    s = session(ctx)
    if remove is not None:
        if url is not None or channel or outlet or date:
            raise InputError(t("publish.remove_alone"))
        done = publications.unpublish(s.archive, release_id, remove)
        message = t("publish.removed", id=release_id, url=remove.strip())
    elif url is None:  # ``publish ID``: what is recorded
        if channel or outlet or date:
            raise InputError(t("publish.no_url"))
        listed = publications.load(s.archive, release_id)
        if as_json:
            console.emit_json({"id": release_id, "publications": [p.to_json() for p in listed]})
            return
        console.say(t("publish.heading") if listed else t("publish.none"))
        for p in listed:
            console.say(f"- {p.line()}")
        return
    else:
        day = None
        if date is not None:
            from humaskit.record.dates import parse_user_date

            day = parse_user_date(date, "--date")
        done = publications.publish(
            s.archive,
            release_id,
            url,
            channel=channel,
            outlet=outlet,
            date=day,
            website=s.profile.website if s.profile else None,
        )
        assert done.publication is not None
        key = "publish.replaced" if done.replaced else "publish.recorded"
        message = t(
            key,
            id=release_id,
            channel=done.publication.channel_name,
            url=done.publication.url,
            date=done.publication.date.isoformat(),
        )
    if as_json:
        console.emit_json({"id": done.id, "publications": [p.to_json() for p in done.publications]})
        return
    console.say(message)
    console.say(t("publish.count", count=len(done.publications)))


# --------------------------------------------------------------------------- recap / stats


@app.command()
def recap(
    ctx: typer.Context,
    month: Annotated[
        str | None,
        typer.Option("--month", help="Bulan / month YYYY-MM (default: the last full month)."),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    unit: UnitOption = None,
    tag: TagOption = None,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="Tulis buku kerja / write the workbook to PATH.")
    ] = None,
    docx: Annotated[
        Path | None, typer.Option("--docx", help="Tulis laporan Word / write the report to PATH.")
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Tulis laporan PDF / write the report as PDF (LibreOffice)."),
    ] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Rekap publikasi bulanan. The month's publication recap.

    Never writes into the archive folder; an existing file is replaced only with --force."""
    from humaskit.recap.report import make_recap, write_recap_files

    s = session(ctx)
    filters = make_filters(since, until, unit, tag)
    result = make_recap(
        s.archive,
        month=month,
        since=filters.since,
        until=filters.until,
        unit=unit,
        tag=tag,
        on_rebuild=console.note_rebuild,
    )
    files = write_recap_files(
        result, s.profile, s.archive, xlsx=xlsx, docx=docx, pdf=pdf, force=force
    )
    if as_json:
        data = result.to_json()
        if files:
            data["files"] = {kind: str(path) for kind, path in files.items()}
        console.emit_json(data)
        return
    if files:
        for path in files.values():
            console.say(t("export.written", path=path))
        return
    from humaskit.recap.terminal import recap_renderables

    out = console.console()
    for part in recap_renderables(result):
        out.print(part)


@app.command()
def stats(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    unit: UnitOption = None,
    tag: TagOption = None,
    as_json: JsonOption = False,
) -> None:
    """Statistik: per bulan, unit, tag, narasumber, kanal. Releases per month, unit, tag,
    speaker, channel."""
    from humaskit.recap.report import make_stats

    s = session(ctx)
    filters = make_filters(since, until, unit, tag)
    result = make_stats(
        s.archive,
        since=filters.since,
        until=filters.until,
        unit=unit,
        tag=tag,
        on_rebuild=console.note_rebuild,
    )
    if as_json:
        console.emit_json(result.to_json())
        return
    from humaskit.recap.terminal import stats_renderables

    out = console.console()
    for part in stats_renderables(result):
        out.print(part)
