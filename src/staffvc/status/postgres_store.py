"""A status store in PostgreSQL, for several issuer instances sharing one registry.

The rules are those of every staffvc store (see :mod:`staffvc.status.store`); what this
module adds is how they hold with many writers on many machines:

- each operation is one transaction at READ COMMITTED; an allocation locks an open list's
  row (``SELECT ... FOR UPDATE SKIP LOCKED``), so allocations into one list are serialized
  and the free index it picks cannot be taken meanwhile, while other writers use other open
  lists (up to ``open_lists`` per purpose; opening a list takes a per-purpose advisory
  lock); ``UNIQUE(list_id, idx)`` and ``PRIMARY KEY(credential_id, purpose)`` stand behind
  that;
- two instances issuing the same credential id at once: the loser's insert violates the
  primary key, its transaction is retried and returns the winner's allocation;
- deadlocks and serialization failures are retried a few times, then reported as
  STATUS_STORE_CONFLICT; a lost connection is STATUS_STORE_UNAVAILABLE and the next call
  reconnects (every operation is safe to repeat: allocation is idempotent per credential).

A commit is durable when PostgreSQL says so (``synchronous_commit`` on, the default).
psycopg 3 is imported only when a store is created: it is the optional ``staffvc[postgres]``
extra, and ``import staffvc`` does not need it.
"""

# SQL text is built only from this package's table-name constants; every value is a
# bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from staffvc.errors import (
    StatusRegistryConfigError,
    StatusStoreConflictError,
    StatusStoreCorruptError,
    StatusStoreError,
    StatusStoreForeignError,
    StatusStoreUnavailableError,
)
from staffvc.status import _store_core as core
from staffvc.status.store import (
    Allocation,
    ListName,
    ListShape,
    ListSnapshot,
    RandBelow,
    StatusChange,
    StatusListInfo,
)

if TYPE_CHECKING:
    import psycopg

__all__ = ["ConnectionFactory", "PostgresStatusStore"]

ConnectionFactory = Callable[[], "psycopg.Connection[Any]"]
"""Returns a new open psycopg connection (pools, secrets managers and TLS set up by the caller)."""

_T = TypeVar("_T")
_ATTEMPTS = 8
_INIT_LOCK = 0x5356_4331  # pg_advisory_xact_lock key: one schema initialisation at a time
_LIST_LOCK = 0x5356  # with hashtext(purpose): one writer at a time opens a list per purpose

