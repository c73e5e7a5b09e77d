"""``humaskit server init`` and ``server add-unit``: the schema made or migrated on a server,
and a login role per unit (the SQL lives in :mod:`humaskit.backends.postgres.schema`)."""

from __future__ import annotations

from humaskit.backends.postgres import PostgresArchive, connect, textsearch
from humaskit.backends.postgres.schema import (
    ROLE_PATTERN,
    SCHEMA_VERSION,
    add_unit,
    migrate,
    missing_extension,
)


def init_server(uri: str) -> tuple[list[int], int]:
    """``humaskit server init``: the migrations applied now, and the schema's version."""
    import psycopg

    from humaskit.archive.location import redact
    from humaskit.errors import HumasError
    from humaskit.i18n import t

    with connect(uri) as conn:
        try:
            package = missing_extension(conn)
            if package:
                raise HumasError(t("server.no_rum", location=redact(uri), package=package))
            applied = migrate(conn)
            remember_synonym_stems(conn)
            return applied, SCHEMA_VERSION
        except psycopg.Error as err:  # e.g. a role that may not create tables or extensions
            error = str(err).strip().splitlines()[0]
            raise HumasError(
                t("server.migrate_failed", location=redact(uri), error=error)
            ) from None


def register_unit(uri: str, unit: str, role: str) -> bool:
    """``humaskit server add-unit``: whether the role was created (else: updated)."""
    from humaskit.errors import InputError
    from humaskit.i18n import t

    if not ROLE_PATTERN.fullmatch(role):
        raise InputError(t("server.bad_role", role=role))
    archive = PostgresArchive(uri)
    try:
        return add_unit(archive.conn, unit.strip(), role)
    finally:
        archive.close()


def remember_synonym_stems(conn) -> None:
    """The stems of the packaged synonym list's words (kind y), so that a search expanding a
    word into its synonyms need not load Sastrawi: the folder index keeps them the same way."""
    table = textsearch.load_synonyms(None)
    found = sorted({w for form in table for w in form})
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "INSERT INTO words (word, kind, stem)"
            " SELECT w, 'y', s FROM unnest(%s::text[], %s::text[]) AS t (w, s)"
            " ON CONFLICT (word, kind) DO UPDATE SET stem = excluded.stem",
            (found, [textsearch.stem_word(w) for w in found]),
        )
