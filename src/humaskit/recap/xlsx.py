"""The recap as an Excel workbook (openpyxl): a summary sheet with the totals per channel
and a native bar chart the officer can still edit, the list (one row per publication, with
clickable links) and the calendar (days without a release marked ✗ and shaded), with the
releases per day and their chart."""

from __future__ import annotations

import calendar
import datetime as dt
import io

from humaskit.i18n import t
from humaskit.recap import labels
from humaskit.recap.figures import Recap

NO_RELEASE_FILL = "F4CCCC"
HEADER_FILL = "D9E2F3"


def render_xlsx(recap: Recap) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    summary.title = t("recap.summary_sheet")
    _summary_sheet(summary, recap)
    _list_sheet(book.create_sheet(t("recap.list_sheet")), recap)
    _calendar_sheet(book.create_sheet(t("recap.calendar_sheet")), recap)
    for sheet in book.worksheets:
        _fit_on_paper(sheet)
    book.properties.title = labels.report_title(recap.period)
    book.properties.creator = "humaskit"
    # Fixed times, so the same recap writes the same workbook.
    stamp = dt.datetime(recap.period.until.year, recap.period.until.month, 1)
    book.properties.created = book.properties.modified = stamp
    raw = io.BytesIO()
    book.save(raw)
    return raw.getvalue()


def _fit_on_paper(sheet) -> None:
    """Landscape A4, as wide as one page, so a printout (or LibreOffice's PDF) is readable."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _axes(chart) -> None:
    """Both axes shown, every category named (Excel hides them unless told)."""
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.x_axis.tickLblSkip = 1


def _header(sheet, row: int, values: list[str]) -> None:
    from openpyxl.styles import Font, PatternFill

    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)


def _summary_sheet(sheet, recap: Recap) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font

    sheet["A1"] = labels.report_title(recap.period)
    sheet["A1"].font = Font(bold=True, size=14)
    row = 2
    if line := labels.filters_line(recap.unit, recap.tag):
        sheet.cell(row=row, column=1, value=line)
        row += 1
    row += 1
    for label, value in (
        (t("recap.period"), labels.period_label(recap.period)),
        (t("recap.releases"), recap.releases),
        (t("recap.publications"), recap.publications),
        (t("recap.unpublished"), recap.unpublished),
        (t("recap.days_without"), len(recap.days_without_release)),
    ):
        sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
        sheet.cell(row=row, column=2, value=value)
        row += 1
    row += 1
    _header(sheet, row, [t("recap.channel"), t("recap.publications")])
    first = row + 1
    for channel, count in recap.channels.items():
        row += 1
        sheet.cell(row=row, column=1, value=labels.channel_name(channel))
        sheet.cell(row=row, column=2, value=count)
    last = row
    row += 1
    sheet.cell(row=row, column=1, value=t("recap.total")).font = Font(bold=True)
    total = sheet.cell(row=row, column=2, value=f"=SUM(B{first}:B{last})")
    total.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 28

    chart = BarChart()
    chart.type = "bar"
    chart.title = t("recap.per_channel")
    chart.legend = None
    chart.y_axis.title = t("recap.publications")
    chart.y_axis.majorGridlines = None
    chart.add_data(
        Reference(sheet, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    chart.height, chart.width = 9, 16
    _axes(chart)
    chart.x_axis.scaling.orientation = "maxMin"  # the channels top to bottom, as in the table
    chart.y_axis.crosses = "max"  # and the value axis still below them
    sheet.add_chart(chart, "D4")


def _list_sheet(sheet, recap: Recap) -> None:
    from openpyxl.styles import Alignment, Font

    columns = [
        t("recap.number"),
        t("recap.release_date"),
        t("col.title"),
        t("recap.channel"),
        t("recap.outlet"),
        t("recap.published_date"),
        t("recap.link"),
        "id",
    ]
    _header(sheet, 1, columns)
    row, number = 1, 0
    for item in recap.items:
        number += 1
        entries = item.publications or (None,)
        for publication in entries:
            row += 1
            sheet.cell(row=row, column=1, value=number)
            sheet.cell(row=row, column=2, value=item.date).number_format = "yyyy-mm-dd"
            sheet.cell(row=row, column=3, value=item.title)
            sheet.cell(row=row, column=8, value=item.id)
            if publication is None:
                sheet.cell(row=row, column=4, value=t("recap.not_published"))
                continue
            sheet.cell(row=row, column=4, value=labels.channel_name(publication.channel))
            sheet.cell(row=row, column=5, value=publication.outlet or "")
            published = sheet.cell(row=row, column=6, value=publication.date)
            published.number_format = "yyyy-mm-dd"
            link = sheet.cell(row=row, column=7, value=publication.url)
            link.hyperlink = publication.url
            link.font = Font(color="0563C1", underline="single")
    for letter, width in zip("ABCDEFGH", (5, 13, 50, 16, 14, 14, 55, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    for cells in sheet.iter_rows(min_row=2, min_col=3, max_col=3):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    if row > 1:
        sheet.auto_filter.ref = f"A1:H{row}"


def _calendar_sheet(sheet, recap: Recap) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font, PatternFill

    counts = {d.date: d.releases for d in recap.days}
    without = set(recap.days_without_release)  # not the days still to come
    shade = PatternFill("solid", fgColor=NO_RELEASE_FILL)
    row = 1
    for year, month in recap.period.months():
        sheet.cell(row=row, column=1, value=labels.month_name(year, month)).font = Font(
            bold=True, size=12
        )
        row += 1
        _header(sheet, row, labels.weekday_names())
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row += 1
            for column, day in enumerate(week, start=1):
                if day.month != month or day not in counts:
                    continue
                mark = labels.NO_RELEASE_MARK if day in without else str(counts[day])
                cell = sheet.cell(row=row, column=column, value=f"{day.day}: {mark}")
                cell.alignment = Alignment(horizontal="center")
                if day in without:
                    cell.fill = shade
        row += 2
    sheet.cell(row=row, column=1, value=t("recap.legend", mark=labels.NO_RELEASE_MARK))
    for letter in "ABCDEFG":
        sheet.column_dimensions[letter].width = 10

    # The releases and publications of each day, and their chart, beside the calendar.
    top = 1
    for column, title in enumerate(
        (t("recap.day"), t("recap.releases"), t("recap.publications")), start=9
    ):
        cell = sheet.cell(row=top, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    for number, count in enumerate(recap.days, start=top + 1):
        sheet.cell(row=number, column=9, value=count.date).number_format = "d mmm"
        sheet.cell(row=number, column=10, value=count.releases)
        sheet.cell(row=number, column=11, value=count.publications)
    last = top + len(recap.days)
    sheet.column_dimensions["I"].width = 12
    sheet.column_dimensions["J"].width = 12
    sheet.column_dimensions["K"].width = 12

    chart = BarChart()
    chart.type = "col"
    chart.title = t("recap.chart_days")
    chart.y_axis.title = t("recap.releases")
    chart.y_axis.majorUnit = 1
    chart.add_data(Reference(sheet, min_col=10, min_row=top, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=9, min_row=top + 1, max_row=last))
    chart.legend = None
    chart.height, chart.width = 9, 22
    _axes(chart)
    sheet.add_chart(chart, "M2")