_SCHEMA = (
    f"""CREATE TABLE {core.META} (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    f"""CREATE TABLE {core.LISTS} (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        list_id TEXT NOT NULL UNIQUE,
        url TEXT NOT NULL UNIQUE,
        purpose TEXT NOT NULL,
        length INTEGER NOT NULL CHECK (length > 0),
        status_size INTEGER NOT NULL CHECK (status_size BETWEEN 1 AND {core.MAX_STATUS_SIZE}),
        allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated BETWEEN 0 AND length),
        created_at TIMESTAMPTZ NOT NULL,
        version BIGINT NOT NULL DEFAULT 0,
        published_version BIGINT,
        published_at TIMESTAMPTZ,
        etag TEXT
    )""",
    f"""CREATE TABLE {core.ALLOCATIONS} (
        credential_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        list_id TEXT NOT NULL REFERENCES {core.LISTS} (list_id),
        idx INTEGER NOT NULL CHECK (idx >= 0),
        status INTEGER NOT NULL DEFAULT 0 CHECK (status >= 0),
        allocated_at TIMESTAMPTZ NOT NULL,
        changed_at TIMESTAMPTZ,
        PRIMARY KEY (credential_id, purpose),
        UNIQUE (list_id, idx)
    )""",
    f"""CREATE INDEX {core.ALLOCATIONS}_set ON {core.ALLOCATIONS} (list_id, idx)
        WHERE status <> 0""",
    f"""CREATE TABLE {core.EVENTS} (
        seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        credential_id TEXT NOT NULL,
        purpose TEXT NOT NULL,
        list_id TEXT NOT NULL,
        idx INTEGER NOT NULL,
        old_status INTEGER NOT NULL,
        new_status INTEGER NOT NULL,
        at TIMESTAMPTZ NOT NULL
    )""",
)


class _RetryError(Exception):
    """A transaction lost a race and may be run again."""


class _PgDialect:
    lock_suffix = " FOR UPDATE"

    def __init__(self, open_lists: int) -> None:
        self.open_lists = open_lists

    def ts(self, value: datetime) -> datetime:
        return value.astimezone(UTC)

    def from_ts(self, value: Any) -> datetime:
        if not isinstance(value, datetime):
            raise StatusStoreCorruptError("a stored timestamp is unreadable")
        return value.astimezone(UTC)

    def used_among(self, tx: core.Tx, list_id: str, candidates: Sequence[int]) -> set[int]:
        rows = tx.all(
            f"SELECT idx FROM {core.ALLOCATIONS} WHERE list_id = ? AND idx = ANY(?::integer[])",
            (list_id, list(candidates)),
        )
        return {int(r[0]) for r in rows}

    def serialize_list_creation(self, tx: core.Tx, purpose: str) -> None:
        tx.one("SELECT pg_advisory_xact_lock(?, hashtext(?))", (_LIST_LOCK, purpose))

    def insert_allocations(self, tx: core.Tx, rows: Sequence[tuple[Any, ...]]) -> None:
        columns: list[list[Any]] = [list(c) for c in zip(*rows, strict=True)] or [[]] * 6
        tx.run(
            f"INSERT INTO {core.ALLOCATIONS} (credential_id, purpose, list_id, idx, status, "
            "allocated_at) SELECT * FROM unnest(?::text[], ?::text[], ?::text[], "
            "?::integer[], ?::integer[], ?::timestamptz[])",
            columns,
        )


class _Tx:
    __slots__ = ("_conn",)

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row = self._conn.execute(_pg(sql), tuple(params) or None).fetchone()
        return None if row is None else tuple(row)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._conn.execute(_pg(sql), tuple(params) or None).fetchall()]

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(_pg(sql), tuple(params) or None).rowcount


def _pg(sql: str) -> str:
    return sql.replace("?", "%s")


class PostgresStatusStore:
    """A :class:`~staffvc.status.store.StatusStore` in a PostgreSQL database.

    Give either ``dsn`` (a libpq connection string or URI) or ``connect`` (a function
    returning a new psycopg connection). The staffvc tables (``staffvc_status_*``, in the
    connection's ``search_path`` schema) are created on first use; a database holding tables
    of those names that are not a staffvc store is STATUS_STORE_FOREIGN and is left alone.

    ``open_lists`` is how many lists per purpose may take allocations at the same time:
    with one, every allocation queues for the one open list's row lock and commits one
    after another; with several, concurrent issuers fill different lists and their commits
    overlap. Either way every list is filled completely in the end.
    """

    def __init__(
        self,
        dsn: str | None = None,
        *,
        connect: ConnectionFactory | None = None,
        connect_timeout: float = 10.0,
        open_lists: int = 4,
    ) -> None:
        if (dsn is None) == (connect is None):
            raise StatusRegistryConfigError("give a PostgreSQL dsn or a connect function")
        if isinstance(open_lists, bool) or not isinstance(open_lists, int) or open_lists < 1:
            raise StatusRegistryConfigError("open_lists must be a positive int")
        self._d = _PgDialect(open_lists)
        pg = _psycopg()
        if connect is None:
            target, timeout = str(dsn), max(1, int(connect_timeout))

            def connect_dsn() -> psycopg.Connection[Any]:
                conn: psycopg.Connection[Any] = pg.connect(target, connect_timeout=timeout)
                return conn

            connect = connect_dsn
        self._factory: ConnectionFactory = connect
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._closed = False
        self._initialise()

    def __repr__(self) -> str:
        return "PostgresStatusStore()"

    def __enter__(self) -> PostgresStatusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the StatusStore protocol ------------------------------------------------------------

    def create_list(
        self, *, list_id: str, url: str, shape: ListShape, now: datetime
    ) -> StatusListInfo:
        return self._transaction(
            lambda tx: core.create_list(tx, self._d, list_id=list_id, url=url, shape=shape, now=now)
        )

    def allocate(
        self,
        credential_id: str,
        *,
        shapes: Sequence[ListShape],
        randbelow: RandBelow,
        name_list: ListName,
        now: datetime,
    ) -> list[Allocation]:
        return self._transaction(
            lambda tx: core.allocate(
                tx,
                self._d,
                credential_id,
                shapes=shapes,
                randbelow=randbelow,
                name_list=name_list,
                now=now,
            ),
            retry_unique=True,
        )

    def allocations(self, credential_id: str) -> list[Allocation]:
        return self._transaction(
            lambda tx: core.allocations(tx, self._d, credential_id), read_only=True
        )

    def set_status(
        self, credential_id: str, *, purpose: str, value: int, now: datetime
    ) -> StatusChange:
        return self._transaction(
            lambda tx: core.set_status(
                tx, self._d, credential_id, purpose=purpose, value=value, now=now
            )
        )

    def read_list(self, list_id: str) -> ListSnapshot:
        return self._transaction(lambda tx: core.read_list(tx, self._d, list_id), read_only=True)

    def lists(self, *, purpose: str | None = None) -> list[StatusListInfo]:
        return self._transaction(lambda tx: core.lists(tx, self._d, purpose), read_only=True)

    def record_publication(
        self, list_id: str, *, version: int, etag: str, now: datetime
    ) -> StatusListInfo:
        return self._transaction(
            lambda tx: core.record_publication(
                tx, self._d, list_id, version=version, etag=etag, now=now
            )
        )

    def import_allocations(self, allocations: Iterable[Allocation], *, now: datetime) -> int:
        items = list(allocations)  # a retried transaction must see the same rows
        return self._transaction(lambda tx: core.import_allocations(tx, self._d, items, now=now))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

    # --- transactions --------------------------------------------------------------------------

    def _transaction(
        self,
        step: Callable[[core.Tx], _T],
        *,
        read_only: bool = False,
        retry_unique: bool = False,
    ) -> _T:
        for attempt in range(_ATTEMPTS):
            try:
                return self._attempt(step, read_only=read_only, retry_unique=retry_unique)
            except _RetryError:
                time.sleep(min(0.05, 0.002 * (1 << attempt)))
        raise StatusStoreConflictError(
            f"concurrent writers kept conflicting; gave up after {_ATTEMPTS} attempts"
        )

    def _attempt(self, step: Callable[[core.Tx], _T], *, read_only: bool, retry_unique: bool) -> _T:
        psycopg = _psycopg()
        errors = psycopg.errors
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    if read_only:
                        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    return step(_Tx(conn))
            except StatusStoreError:
                raise
            except (errors.SerializationFailure, errors.DeadlockDetected):
                raise _RetryError from None
            except errors.UniqueViolation as exc:
                if retry_unique:
                    raise _RetryError from None
                raise StatusStoreConflictError(
                    f"a constraint refused the change ({exc.diag.constraint_name})"
                ) from None
            except psycopg.IntegrityError as exc:
                raise StatusStoreConflictError(f"a constraint refused the change ({exc})") from None
            except (errors.UndefinedTable, errors.UndefinedColumn) as exc:
                raise StatusStoreCorruptError(f"the status tables are damaged ({exc})") from None
            except psycopg.Error as exc:
                self._drop_if_broken()
                raise StatusStoreUnavailableError(f"PostgreSQL: {exc}") from None

    def _connection(self) -> psycopg.Connection[Any]:
        if self._closed:
            raise StatusStoreUnavailableError("the status store is closed")
        if self._conn is not None and (self._conn.closed or self._conn.broken):
            self._drop_if_broken()
        if self._conn is None:
            psycopg = _psycopg()
            try:
                conn = self._factory()
                conn.autocommit = True
            except psycopg.Error as exc:
                raise StatusStoreUnavailableError(f"cannot connect to PostgreSQL: {exc}") from None
            self._conn = conn
        return self._conn

    def _drop_if_broken(self) -> None:
        conn = self._conn
        if conn is not None and (conn.closed or conn.broken):
            self._conn = None
            conn.close()

    def _initialise(self) -> None:
        def step(tx: core.Tx) -> None:
            tx.one("SELECT pg_advisory_xact_lock(?)", (_INIT_LOCK,))
            present = {
                name
                for name in core.TABLES
                if tx.one("SELECT to_regclass(?)", (name,)) not in (None, (None,))
            }
            if not present:
                for statement in _SCHEMA:
                    tx.run(statement)
                for key, value in (
                    ("schema", core.SCHEMA_NAME),
                    ("schema_version", str(core.SCHEMA_VERSION)),
                ):
                    tx.run(f"INSERT INTO {core.META} (key, value) VALUES (?, ?)", (key, value))
                return
            if core.META not in present:
                raise StatusStoreForeignError(
                    "the database has tables named like staffvc's but is not a staffvc status store"
                )
            core.check_meta(core.read_meta(tx), "the PostgreSQL database")
            if present != set(core.TABLES):
                raise StatusStoreCorruptError("the PostgreSQL status store is missing tables")

        try:
            self._transaction(step)
        except BaseException:
            self.close()
            raise


def _psycopg() -> Any:
    """psycopg, imported on first use (the ``staffvc[postgres]`` extra)."""
    try:
        import psycopg
    except ImportError:
        raise StatusStoreUnavailableError(
            "PostgreSQL status stores need psycopg: pip install 'staffvc[postgres]'"
        ) from None
    return psycopg
