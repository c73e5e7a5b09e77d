"""One entry of a release's publication log: where it went out (``publications.yaml`` in a
release folder, a column on a server). The log is written by :mod:`humaskit.publications`;
this is its plain data and the check of a stored entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from humaskit.errors import HumasError
from humaskit.i18n import t

CHANNELS = ("website", "instagram", "facebook", "x", "youtube", "tiktok", "media", "other")
DAMAGED = "damaged"  # the index's mark for an unreadable publications.yaml


def channel_name(channel: str) -> str:
    """A channel as people call it: "Situs web", "Instagram", "Media massa"."""
    return t(f"channel.{channel}")


@dataclass(frozen=True)
class Publication:
    url: str
    channel: str
    date: dt.date
    outlet: str | None = None
    recorded: str = ""

    def to_data(self) -> dict[str, Any]:
        """The entry as stored in ``publications.yaml``."""
        data: dict[str, Any] = {"url": self.url, "channel": self.channel}
        if self.outlet:
            data["outlet"] = self.outlet
        data["date"] = self.date
        if self.recorded:
            data["recorded"] = self.recorded
        return data

    def line(self) -> str:
        """One line for ``show`` and ``publish ID``: date · channel (outlet) · url."""
        return f"{self.date.isoformat()} · {self.where} · {self.url}"

    @property
    def channel_name(self) -> str:
        return channel_name(self.channel)

    @property
    def where(self) -> str:
        """The channel as people call it, with the outlet: "Media massa (Wartanesia)"."""
        return f"{self.channel_name} ({self.outlet})" if self.outlet else self.channel_name

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "channel": self.channel,
            "outlet": self.outlet,
            "date": self.date.isoformat(),
        }


def from_data(data: dict, path: Path | str = "publications.yaml") -> Publication:
    """One entry of ``publications.yaml``; a damaged entry is a failure naming the file."""
    try:
        day = data["date"]
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise ValueError(f"date {day!r}")
        channel = str(data["channel"])
        if channel not in CHANNELS:
            raise ValueError(f"channel {channel!r}")
        outlet = data.get("outlet")
        return Publication(
            url=str(data["url"]),
            channel=channel,
            date=day,
            outlet=str(outlet) if outlet else None,
            recorded=str(data.get("recorded") or ""),
        )
    except (KeyError, ValueError, TypeError) as err:
        raise HumasError(t("archive.publications_damaged", path=path, error=err)) from None
