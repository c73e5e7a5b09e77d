"""``humaskit export``: a stored release as Markdown, Word and PDF files wherever the user wants.

The documents are rendered again from the stored record with the current profile, so the
three files agree with each other. The PDF comes from the DOCX through LibreOffice headless,
each conversion with its own temporary user profile so two can run at once. Everything is
produced first and written last: a failed conversion leaves no file behind.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from humaskit.archive.profile import Profile
from humaskit.backends.protocol import ReleaseArchive
from humaskit.errors import HumasError, InputError
from humaskit.i18n import t

SOFFICE_NAMES = ("soffice", "libreoffice")
INSTALL_HINT = "apt-get install libreoffice-writer-nogui"
PDF_TIMEOUT = 300  # seconds; a first start of LibreOffice on a slow machine takes a while


@dataclass(frozen=True)
class Exported:
    id: str
    files: dict[str, Path]  # "md" / "docx" / "pdf" -> written path

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, **{kind: str(path) for kind, path in self.files.items()}}


def export_release(
    archive: ReleaseArchive,
    release_id: str,
    profile: Profile | None,
    *,
    md: Path | None = None,
    docx: Path | None = None,
    pdf: Path | None = None,
    paper: str | None = None,
    force: bool = False,
) -> Exported:
    """Write the requested files of ``release_id``; at least one of ``md``/``docx``/``pdf``.

    Export never writes into the archive folder (its files are the releases themselves), and
    replaces an existing file only with ``force`` (as ``cp -i`` users expect)."""
    wanted = {kind: path for kind, path in (("md", md), ("docx", docx), ("pdf", pdf)) if path}
    if not wanted:
        raise InputError(t("export.nothing"))
    if paper is not None and paper.upper() not in ("A4", "F4"):
        raise InputError(t("export.paper", paper=paper))
    stored = archive.load(release_id)
    targets = {kind: output_path(path, stored.id, kind) for kind, path in wanted.items()}
    for kind, target in targets.items():
        check_target(archive, target, kind, force)
    soffice = find_soffice() if "pdf" in targets else None

    from humaskit.document.compose import compose
    from humaskit.document.docx import render_docx
    from humaskit.document.markdown import render_markdown

    document = compose(stored.release, timezone=profile.timezone if profile else "WIB")
    contents: dict[str, bytes] = {}
    if "md" in targets:
        contents["md"] = render_markdown(document, profile).encode("utf-8")
    if "docx" in targets or "pdf" in targets:
        with archive.release_folder(stored.id) as folder:  # a server's photos: a temp copy
            photo_files = {p.path: folder / p.path for p in stored.release.photos}
            docx_bytes = render_docx(document, profile, photo_files, paper=paper)
        if "docx" in targets:
            contents["docx"] = docx_bytes
        if "pdf" in targets:
            assert soffice is not None
            contents["pdf"] = docx_to_pdf(docx_bytes, soffice, name=stored.id)

    from humaskit.archive.fsio import atomic_write_bytes

    for kind, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, contents[kind])
    return Exported(stored.id, targets)


def output_path(path: Path, name: str, kind: str) -> Path:
    """``path`` as given; a folder gets ``<name>.<kind>`` inside it (``export``: the release's
    id; ``recap``: the report's name). A path that does not exist and has no extension
    (``--pdf kirim``) is taken as a folder to create, not as a file named ``kirim`` that
    nothing would open."""
    path = path.expanduser().absolute()
    if path.is_dir() or (not path.exists() and not path.suffix):
        return path / f"{name}.{kind}"
    if path.exists() and not path.is_file():
        raise InputError(t("export.not_a_file", option=f"--{kind}", path=path))
    return path


def check_target(archive: ReleaseArchive, target: Path, kind: str, force: bool) -> None:
    """Refuse (exit 2, naming ``--kind``) a file to write inside the archive, or one that
    exists already unless ``force``: export and recap never overwrite by surprise."""
    if archive.contains(target):
        raise InputError(
            t("export.inside_archive", option=f"--{kind}", path=target, root=archive.location)
        )
    if os.path.lexists(target) and not force:
        raise InputError(t("export.exists", option=f"--{kind}", path=target))


def find_soffice() -> str:
    """The LibreOffice program, or a failure that says how to install it."""
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise HumasError(t("export.no_soffice", command=INSTALL_HINT))


def docx_to_pdf(docx_bytes: bytes, soffice: str, *, name: str = "release") -> bytes:
    """Convert a Word file to PDF with LibreOffice headless, in a private temporary folder
    that also holds LibreOffice's user profile (so conversions can run side by side)."""
    with tempfile.TemporaryDirectory(prefix="humaskit-pdf-") as work:
        folder = Path(work)
        source = folder / f"{name}.docx"
        source.write_bytes(docx_bytes)
        profile_dir = folder / "lo-profile"
        command = [
            soffice,
            f"-env:UserInstallation={profile_dir.as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(folder),
            str(source),
        ]
        env = {**os.environ, "HOME": str(folder)}
        try:
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                timeout=PDF_TIMEOUT,
                env=env,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise HumasError(t("export.pdf_timeout", seconds=PDF_TIMEOUT)) from None
        except OSError as err:
            raise HumasError(t("export.pdf_failed", error=err)) from None
        produced = folder / f"{name}.pdf"
        if result.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = (result.stderr or result.stdout or "").strip().splitlines()
            raise HumasError(
                t("export.pdf_failed", error=detail[-1] if detail else result.returncode)
            )
        return produced.read_bytes()
