"""Guided drafting: the questionary prompts behind ``humaskit new``, ``edit ID`` and ``init``.

The officer answers one section at a time in the order of a release (title, date, place,
lead, body, speakers, quotes, closing, tags, photos, contact), sees the release as it will
read, then saves, changes a section, or cancels. Answers are kept as record-shaped data,
and every answer is checked with the rules of record files (``model``), so a prompt refuses
exactly what a record file would, with the same message.

Nothing typed is lost: Ctrl-C or end of input keeps the answers — and the text half-typed
into the interrupted prompt — as a draft in ``<archive>/drafts/`` (see ``drafts``), which
``humaskit new --resume`` continues. questionary and prompt_toolkit are imported inside
functions so that ``humaskit --help`` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from humaskit.archive.drafts import Draft, list_drafts, new_draft
from humaskit.errors import HumasError, InputError, NotFoundError, RecordError
from humaskit.i18n import t
from humaskit.record import dates
from humaskit.record.model import (
    DEFAULT_VERB,
    KNOWN_VERBS,
    Release,
    check_dateline,
    check_text,
    check_title,
    fill_dateline,
    parse_release,
    suggest_short_name,
)
from humaskit.terminal import terminal_width, wrapped

if TYPE_CHECKING:
    from humaskit.archive.profile import Profile
    from humaskit.archive.store import StoredRelease
    from humaskit.backends.protocol import ReleaseArchive
    from humaskit.releases import Saved

SECTIONS = (
    "title",
    "date",
    "place",
    "lead",
    "body",
    "speakers",
    "quotes",
    "closing",
    "tags",
    "photos",
    "contact",
)
REVIEW = "review"
# The record fields each section asks for (to send the officer to the right section when
# the finished record still has a problem).
SECTION_OF_FIELD = {
    "location": "place",
    "outlet": "place",
    "dateline": "place",
    "unit": "place",
    "signature": "place",
    **{section: section for section in SECTIONS},
}
PROMPT_VERBS = KNOWN_VERBS[:9]  # ujar first: the default attribution
TITLE_WORDS = 12  # a headline longer than this gets a hint (house style: ≤ ~10–12 words)
# The closing is document text, which is Indonesian whatever the prompt language.
CLOSING_SUGGESTION = "Dengan adanya kegiatan ini, diharapkan "
# Autocomplete looks at this many of the newest releases: enough for "the jabatan last used",
# and quick to read on a large archive.
HISTORY_RELEASES = 1000

Check = Callable[[str], tuple[Any, str | None]]


def note(message: str) -> None:
    """A line beside the prompts, on stderr (stdout may be a file or ``--json``)."""
    print(message, file=sys.stderr)


def interactive_available() -> bool:
    """Whether prompts can be shown: stdin is a terminal, or a prompt_toolkit input was set
    up explicitly (``create_app_session(input=...)``, as the tests do)."""
    if sys.stdin.isatty():
        return True
    from prompt_toolkit.application.current import get_app_session
    from prompt_toolkit.input import PipeInput

    # A caller that chose the input (the tests' ``create_app_session(input=pipe)``) has a
    # pipe; otherwise prompt_toolkit makes one from stdin, which fails or is no terminal.
    # Asking for it makes prompt_toolkit warn "Input is not a terminal": not for the user.
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            return isinstance(get_app_session().input, PipeInput)
    except (OSError, ValueError):  # io.UnsupportedOperation: stdin is no file at all
        return False


# --------------------------------------------------------------------------- entry points


def draft_new(
    archive: ReleaseArchive, profile: Profile | None, *, resume: bool = False
) -> Saved | None:
    """Ask for a new release (or continue a draft) and save it like ``new FILE`` does.

    Returns ``None`` when the officer cancels. Ctrl-C keeps a draft and raises
    ``KeyboardInterrupt`` (exit 130).
    """
    from humaskit.releases import save_edit, save_new

    if resume:
        draft = _choose_draft(archive)
        note(t("prompts.resuming", path=draft.path))
    else:
        draft = new_draft(archive, step=SECTIONS[0])
    # An edit's stored photos are read from the release's files (a server's: a temp copy).
    files = archive.release_folder(draft.edit_of) if draft.edit_of else contextlib.nullcontext()
    with files as photo_folder, _keeping_draft(draft):
        flow = _Flow(archive, profile, draft, photo_folder=photo_folder, autosave=True)
        flow.continue_draft()
        release = flow.review()
        if release is None:
            draft.discard()
            note(t("prompts.cancelled"))
            return None
        if draft.edit_of:
            assert photo_folder is not None
            saved = save_edit(archive, draft.edit_of, release, profile, photo_folder)
        else:
            saved = save_new(archive, release, profile, Path.cwd())
    draft.discard()
    return saved


def draft_edit(
    archive: ReleaseArchive, profile: Profile | None, stored: StoredRelease
) -> Release | None:
    """The stored release, changed section by section after a review; ``None`` if cancelled."""
    draft = new_draft(
        archive,
        stored.release.to_record(json_safe=True),
        step=REVIEW,
        edit_of=stored.id,
        reviewing=True,
    )
    unchanged = stored.release.to_record(json_safe=True)
    with archive.release_folder(stored.id) as folder, _keeping_draft(draft, unchanged=unchanged):
        flow = _Flow(archive, profile, draft, photo_folder=folder, autosave=False)
        release = flow.review()
    if release is None:
        note(t("prompts.cancelled"))
    return release


def _suggested(key: str, values: dict[str, Any]) -> str:
    """A default to accept or change, from the unit's full name: the signature "Lapas
    Banjarmasin" and the town "Banjarmasin" for "Lembaga Pemasyarakatan Kelas IIA
    Banjarmasin" ("" when the acronym list does not know the unit)."""
    from humaskit.search.synonyms import short_unit_name, unit_place

    unit = str(values.get("unit") or "")
    if key == "signature":
        return short_unit_name(unit)
    return unit_place(unit) if key == "location" else ""


