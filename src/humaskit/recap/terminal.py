"""The recap and the statistics in the terminal (rich): totals, a calendar of each month
with the days without a release marked (✗, also red), a bar chart, the list with links.

Everything is readable without colour: the marks and bars are characters.
"""

from __future__ import annotations

import calendar
from typing import Any

from humaskit.i18n import t
from humaskit.recap import labels
from humaskit.recap.figures import Recap, Stats

BAR = "█"
BAR_WIDTH = 30
STATS_ROWS = 20  # rows shown per ranking in ``stats`` (the JSON has them all)


def recap_renderables(recap: Recap) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = []
    heading = Text(labels.report_title(recap.period), style="bold")
    out.append(heading)
    if line := labels.filters_line(recap.unit, recap.tag):
        out.append(Text(line))
    out.append(Text())

    totals = Table(show_header=False, box=None, padding=(0, 2))
    totals.add_column()
    totals.add_column(justify="right")
    totals.add_row(t("recap.releases"), str(recap.releases))
    totals.add_row(t("recap.publications"), str(recap.publications))
    totals.add_row(t("recap.unpublished"), str(recap.unpublished))
    totals.add_row(t("recap.days_without"), str(len(recap.days_without_release)))
    out.append(totals)
    out.append(Text())

    channels = Table(title=t("recap.per_channel"), title_justify="left")
    channels.add_column(t("recap.channel"))
    channels.add_column(t("recap.publications"), justify="right")
    for channel, count in recap.channels.items():
        channels.add_row(labels.channel_name(channel), str(count))
    channels.add_row(Text(t("recap.total"), style="bold"), Text(str(recap.publications), "bold"))
    out.append(channels)
    out.append(Text())

    out.extend(calendar_tables(recap))
    out.append(Text(t("recap.legend", mark=labels.NO_RELEASE_MARK), style="dim"))
    out.append(Text())

    out.append(bar_chart(recap))
    out.append(Text())
    out.append(item_list(recap))
    return out


def calendar_tables(recap: Recap) -> list[Any]:
    """One table per month: each day of the period with its number of releases, or ✗."""
    from rich.table import Table
    from rich.text import Text

    counts = {d.date: d.releases for d in recap.days}
    without = set(recap.days_without_release)  # not the days still to come
    tables = []
    weekdays = labels.weekday_names()
    for year, month in recap.period.months():
        table = Table(title=labels.month_name(year, month), title_justify="left")
        for name in weekdays:
            table.add_column(name, justify="right", min_width=5)
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month or day not in counts:
                    cells.append(Text(""))
                elif day in without:
                    cells.append(Text(f"{day.day} {labels.NO_RELEASE_MARK}", style="bold red"))
                elif counts[day] == 0:
                    cells.append(Text(f"{day.day}  ", style="dim"))
                else:
                    cells.append(Text(f"{day.day} ") + Text(str(counts[day]), style="green"))
            table.add_row(*cells)
        tables.append(table)
    return tables


def bar_chart(recap: Recap) -> Any:
    """Releases (and publications) per week; per day for a period of two weeks or less."""
    from rich.table import Table
    from rich.text import Text

    by_day = len(recap.days) <= 14
    rows = (
        [(labels.short_day(d.date), d.releases, d.publications) for d in recap.days]
        if by_day
        else [(labels.week_label(w), w.releases, w.publications) for w in recap.weeks]
    )
    title = t("recap.chart_days") if by_day else t("recap.chart_weeks")
    table = Table(title=title, title_justify="left", box=None, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, overflow="crop")
    table.add_column(t("recap.releases"), justify="right")
    table.add_column(t("recap.publications"), justify="right")
    top = max((r[1] for r in rows), default=0)
    for label, releases, publications in rows:
        width = round(releases / top * BAR_WIDTH) if top else 0
        table.add_row(label, Text(BAR * width, style="cyan"), str(releases), str(publications))
    return table


def item_list(recap: Recap) -> Any:
    """The releases, each with its links indented below it. Plain lines, not a table: a
    month of a large archive has hundreds of releases, and measuring a table of them costs
    rich seconds."""
    from rich.style import Style
    from rich.text import Text

    out = Text()
    out.append(t("recap.list") + "\n", style="italic")
    indent = " " * 4
    for item in recap.items:
        out.append("\n")
        out.append(f"{labels.short_day(item.date)}  ", style="bold")
        out.append(item.title)
        out.append(f"  {item.id}\n", style="dim")
        for p in item.publications:
            out.append(f"{indent}{p.where}: ")
            out.append(p.url, style=Style(link=p.url))
            out.append("\n")
        if not item.publications:
            out.append(f"{indent}{t('recap.not_published')}\n", style="yellow")
    if not recap.items:
        out.append(t("recap.no_releases") + "\n")
    return out


def stats_renderables(stats: Stats) -> list[Any]:
    from rich.table import Table
    from rich.text import Text

    out: list[Any] = []
    if stats.since or stats.until:
        span = " – ".join(labels.day_label(d) if d else "…" for d in (stats.since, stats.until))
        out.append(Text(t("stats.title_range", period=span), style="bold"))
    else:
        out.append(Text(t("stats.title"), style="bold"))
    out.append(Text(t("stats.totals", releases=stats.releases, publications=stats.publications)))
    out.append(Text())

    def ranking(title: str, column: str, rows: list[tuple[str, int]], what: str) -> Any:
        table = Table(title=title, title_justify="left")
        table.add_column(column)
        table.add_column(what, justify="right")
        shown = rows if len(rows) <= STATS_ROWS + 1 else rows[:STATS_ROWS]
        for name, count in shown:
            table.add_row(name, str(count))
        if len(shown) < len(rows):
            table.add_row(Text(t("stats.more", count=len(rows) - len(shown)), style="dim"), "")
        return table

    releases = t("recap.releases")
    months = [(labels.month_name(int(m[:4]), int(m[5:])), n) for m, n in stats.per_month]
    table = Table(title=t("stats.per_month"), title_justify="left")
    table.add_column(t("stats.month"))
    table.add_column(releases, justify="right")
    for name, count in months:
        table.add_row(name, str(count))
    out += [table, Text()]
    out += [ranking(t("stats.per_unit"), t("col.unit"), stats.per_unit, releases), Text()]
    out += [ranking(t("stats.per_tag"), t("col.tags"), stats.per_tag, releases), Text()]
    out += [
        ranking(t("stats.per_speaker"), t("stats.speaker"), stats.per_speaker, releases),
        Text(),
    ]
    channels = [(labels.channel_name(c), n) for c, n in stats.per_channel]
    out.append(
        ranking(t("recap.per_channel"), t("recap.channel"), channels, t("recap.publications"))
    )
    return out
