"""``init``, ``new`` and ``edit``: the commands that write releases from files or prompts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from humaskit.cli import output as console
from humaskit.cli.app import (
    JsonOption,
    Session,
    app,
    can_prompt,
    session,
)
from humaskit.errors import InputError
from humaskit.i18n import t

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
    dateline: Annotated[
        str | None,
        typer.Option(
            help='Bentuk dateline / dateline form: "{location}, {outlet}" → Pelaihari, INFO_PAS.'
        ),
    ] = None,
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
        "dateline": dateline,
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
        if not can_prompt():
            raise InputError(t("init.need_unit"))
        from humaskit.prompts.flows import ask_profile

        data = ask_profile(data)
    profile = profile_from_mapping(data, target)
    if profile.logo:
        from humaskit.document.docx import check_logo

        logo_path = profile.resolve(profile.logo)
        assert logo_path is not None  # a logo is named
        check_logo(logo_path)
    from humaskit.backends import is_server_uri, open_archive, redact

    option = session(ctx).archive_option
    if is_server_uri(option):  # a shared archive: the profile names it, without a password
        assert option is not None
        profile.archive = redact(option)
        archive = open_archive(option)
        archive.ensure()  # the server must be reachable and initialised before the profile
        write_profile(profile, target)
        console.say(t("init.done", path=target, archive=archive.location))
        return
    archive_dir = Path(option) if option else here / "archive"
    write_profile(profile, target)
    open_archive(archive_dir.expanduser().absolute()).ensure()
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

    s = session(ctx)
    if not files:
        if not can_prompt():
            raise InputError(t("new.no_tty"))
        from humaskit.prompts.flows import draft_new

        saved = draft_new(s.archive, s.profile, resume=resume)
        if saved is not None:
            _note_findings(s, [saved])
            _report_saved([saved], as_json)
        return
    from humaskit.record.model import load_release_file
    from humaskit.releases import NotIndexedError, index_saved, prepare

    loaded = []
    for path in files:  # validate everything before writing anything
        release = load_release_file(path, defaults=s.defaults())
        prepare(release, path.parent.absolute())
        loaded.append((path, release))
    saved_list = _save_all(s, loaded)
    not_indexed = None
    try:
        index_saved(s.archive, [saved.stored for saved in saved_list if saved.stored])
    except NotIndexedError as err:
        not_indexed = err  # the releases are saved: report them, then say what failed
    _note_findings(s, saved_list)
    _report_saved(saved_list, as_json)
    if not_indexed is not None:
        raise not_indexed


def _save_all(s: Session, loaded: list) -> list:
    """Save each release; when one fails, those already saved are named in the message."""
    from humaskit.errors import HumasError
    from humaskit.releases import save_new

    saved_list = []
    for path, release in loaded:
        try:
            saved_list.append(
                save_new(s.archive, release, s.profile, path.parent.absolute(), index=False)
            )
        except (HumasError, OSError) as err:
            if not saved_list:
                raise
            message = err.message if isinstance(err, HumasError) else (err.strerror or str(err))
            ids = ", ".join(saved.id for saved in saved_list)
            raise HumasError(t("new.saved_partly", ids=ids, source=path, error=message)) from None
    return saved_list


def _note_findings(s: Session, saved_list) -> None:
    """``new`` shows the quality checks on stderr; they never block saving."""
    from humaskit.checks import check_release
    from humaskit.errors import HumasError

    for saved in saved_list:
        try:
            stored = s.archive.load(saved.id)
            findings = check_release(stored.release, archive=s.archive, exclude_id=saved.id)
        except HumasError:
            continue  # advice only: it never turns a save into a failure
        if findings:
            console.note(t("check.new_findings", id=saved.id))
            console.print_findings(findings, on_stderr=True)


def _report_saved(saved_list, as_json: bool) -> None:
    """Print what was saved; when stdout cannot take it, stderr still says what was saved."""
    try:
        _print_saved(saved_list, as_json)
    except console.OutputError as err:
        from humaskit.errors import HumasError

        ids = ", ".join(saved.id for saved in saved_list)
        raise HumasError(
            t("new.saved_output_failed", ids=ids, error=err.error.strerror or err.error)
        ) from None


def _print_saved(saved_list, as_json: bool) -> None:
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
        if not can_prompt():
            raise InputError(t("edit.no_tty", id=release_id))
        from humaskit.prompts.flows import draft_edit

        release = draft_edit(s.archive, s.profile, current)
        if release is None:
            return
        base_dir = current.folder or Path.cwd()  # kept photos: from the stored files
    else:
        release = load_release_file(file, defaults=s.defaults())
        base_dir = file.parent.absolute()
    saved = save_edit(s.archive, current.id, release, s.profile, base_dir)
    if as_json:
        console.emit_json({**saved.to_json(), "revision": saved.revision})
    elif saved.revision == 0:
        console.say(t("edit.unchanged", id=saved.id))
    else:
        console.say(t("edit.saved", id=saved.id, revision=saved.revision))