DATELINE_FORMS = ("{outlet}", "{location}, {outlet}", "{location} ({outlet})", "{location}")


def _ask_dateline(ask: _Prompter, location: str, outlet: str) -> str | None:
    """The form of the dateline, chosen from how it reads ("Pelaihari, INFO_PAS - …");
    None for the outlet alone, what a release without a form gets anyway."""
    choices = [(f"{fill_dateline(form, location, outlet)} - …", form) for form in DATELINE_FORMS]
    form = ask.select(t("prompts.profile_dateline"), choices, DATELINE_FORMS[0])
    return None if form == DATELINE_FORMS[0] else form


def ask_profile(data: dict[str, Any]) -> dict[str, Any]:
    """The unit profile for ``init``: ``data`` holds the flags given; the rest is asked."""
    ask = _Prompter(None)
    values = dict(data)
    for key, required in (
        ("unit", True),
        ("signature", False),
        ("location", False),
        ("outlet", False),
    ):
        check = _one_line(required=required)
        default = values.get(key) or _suggested(key, values)
        values[key] = ask.text(key, t(f"prompts.profile_{key}"), default, check)
    if values.get("location") and values.get("outlet") and not values.get("dateline"):
        values["dateline"] = _ask_dateline(ask, values["location"], values["outlet"])
    values["letterhead"] = _ask_lines(
        ask, "letterhead", list(values.get("letterhead") or []), "prompts.profile_letterhead"
    )
    for key in ("address", "phone"):
        values[key] = ask.text(
            key, t(f"prompts.profile_{key}"), values.get(key) or "", _one_line(required=False)
        )
    values["email"] = ask.text(
        "email", t("prompts.profile_email"), values.get("email") or "", _email_check
    )
    values["website"] = ask.text(
        "website", t("prompts.profile_website"), values.get("website") or "", _one_line()
    )
    values["logo"] = ask.text(
        "logo",
        t("prompts.profile_logo"),
        values.get("logo") or "",
        _logo_check,
        completer=_path_completer(),
    )
    contact = dict(values.get("contact") or {})
    contact["name"] = ask.text(
        "contact.name", t("prompts.contact_name"), contact.get("name", ""), _one_line()
    )
    if contact["name"]:
        contact["phone"] = ask.text(
            "contact.phone", t("prompts.contact_phone"), contact.get("phone", ""), _one_line()
        )
        contact["email"] = ask.text(
            "contact.email", t("prompts.contact_email"), contact.get("email", ""), _email_check
        )
    values["contact"] = {k: v for k, v in contact.items() if v} if contact.get("name") else None
    values["timezone"] = ask.select(
        t("prompts.profile_timezone"),
        [(zone, zone) for zone in ("WIB", "WITA", "WIT")],
        values.get("timezone") or "WIB",
    )
    values["paper"] = ask.select(
        t("prompts.profile_paper"), [(p, p) for p in ("A4", "F4")], values.get("paper") or "A4"
    )
    return {k: v for k, v in values.items() if v not in (None, "", [], {})}


