"""Words the recap's outputs share: month and day names from Babel in the user's language
(Indonesian by default, English with ``HUMASKIT_LANG=en``), channel names, titles."""

from __future__ import annotations

import datetime as dt

from humaskit.i18n import current_language, t
from humaskit.recap.figures import Period, WeekCount
from humaskit.record.publication import channel_name as channel_name  # the recap's word too

NO_RELEASE_MARK = "✗"  # a day without any release, readable without colour


def locale() -> str:
    return current_language()


def month_name(year: int, month: int) -> str:
    """ "Maret 2025" / "March 2025"."""
    from babel.dates import format_date

    return format_date(dt.date(year, month, 1), "LLLL y", locale=locale())


def day_label(day: dt.date) -> str:
    """ "6 Maret 2025"."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=locale())


def short_day(day: dt.date) -> str:
    """ "Kam, 6 Mar"."""
    from babel.dates import format_date

    return format_date(day, "EEE, d MMM", locale=locale())


def weekday_names() -> list[str]:
    """Monday first, abbreviated: "Sen" … "Min"."""
    from babel.dates import get_day_names

    names = get_day_names("abbreviated", locale=locale())
    return [str(names[n]) for n in range(7)]


def period_label(period: Period) -> str:
    """ "Maret 2025", or "1 Maret 2025 – 15 April 2025" for another range."""
    if period.month:
        return month_name(period.since.year, period.since.month)
    return f"{day_label(period.since)} – {day_label(period.until)}"


def report_title(period: Period) -> str:
    """ "Laporan Publikasi Kehumasan Bulan Maret 2025"."""
    if period.month:
        return t("recap.title_month", month=period_label(period))
    return t("recap.title_range", period=period_label(period))


def week_label(week: WeekCount) -> str:
    """ "Minggu ke-1 (1–2 Mar)"."""
    from babel.dates import format_date

    end = format_date(week.end, "d MMM", locale=locale())
    span = end if week.start == week.end else f"{week.start.day}–{end}"
    if week.start.month != week.end.month:
        span = f"{format_date(week.start, 'd MMM', locale=locale())}–{end}"
    return t("recap.week", number=week.number, span=span)


def filters_line(unit: str | None, tag: str | None) -> str:
    parts = []
    if unit:
        parts.append(t("recap.for_unit", unit=unit))
    if tag:
        parts.append(t("recap.for_tag", tag=tag))
    return " · ".join(parts)
