"""The shared archive on a PostgreSQL server (psycopg 3): the same calls as the folder archive.

Everything a release has lives in the database, nothing on the client's disk: the record
(``releases.record``, the same YAML text the folder keeps), its rendered files and photos
(``release_files``), earlier records (``revisions``) and its search vector (``releases.doc``,
see :mod:`.textsearch`). Each write is one transaction, so a client killed mid-save leaves
the release as it was. Which unit may write which release is the database's row-level
security (:mod:`.schema`), not something this client decides.

This is the only module that imports psycopg; ``humaskit --help`` and the folder archive
never load it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from humaskit.backends.postgres import textsearch
from humaskit.backends.postgres.schema import SCHEMA_VERSION
from humaskit.errors import HumasError, InputError, NotFoundError, RecordError
from humaskit.i18n import t

# The record model and the folder store are imported where a release is read or written:
# ``humaskit search`` on a server needs neither (its start-up time is psycopg's already).
if TYPE_CHECKING:
    from humaskit.archive.profile import Profile
    from humaskit.archive.store import FileMap, StoredRelease
    from humaskit.backends.protocol import Progress
    from humaskit.doctor import DoctorReport
    from humaskit.publications import ReleaseSummary
    from humaskit.record.model import Release
    from humaskit.search.engine import SearchResult
    from humaskit.search.filters import Filters
    from humaskit.search.index import RebuildReport
    from humaskit.search.listing import Listed

BATCH = 500


def connect(uri: str) -> Any:
    """A connection (autocommit; transactions are explicit), or a message naming the server."""
    import psycopg

    from humaskit.archive.location import redact

    try:
        return psycopg.connect(uri, autocommit=True, connect_timeout=15)
    except psycopg.Error as err:
        raise HumasError(
            t("server.connect_failed", location=redact(uri), error=_first_line(err))
        ) from None


def add_words(conn: Any, kinds: dict[str, set[str]]) -> None:
    """Record the words of a release (``textsearch.document_vector``) in the words table."""
    # Sorted: two saves inserting the same new words lock them in the same order, so they
    # wait for each other instead of deadlocking.
    rows = sorted((w, k) for k, found in kinds.items() for w in found)
    if not rows:
        return
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO words (word, kind, stem)"
            ' SELECT * FROM unnest(%s::text[], %s::"char"[], %s::text[])'
            " ON CONFLICT DO NOTHING",
            (
                [w for w, _ in rows],
                [k for _, k in rows],
                [textsearch.stem_word(w) if k == "w" else None for w, k in rows],
            ),
        )


def content_hash(record_text: str) -> str:
    return hashlib.sha256(record_text.encode("utf-8")).hexdigest()


class PostgresArchive:
    """A release archive in a PostgreSQL database; see :class:`ReleaseArchive`."""

    def __init__(self, uri: str) -> None:
        from humaskit.archive.location import redact

        self.uri = uri
        self._location = redact(uri)
        self._conn: Any = None

    # ------------------------------------------------------------------ connection

    @property
    def location(self) -> str:
        return self._location

    @property
    def drafts_dir(self) -> Path:
        """Unfinished prompt sessions stay on this computer (they are not releases yet)."""
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        key = hashlib.blake2b(self._location.encode(), digest_size=6).hexdigest()
        return base / "humaskit" / "drafts" / key

    @property
    def conn(self) -> Any:
        if self._conn is None:
            self._conn = connect(self.uri)
            self._check_schema()
        return self._conn

    def _check_schema(self) -> None:
        import psycopg

        try:
            row = self._conn.execute("SELECT max(version) FROM humaskit_schema_version").fetchone()
        except psycopg.errors.UndefinedTable:
            raise HumasError(t("server.no_schema", location=self._location)) from None
        version = row[0] or 0
        if version < SCHEMA_VERSION:
            raise HumasError(t("server.old_schema", location=self._location))
        if version > SCHEMA_VERSION:
            raise HumasError(t("server.new_schema", location=self._location))

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        """One transaction; a refusal by row-level security becomes a message naming the role."""
        import psycopg

        conn = self.conn
        try:
            with conn.transaction():
                yield conn
        except psycopg.errors.InsufficientPrivilege:
            raise HumasError(t("server.not_your_unit", role=self._role())) from None
        except psycopg.OperationalError as err:
            raise HumasError(
                t("server.connect_failed", location=self._location, error=_first_line(err))
            ) from None

    def _role(self) -> str:
        return self.conn.execute("SELECT current_user").fetchone()[0]

    # ------------------------------------------------------------------ reading

    def ensure(self) -> None:
        _ = self.conn

    @staticmethod
    def _check_id(release_id: str) -> None:
        from humaskit.archive.store import ID_PATTERN

        if not ID_PATTERN.fullmatch(release_id) or len(release_id) > 120:
            raise InputError(t("archive.bad_id", id=release_id))

    def exists(self, release_id: str) -> bool:
        self._check_id(release_id)
        row = self.conn.execute("SELECT 1 FROM releases WHERE id = %s", (release_id,))
        return row.fetchone() is not None

    def parse_record(self, release_id: str, text: str) -> Release:
        from humaskit.record.model import load_stored_yaml, parse_release

        source = f"{self._location}#{release_id}"
        try:
            return parse_release(load_stored_yaml(text), source=source)
        except (RecordError, ValueError, TypeError) as err:
            raise HumasError(t("archive.damaged", path=source, error=err)) from None

    def _facets_of(self, release_id: str, facets: dict | None, record: str | None) -> dict:
        """A row's tags and speakers (``facets``); for a row saved before that column (NULL),
        read from its record, which the query then selects (``CASE WHEN facets IS NULL``)."""
        if facets is not None:
            return facets
        assert record is not None
        return json.loads(_facets(self.parse_record(release_id, record)))

    def load(self, release_id: str) -> StoredRelease:
        from humaskit.archive.store import StoredRelease

        self._check_id(release_id)
        row = self.conn.execute("SELECT record FROM releases WHERE id = %s", (release_id,))
        found = row.fetchone()
        if found is None:
            raise NotFoundError(t("archive.not_found", id=release_id))
        return StoredRelease(release_id, None, self.parse_record(release_id, found[0]))

    def ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM releases ORDER BY id DESC")]

    def ids_on(self, day: dt.date) -> list[str]:
        rows = self.conn.execute("SELECT id FROM releases WHERE day = %s ORDER BY id DESC", (day,))
        return [r[0] for r in rows]

    def iter_releases(self, ids: list[str] | None = None) -> Iterator[StoredRelease]:
        from humaskit.archive.store import StoredRelease

        wanted = self.ids() if ids is None else ids
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            rows = self.conn.execute(
                "SELECT id, record FROM releases WHERE id = ANY(%s)", (chunk,)
            ).fetchall()
            records = dict(rows)
            for release_id in chunk:
                if release_id in records:
                    with contextlib.suppress(HumasError):
                        yield StoredRelease(
                            release_id, None, self.parse_record(release_id, records[release_id])
                        )

    def read_meta(self, release_id: str) -> dict:
        row = self.conn.execute(
            "SELECT meta, revision, created, updated FROM releases WHERE id = %s", (release_id,)
        ).fetchone()
        if row is None:
            return {}
        meta, revision, created, updated = row
        return {
            **meta,
            "created": _stamp(created),
            "updated": _stamp(updated),
            "revision": revision,
        }

    def revisions(self, release_id: str) -> list[tuple[int, str]]:
        """Earlier records, oldest first: (number, record text)."""
        rows = self.conn.execute(
            "SELECT number, record FROM revisions WHERE release_id = %s ORDER BY number",
            (release_id,),
        )
        return list(rows)

    def record_text(self, release_id: str) -> str:
        row = self.conn.execute("SELECT record FROM releases WHERE id = %s", (release_id,))
        found = row.fetchone()
        if found is None:
            raise NotFoundError(t("archive.not_found", id=release_id))
        return found[0]

    def revision_records(self, release_id: str) -> list[str]:
        return [record for _, record in self.revisions(release_id)]

    def read_file(self, release_id: str, name: str) -> bytes:
        row = self.conn.execute(
            "SELECT data FROM release_files WHERE release_id = %s AND name = %s",
            (release_id, name),
        ).fetchone()
        if row is None:
            raise NotFoundError(t("server.no_file", id=release_id, name=name))
        return bytes(row[0])

    def file_names(self, release_id: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT name FROM release_files WHERE release_id = %s ORDER BY name", (release_id,)
        )
        return [r[0] for r in rows]

    def file_location(self, release_id: str, name: str) -> str:
        return f"{self._location}#{release_id}/{name}"

    def contains(self, path: Path) -> bool:
        return False  # nothing of a server archive is a file on this computer

    @contextlib.contextmanager
    def release_folder(self, release_id: str) -> Iterator[Path]:
        """A temporary folder holding the release's stored files (for rendering, editing)."""
        rows = self.conn.execute(
            "SELECT name, data FROM release_files WHERE release_id = %s", (release_id,)
        ).fetchall()
        with tempfile.TemporaryDirectory(prefix="humaskit-release-") as work:
            folder = Path(work)
            for name, data in rows:
                target = (folder / name).resolve()
                if folder.resolve() not in target.parents:
                    continue  # a name that is not a plain relative path is never written
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(bytes(data))
            yield folder

    # ------------------------------------------------------------------ writing

    def create(
        self,
        release: Release,
        files: FileMap,
        meta: Mapping | None = None,
        publications: list[dict] | None = None,
    ) -> StoredRelease:
        from humaskit.archive.store import StoredRelease, base_id
        from humaskit.record.model import dump_record

        record = dump_record(release)
        wanted = base_id(release)
        with self._transaction() as conn:
            # One lock per base id: two clients saving the same title get -2 and -3, not a clash.
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (wanted,))
            taken = {
                r[0]
                for r in conn.execute(
                    "SELECT id FROM releases WHERE id = %s OR id LIKE %s",
                    (wanted, wanted + "-%"),
                )
            }
            release_id, number = wanted, 1
            while release_id in taken:
                number += 1
                release_id = f"{wanted}-{number}"
            kinds = self._insert(conn, release_id, release, record, dict(meta or {}), 0)
            if publications:
                conn.execute(
                    "UPDATE releases SET publications = %s WHERE id = %s",
                    (json.dumps(publications, ensure_ascii=False, default=_iso), release_id),
                )
            self._put_files(conn, release_id, files)
            self._add_words(conn, kinds)
        return StoredRelease(release_id, None, release)

    def replace(
        self, release_id: str, release: Release, files: FileMap, meta: Mapping | None = None
    ) -> int:
        from humaskit.record.model import dump_record

        self._check_id(release_id)
        record = dump_record(release)
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT record, content_hash, revision, meta FROM releases WHERE id = %s"
                " FOR UPDATE",
                (release_id,),
            ).fetchone()
            if row is None:
                if self.exists(release_id):  # visible, but row-level security keeps it
                    raise HumasError(t("server.not_your_unit", role=self._role()))
                raise NotFoundError(t("archive.not_found", id=release_id))
            previous, previous_hash, revision, old_meta = row
            number = revision + 1
            conn.execute(
                "INSERT INTO revisions (release_id, number, record, content_hash)"
                " VALUES (%s, %s, %s, %s)",
                (release_id, number, previous, previous_hash),
            )
            columns, kinds = _row(release, record)
            columns.update(revision=number, meta=_json({**old_meta, **(meta or {})}))
            assignments = ", ".join(f"{name} = {_PLACE.get(name, '%s')}" for name in columns)
            conn.execute(
                f"UPDATE releases SET {assignments}, updated = now(), saved_by = current_user"
                " WHERE id = %s",
                [*columns.values(), release_id],
            )
            self._put_files(conn, release_id, files)
            self._add_words(conn, kinds)
        return number

    def restore(
        self,
        release_id: str,
        record: str,
        files: dict[str, bytes],
        revisions: list[str],
        meta: dict,
    ) -> None:
        """Put a release from another archive here under its own id, with its revisions
        (``sync --to``), in one transaction."""
        self._check_id(release_id)
        release = self.parse_record(release_id, record)
        with self._transaction() as conn:
            kinds = self._insert(conn, release_id, release, record, meta, len(revisions))
            for number, text in enumerate(revisions, start=1):
                conn.execute(
                    "INSERT INTO revisions (release_id, number, record, content_hash)"
                    " VALUES (%s, %s, %s, %s)",
                    (release_id, number, text, content_hash(text)),
                )
            self._put_files(conn, release_id, files)
            self._add_words(conn, kinds)

    def rewrite_files(self, release_id: str, files: FileMap) -> None:
        with self._transaction() as conn:
            self._put_files(conn, release_id, files)

    def delete(self, release_id: str) -> None:
        """Remove a release with its files and revisions (``sync`` never calls it)."""
        self._check_id(release_id)
        with self._transaction() as conn:
            done = conn.execute("DELETE FROM releases WHERE id = %s", (release_id,))
            if done.rowcount == 0:
                if self.exists(release_id):
                    raise HumasError(t("server.not_your_unit", role=self._role()))
                raise NotFoundError(t("archive.not_found", id=release_id))

    @staticmethod
    def _insert(
        conn: Any, release_id: str, release: Release, record: str, meta: dict, revision: int
    ) -> dict[str, set[str]]:
        """The release's row with its search vector; returns its words for the words table."""
        columns, kinds = _row(release, record)
        columns.update(id=release_id, revision=revision, meta=_json(meta))
        names = ", ".join(columns)
        places = ", ".join(_PLACE.get(name, "%s") for name in columns)
        conn.execute(f"INSERT INTO releases ({names}) VALUES ({places})", list(columns.values()))
        return kinds

    @staticmethod
    def _put_files(conn: Any, release_id: str, files: FileMap) -> None:
        for name, content in files.items():
            data = content.read_bytes() if isinstance(content, Path) else content
            if name.startswith("/") or ".." in Path(name).parts:
                raise InputError(t("archive.outside", path=name))
            conn.execute(
                "INSERT INTO release_files (release_id, name, data) VALUES (%s, %s, %s)"
                " ON CONFLICT (release_id, name) DO UPDATE SET data = excluded.data",
                (release_id, name, data),
            )

    @staticmethod
    def _add_words(conn: Any, kinds: dict[str, set[str]]) -> None:
        add_words(conn, kinds)

    # ------------------------------------------------------------------ finding

    def index(self, stored: list[StoredRelease]) -> None:
        """Nothing to do: a release's search vector is written in the transaction that saves it."""

    def reindex(self, progress: Progress | None = None) -> RebuildReport:
        """Compute every search vector again (those this role may write)."""
        from humaskit.search.index import RebuildReport

        report = RebuildReport()
        ids = self.ids()
        for number, release_id in enumerate(ids, start=1):
            try:
                stored = self.load(release_id)
            except HumasError:
                report.damaged.append(release_id)
                continue
            vector, kinds = textsearch.document_vector(stored.release)
            with self._transaction() as conn:
                done = conn.execute(
                    "UPDATE releases SET doc = %s::tsvector, doc_version = %s WHERE id = %s",
                    (vector, textsearch.DOC_VERSION, release_id),
                )
                if done.rowcount:
                    self._add_words(conn, kinds)
                    report.indexed += 1
            if progress is not None:
                progress(number, len(ids))
        return report

    def list_releases(
        self,
        filters: Filters,
        limit: int | None = None,
        on_rebuild: Callable[[str], None] | None = None,
    ) -> tuple[list[Listed], int]:
        from humaskit.search.listing import Listed

        where, params = textsearch.filter_sql(filters)
        clause = " WHERE " + " AND ".join(where) if where else ""
        total = self.conn.execute(f"SELECT count(*) FROM releases{clause}", params).fetchone()[0]
        limit_sql = "" if limit is None else f" LIMIT {int(limit)}"
        rows = self.conn.execute(
            "SELECT id, day, title, unit, facets, CASE WHEN facets IS NULL THEN record END"
            f" FROM releases{clause} ORDER BY id DESC{limit_sql}",
            params,
        ).fetchall()
        listed = []
        for release_id, day, title, unit, facets, record in rows:
            facets = self._facets_of(release_id, facets, record)
            listed.append(Listed(release_id, title, day.isoformat(), unit, tuple(facets["tags"])))
        return listed, total

    def search(
        self, query: str, filters: Filters, limit: int = 10, synonyms_file: Path | None = None
    ) -> SearchResult:
        from humaskit.backends.postgres.search import search

        return search(self, query, filters, limit, synonyms_file)

    # ------------------------------------------------------------------ publication log

    def read_publications(self, release_id: str) -> list[dict]:
        self._check_id(release_id)
        row = self.conn.execute(
            "SELECT publications FROM releases WHERE id = %s", (release_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(t("archive.not_found", id=release_id))
        return list(row[0] or [])

    def update_publications(
        self, release_id: str, change: Callable[[list[dict]], list[dict]]
    ) -> list[dict]:
        """Read, change and write in one transaction, the row locked: row-level security
        lets a unit log only its own releases' publications."""
        self._check_id(release_id)
        with self._transaction() as conn:
            row = conn.execute(
                "SELECT publications FROM releases WHERE id = %s FOR UPDATE", (release_id,)
            ).fetchone()
            if row is None:
                if self.exists(release_id):  # visible, but another unit's
                    raise HumasError(t("server.not_your_unit", role=self._role()))
                raise NotFoundError(t("archive.not_found", id=release_id))
            items = change(list(row[0] or []))
            conn.execute(
                "UPDATE releases SET publications = %s, updated = now() WHERE id = %s",
                (json.dumps(items, ensure_ascii=False, default=_iso), release_id),
            )
        return items

    def summaries(
        self, filters: Filters, on_rebuild: Callable[[str], None] | None = None
    ) -> list[ReleaseSummary]:
        """One query over the releases table (no index to rebuild on a server)."""
        from humaskit.publications import summary_from_fields

        where, params = textsearch.filter_sql(filters)
        clause = " WHERE " + " AND ".join(where) if where else ""
        rows = self.conn.execute(
            "SELECT id, day, title, unit, publications, facets,"
            " CASE WHEN facets IS NULL THEN record END"
            f" FROM releases{clause} ORDER BY day, id",
            params,
        ).fetchall()
        found = []
        for release_id, day, title, unit, published, facets, record in rows:
            facets = self._facets_of(release_id, facets, record)
            fields = {
                "id": release_id,
                "date": day.isoformat(),
                "title": title,
                "unit": unit,
                "publications": [
                    {k: p.get(k) for k in ("url", "channel", "outlet", "date")}
                    for p in published or ()
                ],
                "tag_list": facets.get("tags", []),
                "speaker_list": facets.get("speakers", []),
            }
            found.append(summary_from_fields(fields))
        return found

    # ------------------------------------------------------------------ upkeep

    def doctor(self, profile: Profile | None, repair: bool) -> DoctorReport:
        from humaskit.backends.postgres.upkeep import run

        return run(self, profile, repair)


def _iso(value: object) -> str:
    """Dates in the publication log are stored as ISO text (as publications.yaml has them)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_PLACE = {"doc": "%s::tsvector"}  # how a column's value is written in SQL, when not plain


def _row(release: Release, record: str) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The columns a release's row takes from its record (a new row and an update alike),
    and its words by kind for the words table."""
    vector, kinds = textsearch.document_vector(release)
    columns = {
        "day": release.date,
        "title": release.title,
        "unit": release.unit,
        "signature": release.signature,
        "unit_key": release.unit.casefold().strip(),
        "signature_key": release.signature.casefold().strip(),
        "tag_keys": [tag.casefold().strip() for tag in release.tags],
        "record": record,
        "texts": release.texts(),
        "content_hash": content_hash(record),
        "doc": vector,
        "doc_version": textsearch.DOC_VERSION,
        "facets": _facets(release),
    }
    return columns, kinds


def _json(data: Mapping) -> str:
    return json.dumps(data, ensure_ascii=False)


def _facets(release: Release) -> str:
    """Tags and speakers' names as written (JSON), for recap and stats."""
    names = list(dict.fromkeys(s.name for s in release.speakers))
    return json.dumps({"tags": list(release.tags), "speakers": names}, ensure_ascii=False)


def _stamp(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _first_line(err: Exception) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