# --------------------------------------------------------------------------- the flow


class _Flow:
    """One prompt session over the record-shaped answers of ``draft``."""

    def __init__(
        self,
        archive: ReleaseArchive,
        profile: Profile | None,
        draft: Draft,
        *,
        photo_folder: Path | None,
        autosave: bool,
    ) -> None:
        self.archive = archive
        self.profile = profile
        self.draft = draft
        self.answers = draft.answers
        self.defaults = profile.record_defaults() if profile else {}
        self.photo_folder = photo_folder
        self.autosave = autosave
        self.ask = _Prompter(draft)
        self._history: tuple[dict[str, dict[str, str]], list[str]] | None = None

    # -------------------------------------------------------------- walking the sections

    def continue_draft(self) -> None:
        """Ask the sections not answered yet (all of them for a new release)."""
        step = self.draft.step if self.draft.step in SECTIONS else None
        if self.draft.reviewing:
            if step:
                self.section(step)
            return
        start = SECTIONS.index(step) if step else len(SECTIONS)
        for section in SECTIONS[start:]:
            self.section(section)
        self.draft.reviewing = True
        self._autosave()

    def section(self, name: str) -> None:
        self.draft.step = name
        getattr(self, f"_ask_{name}")()
        self.draft.step = REVIEW if self.draft.reviewing else self._next_step(name)
        self._autosave()

    @staticmethod
    def _next_step(name: str) -> str:
        index = SECTIONS.index(name) + 1
        return SECTIONS[index] if index < len(SECTIONS) else REVIEW

    def _autosave(self) -> None:
        if self.autosave:
            self.draft.keep()

    # -------------------------------------------------------------- review

    def review(self) -> Release | None:
        """Show the release as it will read; save, change a section, or cancel."""
        while True:
            try:
                release = parse_release(self.answers)
            except RecordError as err:
                # Only possible when sections disagree (a quote whose speaker was removed).
                note(err.message)
                field = err.problems[0].field.split("[")[0].split(".")[0]
                self.section(SECTION_OF_FIELD.get(field, "title"))
                continue
            self._show(release)
            action = self.ask.select(
                t("prompts.review_action"),
                [
                    (t("prompts.action_save"), "save"),
                    (t("prompts.action_change"), "change"),
                    (t("prompts.action_cancel"), "cancel"),
                ],
                "save",
            )
            if action == "save":
                return release
            if action == "change":
                choices = [(t(f"prompts.section_{s}"), s) for s in SECTIONS]
                choices.append((t("prompts.back"), ""))
                chosen = self.ask.select(t("prompts.which_section"), choices, SECTIONS[0])
                if chosen:
                    self.section(chosen)
            elif self.ask.confirm(t("prompts.cancel_confirm"), default=False):
                return None

    def _show(self, release: Release) -> None:
        from humaskit.document.compose import compose
        from humaskit.document.markdown import render_markdown

        document = compose(release, timezone=self.profile.timezone if self.profile else "WIB")
        text = render_markdown(document, self.profile)
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[-1].lstrip("\n")
        # Read, not copied: wrapped at words to the terminal (which would cut them).
        width = terminal_width(sys.stderr)
        rule = "─" * min(72, width or 72)
        note(rule)
        note(wrapped(f"{document.date_long} · {release.unit}", width))
        note("")
        note(wrapped(text.rstrip("\n"), width))
        note(rule)

    # -------------------------------------------------------------- sections

    def _ask_title(self) -> None:
        title = self.ask.text(
            "title",
            t("prompts.title"),
            self.answers.get("title") or "",
            check_title,
            toolbar=_title_toolbar,
        )
        self.answers["title"] = title
        if len(title.split()) > TITLE_WORDS:
            note(t("prompts.title_hint", words=len(title.split()), limit=TITLE_WORDS))

    def _ask_date(self) -> None:
        # Not prefilled: a date typed after a prefilled one would be glued onto it. An empty
        # answer keeps the date shown in the instruction (today for a new release).
        current = dt.date.fromisoformat(str(self.answers.get("date") or dt.date.today()))

        def check(text: str) -> tuple[Any, str | None]:
            return _date_check(text) if text.strip() else (current, None)

        day = self.ask.text(
            "date",
            t("prompts.date"),
            "",
            check,
            instruction=t("prompts.date_keep", date=dates.long_date(current)),
            toolbar=_date_toolbar,
        )
        self.answers["date"] = day.isoformat()
        note(f"  → {dates.long_date(day)}")

    def _ask_place(self) -> None:
        for key in ("location", "outlet", "unit", "signature"):
            default = self.answers.get(key, self.defaults.get(key)) or ""
            if key == "signature" and not default:
                default = _suggested("signature", self.answers)
            check = _record_check(key, _field_fragment(key))
            self._set(key, self.ask.text(key, t(f"prompts.{key}"), default, check))
        # The dateline's form is the profile's for a new release and the record's own when
        # editing; one that needs the outlet just cleared is dropped (the town is written).
        form = self.defaults.get("dateline") if self.draft.edit_of is None else None
        form = self.answers.get("dateline", form)
        if form and check_dateline(form, self.answers.get("outlet")):
            form = None
        self._set("dateline", form)

    def _ask_lead(self) -> None:
        check = _record_check("lead", lambda v: {"lead": v}, multiline=True)
        self.answers["lead"] = self.ask.paragraph(
            "lead", t("prompts.lead"), self.answers.get("lead") or "", check
        )

    def _ask_body(self) -> None:
        check = _optional(_record_check("body[0]", lambda v: {"body": [v]}, multiline=True))

        def ask_item(i: int, existing: str | None) -> str | None:
            message = t("prompts.body", number=i + 1)
            hint = t("prompts.body_keep") if existing else t("prompts.body_more")
            return self.ask.paragraph(f"body[{i}]", message, existing or "", check, hint) or None

        _edit_list(self.answers.setdefault("body", []), ask_item)

    def _ask_speakers(self) -> None:
        speakers: list[dict[str, str]] = self.answers.setdefault("speakers", [])
        known, _ = self._archive_history()
        completer = _word_completer(sorted(known.values(), key=lambda s: s["name"]))

        def ask_item(i: int, existing: dict[str, str] | None) -> dict[str, str] | None:
            others = [s for j, s in enumerate(speakers) if j != i]
            path = f"speakers[{len(others)}]"
            name_check = _optional(
                _record_check(
                    f"{path}.name", lambda v: {"speakers": [*others, {"name": v, "title": "x"}]}
                )
            )
            hint = t("prompts.speaker_keep") if existing else t("prompts.speaker_more")
            old = existing or {}
            name = self.ask.text(
                f"speakers[{i}].name",
                t("prompts.speaker_name", number=i + 1),
                old.get("name", ""),
                name_check,
                completer=completer,
                instruction=hint,
            )
            if not name:
                return None
            last = known.get(name.casefold(), {})
            same = old.get("name") == name
            title_default = (old.get("title") if same else None) or last.get("title", "")
            title = self.ask.text(
                f"speakers[{i}].title",
                t("prompts.speaker_title", name=name),
                title_default,
                _record_check(
                    "speakers[0].title", lambda v: {"speakers": [{"name": "x", "title": v}]}
                ),
            )
            short_default = (old.get("short") if same else None) or suggest_short_name(name)
            short = self.ask.text(
                f"speakers[{i}].short",
                t("prompts.speaker_short", name=name),
                short_default,
                _record_check(
                    "speakers[0].short",
                    lambda v: {"speakers": [{"name": "x", "title": "x", "short": v}]},
                ),
            )
            if old.get("name") and old["name"] != name:
                for quote in self.answers.get("quotes") or []:
                    if quote.get("speaker") == old["name"]:
                        quote["speaker"] = name
            entry = {"name": name, "title": title}
            if short and short != name:
                entry["short"] = short
            return entry

        _edit_list(speakers, ask_item)
        if not speakers:
            self.answers.pop("speakers", None)

    def _ask_quotes(self) -> None:
        names = [s["name"] for s in self.answers.get("speakers") or []]
        quotes: list[dict[str, str]] = self.answers.setdefault("quotes", [])
        if not names:
            if quotes:
                note(t("prompts.quotes_need_speakers"))
            self.answers.pop("quotes", None)
            return
        text_check = _record_check(
            "quotes[0].text",
            lambda v: {
                "speakers": [{"name": "x", "title": "x"}],
                "quotes": [{"speaker": "x", "text": v}],
            },
            multiline=True,
        )

        def ask_item(i: int, existing: dict[str, str] | None) -> dict[str, str] | None:
            old = existing or {}
            stop = t("prompts.quote_remove") if existing else t("prompts.quote_done")
            choices = [(name, name) for name in names] + [(stop, "")]
            default = old.get("speaker") or ""
            default = default if default in names else names[0]
            speaker = self.ask.select(t("prompts.quote_speaker", number=i + 1), choices, default)
            if not speaker:
                return None
            text = self.ask.paragraph(
                f"quotes[{i}].text",
                t("prompts.quote_text", name=speaker),
                old.get("text", ""),
                text_check,
            )
            verbs = list(PROMPT_VERBS)
            if old.get("verb") and old["verb"] not in verbs:
                verbs.append(old["verb"])
            verb = self.ask.select(
                t("prompts.quote_verb"), [(v, v) for v in verbs], old.get("verb") or DEFAULT_VERB
            )
            return {"speaker": speaker, "text": text, "verb": verb}

        _edit_list(quotes, ask_item)
        if not quotes:
            self.answers.pop("quotes", None)

    def _ask_closing(self) -> None:
        record_check = _record_check("closing", lambda v: {"closing": v}, multiline=True)

        def check(text: str) -> tuple[Any, str | None]:
            value, error = record_check(text)
            if value and value.rstrip(" .…") == CLOSING_SUGGESTION.strip():
                return None, t("prompts.closing_unfinished")
            return value, error

        self.answers["closing"] = self.ask.paragraph(
            "closing",
            t("prompts.closing"),
            self.answers.get("closing") or CLOSING_SUGGESTION,
            check,
        )

    def _ask_tags(self) -> None:
        _, known = self._archive_history()

        def check(text: str) -> tuple[Any, str | None]:
            tags = [part.strip() for part in text.split(",") if part.strip()]
            error = _record_problem({"tags": tags}, "tags")
            return (None, error) if error else (tags, None)

        tags = self.ask.text(
            "tags",
            t("prompts.tags"),
            ", ".join(self.answers.get("tags") or []),
            check,
            completer=_tags_completer(known),
            instruction=t("prompts.tags_hint"),
        )
        self._set("tags", tags)

    def _ask_photos(self) -> None:
        photos: list[dict[str, str]] = self.answers.setdefault("photos", [])
        caption_check = _record_check(
            "photos[0].caption", lambda v: {"photos": [{"path": "x", "caption": v}]}
        )

        def ask_item(i: int, existing: dict[str, str] | None) -> dict[str, str] | None:
            old = existing or {}
            hint = t("prompts.photo_keep") if existing else t("prompts.photo_more")
            path = self.ask.text(
                f"photos[{i}].path",
                t("prompts.photo_path", number=i + 1),
                old.get("path", ""),
                _optional(self._photo_check(i)),
                completer=_path_completer(),
                instruction=hint,
            )
            if not path:
                return None
            caption = self.ask.text(
                f"photos[{i}].caption",
                t("prompts.photo_caption"),
                old.get("caption", ""),
                caption_check,
            )
            return {"path": path, "caption": caption}

        _edit_list(photos, ask_item)
        if not photos:
            self.answers.pop("photos", None)

    def _photo_check(self, index: int) -> Check:
        from humaskit.document.photos import check_image

        def check(text: str) -> tuple[Any, str | None]:
            typed = text.strip()
            candidate = Path(typed).expanduser()
            if not candidate.is_absolute():
                in_release = self.photo_folder / candidate if self.photo_folder else None
                if in_release is not None and not candidate.exists() and in_release.exists():
                    candidate = in_release  # a photo the release already has: keep its path
                else:
                    candidate = candidate.absolute()
                    typed = str(candidate)
            try:
                check_image(candidate, f"photos[{index}].path")
            except InputError as err:
                return None, err.message
            return typed, None

        return check

    def _ask_contact(self) -> None:
        current = self.answers.get("contact") or self.defaults.get("contact") or {}
        name = self.ask.text(
            "contact.name", t("prompts.contact_name"), current.get("name", ""), _one_line()
        )
        if not name:
            self.answers.pop("contact", None)
            return
        contact = {"name": name}
        contact["phone"] = self.ask.text(
            "contact.phone", t("prompts.contact_phone"), current.get("phone", ""), _one_line()
        )
        contact["email"] = self.ask.text(
            "contact.email", t("prompts.contact_email"), current.get("email", ""), _email_check
        )
        self.answers["contact"] = {k: v for k, v in contact.items() if v}

    # -------------------------------------------------------------- helpers

    def _set(self, key: str, value: Any) -> None:
        if value in (None, "", []):
            self.answers.pop(key, None)
        else:
            self.answers[key] = value

    def _archive_history(self) -> tuple[dict[str, dict[str, str]], list[str]]:
        """Speakers (by case-folded name, as last used) and tags (most used first)."""
        if self._history is None:
            speakers: dict[str, dict[str, str]] = {}
            tags: Counter[str] = Counter()
            ids = self.archive.ids()[:HISTORY_RELEASES]
            with contextlib.suppress(HumasError):
                for stored in self.archive.iter_releases(ids):  # newest first
                    for speaker in stored.release.speakers:
                        speakers.setdefault(
                            speaker.name.casefold(), {"name": speaker.name, "title": speaker.title}
                        )
                    tags.update(stored.release.tags)
            self._history = (speakers, [tag for tag, _ in tags.most_common()])
        return self._history


