"""A throwaway PostgreSQL cluster for the server tests: initdb in a temporary folder, a free
port on 127.0.0.1, started with pg_ctl and removed at the end of the session.

initdb refuses to run as root, so as root the cluster belongs to the ``postgres`` system user
(Debian's package creates it) and every program runs through ``runuser``. A machine without
PostgreSQL makes these tests FAIL with the reason (install it: ``apt-get install postgresql
postgresql-15-rum``: the schema's search index is RUM's); they never pass or skip silently, so
CI really runs them.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "postgres"
INSTALL_HINT = "apt-get install postgresql postgresql-contrib postgresql-15-rum"
_counter = itertools.count(1)


def _program(name: str) -> str:
    """A PostgreSQL server program: Debian keeps them in /usr/lib/postgresql/<major>/bin."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major, reverse=True)
    if found:
        return found[0]
    on_path = shutil.which(name)
    if on_path:
        return on_path
    pytest.fail(f"PostgreSQL's {name} is not installed: {INSTALL_HINT}", pytrace=False)


def _major(path: str) -> int:
    part = Path(path).parent.parent.name
    return int(part) if part.isdigit() else 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    port: int
    data: Path

    def uri(self, database: str = "postgres", user: str = SUPERUSER) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """A fresh empty database; returns its superuser URI."""
        import psycopg

        name = f"hk_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(self.uri(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.uri(name)


def _as_owner(command: list[str], owner: str | None) -> list[str]:
    return ["runuser", "-u", owner, "--", *command] if owner else command


def _check_rum(initdb: str) -> None:
    """The schema's search index is RUM's: a cluster without the extension fails the tests
    with the package to install, not with every search failing."""
    major = _major(initdb)
    if major and not Path(f"/usr/share/postgresql/{major}/extension/rum.control").exists():
        pytest.fail(
            f"PostgreSQL {major} lacks the RUM extension: apt-get install postgresql-{major}-rum",
            pytrace=False,
        )


def start_cluster(base: Path) -> tuple[Cluster, str | None]:
    initdb, pg_ctl = _program("initdb"), _program("pg_ctl")
    _check_rum(initdb)
    owner = None
    if os.geteuid() == 0:
        owner = SUPERUSER
        if shutil.which("runuser") is None:
            pytest.fail("running as root needs runuser to start PostgreSQL as postgres")
        try:
            import pwd

            pwd.getpwnam(owner)
        except KeyError:
            pytest.fail(f"no '{owner}' system user to own the test cluster: {INSTALL_HINT}")
        shutil.chown(base, user=owner)
    data = base / "data"
    port = _free_port()
    steps = [
        [initdb, "-D", str(data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
         "--locale", "C.UTF-8" if _has_c_utf8() else "C", "--no-sync"],
        [pg_ctl, "-D", str(data), "-l", str(base / "log"), "-w", "-t", "60", "-o",
         f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories='' "
         "-c fsync=off -c max_connections=60", "start"],
    ]  # fmt: skip
    for step in steps:
        done = subprocess.run(_as_owner(step, owner), capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = (base / "log").read_text() if (base / "log").exists() else ""
            pytest.fail(
                f"cannot start PostgreSQL ({Path(step[0]).name}): "
                f"{(done.stderr or done.stdout).strip()} {log[-500:]}",
                pytrace=False,
            )
    return Cluster(port, data), owner


def stop_cluster(cluster: Cluster, owner: str | None) -> None:
    command = [_program("pg_ctl"), "-D", str(cluster.data), "-m", "immediate", "-w", "stop"]
    subprocess.run(_as_owner(command, owner), capture_output=True, check=False)


def _has_c_utf8() -> bool:
    done = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False)
    return any(n.lower() in ("c.utf8", "c.utf-8") for n in done.stdout.split())


@pytest.fixture(scope="session")
def pg_cluster():  # type: ignore[no-untyped-def]
    base = Path(tempfile.mkdtemp(prefix="humaskit-pg-"))
    os.chmod(base, 0o700)
    cluster, owner = start_cluster(base)
    try:
        yield cluster
    finally:
        stop_cluster(cluster, owner)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_database(pg_cluster: Cluster) -> str:
    """A fresh database on the test cluster (superuser URI), not yet initialised."""
    return pg_cluster.new_database()
