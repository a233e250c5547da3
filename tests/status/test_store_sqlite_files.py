"""The SQLite store's file: created atomically, opened only if it is a whole staffvc store,
never overwritten; WAL + synchronous=FULL; lock waits bounded."""

from __future__ import annotations

import os
import random
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from staffvc.errors import (
    StatusRegistryConfigError,
    StatusStoreCorruptError,
    StatusStoreForeignError,
    StatusStoreUnavailableError,
    StatusStoreVersionError,
)
from staffvc.status import sqlite_store
from staffvc.status.registry import StatusRegistry
from staffvc.status.sqlite_store import APPLICATION_ID, SqliteStatusStore
from staffvc.status.store import ListShape
from status.postgres import BASE_URL, ISSUER, NOW, open_registry

CLOCK_NOW = NOW


def _populated(path: Path, count: int = 400) -> None:
    registry = open_registry(("sqlite", str(path)), seed=3)
    for i in range(count):
        registry.allocate(f"urn:cred:{i}")
    registry.revoke("urn:cred:1")
    registry.close()


def _assert_refused(path: Path, error: type[Exception], code: str) -> None:
    before = path.read_bytes()
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(error) as caught:
        SqliteStatusStore(path)
    assert caught.value.code == code  # type: ignore[attr-defined]
    assert path.read_bytes() == before  # never overwritten, never "repaired"
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_random_bytes_are_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    path.write_bytes(random.Random(1).randbytes(64 * 1024))
    _assert_refused(path, StatusStoreCorruptError, "STATUS_STORE_CORRUPT")


@pytest.mark.parametrize("keep", [0, 50, 0.5], ids=["empty", "header-cut", "half"])
def test_a_truncated_store_is_corrupt(tmp_path: Path, keep: float) -> None:
    path = tmp_path / "status.db"
    _populated(path)
    size = path.stat().st_size
    assert size > 8 * 4096
    with path.open("r+b") as handle:
        handle.truncate(int(size * keep) if isinstance(keep, float) else keep)
    _assert_refused(path, StatusStoreCorruptError, "STATUS_STORE_CORRUPT")


def test_damaged_pages_are_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    _populated(path)
    data = bytearray(path.read_bytes())
    noise = random.Random(2).randbytes(4096)
    data[3 * 4096 : 4 * 4096] = noise  # one b-tree page, header intact
    path.write_bytes(bytes(data))
    _assert_refused(path, StatusStoreCorruptError, "STATUS_STORE_CORRUPT")


def test_a_sqlite_file_of_another_application_is_foreign(tmp_path: Path) -> None:
    path = tmp_path / "rota.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE shifts (id INTEGER PRIMARY KEY, ward TEXT)")
        conn.execute("INSERT INTO shifts (ward) VALUES ('A&E')")
        conn.commit()
    _assert_refused(path, StatusStoreForeignError, "STATUS_STORE_FOREIGN")