def _edit_list(items: list[Any], ask_item: Callable[[int, Any], Any]) -> None:
    """Walk the items already there (an empty answer removes one), then add until empty.

    ``items`` is changed in place, so a draft kept on Ctrl-C has every answer so far.
    """
    i = 0
    while True:
        existing = items[i] if i < len(items) else None
        value = ask_item(i, existing)
        if value is None:
            if existing is None:
                return
            del items[i]
            continue
        if existing is None:
            items.append(value)
        else:
            items[i] = value
        i += 1


def _ask_lines(ask: _Prompter, key: str, lines: list[str], message_key: str) -> list[str]:
    check = _optional(_one_line())

    def ask_item(i: int, existing: str | None) -> str | None:
        return ask.text(f"{key}[{i}]", t(message_key, number=i + 1), existing or "", check) or None

    _edit_list(lines, ask_item)
    return lines


# --------------------------------------------------------------------------- checks

# The smallest valid record: a field checked alone is merged into it, so the record's own
# rules (and messages) decide — one set of rules for files and prompts.
_VALID_RECORD = {
    "title": "x",
    "date": "2000-01-01",
    "location": "x",
    "unit": "x",
    "lead": "x",
    "closing": "x",
    "signature": "x",
}


def _record_problem(fragment: dict[str, Any], path: str) -> str | None:
    """The record's message for ``path`` when ``fragment`` is part of a record, else None."""
    try:
        parse_release({**_VALID_RECORD, **fragment})
    except RecordError as err:
        for problem in err.problems:
            if problem.field == path or problem.field.startswith((f"{path}.", f"{path}[")):
                return problem.message
    return None


