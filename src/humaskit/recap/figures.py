"""The numbers of a recap and of the statistics: the one place they are counted.

Plain functions over :class:`humaskit.publications.ReleaseSummary` lists. A recap's period
selects releases by their date (the day of the activity, as ``list`` and ``search`` do);
every count is about those releases and the publications recorded for them. The terminal,
XLSX, DOCX and JSON forms only lay these figures out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from humaskit.errors import InputError
from humaskit.i18n import t
from humaskit.publications import CHANNELS, ReleaseSummary

# --------------------------------------------------------------------------- the period


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date
    month: str | None = None  # "2025-03" when the period is exactly one calendar month

    def days(self) -> list[dt.date]:
        count = (self.until - self.since).days + 1
        return [self.since + dt.timedelta(days=n) for n in range(count)]

    def months(self) -> list[tuple[int, int]]:
        """(year, month) of every month the period touches, in order."""
        found: list[tuple[int, int]] = []
        year, month = self.since.year, self.since.month
        while (year, month) <= (self.until.year, self.until.month):
            found.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


def month_period(year: int, month: int) -> Period:
    last = calendar.monthrange(year, month)[1]
    return Period(dt.date(year, month, 1), dt.date(year, month, last), f"{year:04d}-{month:02d}")


def parse_month(text: str, option: str = "--month") -> Period:
    """``2025-03`` (or ``3/2025``) as the period of that calendar month."""
    value = text.strip()
    try:
        if "/" in value:
            month_text, year_text = value.split("/", 1)
        else:
            year_text, month_text = value.split("-", 1)
        year, month = int(year_text), int(month_text)
        if len(year_text) != 4 or not 1 <= month <= 12:
            raise ValueError(value)
    except ValueError:
        raise InputError(t("recap.bad_month", option=option, value=text)) from None
    return month_period(year, month)


def last_full_month(today: dt.date) -> Period:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return month_period(first.year, first.month)


def choose_period(
    month: str | None, since: dt.date | None, until: dt.date | None, today: dt.date
) -> Period:
    """``--month``, or ``--since``/``--until`` (``--until`` alone: from the first of its
    month; ``--since`` alone: until today), or the last full month."""
    if month and (since or until):
        raise InputError(t("recap.month_and_range"))
    if month:
        return parse_month(month)
    if since or until:
        end = until or max(today, since or today)
        start = since or end.replace(day=1)
        if start > end:
            raise InputError(t("cli.range", since=start, until=end))
        whole = start.day == 1 and end == month_period(start.year, start.month).until
        return Period(start, end, f"{start:%Y-%m}" if whole else None)
    return last_full_month(today)


# --------------------------------------------------------------------------- the recap


@dataclass(frozen=True)
class DayCount:
    date: dt.date
    releases: int
    publications: int


@dataclass(frozen=True)
class WeekCount:
    number: int  # 1, 2, ... within the period
    start: dt.date  # Monday, or the period's first day
    end: dt.date  # Sunday, or the period's last day
    releases: int
    publications: int


@dataclass(frozen=True)
class Recap:
    period: Period
    unit: str | None
    tag: str | None
    releases: int
    publications: int
    unpublished: int  # releases with no publication recorded
    channels: dict[str, int]  # publications per channel, every channel, in CHANNELS order
    days: list[DayCount]
    weeks: list[WeekCount]
    days_without_release: list[dt.date]
    items: list[ReleaseSummary]  # oldest first

    def to_json(self) -> dict:
        return {
            "since": self.period.since.isoformat(),
            "until": self.period.until.isoformat(),
            "month": self.period.month,
            "unit": self.unit,
            "tag": self.tag,
            "releases": self.releases,
            "publications": self.publications,
            "unpublished": self.unpublished,
            "channels": dict(self.channels),
            "days_without_release": [d.isoformat() for d in self.days_without_release],
            "days": [
                {"date": d.date.isoformat(), "releases": d.releases, "publications": d.publications}
                for d in self.days
            ],
            "weeks": [
                {
                    "week": w.number,
                    "start": w.start.isoformat(),
                    "end": w.end.isoformat(),
                    "releases": w.releases,
                    "publications": w.publications,
                }
                for w in self.weeks
            ],
            "items": [
                {
                    "id": s.id,
                    "date": s.date.isoformat(),
                    "title": s.title,
                    "unit": s.unit,
                    "publications": [p.to_json() for p in s.publications],
                }
                for s in self.items
            ],
        }


def compute_recap(
    summaries: Iterable[ReleaseSummary],
    period: Period,
    unit: str | None = None,
    tag: str | None = None,
    today: dt.date | None = None,
) -> Recap:
    """The recap of ``period``; its days after ``today`` (a month still running) are still
    to come, not days without a release."""
    items = sorted(
        (s for s in summaries if period.since <= s.date <= period.until),
        key=lambda s: (s.date, s.id),
    )
    releases_on: Counter[dt.date] = Counter(s.date for s in items)
    publications_on: Counter[dt.date] = Counter()
    for s in items:
        publications_on[s.date] += len(s.publications)
    channels = dict.fromkeys(CHANNELS, 0)
    for s in items:
        for p in s.publications:
            channels[p.channel] = channels.get(p.channel, 0) + 1
    days = [DayCount(d, releases_on[d], publications_on[d]) for d in period.days()]
    weeks: list[WeekCount] = []
    for day in days:
        if not weeks or day.date.weekday() == 0:
            number = len(weeks) + 1
            weeks.append(WeekCount(number, day.date, day.date, 0, 0))
        week = weeks[-1]
        weeks[-1] = WeekCount(
            week.number,
            week.start,
            day.date,
            week.releases + day.releases,
            week.publications + day.publications,
        )
    return Recap(
        period=period,
        unit=unit,
        tag=tag,
        releases=len(items),
        publications=sum(len(s.publications) for s in items),
        unpublished=sum(1 for s in items if not s.publications),
        channels=channels,
        days=days,
        weeks=weeks,
        days_without_release=[
            d.date for d in days if d.releases == 0 and (today is None or d.date <= today)
        ],
        items=items,
    )


# --------------------------------------------------------------------------- statistics


@dataclass(frozen=True)
class Stats:
    since: dt.date | None
    until: dt.date | None
    releases: int
    publications: int
    per_month: list[tuple[str, int]]  # ("2025-03", n), oldest first
    per_unit: list[tuple[str, int]]  # most first, then by name
    per_tag: list[tuple[str, int]]
    per_speaker: list[tuple[str, int]]
    per_channel: list[tuple[str, int]]  # publications, in CHANNELS order

    def to_json(self) -> dict:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "releases": self.releases,
            "publications": self.publications,
            "per_month": dict(self.per_month),
            "per_unit": dict(self.per_unit),
            "per_tag": dict(self.per_tag),
            "per_speaker": dict(self.per_speaker),
            "per_channel": dict(self.per_channel),
        }


def _ranked(names: Iterable[str]) -> list[tuple[str, int]]:
    """Counts of names alike but for case and spaces, under the first spelling seen."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for name, count in Counter(names).items():  # few distinct names: normalise each once
        tidy = " ".join(name.split())
        key = tidy.casefold()
        if not key:
            continue
        shown.setdefault(key, tidy)
        counts[key] += count
    return sorted(((shown[k], n) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0]))


def compute_stats(
    summaries: Iterable[ReleaseSummary],
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Stats:
    items = [
        s
        for s in summaries
        if (since is None or s.date >= since) and (until is None or s.date <= until)
    ]
    months = Counter(f"{s.date:%Y-%m}" for s in items)
    channels = dict.fromkeys(CHANNELS, 0)
    for s in items:
        for p in s.publications:
            channels[p.channel] = channels.get(p.channel, 0) + 1
    return Stats(
        since=since,
        until=until,
        releases=len(items),
        publications=sum(channels.values()),
        per_month=sorted(months.items()),
        per_unit=_ranked(s.unit for s in items),
        per_tag=_ranked(tag for s in items for tag in dict.fromkeys(s.tags)),
        per_speaker=_ranked(name for s in items for name in s.speakers),
        per_channel=list(channels.items()),
    )
