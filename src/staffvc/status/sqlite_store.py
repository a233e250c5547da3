"""The embedded status store: one SQLite file, safe for several processes at once.

Durability and concurrency come from SQLite itself: the file is in WAL mode with
``synchronous=FULL`` (a status change is on disk when the call returns, even if the machine
then loses power), every write is one ``BEGIN IMMEDIATE`` transaction (writers queue on the
file lock, waiting up to ``busy_timeout``) and readers see a consistent snapshot without
blocking writers.

A new store is built in a temporary file beside ``path`` and linked into place only when
complete, so ``path`` is either absent or a whole staffvc store. An existing file is opened
only if it is one: a file that is not SQLite, or is damaged, is STATUS_STORE_CORRUPT; a
SQLite file of another application is STATUS_STORE_FOREIGN. Such files are never written
to, and a missing registry is never silently replaced by an empty one.

One store object serves one process (threads share it under a lock); a forked child must
open its own.
"""

# SQL text is built only from this package's table-name constants; every value is a
# bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from staffvc.errors import (
    StatusStoreConflictError,
    StatusStoreCorruptError,
    StatusStoreError,
    StatusStoreForeignError,
    StatusStoreUnavailableError,
    StatusStoreVersionError,
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

__all__ = ["APPLICATION_ID", "SqliteStatusStore"]

APPLICATION_ID = 0x53564331
"""``PRAGMA application_id`` of a staffvc status store ("SVC1"): how a SQLite file says whose
it is (it sits at offset 68 of the file header)."""

_MAGIC = b"SQLite format 3\x00"
_HEADER = 100
_T = TypeVar("_T")

_SCHEMA = f"""
CREATE TABLE {core.META} (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE {core.LISTS} (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    length INTEGER NOT NULL CHECK (length > 0),
    status_size INTEGER NOT NULL CHECK (status_size BETWEEN 1 AND {core.MAX_STATUS_SIZE}),
    allocated INTEGER NOT NULL DEFAULT 0 CHECK (allocated BETWEEN 0 AND length),
    created_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    published_version INTEGER,
    published_at TEXT,
    etag TEXT
);
CREATE TABLE {core.ALLOCATIONS} (
    credential_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    list_id TEXT NOT NULL REFERENCES {core.LISTS} (list_id),
    idx INTEGER NOT NULL CHECK (idx >= 0),
    status INTEGER NOT NULL DEFAULT 0 CHECK (status >= 0),
    allocated_at TEXT NOT NULL,
    changed_at TEXT,
    PRIMARY KEY (credential_id, purpose),
    UNIQUE (list_id, idx)
) WITHOUT ROWID;
CREATE INDEX {core.ALLOCATIONS}_set ON {core.ALLOCATIONS} (list_id, idx) WHERE status <> 0;
CREATE TABLE {core.EVENTS} (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    credential_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    list_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    old_status INTEGER NOT NULL,
    new_status INTEGER NOT NULL,
    at TEXT NOT NULL
);
"""

# SQLite result codes (primary codes: the low byte of the extended code).
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_IN_CHUNK = 500
"""Candidates per ``IN (...)`` query; below SQLite's oldest variable limit (999)."""


