"""One ``Finding`` type for everything humaskit points out to a person: a quality note on a
release (``checks``) and a disagreement or damage in the archive (``doctor``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Finding:
    """``code`` says what (``weekday``, ``stale_entry``), ``message`` says it in the user's
    language; ``field`` is the record field it is about (checks), ``id`` the release and
    ``path`` the file it concerns (doctor)."""

    code: str
    severity: str = ERROR
    field: str = ""
    message: str = ""
    id: str | None = None
    path: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "field": self.field,
            "message": self.message,
        }

    def where(self) -> str:
        """The file it concerns, else the release, else the field: what a line names."""
        return self.path or self.id or self.field
