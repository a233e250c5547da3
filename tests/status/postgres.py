"""A throw-away PostgreSQL server, and the worker processes that hammer a status store.

Used by ``tests/status/conftest.py`` and by ``benchmarks/bench_status_registry.py`` (which
puts ``tests/`` on ``sys.path``). The server is the distribution's own binaries (install
them with ``scripts/ensure-postgres.sh``), run from a temporary data directory on a free
port on 127.0.0.1, with fsync on. initdb refuses to run as root, so when we are root the
server runs as the ``postgres`` user (``runuser -u postgres --``).

The workers are plain functions so that ``multiprocessing`` (spawn) can start them in fresh
interpreters: each opens its own registry on the shared store, as separate issuer
processes would.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
ENSURE_SCRIPT = "scripts/ensure-postgres.sh"
READY_TIMEOUT_S = 30.0
BASE_URL = "https://status.example.nhs.uk/lists"
ISSUER = "did:web:example.nhs.uk"
NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


class PostgresMissingError(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def find_bin_dir() -> Path:
    """The directory holding initdb, postgres and pg_ctl (newest installed version)."""
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin/initdb") if p.parts[4].isdigit()]
    if versions:
        return max(versions, key=lambda p: int(p.parts[4])).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise PostgresMissingError(
        "PostgreSQL server binaries (initdb, postgres, pg_ctl) are not installed: "
        f"run {ENSURE_SCRIPT} (as root) first"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    """A running throw-away server; :meth:`dsn` for connection strings."""

    root: Path
    port: int
    bin_dir: Path
    process: subprocess.Popen[bytes]
    as_postgres_user: bool

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def dsn(self, dbname: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user=postgres dbname={dbname}"

    def create_database(self, name: str) -> str:
        """A new empty database; its DSN."""
        import psycopg

        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.dsn(name)

    def create_schema(self, dbname: str, schema: str) -> str:
        """A new empty schema in ``dbname``; a DSN whose search_path is that schema, so the
        store's tables go there (much cheaper than a database per test)."""
        import psycopg

        with psycopg.connect(self.dsn(dbname), autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        return f"{self.dsn(dbname)} options='-csearch_path={schema}'"

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                subprocess.run(
                    [
                        *_as_user(self.as_postgres_user),
                        str(self.bin_dir / "pg_ctl"),
                        "stop",
                        "-D",
                        str(self.data_dir),
                        "-m",
                        "fast",
                        "-w",
                        "-t",
                        "30",
                    ],
                    check=False,
                    capture_output=True,
                    timeout=40,
                )
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def _as_user(as_postgres_user: bool) -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if as_postgres_user else []


def start_server() -> PgServer:
    """initdb into a temporary directory and start ``postgres`` on a free port; wait until
    it accepts connections. Raises PostgresMissingError if the binaries are missing."""
    bin_dir = find_bin_dir()
    as_root = os.geteuid() == 0
    root = Path(tempfile.mkdtemp(prefix="staffvc-pg-"))
    try:
        if as_root:
            entry = pwd.getpwnam("postgres")
            os.chown(root, entry.pw_uid, entry.pw_gid)
        data = root / "data"
        subprocess.run(
            [
                *_as_user(as_root),
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        port = _free_port()
        log = (root / "server.log").open("wb")
        process = subprocess.Popen(
            [
                *_as_user(as_root),
                str(bin_dir / "postgres"),
                "-D",
                str(data),
                "-k",
                str(root),
                "-p",
                str(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=on",
                "-c",
                "max_connections=60",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    server = PgServer(root, port, bin_dir, process, as_root)
    try:
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: PgServer) -> None:
    import psycopg

    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"postgres exited early:\n{server.log()}")
        try:
            with psycopg.connect(server.dsn(), connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"postgres did not become ready:\n{server.log()}") from None
            time.sleep(0.1)


@contextlib.contextmanager
def running_server() -> Iterator[PgServer]:
    server = start_server()
    try:
        yield server
    finally:
        server.stop()


# --- worker processes ------------------------------------------------------------------------

StoreSpec = tuple[str, str]
"""("sqlite", path) or ("postgres", dsn)."""


def open_registry(spec: StoreSpec, *, seed: int | None = None) -> Any:
    """A registry over the store ``spec`` names, with a seeded (or OS) random source."""
    from staffvc.clock import FixedClock
    from staffvc.status.postgres_store import PostgresStatusStore
    from staffvc.status.registry import StatusRegistry
    from staffvc.status.sqlite_store import SqliteStatusStore

    kind, where = spec
    store = SqliteStatusStore(where) if kind == "sqlite" else PostgresStatusStore(where)
    random_bytes = os.urandom if seed is None else random.Random(seed).randbytes
    return StatusRegistry(
        store,
        base_url=BASE_URL,
        issuer=ISSUER,
        random_bytes=random_bytes,
        clock=FixedClock(NOW),
    )


def allocate_many(
    spec: StoreSpec, prefix: str, count: int, seed: int, barrier: Any, out: str
) -> None:
    """Allocate ``count`` credentials ``{prefix}{i}`` after all workers reach ``barrier``;
    write ``[[credential_id, [[purpose, list_url, index], ...]], ...]`` and the elapsed
    seconds as JSON to ``out``."""
    registry = open_registry(spec, seed=seed)
    results = []
    barrier.wait(timeout=60)
    started = time.perf_counter()
    for i in range(count):
        credential_id = f"{prefix}{i}"
        entries = registry.allocate(credential_id)
        results.append(
            [
                credential_id,
                [
                    [e["statusPurpose"], e["statusListCredential"], int(e["statusListIndex"])]
                    for e in entries
                ],
            ]
        )
    elapsed = time.perf_counter() - started
    registry.close()
    Path(out).write_text(json.dumps({"elapsed": elapsed, "results": results}))


def allocate_until_killed(spec: StoreSpec, prefix: str, out: str) -> None:
    """Allocate ``{prefix}{i}`` for i = 0, 1, ... forever, appending one JSON line per
    returned allocation to ``out`` (flushed: the parent may SIGKILL us at any moment)."""
    registry = open_registry(spec)
    with Path(out).open("a", encoding="utf-8") as sink:
        i = 0
        while True:
            credential_id = f"{prefix}{i}"
            entries = registry.allocate(credential_id)
            line = [
                credential_id,
                [
                    [e["statusPurpose"], e["statusListCredential"], int(e["statusListIndex"])]
                    for e in entries
                ],
            ]
            sink.write(json.dumps(line) + "\n")
            sink.flush()
            i += 1
