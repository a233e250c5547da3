"""Fixtures for the status registry and its stores.

``store_spec`` is parametrized over both stores: SQLite in a temporary file, and a fresh
database on a throw-away PostgreSQL server started once per test session (it FAILS, never
skips, when the server binaries are missing: run scripts/ensure-postgres.sh).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from staffvc.clock import FixedClock
from staffvc.status.postgres_store import PostgresStatusStore
from staffvc.status.registry import StatusRegistry
from staffvc.status.sqlite_store import SqliteStatusStore
from staffvc.status.store import StatusStore
from status.postgres import (
    BASE_URL,
    ISSUER,
    NOW,
    PgServer,
    PostgresMissingError,
    StoreSpec,
    start_server,
)

TEST_DATABASE = "staffvc_tests"
_schemas = itertools.count()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    try:
        server = start_server()
    except PostgresMissingError as exc:
        pytest.fail(str(exc), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_database(pg_server: PgServer) -> str:
    """The tests' database on the session's server (each test gets its own schema in it)."""
    pg_server.create_database(TEST_DATABASE)
    return TEST_DATABASE


@pytest.fixture
def pg_dsn(pg_server: PgServer, pg_database: str) -> str:
    """A DSN whose search_path is a new, empty schema: a fresh store for one test."""
    return pg_server.create_schema(pg_database, f"t{next(_schemas)}")


@pytest.fixture(params=["sqlite", "postgres"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> StoreSpec:
    if request.param == "sqlite":
        return ("sqlite", str(tmp_path / "status.db"))
    return ("postgres", request.getfixturevalue("pg_dsn"))


def open_store(spec: StoreSpec) -> StatusStore:
    kind, where = spec
    return SqliteStatusStore(where) if kind == "sqlite" else PostgresStatusStore(where)


@pytest.fixture
def store(store_spec: StoreSpec) -> Iterator[StatusStore]:
    opened = open_store(store_spec)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def store_factory(
    store_spec: StoreSpec, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[[], StatusStore]]:
    """Makes further empty stores of the same kind as ``store_spec``."""
    opened: list[StatusStore] = []
    numbers = itertools.count()

    def make() -> StatusStore:
        if store_spec[0] == "sqlite":
            spec: StoreSpec = ("sqlite", str(tmp_path / f"extra-{next(numbers)}.db"))
        else:
            server: PgServer = request.getfixturevalue("pg_server")
            database: str = request.getfixturevalue("pg_database")
            spec = ("postgres", server.create_schema(database, f"t{next(_schemas)}"))
        opened.append(open_store(spec))
        return opened[-1]

    try:
        yield make
    finally:
        for each in opened:
            each.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def rng() -> random.Random:
    return random.Random(20260301)


@pytest.fixture
def registry(store: StatusStore, clock: FixedClock, rng: random.Random) -> StatusRegistry:
    return StatusRegistry(
        store, base_url=BASE_URL, issuer=ISSUER, random_bytes=rng.randbytes, clock=clock
    )
