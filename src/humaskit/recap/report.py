"""``humaskit recap`` and ``humaskit stats`` as functions: read the summaries from the index,
count them (``figures``), and write the requested files (XLSX, DOCX, PDF).

Every file is produced first and written last, atomically: a failed conversion leaves no
file behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from humaskit.archive.profile import Profile
from humaskit.i18n import t
from humaskit.recap.figures import Recap, Stats, choose_period, compute_recap, compute_stats

if TYPE_CHECKING:
    from humaskit.backends.protocol import ReleaseArchive


@dataclass(frozen=True)
class Written:
    recap: Recap
    files: dict[str, Path]  # "xlsx" / "docx" / "pdf" -> written path


def make_recap(
    archive: ReleaseArchive,
    *,
    month: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    unit: str | None = None,
    tag: str | None = None,
    today: dt.date | None = None,
    on_rebuild: Callable[[str], None] | None = None,
) -> Recap:
    from humaskit.publications import summaries
    from humaskit.search.filters import Filters

    today = today or dt.date.today()
    period = choose_period(month, since, until, today)
    wanted = Filters(since=period.since, until=period.until, unit=unit, tag=tag)
    found = summaries(archive, wanted, on_rebuild)
    return compute_recap(found, period, unit=unit, tag=tag, today=today)


def make_stats(
    archive: ReleaseArchive,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    unit: str | None = None,
    tag: str | None = None,
    on_rebuild: Callable[[str], None] | None = None,
) -> Stats:
    from humaskit.publications import summaries
    from humaskit.search.filters import Filters

    found = summaries(archive, Filters(since=since, until=until, unit=unit, tag=tag), on_rebuild)
    return compute_stats(found, since, until)


def write_recap_files(
    recap: Recap,
    profile: Profile | None,
    archive: ReleaseArchive,
    *,
    xlsx: Path | None = None,
    docx: Path | None = None,
    pdf: Path | None = None,
    force: bool = False,
) -> dict[str, Path]:
    """Write the requested files of ``recap``; returns kind -> path. As ``export``: never
    into the archive, an existing file replaced only with ``force``, checked before
    anything is rendered."""
    wanted = {kind: path for kind, path in (("xlsx", xlsx), ("docx", docx), ("pdf", pdf)) if path}
    name = f"{t('recap.file_stem')}-{recap.period.month or _span(recap)}"
    from humaskit.export import check_target, output_path

    targets = {kind: output_path(path, name, kind) for kind, path in wanted.items()}
    for kind, target in targets.items():
        check_target(archive, target, kind, force)
    contents: dict[str, bytes] = {}
    soffice = None
    if "pdf" in targets:
        from humaskit.export import find_soffice

        soffice = find_soffice()
    if "xlsx" in targets:
        from humaskit.recap.xlsx import render_xlsx

        contents["xlsx"] = render_xlsx(recap)
    if "docx" in targets or "pdf" in targets:
        from humaskit.recap.docx import render_report

        report = render_report(recap, profile)
        if "docx" in targets:
            contents["docx"] = report
        if "pdf" in targets:
            from humaskit.export import docx_to_pdf

            assert soffice is not None
            contents["pdf"] = docx_to_pdf(report, soffice, name=name)

    from humaskit.archive.fsio import atomic_write_bytes

    for kind, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, contents[kind])
    return targets


def _span(recap: Recap) -> str:
    return f"{recap.period.since.isoformat()}-{recap.period.until.isoformat()}"
