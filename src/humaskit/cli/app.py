"""The ``humaskit`` command: parses options, calls one core function, prints the result.

Errors from the core are :class:`humaskit.errors.HumasError`; ``HumasGroup.invoke`` is the
single place that turns them into one line on stderr and an exit status (SPEC: 0, 1, 2, and
130 for Ctrl-C). Heavy libraries are imported inside the commands that need them.
"""

from __future__ import annotations

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
    from humaskit.archive.store import Archive


class HumasGroup(TyperGroup):
    def invoke(self, ctx: typer.Context):  # type: ignore[override]
        debug = "--debug" in sys.argv or os.environ.get("HUMASKIT_DEBUG") == "1"
        try:
            return super().invoke(ctx)
        except HumasError as err:
            if debug:
                traceback.print_exc()
            console.error(err.message)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            console.error(t("cli.cancelled"))
            raise typer.Exit(ExitStatus.CANCELLED) from None
        except OSError as err:  # a read-only or full disk, a folder we may not enter
            if debug:
                traceback.print_exc()
            where = err.filename or _archive_root_in_use(ctx)
            console.error(t("cli.os_error", path=where, error=err.strerror or err))
            raise typer.Exit(ExitStatus.FAILED) from None


def _archive_root_in_use(ctx: typer.Context) -> str:
    """The archive a failed write went to (a full disk names no file), if it was chosen."""
    archive = getattr(ctx.obj, "__dict__", {}).get("archive")  # a resolved cached_property
    return str(archive.root) if archive is not None else ""


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

    archive_option: Path | None
    cwd: Path

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

    @cached_property
    def archive(self) -> Archive:
        from humaskit.archive.profile import archive_root
        from humaskit.archive.store import Archive

        root = archive_root(self.archive_option, self.cwd, self.profile_path)
        if root.exists() and not root.is_dir():
            raise InputError(t("archive.not_a_folder", root=root))
        return Archive(root)

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
        Path | None,
        typer.Option(
            "--archive",
            help="Folder arsip / archive folder (default: $HUMASKIT_ARCHIVE, archive/ beside "
            "humaskit.toml, ./archive).",
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
    ctx.obj = Session(archive_option=archive, cwd=Path.cwd())
    # Read the profile early so its language applies to every message, errors included.
    _ = ctx.obj.profile


def _parse_date_option(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    from humaskit.record.dates import parse_user_date

    return parse_user_date(value, option)


def _filters(since, until, unit, tag, speaker=None):  # type: ignore[no-untyped-def]
    from humaskit.search.listing import Filters

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


def _can_prompt() -> bool:
    from humaskit.prompts.flows import interactive_available

    return interactive_available()


def _check_limit(limit: int | None) -> None:
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


# --------------------------------------------------------------------------- init


@app.command()
def init(
    ctx: typer.Context,
    unit: Annotated[str | None, typer.Option(help="Nama lengkap unit / unit's full name.")] = None,
    signature: Annotated[
        str | None, typer.Option(help='Tanda tangan / signature, e.g. "Rutan Pelaihari".')
    ] = None,
    location: Annotated[str | None, typer.Option(help="Kota dateline / dateline town.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Nama media / outlet name.")] = None,
    letterhead: Annotated[
        list[str] | None,
        typer.Option(help="Baris kop surat (ulangi) / letterhead line (repeat)."),
    ] = None,
    address: Annotated[str | None, typer.Option(help="Alamat / address.")] = None,
    phone: Annotated[str | None, typer.Option(help="Telepon / phone.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail.")] = None,
    website: Annotated[str | None, typer.Option(help="Situs web / website.")] = None,
    logo: Annotated[str | None, typer.Option(help="Logo (PNG/JPEG).")] = None,
    timezone: Annotated[str, typer.Option(help="WIB, WITA atau/or WIT.")] = "WIB",
    paper: Annotated[str, typer.Option(help="A4 atau/or F4.")] = "A4",
    language: Annotated[str | None, typer.Option(help="id atau/or en.")] = None,
    contact_name: Annotated[str | None, typer.Option(help="Narahubung / contact name.")] = None,
    contact_phone: Annotated[str | None, typer.Option(help="Telepon narahubung.")] = None,
    contact_email: Annotated[str | None, typer.Option(help="E-mail narahubung.")] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Timpa humaskit.toml / overwrite humaskit.toml.")
    ] = False,
) -> None:
    """Buat profil unit (humaskit.toml) dan arsip di sini. Create the unit profile and archive."""
    from humaskit.archive.profile import PROFILE_NAME, profile_from_mapping, write_profile

    here = session(ctx).cwd
    target = here / PROFILE_NAME
    if target.exists() and not force:
        raise InputError(t("init.exists", path=target))
    values = {
        "unit": unit,
        "signature": signature,
        "location": location,
        "outlet": outlet,
        "letterhead": letterhead or None,
        "address": address,
        "phone": phone,
        "email": email,
        "website": website,
        "logo": logo,
        "timezone": timezone,
        "paper": paper,
        "language": language,
        "contact": {
            k: v
            for k, v in (("name", contact_name), ("phone", contact_phone), ("email", contact_email))
            if v
        }
        or None,
    }
    data = {k: v for k, v in values.items() if v is not None}
    if not unit:
        if not _can_prompt():
            raise InputError(t("init.need_unit"))
        from humaskit.prompts.flows import ask_profile

        data = ask_profile(data)
    profile = profile_from_mapping(data, target)
    if profile.logo:
        from humaskit.document.photos import check_image

        check_image(profile.resolve(profile.logo), "logo")  # type: ignore[arg-type]
    archive_dir = session(ctx).archive_option or here / "archive"
    write_profile(profile, target)
    from humaskit.archive.store import Archive

    Archive(archive_dir.absolute()).ensure()
    console.say(t("init.done", path=target, archive=archive_dir))


# --------------------------------------------------------------------------- new / edit


@app.command()
def new(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Berkas rekaman YAML/JSON / record files (none: prompts).", show_default=False
        ),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--resume", help="Lanjutkan draf / continue a draft.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Siaran pers baru: dari berkas, atau dengan pertanyaan. New release from files or prompts."""
    from humaskit.releases import save_new

    s = session(ctx)
    if not files:
        if not _can_prompt():
            raise InputError(t("new.no_tty"))
        from humaskit.prompts.flows import draft_new

        saved = draft_new(s.archive, s.profile, resume=resume)
        if saved is not None:
            _note_findings(s, [saved])
            _report_saved([saved], as_json)
        return
    from humaskit.record.model import load_release_file
    from humaskit.releases import prepare

    loaded = []
    for path in files:  # validate everything before writing anything
        release = load_release_file(path, defaults=s.defaults())
        prepare(release, path.parent.absolute())
        loaded.append((path, release))
    saved_list = [
        save_new(s.archive, release, s.profile, path.parent.absolute()) for path, release in loaded
    ]
    _note_findings(s, saved_list)
    _report_saved(saved_list, as_json)


def _note_findings(s: Session, saved_list) -> None:  # type: ignore[no-untyped-def]
    """``new`` shows the quality checks on stderr; they never block saving."""
    from humaskit.checks import check_release

    for saved in saved_list:
        stored = s.archive.load(saved.id)
        findings = check_release(stored.release, archive=s.archive, exclude_id=saved.id)
        if findings:
            console.note(t("check.new_findings", id=saved.id))
            _print_findings(findings, console.note)


def _report_saved(saved_list, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    if as_json:
        console.emit_json([saved.to_json() for saved in saved_list])
        return
    for saved in saved_list:
        console.say(t("new.saved", id=saved.id))
        console.say(f"  {saved.markdown}")
        console.say(f"  {saved.docx}")


@app.command()
def edit(
    ctx: typer.Context,
    release_id: Annotated[str, typer.Argument(metavar="ID", help="Id siaran pers / release id.")],
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Rekaman pengganti / replacement record (none: prompts).", show_default=False
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Ubah siaran pers; versi lama disimpan. Edit a release; the old version is kept."""
    from humaskit.record.model import load_release_file
    from humaskit.releases import save_edit

    s = session(ctx)
    current = s.archive.load(release_id)
    if file is None:
        if not _can_prompt():
            raise InputError(t("edit.no_tty", id=release_id))
        from humaskit.prompts.flows import draft_edit

        release = draft_edit(s.archive, s.profile, current)
        if release is None:
            return
        base_dir = current.folder
    else:
        release = load_release_file(file, defaults=s.defaults())
        base_dir = file.parent.absolute()
    saved = save_edit(s.archive, current.id, release, s.profile, base_dir)
    if as_json:
        console.emit_json({**saved.to_json(), "revision": saved.revision})
    else:
        console.say(t("edit.saved", id=saved.id, revision=saved.revision))


# --------------------------------------------------------------------------- show / list


@app.command()
def show(
    ctx: typer.Context,
    release_id: Annotated[str, typer.Argument(metavar="ID", help="Id siaran pers / release id.")],
    as_json: JsonOption = False,
) -> None:
    """Tampilkan siaran pers. Show a release."""
    s = session(ctx)
    stored = s.archive.load(release_id)
    if as_json:
        console.emit_json({"id": stored.id, **stored.release.to_record(json_safe=True)})
        return
    from humaskit.document.compose import compose
    from humaskit.document.markdown import render_markdown

    document = compose(stored.release, timezone=s.profile.timezone if s.profile else "WIB")
    text = render_markdown(document, s.profile)
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[-1].lstrip("\n")
    console.say(f"{stored.id} · {document.date_long} · {stored.release.unit}")
    console.say()
    console.say(text.rstrip("\n"))


@app.command(name="list")
def list_command(
    ctx: typer.Context,
    since: SinceOption = None,
    until: UntilOption = None,
    unit: UnitOption = None,
    tag: TagOption = None,
    limit: Annotated[
        int | None, typer.Option("--limit", help="Paling banyak / at most N (default: all).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Daftar siaran pers, terbaru dulu. List releases, newest first."""
    from humaskit.search.listing import list_releases, summary

    _check_limit(limit)
    s = session(ctx)
    found, total = list_releases(s.archive, _filters(since, until, unit, tag), limit)
    rows = [summary(stored) for stored in found]
    if as_json:
        console.emit_json(rows)
        return
    if not rows:
        console.note(t("list.empty"))
        return
    from rich.table import Table

    table = Table(show_lines=False)
    table.add_column(t("col.date"), no_wrap=True)
    table.add_column(t("col.title"))
    table.add_column(t("col.unit"))
    table.add_column(t("col.tags"))
    table.add_column("id", style="dim", no_wrap=True, overflow="fold")
    for row in rows:
        table.add_row(row["date"], row["title"], row["unit"], ", ".join(row["tags"]), row["id"])
    console.console().print(table)
    if total > len(rows):
        console.note(t("list.more", shown=len(rows), total=total))


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
    as_json: JsonOption = False,
) -> None:
    """Ekspor siaran pers ke .md, .docx, .pdf. Export a release to .md, .docx, .pdf."""
    from humaskit.export import export_release

    s = session(ctx)
    exported = export_release(
        s.archive, release_id, s.profile, md=md, docx=docx, pdf=pdf, paper=paper
    )
    if as_json:
        console.emit_json(exported.to_json())
        return
    for path in exported.files.values():
        console.say(t("export.written", path=path))


# ------------------------------------------------------------------- search / reindex / doctor


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[
        str,
        typer.Argument(
            help='Kata yang dicari; "frasa" dalam tanda kutip / words; "phrases" in quotes.',
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
    limit: Annotated[int, typer.Option("--limit", help="Paling banyak / at most N.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Cari di arsip (kata dasar, singkatan, salah ketik). Search the archive."""
    from humaskit.search.engine import search as run_search

    _check_limit(limit)
    s = session(ctx)
    extra = s.profile_path.parent / "synonyms.txt" if s.profile_path else None
    found = run_search(s.archive, query, _filters(since, until, unit, tag, speaker), limit, extra)
    if found.rebuilt:
        console.note(t(f"search.rebuilt_{found.rebuilt}"))
    if found.corrections:
        words = ", ".join(f'"{old}" → "{new}"' for old, new in found.corrections)
        console.note(t("search.corrected", words=words))
    if as_json:
        console.emit_json([hit.to_json() for hit in found.hits])
    if not found.hits:
        console.note(t("search.none"))
        return
    if not as_json:
        _print_hits(found.hits)
    if found.total > len(found.hits):
        console.note(t("search.more", shown=len(found.hits), total=found.total))


def _print_hits(hits) -> None:  # type: ignore[no-untyped-def]
    from rich.table import Table
    from rich.text import Text

    from humaskit.search.engine import HIGHLIGHT

    table = Table(show_lines=True)
    table.add_column(t("col.date"), no_wrap=True)
    table.add_column(t("col.title"))
    table.add_column(t("col.unit"))
    table.add_column(t("search.snippet"))
    for hit in hits:
        snippet = Text()
        for number, part in enumerate(hit.snippet.split(HIGHLIGHT)):
            snippet.append(part, style="bold yellow" if number % 2 else None)
        title = Text(hit.title)
        title.append(f"\n{hit.id}", style="dim")
        table.add_row(hit.date, title, hit.unit, snippet)
    console.console().print(table)


@app.command()
def reindex(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Bangun ulang indeks pencarian dari berkas. Rebuild the search index from the files."""
    from humaskit.search.index import rebuild

    s = session(ctx)
    s.archive.ensure()
    with _Progress(t("reindex.progress"), finishing=t("reindex.finishing")) as progress:
        report = rebuild(s.archive, progress=progress.update)
    if as_json:
        console.emit_json({"indexed": report.indexed, "damaged": report.damaged})
    else:
        console.say(t("reindex.done", count=report.indexed))
    if report.damaged:
        damaged = ", ".join(report.damaged)
        console.error(t("reindex.damaged", count=len(report.damaged), ids=damaged))
        raise typer.Exit(ExitStatus.FAILED)


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(file=sys.stderr)


@app.command()
def doctor(
    ctx: typer.Context,
    repair: Annotated[
        bool, typer.Option("--repair", help="Perbaiki yang ditemukan / fix what is found.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Periksa (dan perbaiki) arsip dan indeks. Check (and repair) archive and index."""
    from humaskit.doctor import run as run_doctor

    s = session(ctx)
    report = run_doctor(s.archive, s.profile, repair)
    if as_json:
        console.emit_json(report.to_json())
    else:
        for finding in report.problems:
            where = finding.id or finding.path or ""
            console.say(f"{finding.kind}: {where} — {t('doctor.' + finding.kind)}")
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


# --------------------------------------------------------------------------- import / check


@app.command(name="import")
def import_command(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Berkas atau folder: .yaml/.yml/.json, .txt, .md, .docx / files or folders.",
            show_default=False,
        ),
    ],
    unit: Annotated[
        str | None, typer.Option("--unit", help="Nama lengkap unit bila tak ada di teks / unit.")
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", help='Tahun untuk tanggal "Kamis (6/2)" / year for such dates.'),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Tampilkan saja, jangan tulis / show, write nothing.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Impor arsip lama: rekaman dan siaran pers terbit. Import records and published releases."""
    from humaskit.importer.run import import_paths

    if year is not None and not 1900 <= year <= 2200:
        raise InputError(t("import.bad_year", value=year))
    s = session(ctx)
    defaults = s.defaults()
    if unit:
        defaults["unit"] = unit
    with _Progress(t("import.progress")) as progress:
        outcomes = import_paths(
            s.archive,
            paths,
            profile=s.profile,
            defaults=defaults,
            year=year,
            dry_run=dry_run,
            progress=progress.update,
        )
    _report_import(outcomes, dry_run, as_json)
    if any(o.status == "failed" for o in outcomes):
        raise typer.Exit(ExitStatus.FAILED)


class _Progress:
    """A rich progress bar on stderr, only at a terminal and only for many files.

    ``finishing`` replaces the label once every file is read, for work that follows (a
    rebuild writes the index for a while after its last release).
    """

    def __init__(self, label: str, finishing: str | None = None) -> None:
        self.label = label
        self.finishing = finishing
        self.bar = None
        self.task = None

    def __enter__(self) -> _Progress:
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
            self.bar = Progress(*columns, console=_stderr_console(), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        if done == total and self.finishing:
            self.bar.update(self.task, completed=done, description=self.finishing)
        elif done == total or done % 20 == 0:
            self.bar.update(self.task, completed=done)


def _report_import(outcomes, dry_run: bool, as_json: bool) -> None:  # type: ignore[no-untyped-def]
    counts = {k: sum(o.status == k for o in outcomes) for k in ("imported", "exists", "ready")}
    failed = [o for o in outcomes if o.status == "failed"]
    if as_json:
        shown = outcomes if dry_run else [o for o in outcomes if o.status != "failed"]
        console.emit_json([o.to_json() for o in shown])
    elif dry_run and outcomes:
        from rich.table import Table

        table = Table()
        table.add_column(t("import.col_source"))
        table.add_column("id")
        table.add_column(t("import.col_status"), no_wrap=True)
        table.add_column(t("import.col_missing"))
        for o in outcomes:
            problems = ", ".join(o.missing) if o.missing else (o.error or "")
            table.add_row(o.source, o.id or "", t(f"import.status_{o.status}"), problems)
        console.console().print(table)
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
        _print_findings(findings, console.say)
    else:
        console.note(t("check.none"))
    if findings and not as_json:
        errors = sum(f.severity == "error" for f in findings)
        console.note(t("check.summary", errors=errors, warnings=len(findings) - errors))
    if has_errors(findings):
        raise typer.Exit(ExitStatus.FAILED)


def _print_findings(findings, write) -> None:  # type: ignore[no-untyped-def]
    for f in findings:
        write(f"{t('check.' + f.severity)}: {f.field}: {f.message} [{f.code}]")


def run() -> int:
    """Run the app as a program; returns the exit status."""
    try:
        app(prog_name="humaskit")
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else (0 if exit_.code is None else 1)
    return 0
