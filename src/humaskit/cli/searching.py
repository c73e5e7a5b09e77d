"""``search``, ``reindex`` and ``doctor``: finding releases and keeping the index right."""

from __future__ import annotations

from typing import Annotated

import typer

from humaskit.cli import output as console
from humaskit.cli.app import (
    JsonOption,
    SinceOption,
    TagOption,
    UnitOption,
    UntilOption,
    app,
    check_limit,
    make_filters,
    session,
)
from humaskit.errors import ExitStatus
from humaskit.i18n import t

# ------------------------------------------------------------------- search / reindex / doctor


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help=(
                'Kata yang dicari / words: "frasa persis", a OR b, -kata atau NOT kata '
                "(kecuali / exclude); kata lain wajib sebagian besar / most other words must match."
            ),
            show_default=False,
        ),
    ] = "",
    since: SinceOption = None,
    until: UntilOption = None,
    unit: UnitOption = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Nama narasumber / speaker's name.")
    ] = None,
    tag: TagOption = None,
    limit: Annotated[
        int, typer.Option("--limit", help="Paling banyak / at most N (0: semua / all).")
    ] = 10,
    as_json: JsonOption = False,
) -> None:
    """Cari di arsip (kata dasar, singkatan, salah ketik). Search the archive.

    \b
    remisi lebaran          kata-kata, bentuk dasar, singkatan / words, stems, acronyms
    "warga binaan"          frasa persis / exact phrase
    remisi OR asimilasi     salah satu / either
    remisi -natal           tanpa / without (juga / also: remisi NOT natal)
    """
    check_limit(limit)
    s = session(ctx)
    extra = s.profile_path.parent / "synonyms.txt" if s.profile_path else None
    found = s.archive.search(query, make_filters(since, until, unit, tag, speaker), limit, extra)
    if found.rebuilt:
        console.note_rebuild(found.rebuilt)
    if found.corrections:
        words = ", ".join(f'"{old}" → "{new}"' for old, new in found.corrections)
        console.note(t("search.corrected", words=words))
    if found.reading:
        console.note(t("search.read_as", query=found.reading))
    if as_json:
        console.emit_json([hit.to_json() for hit in found.hits])
    if not found.hits:
        console.note(t("search.none"))
        return
    if not as_json:
        _print_hits(found.hits)
    if found.total > len(found.hits):
        console.note(t("search.more", shown=len(found.hits), total=found.total))


def _print_hits(hits) -> None:
    from humaskit.cli.entries import Entry, show

    show([Entry(hit.date, hit.title, hit.id, hit.unit, hit.snippet) for hit in hits])


@app.command()
def reindex(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Bangun ulang indeks pencarian dari berkas. Rebuild the search index from the files."""
    s = session(ctx)
    with console.Progress(t("reindex.progress"), finishing=t("reindex.finishing")) as progress:
        report = s.archive.reindex(progress=progress.update)
    if as_json:
        console.emit_json({"indexed": report.indexed, "damaged": report.damaged})
    else:
        console.say(t("reindex.done", count=report.indexed))
    if report.damaged:
        damaged = ", ".join(report.damaged)
        console.error(t("reindex.damaged", count=len(report.damaged), ids=damaged))
        raise typer.Exit(ExitStatus.FAILED)


@app.command()
def doctor(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Perbaiki yang ditemukan / fix what is found.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Periksa (dan perbaiki) arsip dan indeks. Check (and repair) archive and index."""
    s = session(ctx)
    report = s.archive.doctor(s.profile, repair)
    if as_json:
        console.emit_json(report.to_json())
    else:
        for finding in report.problems:  # one line per problem, naming its file
            # One line each, unwrapped: the paths in it are copied (a terminal's own wrapping
            # is undone on copy; a break put in here would not be).
            console.say(f"{finding.code}: {finding.where()} — {finding.message}")
        if report.repaired:
            console.note(t("doctor.repaired", count=len(report.repaired)))
        if report.consistent:
            console.note(t("doctor.ok"))
        elif repair:
            console.note(t("doctor.remaining", count=len(report.problems)))
        else:
            console.note(t("doctor.problems", count=len(report.problems)))
    if not report.consistent:
        raise typer.Exit(ExitStatus.FAILED)
