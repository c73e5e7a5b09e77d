"""Quality checks of a release: the second pair of eyes before it goes out.

Each finding has a code, a severity (``error`` or ``warning``), the record field it is about
and a message in the user's language. Errors are facts that are wrong (a weekday that does
not match the date); warnings are matters of style the editors correct (clichés, long
paragraphs). The cliché list is data (``data/cliches.txt``), not code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
from functools import cache
from typing import Any

from humaskit.document.compose import compose
from humaskit.findings import ERROR, WARNING, Finding
from humaskit.i18n import t
from humaskit.packaged import packaged_file
from humaskit.record import dates
from humaskit.record.model import KNOWN_VERBS, Release
from humaskit.record.vocabulary import (
    DAY_PATTERN,
    JABATAN,
    MONTH_PATTERN,
    MONTHS,
    NEWS_DATE,
    weekday_index,
)

HEADLINE_WORDS = 12
PARAGRAPH_WORDS = 120
OLDEST = dt.date(1990, 1, 1)
DUPLICATE_RATIO = 0.75
# Acronyms editors want written out where they are first used ("Rumah Tahanan Negara
# (Rutan)"); their full forms are those of the search's acronym list (data/synonyms.txt).
EXPAND_ONCE = (
    "lapas", "rutan", "bapas", "wbp", "karutan", "kalapas", "kakanwil", "ditjenpas", "upt",
    "asn", "p4gn", "bnnk", "zi", "wbk", "wbbm", "pb", "cb", "cmb", "pnbp", "tpi", "skck",
    "pilkada", "hut",
)  # fmt: skip

_LONG_DATE = re.compile(
    rf"\b(?P<wd>{DAY_PATTERN}),?\s+(?P<d>\d{{1,2}})\s+(?P<m>{MONTH_PATTERN})(?:\s+(?P<y>\d{{4}}))?\b",
    re.IGNORECASE,
)
_VERBS = "|".join(KNOWN_VERBS)
_MISSING_COMMA = re.compile(rf"[\w)][\"”]\s+(?P<verb>(?:{_VERBS})(?:nya)?)\b")
_WHEN = re.compile(
    rf"\b(?:{DAY_PATTERN}|{MONTH_PATTERN}|hari ini|kemarin|pukul|pagi|siang|sore|malam)\b"
    r"|\b\d{1,2}/\d{1,2}\b",
    re.IGNORECASE,
)
_WHERE = re.compile(
    r"\b(?:di|bertempat|melalui|secara daring|secara virtual|daring|virtual|aula|ruang|lapangan|"
    r"gedung|kantor|halaman)\b",
    re.IGNORECASE,
)
_WHO = re.compile(
    r"\b(?:Rutan|Lapas|Bapas|LPKA|Kanwil|Kantor|Dinas|Polres|Polsek|Universitas|Kementerian|"
    r"Direktorat|Pemerintah|Pemkab|Pemkot|Balai|Badan|Kepala|Ketua|Bupati|Wali Kota|Gubernur|"
    r"Camat|Tim|Petugas|Jajaran|Pegawai|Warga|Siswa|Mahasiswa|Karutan|Kalapas|Kakanwil|"
    r"Imigrasi|WBP|ASN)\b"
)


# A time of day as newsrooms write it: "pukul 10.00 WITA" (a dot; WIB, WITA or WIT). A colon
# ("pukul 10:00", "10:00 WITA"), or a "pukul" time without its zone, is corrected by editors.
_ZONE = r"(?:WIB|WITA|WIT)\b"
_COLON_TIME = re.compile(
    rf"\b(?:(?:pukul|jam)\s+\d{{1,2}}:\d{{2}}\b|\d{{1,2}}:\d{{2}}\s*{_ZONE})", re.IGNORECASE
)
_ZONELESS_TIME = re.compile(
    rf"\bpukul\s+\d{{1,2}}[.:]\d{{2}}\b"
    rf"(?!\s*{_ZONE})(?!\s*(?:-|–|—|s\.?d\.?|s/d|sampai|hingga)\s*(?:pukul\s+)?\d)",
    re.IGNORECASE,
)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def check_release(
    release: Release,
    *,
    archive: Any = None,
    exclude_id: str | None = None,
    today: dt.date | None = None,
) -> list[Finding]:
    """Every finding for ``release``; ``archive`` enables the duplicate check."""
    today = today or dt.date.today()
    findings: list[Finding] = []
    fields = _text_fields(release)
    findings += _check_weekdays(release, fields)
    findings += _check_date(release, today)
    findings += _check_speakers(release)
    findings += _check_quotes(release, fields)
    findings += _check_headline(release)
    findings += _check_passive_headline(release)
    findings += _check_lead(release)
    findings += _check_lengths(fields)
    findings += _check_times(fields)
    findings += _check_acronyms(fields)
    findings += _check_cliches(fields)
    if archive is not None:
        findings += _check_duplicate(release, archive, exclude_id)
    return _merge_repeats(findings)


def _merge_repeats(findings: list[Finding]) -> list[Finding]:
    """One finding per distinct note: a phrase repeated 2,000 times is said once, counted."""
    counts: dict[Finding, int] = {}
    for finding in findings:
        counts[finding] = counts.get(finding, 0) + 1
    return [
        f
        if n == 1
        else dataclasses.replace(f, message=t("check.repeated", message=f.message, count=n))
        for f, n in counts.items()
    ]


def _text_fields(release: Release) -> list[tuple[str, str]]:
    fields = [("lead", release.lead)]
    fields += [(f"body[{i}]", text) for i, text in enumerate(release.body)]
    fields += [(f"quotes[{i}].text", q.text) for i, q in enumerate(release.quotes)]
    fields.append(("closing", release.closing))
    return fields


def _check_weekdays(release: Release, fields: list[tuple[str, str]]) -> list[Finding]:
    """ "Kamis (6/2)" or "Kamis, 6 Februari 2025" must name the right weekday."""
    findings = []
    for name, text in fields:
        mentions = [
            (m.group(), m["wd"], int(m["d"]), int(m["m"]), m["y"]) for m in NEWS_DATE.finditer(text)
        ]
        mentions += [
            (m.group(), m["wd"], int(m["d"]), MONTHS[m["m"].lower()], m["y"])
            for m in _LONG_DATE.finditer(text)
        ]
        for written, weekday, day, month, year in mentions:
            year_number = release.date.year
            if year:
                year_number = int(year) + (2000 if len(year) == 2 else 0)
            try:
                date = dt.date(year_number, month, day)
            except ValueError:
                continue
            if date.weekday() != weekday_index(weekday):
                message = t(
                    "check.weekday",
                    written=written,
                    date=dates.plain_date(date),
                    actual=dates.weekday(date),
                )
                findings.append(Finding("weekday", ERROR, name, message))
    return findings


def _check_date(release: Release, today: dt.date) -> list[Finding]:
    date = release.date
    shown = dates.plain_date(date)
    if date > today + dt.timedelta(days=366):
        return [Finding("date-future", ERROR, "date", t("check.date_far_future", date=shown))]
    if date > today:
        return [Finding("date-future", WARNING, "date", t("check.date_future", date=shown))]
    if date < OLDEST:
        return [Finding("date-old", ERROR, "date", t("check.date_old", date=shown))]
    return []


def _check_speakers(release: Release) -> list[Finding]:
    """Each quoted speaker's first mention in the finished text carries the jabatan."""
    document = compose(release)
    texts = [p.text for p in document.paragraphs]
    findings = []
    done: set[str] = set()
    for i, quote in enumerate(release.quotes):
        speaker = release.speaker(quote.speaker)
        if speaker is None or speaker.name in done:
            continue
        done.add(speaker.name)
        names = [n for n in (speaker.name, speaker.short) if n]
        for text in texts:
            positions = [(text.find(n), n) for n in names if n in text]
            if not positions:
                continue
            where, _ = min(positions)
            before = text[:where].casefold()
            introduced = speaker.title.casefold() in before or any(
                m.start("name") == where for m in JABATAN.finditer(text)
            )
            if not introduced:
                message = t("check.speaker_intro", name=speaker.name, title=speaker.title)
                findings.append(Finding("speaker-intro", WARNING, f"quotes[{i}].speaker", message))
            break
    return findings


