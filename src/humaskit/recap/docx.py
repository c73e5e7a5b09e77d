"""The recap as a Word report on the unit's letterhead: the same reference template and kop
surat as releases (``humaskit.document.docx.letterhead_document``), the title "Laporan
Publikasi Kehumasan Bulan Maret 2025", a summary table, a chart drawn by matplotlib (Agg)
as a picture, the days without a release and the list with links."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from humaskit.archive.profile import Profile
from humaskit.i18n import t
from humaskit.recap import labels
from humaskit.recap.figures import Recap

CHART_DPI = 150  # sharp on paper at the text width (16 cm)
TABLE_STYLE = "Table Grid"


def render_report(recap: Recap, profile: Profile | None, *, paper: str | None = None) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Emu

    from humaskit.document.docx import letterhead_document, save_normalized, usable_width

    unit = recap.unit or (profile.unit if profile and profile.unit else "")
    if not unit and recap.items:
        unit = recap.items[0].unit
    out = letterhead_document(profile, unit, paper=paper)
    section = out.sections[-1]
    text_width = Emu(usable_width(section))

    title = out.add_paragraph(labels.report_title(recap.period).upper(), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if line := labels.filters_line(recap.unit, recap.tag):
        out.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER

    _heading(out, t("recap.summary"))
    rows = [
        (t("recap.period"), labels.period_label(recap.period)),
        (t("recap.releases"), str(recap.releases)),
        (t("recap.publications"), str(recap.publications)),
        (t("recap.unpublished"), str(recap.unpublished)),
        (t("recap.days_without"), str(len(recap.days_without_release))),
    ]
    _table(out, None, rows)
    out.add_paragraph()
    channel_rows = [(labels.channel_name(c), str(n)) for c, n in recap.channels.items()]
    channel_rows.append((t("recap.total"), str(recap.publications)))
    _table(out, (t("recap.channel"), t("recap.publications")), channel_rows, bold_last=True)

    _heading(out, t("recap.chart"))
    picture = out.add_paragraph()
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
    picture.add_run().add_picture(io.BytesIO(chart_png(recap)), width=text_width)

    _heading(out, t("recap.days_without"))
    if recap.days_without_release:
        out.add_paragraph(", ".join(labels.short_day(d) for d in recap.days_without_release))
    else:
        out.add_paragraph(t("recap.none_missing"))

    _heading(out, t("recap.list"))
    list_rows = []
    for number, item in enumerate(recap.items, start=1):
        where = [f"{p.where}: {p.url}" for p in item.publications] or [t("recap.not_published")]
        list_rows.append((str(number), labels.short_day(item.date), item.title, "\n".join(where)))
    header = (t("recap.number"), t("col.date"), t("col.title"), t("recap.published_at"))
    if list_rows:
        _table(out, header, list_rows, widths=(0.06, 0.14, 0.30, 0.50), width=text_width)
    else:
        out.add_paragraph(t("recap.no_releases"))

    out.core_properties.title = labels.report_title(recap.period)
    out.core_properties.author = unit or "humaskit"
    return save_normalized(out)


def _heading(out: Any, text: str) -> None:
    from docx.shared import Pt

    paragraph = out.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.paragraph_format.keep_with_next = True
    run = paragraph.add_run(text)
    run.bold = True


def _table(
    out: Any,
    header: tuple[str, ...] | None,
    rows: Sequence[Sequence[str]],
    *,
    bold_last: bool = False,
    widths: tuple[float, ...] | None = None,
    width: int | None = None,
) -> None:
    from docx.shared import Emu, Pt

    columns = len(header or rows[0])
    table = out.add_table(rows=0, cols=columns)
    if TABLE_STYLE in [s.name for s in out.styles]:  # a unit's own template may lack it
        table.style = TABLE_STYLE
    body = [*([header] if header else []), *rows]
    for number, values in enumerate(body):
        cells = table.add_row().cells
        strong = (header is not None and number == 0) or (bold_last and number == len(body) - 1)
        for cell, value in zip(cells, values, strict=True):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.alignment = 0  # left: justified cells spread short lines
            lines = value.split("\n")
            for line_number, line in enumerate(lines):
                run = paragraph.add_run(line)
                run.bold = strong
                run.font.size = Pt(10)
                if line_number < len(lines) - 1:
                    run.add_break()
    if widths and width:
        # LibreOffice lays tables out by the grid, Word by the cells: set both.
        table.autofit = False
        for column, share in zip(table.columns, widths, strict=True):
            column.width = Emu(int(width * share))
            for cell in column.cells:
                cell.width = Emu(int(width * share))


def chart_png(recap: Recap) -> bytes:
    """Two charts as one PNG: publications per channel, and releases per day."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    # Fixed margins: the constrained layout engine costs more than drawing (~0.3 s).
    figure = Figure(figsize=(8, 6.2), dpi=CHART_DPI)
    figure.subplots_adjust(left=0.15, right=0.97, top=0.95, bottom=0.07, hspace=0.4)
    top, bottom = figure.subplots(2, 1)
    names = [labels.channel_name(c) for c in recap.channels]
    counts = list(recap.channels.values())
    bars = top.barh(names[::-1], counts[::-1], color="#2F5597")
    top.bar_label(bars, padding=3)
    top.set_title(t("recap.per_channel"))
    top.set_xlabel(t("recap.publications"))
    top.xaxis.get_major_locator().set_params(integer=True)
    top.margins(x=0.12)

    days = [d.date.day for d in recap.days]
    releases = [d.releases for d in recap.days]
    marked_days = set(recap.days_without_release)  # not the days still to come
    without = [d.date in marked_days for d in recap.days]
    colors = ["#C00000" if marked else "#2F5597" for marked in without]
    bottom.bar(range(len(days)), releases, color=colors)
    step = 1 if len(days) <= 31 else max(1, len(days) // 20)
    bottom.set_xticks(range(0, len(days), step), [str(d) for d in days][::step], fontsize=7)
    bottom.set_title(t("recap.chart_days"))
    bottom.set_ylabel(t("recap.releases"))
    bottom.yaxis.get_major_locator().set_params(integer=True)
    for position, marked in enumerate(without):
        if marked:  # a day without a release: a mark, not only a colour
            bottom.text(position, 0, labels.NO_RELEASE_MARK, ha="center", va="bottom",
                        color="#C00000", fontsize=7)  # fmt: skip
    raw = io.BytesIO()
    figure.savefig(raw, format="png", metadata={"Software": None})
    return raw.getvalue()