def test_an_empty_sqlite_database_is_foreign_not_adopted(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("VACUUM")
    _assert_refused(path, StatusStoreForeignError, "STATUS_STORE_FOREIGN")


def test_our_tables_under_another_application_id_are_foreign(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    _populated(path, count=5)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA application_id = 1234")
    _assert_refused(path, StatusStoreForeignError, "STATUS_STORE_FOREIGN")


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    _populated(path, count=5)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA user_version = 99")
    _assert_refused(path, StatusStoreVersionError, "STATUS_STORE_VERSION")


def test_meta_that_names_another_schema_is_foreign(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    _populated(path, count=5)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("UPDATE staffvc_status_meta SET value = 'other' WHERE key = 'schema'")
        conn.commit()
    _assert_refused(path, StatusStoreForeignError, "STATUS_STORE_FOREIGN")


def test_a_missing_table_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    _populated(path, count=5)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("DROP TABLE staffvc_status_events")
        conn.commit()
    _assert_refused(path, StatusStoreCorruptError, "STATUS_STORE_CORRUPT")


def test_a_new_store_is_wal_full_sync_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    with SqliteStatusStore(path) as store:
        store.create_list(
            list_id="a", url=f"{BASE_URL}/a", shape=ListShape("revocation", 131_072), now=NOW
        )
        assert store._conn is not None
        assert store._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert [p.name for p in tmp_path.iterdir()] == ["status.db"]
    assert path.stat().st_mode & 0o777 == 0o600  # the registry is the issuer's alone
    header = path.read_bytes()[:100]
    assert int.from_bytes(header[68:72], "big") == APPLICATION_ID
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with SqliteStatusStore(path) as again:
        assert [info.list_id for info in again.lists()] == ["a"]


def test_create_false_needs_an_existing_store(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    with pytest.raises(StatusStoreUnavailableError) as caught:
        SqliteStatusStore(path, create=False)
    assert caught.value.code == "STATUS_STORE_UNAVAILABLE"
    assert not path.exists()
    with pytest.raises(StatusStoreUnavailableError):
        SqliteStatusStore(tmp_path / "no" / "such" / "dir" / "status.db")


def test_stores_created_at_once_by_two_threads_are_one_store(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    barrier = threading.Barrier(4)
    opened: list[SqliteStatusStore] = []
    errors: list[BaseException] = []

    def create() -> None:
        barrier.wait()
        try:
            opened.append(SqliteStatusStore(path))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    opened[0].create_list(
        list_id="a", url=f"{BASE_URL}/a", shape=ListShape("revocation", 131_072), now=NOW
    )
    assert all([i.list_id for i in s.lists()] == ["a"] for s in opened)
    for s in opened:
        s.close()
    assert [p.name for p in tmp_path.iterdir()] == ["status.db"]


def test_a_writer_waits_for_the_lock_then_gives_up_with_a_code(tmp_path: Path) -> None:
    path = tmp_path / "status.db"
    store = SqliteStatusStore(path, busy_timeout=0.2)
    registry = StatusRegistry(
        store,
        base_url=BASE_URL,
        issuer=ISSUER,
        random_bytes=random.Random(1).randbytes,
        clock=_Clock(),
    )
    with closing(sqlite3.connect(path, isolation_level=None)) as other:
        other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        with pytest.raises(StatusStoreUnavailableError):
            registry.allocate("urn:cred:a")
        other.execute("ROLLBACK")
    assert registry.allocate("urn:cred:a")  # and works once the lock is free
    store.close()


def test_a_closed_or_forked_store_refuses_to_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqliteStatusStore(tmp_path / "status.db")
    real_pid = os.getpid()
    monkeypatch.setattr(sqlite_store.os, "getpid", lambda: real_pid + 1)  # as in a child
    with pytest.raises(StatusStoreUnavailableError):
        store.lists()
    monkeypatch.undo()
    store.close()
    with pytest.raises(StatusStoreUnavailableError):
        store.lists()


def test_the_registry_constructor_checks_arguments_before_creating_a_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "status.db"
    with pytest.raises(StatusRegistryConfigError):
        StatusRegistry.sqlite(
            path,
            base_url="ftp://status.example",
            issuer=ISSUER,
            random_bytes=os.urandom,
            clock=_Clock(),
        )
    assert not path.exists()
    with StatusRegistry.sqlite(
        path, base_url=BASE_URL, issuer=ISSUER, random_bytes=os.urandom, clock=_Clock()
    ) as registry:
        assert len(registry.allocate("urn:cred:a")) == 2
    with pytest.raises(StatusStoreUnavailableError):
        StatusRegistry.sqlite(
            tmp_path / "other.db",
            base_url=BASE_URL,
            issuer=ISSUER,
            random_bytes=os.urandom,
            clock=_Clock(),
            create=False,
        )


class _Clock:
    def now(self) -> datetime:
        return datetime(2026, 3, 1, tzinfo=UTC)