def _unbalanced(text: str) -> bool:
    return text.count('"') % 2 == 1 or text.count("“") != text.count("”")


def _check_quotes(release: Release, fields: list[tuple[str, str]]) -> list[Finding]:
    findings = []
    for name, text in fields:
        if _unbalanced(text):
            findings.append(Finding("stray-quote", WARNING, name, t("check.stray_quote")))
        if not name.startswith("quotes") and (match := _MISSING_COMMA.search(text)):
            message = t("check.missing_comma", verb=match["verb"])
            findings.append(Finding("quote-punctuation", WARNING, name, message))
    for i, quote in enumerate(release.quotes):
        end = quote.text.rstrip()[-1:]
        if end in ",;:-–—(":
            message = t("check.quote_punctuation", end=end)
            findings.append(Finding("quote-punctuation", WARNING, f"quotes[{i}].text", message))
        if quote.verb not in KNOWN_VERBS:
            message = t("check.verb", verb=quote.verb, known=", ".join(KNOWN_VERBS[:12]))
            findings.append(Finding("verb", WARNING, f"quotes[{i}].verb", message))
    return findings


def _check_headline(release: Release) -> list[Finding]:
    words = len(release.title.split())
    if words > HEADLINE_WORDS:
        message = t("check.headline_long", words=words, limit=HEADLINE_WORDS)
        return [Finding("headline-long", WARNING, "title", message)]
    return []


