"""Where each release went out: the publication log of a release, and the summaries a recap
counts.

A release's publications live in its folder as ``publications.yaml`` (human-readable, the
source of truth), a list of ``{url, channel, outlet?, date, recorded}``. ``publish`` and
``unpublish`` change it under the archive lock and re-index the release; the index stores
each release's publications, tags and speakers, so :func:`summaries` answers a recap from
the index without reading the release files.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from humaskit.archive.store import PUBLICATIONS_FILE, Archive, utc_now
from humaskit.errors import HumasError, InputError, NotFoundError
from humaskit.i18n import t
from humaskit.record.publication import CHANNELS, DAMAGED, Publication, from_data

if TYPE_CHECKING:
    from humaskit.backends.protocol import ReleaseArchive

URL_MAX = 2000
OUTLET_MAX = 120

# Hosts whose channel is certain (a leading www./m./mobile. is ignored).
SOCIAL_HOSTS = {
    "instagram.com": "instagram",
    "instagr.am": "instagram",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "fb.watch": "facebook",
    "x.com": "x",
    "twitter.com": "x",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "tiktok.com": "tiktok",
}
# Indonesian news portals (outlet name as they write it), for the channel "media".
NEWS_HOSTS = {
    "antaranews.com": "ANTARA",
    "detik.com": "detikcom",
    "kompas.com": "Kompas.com",
    "kompas.id": "Kompas",
    "tribunnews.com": "Tribunnews",
    "liputan6.com": "Liputan6",
    "okezone.com": "Okezone",
    "sindonews.com": "SINDOnews",
    "suara.com": "Suara.com",
    "tempo.co": "Tempo",
    "cnnindonesia.com": "CNN Indonesia",
    "republika.co.id": "Republika",
    "jpnn.com": "JPNN",
    "merdeka.com": "Merdeka.com",
    "idntimes.com": "IDN Times",
    "kumparan.com": "kumparan",
    "rri.go.id": "RRI",
    "inews.id": "iNews",
    "viva.co.id": "VIVA",
    "medcom.id": "Medcom",
}


@dataclass(frozen=True)
class ReleaseSummary:
    """What a recap or the statistics need of one release (read from the index)."""

    id: str
    date: dt.date
    title: str
    unit: str
    tags: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    publications: tuple[Publication, ...] = field(default_factory=tuple)


# --------------------------------------------------------------------------- checking input


def host_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for prefix in ("www.", "m.", "mobile.", "web.", "vm.", "vt."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host


def check_url(url: str, field_name: str = "URL") -> str:
    """An http(s) address with a host, as typed (spaces around it removed)."""
    value = url.strip()
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    unsafe = any(ch.isspace() or ord(ch) < 32 for ch in value)
    if (
        parts is None
        or parts.scheme.lower() not in ("http", "https")
        or not host
        or "." not in host
        or unsafe
        or len(value) > URL_MAX
    ):
        raise InputError(t("publish.bad_url", field=field_name, url=url))
    return value


def _matches_host(host: str, known: str) -> bool:
    return host == known or host.endswith("." + known)


def guess_channel(url: str, website: str | None = None) -> tuple[str, str | None] | None:
    """The channel (and outlet, for a news portal) the URL's host tells, else ``None``.

    ``website`` is the unit's own site from the profile: its host (or a subdomain) is
    ``website``, as is any ``.go.id`` host (a government unit's site).
    """
    host = host_of(url)
    for known, channel in SOCIAL_HOSTS.items():
        if _matches_host(host, known):
            return channel, None
    if website:
        own = host_of(website if "://" in website else f"https://{website}")
        if own and _matches_host(host, own):
            return "website", None
    for known, outlet in NEWS_HOSTS.items():
        if _matches_host(host, known):
            return "media", outlet
    if host.endswith(".go.id"):
        return "website", None
    return None


def make_publication(
    url: str,
    *,
    channel: str | None = None,
    outlet: str | None = None,
    date: dt.date | None = None,
    today: dt.date | None = None,
    website: str | None = None,
    recorded: str = "",
) -> Publication:
    """A checked publication; raises :class:`InputError` naming the field at fault."""
    today = today or dt.date.today()
    url = check_url(url)
    if outlet is not None:
        outlet = " ".join(outlet.split())
        if not outlet or len(outlet) > OUTLET_MAX or any(ord(ch) < 32 for ch in outlet):
            raise InputError(t("publish.bad_outlet", max=OUTLET_MAX))
    if channel is not None:
        channel = channel.strip().lower()
        if channel not in CHANNELS:
            raise InputError(t("publish.bad_channel", channel=channel, choices=", ".join(CHANNELS)))
    else:
        guessed = guess_channel(url, website)
        if guessed is None and outlet:
            guessed = ("media", None)
        if guessed is None:
            raise InputError(
                t("publish.unknown_host", host=host_of(url), choices="|".join(CHANNELS))
            )
        channel, known_outlet = guessed
        outlet = outlet or known_outlet
    day = date or today
    if day > today:
        raise InputError(t("publish.future", date=day.isoformat(), today=today.isoformat()))
    return Publication(url=url, channel=channel, date=day, outlet=outlet, recorded=recorded)


# --------------------------------------------------------------------------- stored entries


def load(archive: ReleaseArchive, release_id: str) -> list[Publication]:
    """The publications of a release, in the order they were recorded (any archive)."""
    archive.load(release_id)  # an unknown id fails here
    path = archive.file_location(release_id, PUBLICATIONS_FILE)
    return [from_data(item, path) for item in archive.read_publications(release_id)]


def added(items: list[Publication], new: Publication) -> tuple[list[Publication], bool]:
    """``items`` with ``new``; the same URL again replaces its entry. True when it replaced."""
    for number, item in enumerate(items):
        if item.url == new.url:
            return [*items[:number], new, *items[number + 1 :]], True
    return [*items, new], False


def removed(items: list[Publication], url: str) -> list[Publication]:
    """``items`` without ``url``; a URL that is not there is a failure listing those that are."""
    wanted = url.strip()
    kept = [item for item in items if item.url != wanted]
    if len(kept) == len(items):
        known = ", ".join(item.url for item in items) or "-"
        raise NotFoundError(t("publish.not_recorded", url=wanted, known=known))
    return kept


# --------------------------------------------------------------------------- changing


@dataclass(frozen=True)
class Published:
    id: str
    publication: Publication | None  # None after a removal
    replaced: bool
    publications: list[Publication]


def publish(
    archive: ReleaseArchive,
    release_id: str,
    url: str,
    *,
    channel: str | None = None,
    outlet: str | None = None,
    date: dt.date | None = None,
    website: str | None = None,
    today: dt.date | None = None,
) -> Published:
    """Record that ``release_id`` went out at ``url``; checked first, nothing written on error."""
    _require(archive, release_id)
    new = make_publication(
        url, channel=channel, outlet=outlet, date=date, today=today, website=website,
        recorded=utc_now(),
    )  # fmt: skip
    outcome: dict[str, Any] = {}

    def change(data: list[dict]) -> list[dict]:
        path = archive.file_location(release_id, PUBLICATIONS_FILE)
        items, outcome["replaced"] = added([from_data(d, path) for d in data], new)
        outcome["items"] = items
        return [item.to_data() for item in items]

    archive.update_publications(release_id, change)
    _reindex(archive, release_id)
    return Published(release_id, new, outcome["replaced"], outcome["items"])


def unpublish(archive: ReleaseArchive, release_id: str, url: str) -> Published:
    """Forget that ``release_id`` went out at ``url``."""
    _require(archive, release_id)
    outcome: dict[str, Any] = {}

    def change(data: list[dict]) -> list[dict]:
        path = archive.file_location(release_id, PUBLICATIONS_FILE)
        outcome["items"] = removed([from_data(d, path) for d in data], url)
        return [item.to_data() for item in outcome["items"]]

    archive.update_publications(release_id, change)
    _reindex(archive, release_id)
    return Published(release_id, None, False, outcome["items"])


def _require(archive: ReleaseArchive, release_id: str) -> None:
    """An id that names no release is bad input here (exit 2): nothing can be recorded."""
    try:
        exists = archive.exists(release_id)
    except InputError:
        raise InputError(t("publish.unknown_id", id=release_id)) from None
    if not exists:
        raise InputError(t("publish.unknown_id", id=release_id))


def _reindex(archive: ReleaseArchive, release_id: str) -> None:
    try:
        archive.index([archive.load(release_id)])
    except HumasError as err:  # recorded, but the recap would not see it yet
        raise HumasError(
            t("releases.saved_not_indexed", ids=release_id, error=err.message)
        ) from None


# --------------------------------------------------------------------------- summaries


def summary_from_fields(fields: dict[str, Any]) -> ReleaseSummary:
    """A :class:`ReleaseSummary` from an index entry's stored fields."""
    if fields.get("publications") == DAMAGED:
        raise HumasError(t("publish.damaged", id=fields["id"], file=PUBLICATIONS_FILE))
    return ReleaseSummary(
        id=fields["id"],
        date=dt.date.fromisoformat(fields["date"]),
        title=fields.get("title", ""),
        unit=fields.get("unit", ""),
        tags=tuple(fields.get("tag_list") or ()),
        speakers=tuple(fields.get("speaker_list") or ()),
        publications=tuple(
            Publication(
                url=p["url"],
                channel=p["channel"],
                date=dt.date.fromisoformat(p["date"]),
                outlet=p.get("outlet"),
            )
            for p in fields.get("publications") or ()
        ),
    )


def summaries(
    archive: ReleaseArchive, filters: Any, on_rebuild: Callable[[str], None] | None = None
) -> list[ReleaseSummary]:
    """The releases matching ``filters`` (since, until, unit, tag), oldest first, as the
    archive keeps them for recaps (the folder archive: its index; a server: its table)."""
    return archive.summaries(filters, on_rebuild)


def index_summaries(
    archive: Archive, filters: Any, on_rebuild: Callable[[str], None] | None = None
) -> list[ReleaseSummary]:
    """The releases matching ``filters`` (``humaskit.search.listing.Filters``: since, until,
    unit, tag), oldest first, read from the index's stored fields: no release file is read.

    A missing, damaged or outdated index is rebuilt from the files first (``on_rebuild``
    hears why: "missing", "damaged", "outdated").
    """
    from humaskit.search import index

    ix = index.open_or_rebuild(archive, on_rebuild=on_rebuild)
    query = filters.query()
    try:
        with ix.searcher() as searcher:
            if query is None:
                found = [summary_from_fields(f) for f in searcher.all_stored_fields()]
            else:
                found = [
                    summary_from_fields(searcher.stored_fields(docnum))
                    for docnum in searcher.docs_for_query(query)
                ]
    except HumasError:
        raise
    except Exception as err:  # a segment file damaged after opening: doctor --repair
        raise HumasError(t("search.index_damaged", error=f"{type(err).__name__}: {err}")) from None
    return sorted(found, key=lambda s: (s.date, s.id))