def _record_check(
    path: str, fragment: Callable[[str], dict[str, Any]], *, multiline: bool = False
) -> Check:
    def check(text: str) -> tuple[Any, str | None]:
        error = _record_problem(fragment(text), path)
        if error:
            return None, error
        value, _ = check_text(text, multiline=multiline)
        return value or "", None

    return check


def _field_fragment(key: str) -> Callable[[Any], dict[str, Any]]:
    """The record fragment one answer stands for (``{"location": value}``)."""
    return lambda value: {key: value}


def _optional(check: Check) -> Check:
    """An empty answer is allowed (it ends a list); anything else must pass ``check``."""

    def optional(text: str) -> tuple[Any, str | None]:
        return ("", None) if not text.strip() else check(text)

    return optional


def _one_line(*, required: bool = False) -> Check:
    return _record_check("location", lambda v: {"location": v if required else v or "x"})


def _email_check(text: str) -> tuple[Any, str | None]:
    if not text.strip():
        return "", None
    error = _record_problem({"contact": {"name": "x", "email": text}}, "contact.email")
    return (None, error) if error else check_text(text)


def _date_check(text: str) -> tuple[Any, str | None]:
    try:
        return dates.parse_user_date(text, t("prompts.date_field")), None
    except InputError as err:
        return None, err.message


