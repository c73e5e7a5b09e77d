"""The shared archive's schema: versioned migrations, units and their roles.

``humaskit server init URI`` applies every migration newer than the database's
``humaskit_schema_version`` in one transaction each, under an advisory lock, so running it
twice (or from two machines at once) changes nothing the second time. A new humaskit version
that needs another column adds a migration at the end of ``MIGRATIONS``; old ones never change.

Row-level security: every role reads every release; a unit role (``server add-unit``) inserts,
updates and deletes only releases whose ``unit`` is one of its units in ``humaskit_units`` —
the same rule for a Kanwil's own role. The policies are in the database, so a hand-written
``UPDATE`` through the unit's role is held to them as humaskit is. The schema's owner (the
administrator who ran ``server init``) is not limited.
"""

from __future__ import annotations

import re

WRITER_ROLE = "humaskit_writer"  # the group every unit role belongs to
ROLE_PATTERN = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_LOCK_KEY = 0x68756D61  # "huma": one advisory lock for migrations
RANKED = "ts_filter(doc, '{a,b,c,d}')"  # releases.doc as the RUM index holds it (migration 3)

# What a role may write: releases of the units registered for it.
_UNITS = "(SELECT lower(u.unit) FROM humaskit_units u WHERE u.role = current_user)"
_MINE = f"lower(unit) IN {_UNITS}"
_MINE_BY_ID = (
    f"EXISTS (SELECT 1 FROM releases r WHERE r.id = release_id AND lower(r.unit) IN {_UNITS})"
)

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "releases, files, revisions, words; row-level security by unit",
        f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE humaskit_units (
    role name PRIMARY KEY,
    unit text NOT NULL,
    added timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE releases (
    id text PRIMARY KEY CHECK (id ~ '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}-[a-z0-9]+(-[a-z0-9]+)*$'),
    day date NOT NULL,
    title text NOT NULL,
    unit text NOT NULL,
    signature text NOT NULL DEFAULT '',
    unit_key text NOT NULL,
    signature_key text NOT NULL,
    tag_keys text[] NOT NULL DEFAULT '{{}}',
    record text NOT NULL,
    texts text[] NOT NULL DEFAULT '{{}}',
    content_hash text NOT NULL,
    revision integer NOT NULL DEFAULT 0,
    meta jsonb NOT NULL DEFAULT '{{}}',
    doc tsvector NOT NULL DEFAULT '',
    doc_version integer NOT NULL DEFAULT 0,
    saved_by name NOT NULL DEFAULT current_user,
    created timestamptz NOT NULL DEFAULT now(),
    updated timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX releases_day ON releases (day);
CREATE INDEX releases_unit_key ON releases (unit_key);
CREATE INDEX releases_signature_key ON releases (signature_key);
CREATE INDEX releases_tags ON releases USING gin (tag_keys);
CREATE INDEX releases_doc ON releases USING gin (doc);

CREATE TABLE release_files (
    release_id text NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    name text NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (release_id, name)
);

CREATE TABLE revisions (
    release_id text NOT NULL REFERENCES releases (id) ON DELETE CASCADE,
    number integer NOT NULL,
    record text NOT NULL,
    content_hash text NOT NULL,
    saved timestamptz NOT NULL DEFAULT now(),
    saved_by name NOT NULL DEFAULT current_user,
    PRIMARY KEY (release_id, number)
);

-- Every word of the archive once (kind w: text, n: a speaker's name, s: a Sastrawi stem):
-- "is this word known", and the nearest known word for a typing mistake (pg_trgm).
CREATE TABLE words (
    word text NOT NULL,
    kind "char" NOT NULL,
    stem text,  -- of a text word: a search need not load Sastrawi for the archive's words
    PRIMARY KEY (word, kind)
);
CREATE INDEX words_trgm ON words USING gin (word gin_trgm_ops);

DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{WRITER_ROLE}') THEN
        CREATE ROLE {WRITER_ROLE} NOLOGIN;
    END IF;
END $$;
GRANT SELECT ON humaskit_units, humaskit_schema_version TO {WRITER_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON releases, release_files, revisions TO {WRITER_ROLE};
GRANT SELECT, INSERT ON words TO {WRITER_ROLE};

ALTER TABLE releases ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON releases FOR SELECT USING (true);
CREATE POLICY insert_own ON releases FOR INSERT WITH CHECK ({_MINE});
CREATE POLICY update_own ON releases FOR UPDATE USING ({_MINE}) WITH CHECK ({_MINE});
CREATE POLICY delete_own ON releases FOR DELETE USING ({_MINE});

ALTER TABLE release_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON release_files FOR SELECT USING (true);
CREATE POLICY insert_own ON release_files FOR INSERT WITH CHECK ({_MINE_BY_ID});
CREATE POLICY update_own ON release_files FOR UPDATE
    USING ({_MINE_BY_ID}) WITH CHECK ({_MINE_BY_ID});
CREATE POLICY delete_own ON release_files FOR DELETE USING ({_MINE_BY_ID});

ALTER TABLE revisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY read_all ON revisions FOR SELECT USING (true);
CREATE POLICY insert_own ON revisions FOR INSERT WITH CHECK ({_MINE_BY_ID});
CREATE POLICY update_own ON revisions FOR UPDATE USING ({_MINE_BY_ID}) WITH CHECK ({_MINE_BY_ID});
CREATE POLICY delete_own ON revisions FOR DELETE USING ({_MINE_BY_ID});
""",
    ),
    (
        2,
        "the publication log and what recaps read (publications, tags and speakers as written)",
        """
ALTER TABLE releases ADD COLUMN publications jsonb NOT NULL DEFAULT '[]'::jsonb;
-- Tags and speakers' names as written, for recap and stats; NULL until the row is saved
-- again (a recap then reads them from the record).
ALTER TABLE releases ADD COLUMN facets jsonb;
""",
    ),
    (
        3,
        "a RUM index ranks the typed words when many releases match",
        # RUM (Debian: postgresql-NN-rum) keeps each lexeme's positions in the index, so
        # ``ORDER BY ... <=> query LIMIT n`` is answered without reading (and decompressing)
        # the releases' vectors. It indexes the expression ``RANKED`` (the whole vector, every
        # weight), not the column: ``doc @@`` stays with the GIN index, which finds and counts
        # a query's releases faster; only the ranking query names the expression.
        f"""
CREATE EXTENSION IF NOT EXISTS rum;
CREATE INDEX IF NOT EXISTS releases_doc_rum ON releases USING rum (({RANKED}) rum_tsvector_ops);
""",
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


# Extensions a migration creates that PostgreSQL does not ship itself: (migration, name,
# Debian package with {major} for the server's major version).
EXTENSIONS = [(3, "rum", "postgresql-{major}-rum")]


def missing_extension(conn) -> str | None:
    """The Debian package to install on the server when a migration still to apply needs an
    extension the server lacks (``server init`` says so instead of failing half-way)."""
    row = conn.execute("SELECT to_regclass('humaskit_schema_version') IS NOT NULL").fetchone()
    have = 0
    if row[0]:
        have = conn.execute("SELECT coalesce(max(version), 0) FROM humaskit_schema_version")
        have = have.fetchone()[0]
    for version, name, package in EXTENSIONS:
        if version <= have:
            continue
        available = conn.execute(
            "SELECT 1 FROM pg_available_extensions WHERE name = %s", (name,)
        ).fetchone()
        if not available:
            major = int(conn.execute("SHOW server_version_num").fetchone()[0]) // 10000
            return package.format(major=major)
    return None


def migrate(conn) -> list[int]:
    """Apply the migrations the database lacks; returns their numbers (empty: up to date)."""

    applied: list[int] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS humaskit_schema_version ("
            " version integer PRIMARY KEY, description text NOT NULL,"
            " applied timestamptz NOT NULL DEFAULT now())"
        )
        current = conn.execute("SELECT coalesce(max(version), 0) FROM humaskit_schema_version")
        have = current.fetchone()[0]
        for version, description, statements in MIGRATIONS:
            if version <= have:
                continue
            conn.execute(statements)
            conn.execute(
                "INSERT INTO humaskit_schema_version (version, description) VALUES (%s, %s)",
                (version, description),
            )
            applied.append(version)
    return applied


def add_unit(conn, unit: str, role: str) -> bool:
    """Give ``unit`` the login role ``role`` (created when missing); returns whether the role
    was created. Running it again changes the unit the role writes for."""
    from psycopg import sql

    with conn.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        conn.execute(
            sql.SQL("GRANT {} TO {}").format(sql.Identifier(WRITER_ROLE), sql.Identifier(role))
        )
        conn.execute(
            "INSERT INTO humaskit_units (role, unit) VALUES (%s, %s)"
            " ON CONFLICT (role) DO UPDATE SET unit = excluded.unit",
            (role, unit),
        )
    return not exists
