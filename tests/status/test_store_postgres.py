"""The PostgreSQL store: schema ownership, connections, and two instances racing."""

from __future__ import annotations

import random
import threading
from typing import Any

import psycopg
import pytest

from staffvc.errors import (
    StatusRegistryConfigError,
    StatusStoreCorruptError,
    StatusStoreForeignError,
    StatusStoreUnavailableError,
    StatusStoreVersionError,
)
from staffvc.status.postgres_store import PostgresStatusStore
from staffvc.status.registry import StatusRegistry
from staffvc.status.store import ListShape
from status.postgres import BASE_URL, ISSUER, NOW, PgServer, open_registry


def _sql(dsn: str, *statements: str) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    with psycopg.connect(dsn, autocommit=True) as conn:
        for statement in statements:
            cursor = conn.execute(statement)
            if cursor.description is not None:
                rows = [tuple(r) for r in cursor.fetchall()]
    return rows


def test_tables_of_the_same_names_that_are_not_ours_are_foreign(pg_dsn: str) -> None:
    _sql(pg_dsn, "CREATE TABLE staffvc_status_lists (anything INTEGER)")
    with pytest.raises(StatusStoreForeignError) as caught:
        PostgresStatusStore(pg_dsn)
    assert caught.value.code == "STATUS_STORE_FOREIGN"
    # left alone: no staffvc tables added, theirs unchanged
    tables = _sql(
        pg_dsn,
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()",
    )
    assert tables == [("staffvc_status_lists",)]


@pytest.mark.parametrize(
    ("statement", "error", "code"),
    [
        (
            "UPDATE staffvc_status_meta SET value = '99' WHERE key = 'schema_version'",
            StatusStoreVersionError,
            "STATUS_STORE_VERSION",
        ),
        (
            "UPDATE staffvc_status_meta SET value = 'other' WHERE key = 'schema'",
            StatusStoreForeignError,
            "STATUS_STORE_FOREIGN",
        ),
        ("DROP TABLE staffvc_status_events", StatusStoreCorruptError, "STATUS_STORE_CORRUPT"),
        (
            "DELETE FROM staffvc_status_meta WHERE key = 'schema_version'",
            StatusStoreCorruptError,
            "STATUS_STORE_CORRUPT",
        ),
    ],
    ids=["newer-schema", "other-schema", "missing-table", "no-version"],
)
def test_a_changed_schema_is_refused(
    pg_dsn: str, statement: str, error: type[Exception], code: str
) -> None:
    PostgresStatusStore(pg_dsn).close()
    _sql(pg_dsn, statement)
    with pytest.raises(error) as caught:
        PostgresStatusStore(pg_dsn)
    assert caught.value.code == code  # type: ignore[attr-defined]


def test_opening_twice_reuses_the_schema(pg_dsn: str) -> None:
    with PostgresStatusStore(pg_dsn) as first:
        first.create_list(
            list_id="a", url=f"{BASE_URL}/a", shape=ListShape("revocation", 131_072), now=NOW
        )
    with PostgresStatusStore(pg_dsn) as second:
        assert [info.list_id for info in second.lists()] == ["a"]


def test_a_connection_factory_can_be_given(pg_dsn: str) -> None:
    made: list[psycopg.Connection[Any]] = []

    def connect() -> psycopg.Connection[Any]:
        made.append(psycopg.connect(pg_dsn))
        return made[-1]

    with PostgresStatusStore(connect=connect) as store:
        assert store.lists() == []
    assert len(made) == 1
    assert made[0].closed


def test_dsn_or_factory_exactly_one(pg_dsn: str) -> None:
    for kwargs in ({}, {"dsn": pg_dsn, "connect": lambda: psycopg.connect(pg_dsn)}):
        with pytest.raises(StatusRegistryConfigError):
            PostgresStatusStore(**kwargs)  # type: ignore[arg-type]


def test_an_unreachable_server_is_unavailable(pg_server: PgServer) -> None:
    dsn = pg_server.dsn().replace(f"port={pg_server.port}", "port=1")
    with pytest.raises(StatusStoreUnavailableError) as caught:
        PostgresStatusStore(dsn, connect_timeout=2)
    assert caught.value.code == "STATUS_STORE_UNAVAILABLE"


def test_a_lost_connection_is_reported_then_replaced(pg_dsn: str) -> None:
    registry = open_registry(("postgres", pg_dsn), seed=1)
    first = registry.allocate("urn:cred:a")
    _sql(
        pg_dsn,
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    with pytest.raises(StatusStoreUnavailableError):
        registry.allocate("urn:cred:b")
    # the next call reconnects; allocation is idempotent, so the caller just retries
    assert registry.allocate("urn:cred:a") == first
    assert len(registry.allocate("urn:cred:b")) == 2
    registry.close()
    with pytest.raises(StatusStoreUnavailableError):
        registry.allocate("urn:cred:c")


def test_two_instances_issuing_the_same_credentials_agree(pg_dsn: str) -> None:
    """Issuer instances that race on one credential id end up with one allocation (the
    loser's insert hits the primary key, its transaction is retried and finds the row)."""
    registries = [open_registry(("postgres", pg_dsn), seed=s) for s in (1, 2, 3)]
    try:
        ids = [f"urn:cred:{i}" for i in range(40)]
        barrier = threading.Barrier(len(registries))
        results: list[list[list[dict[str, Any]]]] = [[] for _ in registries]

        def issue(n: int) -> None:
            barrier.wait()
            results[n] = [registries[n].allocate(cid) for cid in ids]

        threads = [threading.Thread(target=issue, args=(n,)) for n in range(len(registries))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results[0] == results[1] == results[2]
        assert len(results[0]) == len(ids)
        for purpose in ("revocation", "suspension"):
            lists = registries[0].lists(purpose=purpose)
            assert sum(info.allocated for info in lists) == len(ids)
    finally:
        for r in registries:
            r.close()


def test_the_registry_constructor_for_postgres(pg_dsn: str) -> None:
    with StatusRegistry.postgres(
        pg_dsn,
        base_url=BASE_URL,
        issuer=ISSUER,
        random_bytes=random.Random(4).randbytes,
        clock=_FixedNow(),
        purposes=("suspension",),
    ) as registry:
        [entry] = registry.allocate("urn:cred:a")
        assert entry["statusPurpose"] == "suspension"
    with pytest.raises(StatusRegistryConfigError):
        StatusRegistry.postgres(
            pg_dsn,
            base_url=BASE_URL,
            issuer="not a did",
            random_bytes=random.Random(4).randbytes,
            clock=_FixedNow(),
        )


class _FixedNow:
    def now(self) -> Any:
        return NOW