def _check_passive_headline(release: Release) -> list[Finding]:
    """A headline whose verb is passive ("Remisi Diberikan kepada …", "… Digelar"): a word
    "di" + a root Sastrawi knows (+ "-kan"/"-i"), not a speaker's name."""
    from humaskit.search.analysis import stem_word

    names = {w.casefold() for s in release.speakers for w in s.name.split()}
    for word in re.findall(r"\w+", release.title):
        low = word.casefold()
        if len(low) < 5 or not low.startswith("di") or not low.isalpha() or low in names:
            continue
        root = stem_word(low)
        if root != low and low[2:].startswith(root):
            message = t("check.headline_passive", word=word)
            return [Finding("headline-passive", WARNING, "title", message)]
    return []


def _check_lead(release: Release) -> list[Finding]:
    lead = release.lead
    folded = lead.casefold()
    names = [release.unit, release.signature, *(s.name for s in release.speakers)]
    names += [s.short for s in release.speakers if s.short]
    findings = []
    who = any(n.casefold() in folded for n in names) or _WHO.search(lead) or JABATAN.search(lead)
    if not who:
        findings.append(Finding("lead-who", WARNING, "lead", t("check.lead_who")))
    if not _WHEN.search(lead):
        findings.append(Finding("lead-when", WARNING, "lead", t("check.lead_when")))
    dateline_is_place = release.location.casefold() in release.dateline_text().casefold()
    if not (dateline_is_place or release.location.casefold() in folded or _WHERE.search(lead)):
        findings.append(Finding("lead-where", WARNING, "lead", t("check.lead_where")))
    return findings


def _check_lengths(fields: list[tuple[str, str]]) -> list[Finding]:
    findings = []
    for name, text in fields:
        words = len(text.split())
        if words > PARAGRAPH_WORDS:
            message = t("check.paragraph_long", words=words, limit=PARAGRAPH_WORDS)
            findings.append(Finding("paragraph-long", WARNING, name, message))
    return findings


def _check_acronyms(fields: list[tuple[str, str]]) -> list[Finding]:
    """An acronym of ``EXPAND_ONCE`` whose full form the text never gives, once, at the
    field where it is first used (in the order the text uses them)."""
    from humaskit.search.analysis import words
    from humaskit.search.synonyms import packaged_synonyms

    table = packaged_synonyms()
    said = " " + " | ".join(" ".join(words(text)) for _, text in fields) + " "
    found: list[tuple[int, int, Finding]] = []
    for acronym in EXPAND_ONCE:
        pattern = re.compile(rf"(?<!\w)(?:{acronym.capitalize()}|{acronym.upper()})(?!\w)")
        uses = ((i, m) for i, (_, text) in enumerate(fields) if (m := pattern.search(text)))
        first = next(uses, None)
        full = sorted(
            (f for f in table.get((acronym,), ()) if len(f) > 1), key=lambda f: (-len(f), f)
        )
        if first is None or not full or any(f" {' '.join(f)} " in said for f in full):
            continue
        index, match = first
        message = t("check.acronym", acronym=match.group(), full=" ".join(full[0]))
        found.append((index, match.start(), Finding("acronym", WARNING, fields[index][0], message)))
    return [finding for _, _, finding in sorted(found, key=lambda one: one[:2])]