def _logo_check(text: str) -> tuple[Any, str | None]:
    if not text.strip():
        return "", None
    from humaskit.document.photos import check_image

    try:
        check_image(Path(text.strip()).expanduser().absolute(), "logo")
    except InputError as err:
        return None, err.message
    return str(Path(text.strip()).expanduser().absolute()), None


def _title_toolbar() -> str:
    from prompt_toolkit.application.current import get_app

    words = len(get_app().current_buffer.text.split())
    return t("prompts.title_hint", words=words, limit=TITLE_WORDS) if words > TITLE_WORDS else ""


def _date_toolbar() -> str:
    from prompt_toolkit.application.current import get_app

    day, _ = _date_check(get_app().current_buffer.text)
    return dates.long_date(day) if day else ""


# --------------------------------------------------------------------------- prompts


class _Prompter:
    """questionary questions with the record's checks, Ctrl-C capture and ``unsafe_ask``."""

    def __init__(self, draft: Draft | None) -> None:
        self.draft = draft

    def text(
        self,
        key: str,
        message: str,
        default: str,
        check: Check,
        *,
        paragraph: bool = False,
        instruction: str | None = None,
        completer: Any = None,
        toolbar: Callable[[], str] | None = None,
    ) -> Any:
        """Ask until ``check`` accepts; returns the checked value. ``key`` names the answer
        in a draft: text half-typed when Ctrl-C is pressed comes back as the default."""
        import questionary
        from prompt_toolkit.key_binding import KeyBindings

        if self.draft is not None:
            default = self.draft.partial.pop(key, default)
        bindings = KeyBindings()
        typed: dict[str, str] = {}

        @bindings.add("c-c")
        def _interrupt(event: Any) -> None:
            typed["text"] = event.app.current_buffer.text
            event.app.exit(exception=KeyboardInterrupt, style="class:aborting")

        if paragraph:

            @bindings.add("enter")
            def _enter(event: Any) -> None:
                # A paragraph has no blank lines, so Enter on an empty line ends it.
                buffer = event.current_buffer
                document = buffer.document
                at_end = document.is_cursor_at_the_end
                if not buffer.text.strip() or (at_end and document.current_line == ""):
                    buffer.validate_and_handle()
                else:
                    buffer.newline(copy_margin=False)

        def validate(value: str) -> bool | str:
            return check(value)[1] or True

        question = questionary.text(
            message,
            default=default,
            validate=validate,
            multiline=paragraph,
            instruction=instruction,
            key_bindings=bindings,
            completer=completer,
            bottom_toolbar=toolbar,
        )
        try:
            answer = question.unsafe_ask()
        except KeyboardInterrupt:
            if self.draft is not None and typed.get("text", "").strip():
                self.draft.partial[key] = typed["text"]
            raise
        value, error = check(answer)
        assert error is None  # the prompt only returns answers the check accepted
        return value

    def paragraph(
        self, key: str, message: str, default: str, check: Check, hint: str | None = None
    ) -> Any:
        # The paragraph starts on its own line, so it wraps at the terminal's full width.
        instruction = t("prompts.paragraph_hint") + (f" {hint}" if hint else "") + "\n"
        return self.text(key, message, default, check, paragraph=True, instruction=instruction)

    def select(self, message: str, choices: list[tuple[str, str]], default: str) -> str:
        import questionary

        return questionary.select(
            message,
            choices=[questionary.Choice(title, value=value) for title, value in choices],
            default=default,
            instruction=t("prompts.select_hint"),
        ).unsafe_ask()

    def confirm(self, message: str, *, default: bool) -> bool:
        import questionary

        return bool(questionary.confirm(message, default=default).unsafe_ask())