class _SqliteDialect:
    lock_suffix = ""
    open_lists = 1  # one writer at a time anyway

    def ts(self, value: datetime) -> str:
        return value.astimezone(UTC).isoformat(timespec="microseconds")

    def from_ts(self, value: Any) -> datetime:
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            raise StatusStoreCorruptError("a stored timestamp is unreadable") from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def used_among(self, tx: core.Tx, list_id: str, candidates: Sequence[int]) -> set[int]:
        used: set[int] = set()
        unique = sorted(set(candidates))
        for start in range(0, len(unique), _IN_CHUNK):
            chunk = unique[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            used.update(
                int(r[0])
                for r in tx.all(
                    f"SELECT idx FROM {core.ALLOCATIONS} WHERE list_id = ? AND idx IN ({marks})",
                    (list_id, *chunk),
                )
            )
        return used

    def serialize_list_creation(self, tx: core.Tx, purpose: str) -> None:
        """Nothing to do: BEGIN IMMEDIATE already made this the only writer."""

    def insert_allocations(self, tx: core.Tx, rows: Sequence[tuple[Any, ...]]) -> None:
        assert isinstance(tx, _Tx)
        tx.many(
            f"INSERT INTO {core.ALLOCATIONS} (credential_id, purpose, list_id, idx, status, "
            "allocated_at) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


class _Tx:
    __slots__ = ("_conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        row = self._conn.execute(sql, tuple(params)).fetchone()
        return None if row is None else tuple(row)

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self._conn.execute(sql, tuple(params)).fetchall()]

    def run(self, sql: str, params: Sequence[Any] = ()) -> int:
        return self._conn.execute(sql, tuple(params)).rowcount

    def many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._conn.executemany(sql, rows)


_DIALECT = _SqliteDialect()


class SqliteStatusStore:
    """A :class:`~staffvc.status.store.StatusStore` in one SQLite file at ``path``.

    ``create`` says what to do when ``path`` does not exist: make a new store (the default)
    or raise StatusStoreUnavailableError (for services that must find an existing registry).
    ``quick_check`` runs SQLite's ``PRAGMA quick_check`` on open (a read of the whole file;
    turn it off for very large stores opened often). ``busy_timeout`` is how long a writer
    waits for the file lock held by another process, in seconds.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        quick_check: bool = True,
        busy_timeout: float = 30.0,
    ) -> None:
        self._path = Path(path)
        self._busy_ms = int(busy_timeout * 1000)
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        self._pid = os.getpid()
        if not self._path.exists():
            if not create:
                raise StatusStoreUnavailableError(f"no status store at {self._path}")
            self._create()
        self._conn = self._open(quick_check=quick_check)

    @property
    def path(self) -> Path:
        return self._path

    def __repr__(self) -> str:
        return f"SqliteStatusStore({str(self._path)!r})"

    def __enter__(self) -> SqliteStatusStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- the StatusStore protocol ------------------------------------------------------------

    def create_list(
        self, *, list_id: str, url: str, shape: ListShape, now: datetime
    ) -> StatusListInfo:
        return self._write(
            lambda tx: core.create_list(
                tx, _DIALECT, list_id=list_id, url=url, shape=shape, now=now
            )
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
        return self._write(
            lambda tx: core.allocate(
                tx,
                _DIALECT,
                credential_id,
                shapes=shapes,
                randbelow=randbelow,
                name_list=name_list,
                now=now,
            )
        )

    def allocations(self, credential_id: str) -> list[Allocation]:
        return self._read(lambda tx: core.allocations(tx, _DIALECT, credential_id))

    def set_status(
        self, credential_id: str, *, purpose: str, value: int, now: datetime
    ) -> StatusChange:
        return self._write(
            lambda tx: core.set_status(
                tx, _DIALECT, credential_id, purpose=purpose, value=value, now=now
            )
        )

    def read_list(self, list_id: str) -> ListSnapshot:
        return self._read(lambda tx: core.read_list(tx, _DIALECT, list_id))

    def lists(self, *, purpose: str | None = None) -> list[StatusListInfo]:
        return self._read(lambda tx: core.lists(tx, _DIALECT, purpose))

    def record_publication(
        self, list_id: str, *, version: int, etag: str, now: datetime
    ) -> StatusListInfo:
        return self._write(
            lambda tx: core.record_publication(
                tx, _DIALECT, list_id, version=version, etag=etag, now=now
            )
        )

    def import_allocations(self, allocations: Iterable[Allocation], *, now: datetime) -> int:
        return self._write(lambda tx: core.import_allocations(tx, _DIALECT, allocations, now=now))

    def close(self) -> None:
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None and os.getpid() == self._pid:
                conn.close()

    # --- transactions --------------------------------------------------------------------------

    def _write(self, step: Callable[[core.Tx], _T]) -> _T:
        return self._transaction(step, "BEGIN IMMEDIATE")

    def _read(self, step: Callable[[core.Tx], _T]) -> _T:
        return self._transaction(step, "BEGIN DEFERRED")

    def _transaction(self, step: Callable[[core.Tx], _T], begin: str) -> _T:
        with self._lock:
            conn = self._connection()
            with _mapped_errors(self._path):
                conn.execute(begin)
                try:
                    result = step(_Tx(conn))
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            conn.execute("ROLLBACK")
                    raise
                return result

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StatusStoreUnavailableError("the status store is closed")
        if os.getpid() != self._pid:
            raise StatusStoreUnavailableError(
                "a status store cannot cross fork(); open a new one in the child process"
            )
        return self._conn

    # --- opening and creating ----------------------------------------------------------------

    def _connect(self, path: Path, mode: str) -> sqlite3.Connection:
        uri = f"file:{_quote_path(path)}?mode={mode}"
        conn = sqlite3.connect(
            uri, uri=True, isolation_level=None, check_same_thread=False, timeout=0
        )
        try:
            conn.execute(f"PRAGMA busy_timeout = {self._busy_ms}")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open(self, *, quick_check: bool) -> sqlite3.Connection:
        _check_header(self._path)
        with _mapped_errors(self._path):
            conn = self._connect(self._path, "rw")
        try:
            with _mapped_errors(self._path):
                if quick_check:
                    verdict = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
                    if verdict != ["ok"]:
                        raise StatusStoreCorruptError(
                            f"{self._path} failed SQLite's integrity check"
                        )
                tables = {
                    r[0]
                    for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                }
                if not set(core.TABLES) <= tables:
                    raise StatusStoreCorruptError(f"{self._path} is missing status tables")
                core.check_meta(core.read_meta(_Tx(conn)), str(self._path))
                mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
                if str(mode).lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            conn.close()
            raise
        return conn

    def _create(self) -> None:
        folder = self._path.parent
        if not folder.is_dir():
            raise StatusStoreUnavailableError(f"no directory {folder} for the status store")
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{self._path.name}.", suffix=".creating", dir=folder
        )
        os.close(handle)
        temp = Path(temp_name)
        try:
            with _mapped_errors(temp):
                conn = self._connect(temp, "rw")
                try:
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    conn.execute(f"PRAGMA user_version = {core.SCHEMA_VERSION}")
                    conn.execute("BEGIN IMMEDIATE")
                    _run_script(conn, _SCHEMA)
                    conn.executemany(
                        f"INSERT INTO {core.META} (key, value) VALUES (?, ?)",
                        [
                            ("schema", core.SCHEMA_NAME),
                            ("schema_version", str(core.SCHEMA_VERSION)),
                        ],
                    )
                    conn.execute("COMMIT")
                    conn.execute("PRAGMA journal_mode = WAL")
                finally:
                    conn.close()
            _fsync(temp)
            try:
                os.link(temp, self._path)  # never replaces a file another process created
            except FileExistsError:
                pass
            except OSError as exc:
                raise StatusStoreUnavailableError(
                    f"cannot create the status store at {self._path}: {exc.strerror}"
                ) from None
            _fsync_dir(folder)
        finally:
            for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm")):
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statements one by one inside the open transaction (``executescript`` would
    commit it first)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _check_header(path: Path) -> None:
    """Refuse, without opening it with SQLite, a file that is not a staffvc status store."""
    try:
        with path.open("rb") as handle:
            header = handle.read(_HEADER)
    except OSError as exc:
        raise StatusStoreUnavailableError(f"cannot read {path}: {exc.strerror}") from None
    if len(header) < _HEADER or not header.startswith(_MAGIC):
        raise StatusStoreCorruptError(f"{path} is not a SQLite database (damaged or truncated)")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise StatusStoreForeignError(f"{path} is a SQLite database of another application")
    user_version = int.from_bytes(header[60:64], "big")
    if user_version > core.SCHEMA_VERSION:
        raise StatusStoreVersionError(
            f"{path} has schema version {user_version}; this staffvc reads up to "
            f"{core.SCHEMA_VERSION}"
        )


@contextlib.contextmanager
def _mapped_errors(path: Path) -> Iterator[None]:
    """sqlite3 errors as coded staffvc errors."""
    try:
        yield
    except StatusStoreError:
        raise
    except sqlite3.IntegrityError as exc:
        raise StatusStoreConflictError(f"{path}: a constraint refused the change ({exc})") from None
    except sqlite3.Error as exc:
        primary = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF
        if primary in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
            raise StatusStoreCorruptError(f"{path} is damaged ({exc})") from None
        if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
            raise StatusStoreUnavailableError(f"{path} stayed locked by another writer") from None
        raise StatusStoreUnavailableError(f"{path}: {exc}") from None


def _quote_path(path: Path) -> str:
    return quote(str(path.resolve()))


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        _fsync(folder)
