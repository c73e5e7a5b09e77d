"""``show``, ``list`` and ``export``: the commands that read one release or many."""

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
    check_limit,
    make_filters,
    session,
)
from humaskit.i18n import t

# --------------------------------------------------------------------------- show / list


@app.command()
def show(
    ctx: typer.Context,
    release_id: Annotated[str, typer.Argument(metavar="ID", help="Id siaran pers / release id.")],
    as_json: JsonOption = False,
) -> None:
    """Tampilkan siaran pers. Show a release."""
    from humaskit import publications

    s = session(ctx)
    stored = s.archive.load(release_id)
    if as_json:  # the record only, so it can go back into ``edit``; ``publish ID --json``
        console.emit_json({"id": stored.id, **stored.release.to_record(json_safe=True)})
        return
    published = publications.load(s.archive, stored.id)
    from humaskit.document.compose import compose
    from humaskit.document.markdown import render_markdown

    document = compose(stored.release, timezone=s.profile.timezone if s.profile else "WIB")
    text = render_markdown(document, s.profile)
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[-1].lstrip("\n")
    console.say(f"{stored.id} · {document.date_long} · {stored.release.unit}")
    meta = s.archive.read_meta(stored.id)
    if isinstance(meta, dict) and meta.get("source_sha256"):
        origin = meta.get("source_url") or meta.get("imported_from") or meta.get("source_name")
        when = str(meta.get("created") or "")[:10]
        console.note(t("import.imported_from", source=origin or "?", when=when))
    console.say()
    # The release as release.md has it, a line per paragraph even at a terminal: this text is
    # copied into websites and chats, where a line break put in for the terminal would stay.
    console.say(text.rstrip("\n"))
    if published:  # a release not published yet ends with its signature, as it reads
        console.say()
        console.say(t("publish.heading"))
        for p in published:
            console.say(f"- {p.line()}")


@app.command(name="list")
def list_command(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    unit: UnitOption = None,
    tag: TagOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            help="Paling banyak / at most N (bawaan dan 0: semua / default and 0: all).",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Daftar siaran pers, terbaru dulu. List releases, newest first."""
    check_limit(limit)
    s = session(ctx)
    found, total = s.archive.list_releases(
        make_filters(since, until, unit, tag),
        limit or None,  # 0 is all, as for search
        on_rebuild=console.note_rebuild,
    )
    if as_json:
        console.emit_json([listed.to_json() for listed in found])
        return
    if not found:
        console.note(t("list.empty"))
        return
    from humaskit.cli.entries import Entry, show

    show([Entry(r.date, r.title, r.id, _about(r.unit, r.tags)) for r in found])
    if total > len(found):
        console.note(t("list.more", shown=len(found), total=total))


def _about(unit: str, tags: tuple[str, ...]) -> str:
    return " · ".join([unit, ", ".join(tags)]) if tags else unit


# --------------------------------------------------------------------------- export


@app.command()
def export(
    ctx: typer.Context,
    release_id: Annotated[str, typer.Argument(metavar="ID", help="Id siaran pers / release id.")],
    md: Annotated[
        Path | None, typer.Option("--md", help="Tulis Markdown ke / write Markdown to PATH.")
    ] = None,
    docx: Annotated[
        Path | None, typer.Option("--docx", help="Tulis Word ke / write the Word file to PATH.")
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Tulis PDF ke / write PDF to PATH (LibreOffice)."),
    ] = None,
    paper: Annotated[
        str | None,
        typer.Option("--paper", help="A4 atau/or F4 (default: profil / profile)."),
    ] = None,
    force: ForceOption = False,
    as_json: JsonOption = False,
) -> None:
    """Ekspor siaran pers ke .md, .docx, .pdf. Export a release to .md, .docx, .pdf.

    Never writes into the archive folder; an existing file is replaced only with --force."""
    from humaskit.export import export_release

    s = session(ctx)
    exported = export_release(
        s.archive, release_id, s.profile, md=md, docx=docx, pdf=pdf, paper=paper, force=force
    )
    if as_json:
        console.emit_json(exported.to_json())
        return
    for path in exported.files.values():
        console.say(t("export.written", path=path))