def _word_completer(speakers: list[dict[str, str]]) -> Any:
    from prompt_toolkit.completion import WordCompleter

    return WordCompleter(
        [s["name"] for s in speakers],
        meta_dict={s["name"]: s["title"] for s in speakers},
        ignore_case=True,
        match_middle=True,
        sentence=True,
    )


def _tags_completer(tags: list[str]) -> Any:
    from prompt_toolkit.completion import Completer, Completion

    class TagCompleter(Completer):
        """Completes the tag after the last comma from the archive's tags."""

        def get_completions(self, document, complete_event):
            current = document.text_before_cursor.rsplit(",", 1)[-1].lstrip()
            wanted = current.casefold()
            if not wanted:
                return
            for tag in tags:
                if wanted in tag.casefold() and tag != current:
                    yield Completion(tag, start_position=-len(current))

    return TagCompleter()


def _path_completer() -> Any:
    from prompt_toolkit.completion import PathCompleter

    return PathCompleter(expanduser=True)


# --------------------------------------------------------------------------- drafts


@contextlib.contextmanager
def _keeping_draft(draft: Draft, unchanged: dict[str, Any] | None = None) -> Iterator[None]:
    """Ctrl-C, end of input or a failed save keep the answers as a draft and say where.

    Answers that are still what the session started with (``unchanged``) are not worth a
    draft: nothing typed would be lost.
    """
    try:
        yield
    except (KeyboardInterrupt, EOFError):
        note("")
        if draft.answers == (unchanged or {}) and not draft.partial:
            draft.discard()
            raise KeyboardInterrupt from None
        note(t("prompts.draft_kept", path=draft.keep()))
        raise KeyboardInterrupt from None
    except HumasError:
        note(t("prompts.draft_kept", path=draft.keep()))
        raise


def _choose_draft(archive: ReleaseArchive) -> Draft:
    drafts = list_drafts(archive)
    if not drafts:
        raise NotFoundError(t("prompts.no_drafts", folder=archive.drafts_dir))
    ask = _Prompter(None)
    choices = []
    for number, draft in enumerate(drafts):
        step = draft.step if draft.step in SECTIONS else REVIEW
        label = t(
            "prompts.draft_label",
            title=draft.title or t("prompts.untitled"),
            saved=draft.saved_local(),
            section=t(f"prompts.section_{step}"),
        )
        if draft.edit_of:
            label += " " + t("prompts.draft_edit_of", id=draft.edit_of)
        choices.append((label, str(number)))
    chosen = ask.select(t("prompts.choose_draft"), choices, "0")
    return drafts[int(chosen)]