def _check_times(fields: list[tuple[str, str]]) -> list[Finding]:
    findings = []
    for name, text in fields:
        for match in _COLON_TIME.finditer(text):
            written = match.group()
            message = t("check.time_colon", written=written, fixed=written.replace(":", "."))
            findings.append(Finding("time-format", WARNING, name, message))
        for match in _ZONELESS_TIME.finditer(text):
            message = t("check.time_zone", written=match.group().replace(":", "."))
            findings.append(Finding("time-zone", WARNING, name, message))
    return findings


@cache
def cliches() -> tuple[tuple[str, int], ...]:
    """``(phrase, times)`` from ``data/cliches.txt``; ``times`` > 1 flags only repetition."""
    text = packaged_file("data", "cliches.txt").read_text("utf-8")
    found = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        phrase, _, times = line.partition("|")
        found.append((" ".join(phrase.casefold().split()), int(times.strip() or 1)))
    return tuple(found)


def _check_cliches(fields: list[tuple[str, str]]) -> list[Finding]:
    findings = []
    folded = [(name, " ".join(text.casefold().split())) for name, text in fields]
    for phrase, times in cliches():
        pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
        hits = [(name, len(pattern.findall(text))) for name, text in folded]
        total = sum(count for _, count in hits)
        if total and total >= times:
            first = next(name for name, count in hits if count)
            message = t("check.cliche", phrase=phrase)
            findings.append(Finding("cliche", WARNING, first, message))
    return findings


def _check_duplicate(release: Release, archive: Any, exclude_id: str | None) -> list[Finding]:
    """Same date and a similar title; only that day's releases are read (ids start with
    the date)."""
    ids = [i for i in archive.ids_on(release.date) if i != exclude_id]
    title = release.title.casefold()
    findings = []
    for stored in archive.iter_releases(ids):
        other = stored.release.title.casefold()
        if difflib.SequenceMatcher(None, title, other).ratio() >= DUPLICATE_RATIO:
            message = t("check.duplicate", id=stored.id, title=stored.release.title)
            findings.append(Finding("duplicate", WARNING, "title", message))
    return findings


def check_target(target: str, archive: Any, defaults: dict[str, Any]) -> tuple[str, list[Finding]]:
    """``check FILE|ID``: a record or published file when it exists, else an archived id.
    Returns the id (or the file) checked and the findings."""
    from pathlib import Path

    from humaskit.archive.fsio import require_regular
    from humaskit.archive.store import ID_PATTERN
    from humaskit.errors import InputError
    from humaskit.importer.read import SUPPORTED

    path = Path(target)
    if not ID_PATTERN.fullmatch(target) and (os.path.lexists(path) or path.suffix):
        require_regular(path)  # a FIFO or /dev/zero is refused, never read
        if path.suffix.lower() not in SUPPORTED:
            kinds = ", ".join(sorted(SUPPORTED))
            raise InputError(t("check.unsupported", path=path, kinds=kinds))
        return str(path), check_file(path, archive, defaults)
    if not ID_PATTERN.fullmatch(target):
        raise InputError(t("check.no_such", value=target))
    stored = archive.load(target)
    return stored.id, check_release(stored.release, archive=archive, exclude_id=stored.id)


def check_file(path: Any, archive: Any, defaults: dict[str, Any]) -> list[Finding]:
    """A record file is checked as ``new`` would check it (a bad record is bad input, exit
    2). A published text (.txt/.md/.docx/.html) is checked as a reader of the archive would
    meet it: what the text lacks (no date, no lead...) is a finding, not an import failure;
    only a file that cannot be read at all is bad input."""
    from humaskit.errors import RecordError
    from humaskit.importer.run import read_for_check
    from humaskit.record.model import parse_release

    source, recovered = read_for_check(path, defaults=defaults)
    if source.record is not None:
        release = parse_release(recovered.data, defaults=defaults, source=str(path))
        return check_release(release, archive=archive)
    try:
        release = parse_release(recovered.data, defaults=defaults, source=str(path))
    except RecordError as err:
        findings = []
        for problem in err.problems:
            why = recovered.why_empty.get(problem.field.split("[")[0].split(".")[0])
            message = t("check.published_missing", why=why) if why else problem.message
            findings.append(Finding("published-missing", ERROR, problem.field, message))
        return findings
    return check_release(release, archive=archive)
