"""``import`` and ``check``: bringing old releases in and checking a release's quality."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from humaskit.cli import output as console
from humaskit.cli.app import (
    JsonOption,
    app,
    can_prompt,
    session,
)
from humaskit.errors import ExitStatus, InputError
from humaskit.i18n import t

# --------------------------------------------------------------------------- import / check

SKIPPED_KEYS = {
    "page": "import.skipped_page",
    "attachment": "import.skipped_attachment",
    "draft": "import.skipped_draft",
    "private": "import.skipped_private",
    "trash": "import.skipped_trash",
    "other": "import.skipped_other",
}


@app.command(name="import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Berkas atau folder: .yaml/.yml/.json, .txt, .md, .docx, .html, WordPress .xml"
            " / files or folders.",
            show_default=False,
        ),
    ],
    unit: Annotated[
        str | None, typer.Option("--unit", help="Nama lengkap unit bila tak ada di teks / unit.")
    ] = None,
    signature: Annotated[
        str | None,
        typer.Option(
            "--signature",
            help='Tanda tangan bila tak ada di teks, mis. "Lapas Banjarmasin" / signature.',
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help='Tahun untuk tanggal "Kamis (6/2)" / year for such dates.'),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="Tanggal kegiatan untuk satu berkas / the date for one file (YYYY-MM-DD).",
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Tampilkan saja, jangan tulis / show, write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Impor arsip lama: rekaman dan siaran pers terbit. Import records and published releases."""
    from humaskit.importer.run import import_paths
    from humaskit.record.dates import parse_user_date

    if year is not None and not 1900 <= year <= 2200:
        raise InputError(t("import.bad_year", value=year))
    the_date = parse_user_date(date, "--date") if date is not None else None
    s = session(ctx)
    defaults = s.defaults()
    if unit:
        defaults["unit"] = unit
    if signature:
        defaults["signature"] = signature
    ask = ask_import_date if (not as_json and not dry_run and can_prompt()) else None
    with console.Progress(t("import.progress")) as progress:
        result = import_paths(
            s.archive,
            paths,
            profile=s.profile,
            defaults=defaults,
            year=year,
            date=the_date,
            dry_run=dry_run,
            progress=progress.update,
            ask_date=ask,
        )
    _report_import(result.outcomes, dry_run, as_json)
    if result.skipped:
        skipped = ", ".join(
            f"{count} {t(SKIPPED_KEYS.get(kind, 'import.skipped_other'))}"
            for kind, count in sorted(result.skipped.items())
        )
        console.note(t("import.skipped", skipped=skipped))
    if result.index_error:
        console.note(result.index_error)
    if any(o.status == "failed" for o in result.outcomes) or result.index_error:
        raise typer.Exit(ExitStatus.FAILED)


def ask_import_date(source: str) -> dt.date | None:
    """Ask for the date of a text that has none (only in a terminal)."""
    import questionary

    def valid(value: str) -> bool | str:
        if not value.strip():
            return True
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            return t("import.ask_date_format")
        return True

    answer = questionary.text(t("import.ask_date", source=source), validate=valid).unsafe_ask()
    return dt.date.fromisoformat(answer.strip()) if answer and answer.strip() else None


def _print_plan(outcomes) -> None:
    """What an import would do, a file at a time: its status, then indented under it the
    id it would get (whole: a table cut ids of 60 characters) or what is missing."""
    statuses = [t(f"import.status_{o.status}") for o in outcomes]
    width = max(map(len, statuses), default=0) + 2
    for o, status in zip(outcomes, statuses, strict=True):
        console.say(f"{status.ljust(width)}{o.source}")
        if o.id:  # four spaces in: a 70-character id still fits 80 columns
            console.say(f"    {o.id}")
        problems = ", ".join(o.missing) if o.missing else (o.error or "")
        if problems:
            console.say(f"    {t('import.problems', problems=problems)}")


def _report_import(outcomes, dry_run: bool, as_json: bool) -> None:
    counts = {k: sum(o.status == k for o in outcomes) for k in ("imported", "exists", "ready")}
    failed = [o for o in outcomes if o.status == "failed"]
    if as_json:
        shown = outcomes if dry_run else [o for o in outcomes if o.status != "failed"]
        console.emit_json([o.to_json(detail=dry_run) for o in shown])
    elif dry_run:
        _print_plan(outcomes)
    for o in outcomes:
        if not as_json and not dry_run and o.status != "failed":
            console.say(t(f"import.{o.status}", id=o.id, source=o.source))
        if o.status == "failed" and (as_json or not dry_run):
            console.note(t("import.failed", error=o.error))
        for warning in o.warnings:
            console.note(t("import.warning", warning=f"{o.source}: {warning}"))
    if not outcomes:
        console.note(t("import.nothing"))
    elif dry_run:
        console.note(
            t(
                "import.summary_dry",
                ready=counts["ready"],
                exists=counts["exists"],
                failed=len(failed),
                total=len(outcomes),
            )
        )
    else:
        console.note(
            t(
                "import.summary",
                imported=counts["imported"],
                exists=counts["exists"],
                failed=len(failed),
                total=len(outcomes),
            )
        )


@app.command()
def check(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="FILE|ID",
            help="Berkas atau id siaran pers / file or release id.",
            show_default=False,
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Periksa mutu siaran pers sebelum terbit. Quality checks of a release."""
    from humaskit.checks import check_target, has_errors

    s = session(ctx)
    _, findings = check_target(target, s.archive, s.defaults())
    if as_json:
        console.emit_json([f.to_json() for f in findings])
    elif findings:
        console.print_findings(findings)
    else:
        console.note(t("check.none"))
    if findings and not as_json:
        errors = sum(f.severity == "error" for f in findings)
        console.note(t("check.summary", errors=errors, warnings=len(findings) - errors))
    if has_errors(findings):
        raise typer.Exit(ExitStatus.FAILED)
