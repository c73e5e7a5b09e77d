"""The filters of ``list`` and ``search`` (date range, unit, tag, speaker), answered by the index.

One definition for both commands: ``Filters.query()`` is the Whoosh filter query that
``listing.list_releases`` and ``engine.search`` pass to ``Searcher.search(filter=...)``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Filters:
    since: dt.date | None = None
    until: dt.date | None = None
    unit: str | None = None  # the unit's full name or its signature, any case
    tag: str | None = None  # one whole tag, any case
    speaker: str | None = None  # a speaker's name or a word or run of words of it

    @property
    def empty(self) -> bool:
        return not any((self.since, self.until, self.unit, self.tag, self.speaker))

    def query(self) -> Any:  # -> whoosh.query.Query | None
        """The Whoosh query of releases that pass every filter; ``None`` without filters."""
        from whoosh.query import And, Or, Phrase, Term, TermRange

        from humaskit.search.analysis import words

        parts: list[Any] = []
        if self.since or self.until:
            start = self.since.isoformat() if self.since else None
            end = self.until.isoformat() if self.until else None
            parts.append(TermRange("date", start, end))
        if self.unit:
            wanted = self.unit.casefold().strip()
            parts.append(Or([Term("unit_key", wanted), Term("signature_key", wanted)]))
        if self.tag:
            parts.append(Term("tags", self.tag.lower().strip()))
        if self.speaker:
            name = words(self.speaker)
            if len(name) == 1:
                parts.append(Term("speakers", name[0]))
            elif name:
                parts.append(Phrase("speakers", name))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else And(parts)
