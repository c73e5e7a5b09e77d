"""Indonesian dates through Babel: "Kamis, 6 Februari 2025" and the news form "Kamis (6/2)"."""

from __future__ import annotations

import datetime as dt
import re

from humaskit.errors import InputError
from humaskit.i18n import t

LOCALE = "id"


def weekday(day: dt.date) -> str:
    from babel.dates import format_date

    return format_date(day, "EEEE", locale=LOCALE)


def long_date(day: dt.date) -> str:
    """The full form used in documents: "Kamis, 6 Februari 2025"."""
    from babel.dates import format_date

    return format_date(day, "EEEE, d MMMM y", locale=LOCALE)


def plain_date(day: dt.date) -> str:
    """Without the weekday: "6 Februari 2025"."""
    from babel.dates import format_date

    return format_date(day, "d MMMM y", locale=LOCALE)


def news_date(day: dt.date, today: dt.date | None = None) -> str:
    """The form used in a lead: "Kamis (6/2)", with the year when it is not this year."""
    today = today or dt.date.today()
    numbers = (
        f"{day.day}/{day.month}" if day.year == today.year else f"{day.day}/{day.month}/{day.year}"
    )
    return f"{weekday(day)} ({numbers})"


_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_user_date(text: str, option: str) -> dt.date:
    """A date typed by a person: ``2025-02-06``, ``6/2/2025`` or ``6-2-2025``."""
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.date.fromisoformat(value)
        if match := _DAY_FIRST.fullmatch(value):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise InputError(t("date.unreal", option=option, value=value)) from None
    raise InputError(t("date.format", option=option, value=value))
