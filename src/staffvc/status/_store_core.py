"""The rules of a status store, written once for SQLite and PostgreSQL.

Each backend opens a transaction and hands a :class:`Tx` (plus its :class:`Dialect`) to
these functions; they hold every rule the registry relies on: idempotent allocation, the
random choice of a free index, "revocation is final", monotonic publication records. The
backends only differ in locking (SQLite's ``BEGIN IMMEDIATE`` takes the whole file; on
PostgreSQL the list row is locked ``FOR UPDATE``), timestamps and bulk loading.
"""

# SQL text is built only from this package's table-name constants; every value is a
# bound parameter.
# ruff: noqa: S608

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from staffvc.errors import (
    StatusPurposeError,
    StatusRegistryConfigError,
    StatusStoreConflictError,
    StatusStoreCorruptError,
    StatusStoreForeignError,
    StatusStoreVersionError,
    StatusTransitionError,
    UnknownCredentialError,
    UnknownStatusListError,
)
from staffvc.status.store import (
    REVOCATION,
    Allocation,
    ListName,
    ListShape,
    ListSnapshot,
    RandBelow,
    StatusChange,
    StatusListInfo,
)

SCHEMA_NAME = "staffvc.status"
SCHEMA_VERSION = 1
MAX_LIST_LENGTH = 1 << 24
"""Largest list a store accepts (2 MiB of bits at status size 1): a bound on what a
tampered database can make the registry allocate."""
MAX_STATUS_SIZE = 8
MAX_ID_LENGTH = 2048

META = "staffvc_status_meta"
LISTS = "staffvc_status_lists"
ALLOCATIONS = "staffvc_status_allocations"
EVENTS = "staffvc_status_events"
TABLES = (META, LISTS, ALLOCATIONS, EVENTS)

_LIST_COLUMNS = (
    "list_id, url, purpose, length, status_size, allocated, created_at, version, "
    "published_version, published_at, etag"
)
_ALLOCATION_SELECT = (
    f"SELECT a.credential_id, a.purpose, a.list_id, l.url, a.idx, l.status_size, a.status "
    f"FROM {ALLOCATIONS} a JOIN {LISTS} l ON l.list_id = a.list_id "
)

PROBE_FACTOR = 8
"""Random candidates per probe round, times length/free: all of them taken has
probability about e^-8."""
PROBE_MIN, PROBE_MAX, PROBE_ROUNDS = 8, 4096, 32
SCAN_BELOW = 256
"""Scan the list's used indexes instead of probing once fewer than length/SCAN_BELOW are
free (512 of 131,072): probing would need thousands of lookups per allocation."""


class Tx(Protocol):
    """One open transaction, with ``?`` placeholders whatever the backend."""

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None: ...

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def run(self, sql: str, params: Sequence[Any] = ()) -> int: ...


class Dialect(Protocol):
    """What differs between backends inside a transaction."""

    lock_suffix: str
    """Appended to SELECTs of rows about to change (" FOR UPDATE" on PostgreSQL)."""
    open_lists: int
    """How many lists per purpose may take allocations at once (1: fill one at a time)."""

    def ts(self, value: datetime) -> Any: ...

    def from_ts(self, value: Any) -> datetime: ...

    def used_among(self, tx: Tx, list_id: str, candidates: Sequence[int]) -> set[int]: ...

    def serialize_list_creation(self, tx: Tx, purpose: str) -> None:
        """Wait (inside the transaction) until no other writer is opening a list for
        ``purpose``."""
        ...

    def insert_allocations(self, tx: Tx, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert (credential_id, purpose, list_id, idx, status, allocated_at) rows."""
        ...


# --- reading records ---------------------------------------------------------------------


def _info(d: Dialect, row: tuple[Any, ...]) -> StatusListInfo:
    (list_id, url, purpose, length, size, allocated, created, version, pver, pat, etag) = row
    if not (
        isinstance(length, int)
        and 0 < length <= MAX_LIST_LENGTH
        and isinstance(size, int)
        and 1 <= size <= MAX_STATUS_SIZE
        and isinstance(allocated, int)
        and 0 <= allocated <= length
    ):
        raise StatusStoreCorruptError(f"status list {list_id!r} has an impossible shape")
    return StatusListInfo(
        list_id=str(list_id),
        url=str(url),
        purpose=str(purpose),
        length=length,
        status_size=size,
        allocated=allocated,
        created_at=d.from_ts(created),
        version=int(version),
        published_version=None if pver is None else int(pver),
        published_at=None if pat is None else d.from_ts(pat),
        etag=None if etag is None else str(etag),
    )


def _allocation(row: tuple[Any, ...]) -> Allocation:
    credential_id, purpose, list_id, url, idx, size, status = row
    return Allocation(
        credential_id=str(credential_id),
        purpose=str(purpose),
        list_id=str(list_id),
        list_url=str(url),
        index=int(idx),
        status_size=int(size),
        status=int(status),
    )


def get_list(tx: Tx, d: Dialect, list_id: str, *, lock: bool = False) -> StatusListInfo:
    suffix = d.lock_suffix if lock else ""
    row = tx.one(f"SELECT {_LIST_COLUMNS} FROM {LISTS} WHERE list_id = ?{suffix}", (list_id,))
    if row is None:
        raise UnknownStatusListError(f"no status list {list_id!r} in this registry")
    return _info(d, row)


def lists(tx: Tx, d: Dialect, purpose: str | None) -> list[StatusListInfo]:
    if purpose is None:
        rows = tx.all(f"SELECT {_LIST_COLUMNS} FROM {LISTS} ORDER BY seq")
    else:
        rows = tx.all(
            f"SELECT {_LIST_COLUMNS} FROM {LISTS} WHERE purpose = ? ORDER BY seq", (purpose,)
        )
    return [_info(d, r) for r in rows]


def allocations(tx: Tx, d: Dialect, credential_id: str, *, lock: bool = False) -> list[Allocation]:
    check_id("credential id", credential_id)
    if lock and d.lock_suffix:
        # Lock the credential's rows (in a fixed order) before deciding on a status change.
        tx.all(
            f"SELECT purpose FROM {ALLOCATIONS} WHERE credential_id = ? "
            f"ORDER BY purpose{d.lock_suffix}",
            (credential_id,),
        )
    rows = tx.all(
        _ALLOCATION_SELECT + "WHERE a.credential_id = ? ORDER BY a.purpose", (credential_id,)
    )
    return [_allocation(r) for r in rows]


# --- writing -------------------------------------------------------------------------------


def check_id(what: str, value: object) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID_LENGTH or "\x00" in value:
        raise StatusRegistryConfigError(
            f"{what} must be a non-empty string of at most {MAX_ID_LENGTH} characters"
        )
    return value


def check_shape(shape: ListShape) -> None:
    check_id("status purpose", shape.purpose)
    if not (isinstance(shape.length, int) and 0 < shape.length <= MAX_LIST_LENGTH):
        raise StatusRegistryConfigError(f"list length must be in 1..{MAX_LIST_LENGTH}")
    if not (isinstance(shape.status_size, int) and 1 <= shape.status_size <= MAX_STATUS_SIZE):
        raise StatusRegistryConfigError(f"status size must be in 1..{MAX_STATUS_SIZE}")
    if (shape.length * shape.status_size) % 8:
        raise StatusRegistryConfigError("a list must fill whole bytes (length x size % 8 == 0)")


def create_list(
    tx: Tx, d: Dialect, *, list_id: str, url: str, shape: ListShape, now: datetime
) -> StatusListInfo:
    check_id("list id", list_id)
    check_id("list URL", url)
    check_shape(shape)
    taken = tx.one(f"SELECT list_id FROM {LISTS} WHERE list_id = ? OR url = ?", (list_id, url))
    if taken is not None:
        raise StatusStoreConflictError(f"a status list with id {list_id!r} or its URL exists")
    tx.run(
        f"INSERT INTO {LISTS} (list_id, url, purpose, length, status_size, allocated, "
        "created_at, version) VALUES (?, ?, ?, ?, ?, 0, ?, 0)",
        (list_id, url, shape.purpose, shape.length, shape.status_size, d.ts(now)),
    )
    return get_list(tx, d, list_id)


def allocate(
    tx: Tx,
    d: Dialect,
    credential_id: str,
    *,
    shapes: Sequence[ListShape],
    randbelow: RandBelow,
    name_list: ListName,
    now: datetime,
) -> list[Allocation]:
    check_id("credential id", credential_id)
    purposes = [s.purpose for s in shapes]
    if not shapes or len(set(purposes)) != len(purposes):
        raise StatusRegistryConfigError("allocate needs one shape per purpose, at least one")
    for shape in shapes:
        check_shape(shape)
    have = {a.purpose: a for a in allocations(tx, d, credential_id)}
    made: dict[str, Allocation] = {}
    # Purposes in sorted order, so concurrent writers lock lists in the same order.
    for shape in sorted(shapes, key=lambda s: s.purpose):
        if shape.purpose in have:
            continue
        info = _list_for(tx, d, shape, name_list, now)
        index = _pick_free(tx, d, info, randbelow)
        d.insert_allocations(
            tx, [(credential_id, shape.purpose, info.list_id, index, 0, d.ts(now))]
        )
        tx.run(f"UPDATE {LISTS} SET allocated = allocated + 1 WHERE list_id = ?", (info.list_id,))
        made[shape.purpose] = Allocation(
            credential_id=credential_id,
            purpose=shape.purpose,
            list_id=info.list_id,
            list_url=info.url,
            index=index,
            status_size=info.status_size,
        )
    return [have.get(p) or made[p] for p in purposes]


def _list_for(
    tx: Tx, d: Dialect, shape: ListShape, name_list: ListName, now: datetime
) -> StatusListInfo:
    """The open list of ``shape`` the allocation goes into, locked for this transaction.

    The oldest open list that no other writer holds; with ``d.open_lists`` > 1 concurrent
    writers fill up to that many lists side by side (so their commits do not queue on one
    row). A new list is opened, by one writer at a time, when every open list is taken and
    there are fewer than ``d.open_lists`` of them, or when none is open.
    """
    skip = d.open_lists > 1
    info = _open_list(tx, d, shape, skip_locked=skip)
    if info is not None:
        return info
    d.serialize_list_creation(tx, shape.purpose)
    info = _open_list(tx, d, shape, skip_locked=skip)
    if info is not None:
        return info
    if skip:
        row = tx.one(
            f"SELECT count(*) FROM {LISTS} WHERE purpose = ? AND status_size = ? "
            "AND allocated < length",
            (shape.purpose, shape.status_size),
        )
        if row is not None and int(row[0]) >= d.open_lists:
            info = _open_list(tx, d, shape, skip_locked=False)  # wait for the oldest
            if info is not None:
                return info
    return _new_list(tx, d, shape, name_list, now)


def _open_list(tx: Tx, d: Dialect, shape: ListShape, *, skip_locked: bool) -> StatusListInfo | None:
    lock = d.lock_suffix + (" SKIP LOCKED" if skip_locked and d.lock_suffix else "")
    row = tx.one(
        f"SELECT {_LIST_COLUMNS} FROM {LISTS} WHERE purpose = ? AND status_size = ? "
        f"AND allocated < length ORDER BY seq LIMIT 1{lock}",
        (shape.purpose, shape.status_size),
    )
    return None if row is None else _info(d, row)


def _new_list(
    tx: Tx, d: Dialect, shape: ListShape, name_list: ListName, now: datetime
) -> StatusListInfo:
    list_id, url = name_list(shape.purpose)
    info = create_list(tx, d, list_id=list_id, url=url, shape=shape, now=now)
    if d.lock_suffix:
        info = get_list(tx, d, list_id, lock=True)
    return info


def _pick_free(tx: Tx, d: Dialect, info: StatusListInfo, randbelow: RandBelow) -> int:
    """A uniformly random free index of ``info`` (locked by the caller's transaction).

    Rejection sampling: draw random candidates, keep the first one not taken; each round
    draws enough candidates that all are taken with probability ~e^-8, and one query finds
    which are taken. Near the end of a list, rank among the free indexes instead.
    """
    length, free = info.length, info.length - info.allocated
    if free * SCAN_BELOW >= length:
        for _ in range(PROBE_ROUNDS):
            count = min(PROBE_MAX, max(PROBE_MIN, math.ceil(PROBE_FACTOR * length / free)))
            candidates = [_draw(randbelow, length) for _ in range(count)]
            used = d.used_among(tx, info.list_id, candidates)
            for candidate in candidates:
                if candidate not in used:
                    return candidate
    used_all = [
        r[0]
        for r in tx.all(
            f"SELECT idx FROM {ALLOCATIONS} WHERE list_id = ? ORDER BY idx", (info.list_id,)
        )
    ]
    free = length - len(used_all)
    if free <= 0:
        raise StatusStoreCorruptError(f"status list {info.list_id!r} is full but marked open")
    return _nth_free(used_all, _draw(randbelow, free), length)


def _draw(randbelow: RandBelow, n: int) -> int:
    value = randbelow(n)
    if not isinstance(value, int) or not 0 <= value < n:
        raise StatusRegistryConfigError("the random source returned an index out of range")
    return value


def _nth_free(used_sorted: Sequence[int], rank: int, length: int) -> int:
    """The ``rank``-th (from 0) index in ``[0, length)`` that is not in ``used_sorted``."""
    previous = -1
    for taken in used_sorted:
        gap = taken - previous - 1
        if rank < gap:
            return previous + 1 + rank
        rank -= gap
        previous = taken
    found = previous + 1 + rank
    if found >= length:
        raise StatusStoreCorruptError("a status list holds indexes beyond its length")
    return found


def set_status(
    tx: Tx, d: Dialect, credential_id: str, *, purpose: str, value: int, now: datetime
) -> StatusChange:
    held = {a.purpose: a for a in allocations(tx, d, credential_id, lock=True)}
    if not held:
        raise UnknownCredentialError(f"no status entries for credential {credential_id!r}")
    target = held.get(purpose)
    if target is None:
        raise StatusPurposeError(f"credential {credential_id!r} has no {purpose!r} status entry")
    if not isinstance(value, int) or not 0 <= value < (1 << target.status_size):
        raise StatusTransitionError(f"status value must fit in {target.status_size} bit(s)")
    revocation = held.get(REVOCATION)
    if (
        revocation is not None
        and revocation.status != 0
        and (purpose != REVOCATION or value != revocation.status)
    ):
        raise StatusTransitionError(f"credential {credential_id!r} is revoked; revocation is final")
    if target.status == value:
        return StatusChange(allocation=target, previous=value)
    tx.run(
        f"UPDATE {ALLOCATIONS} SET status = ?, changed_at = ? "
        "WHERE credential_id = ? AND purpose = ?",
        (value, d.ts(now), credential_id, purpose),
    )
    tx.run(f"UPDATE {LISTS} SET version = version + 1 WHERE list_id = ?", (target.list_id,))
    tx.run(
        f"INSERT INTO {EVENTS} (credential_id, purpose, list_id, idx, old_status, new_status, "
        "at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (credential_id, purpose, target.list_id, target.index, target.status, value, d.ts(now)),
    )
    after = Allocation(
        credential_id=target.credential_id,
        purpose=target.purpose,
        list_id=target.list_id,
        list_url=target.list_url,
        index=target.index,
        status_size=target.status_size,
        status=value,
    )
    return StatusChange(allocation=after, previous=target.status)


def read_list(tx: Tx, d: Dialect, list_id: str) -> ListSnapshot:
    from staffvc.status.bitstring import Bitstring

    info = get_list(tx, d, list_id)
    bits = Bitstring(info.length, status_size=info.status_size)
    for idx, status in tx.all(
        f"SELECT idx, status FROM {ALLOCATIONS} WHERE list_id = ? AND status <> 0", (list_id,)
    ):
        if not (0 <= idx < info.length and 0 < status < (1 << info.status_size)):
            raise StatusStoreCorruptError(f"status list {list_id!r} holds an impossible entry")
        bits.set(idx, status)
    return ListSnapshot(info=info, bits=bits)


def record_publication(
    tx: Tx, d: Dialect, list_id: str, *, version: int, etag: str, now: datetime
) -> StatusListInfo:
    info = get_list(tx, d, list_id, lock=True)
    check_id("etag", etag)
    if not isinstance(version, int) or not 0 <= version <= info.version:
        raise StatusStoreConflictError(
            f"cannot record version {version!r} of list {list_id!r}: it is at {info.version}"
        )
    if info.published_version is None or info.published_version <= version:
        tx.run(
            f"UPDATE {LISTS} SET published_version = ?, published_at = ?, etag = ? "
            "WHERE list_id = ?",
            (version, d.ts(now), etag, list_id),
        )
    return get_list(tx, d, list_id)


def import_allocations(tx: Tx, d: Dialect, items: Iterable[Allocation], *, now: datetime) -> int:
    rows: list[tuple[Any, ...]] = []
    infos: dict[str, StatusListInfo] = {}
    changed: set[str] = set()
    stamp = d.ts(now)
    for item in items:
        info = infos.get(item.list_id)
        if info is None:
            info = infos[item.list_id] = get_list(tx, d, item.list_id, lock=True)
        check_id("credential id", item.credential_id)
        if item.purpose != info.purpose or item.status_size != info.status_size:
            raise StatusStoreConflictError(
                f"allocation of {item.credential_id!r} does not match list {info.list_id!r}"
            )
        if not (isinstance(item.index, int) and 0 <= item.index < info.length):
            raise StatusStoreConflictError(f"index {item.index!r} is outside list {info.list_id!r}")
        if not (isinstance(item.status, int) and 0 <= item.status < (1 << info.status_size)):
            raise StatusStoreConflictError(f"status {item.status!r} does not fit the list")
        if item.status:
            changed.add(info.list_id)
        rows.append(
            (item.credential_id, item.purpose, item.list_id, item.index, item.status, stamp)
        )
    if not rows:
        return 0
    d.insert_allocations(tx, rows)
    for list_id in infos:
        tx.run(
            f"UPDATE {LISTS} SET allocated = (SELECT count(*) FROM {ALLOCATIONS} a "
            f"WHERE a.list_id = {LISTS}.list_id) WHERE list_id = ?",
            (list_id,),
        )
    for list_id in changed:
        tx.run(f"UPDATE {LISTS} SET version = version + 1 WHERE list_id = ?", (list_id,))
    return len(rows)


def read_meta(tx: Tx) -> dict[str, str]:
    return {str(k): str(v) for k, v in tx.all(f"SELECT key, value FROM {META}")}


def check_meta(meta: dict[str, str], where: str) -> None:
    """Refuse a store that is not staffvc's, or is of a newer schema than this code knows."""
    if meta.get("schema") != SCHEMA_NAME:
        raise StatusStoreForeignError(f"{where} is not a staffvc status store")
    version = meta.get("schema_version", "")
    if not version.isdigit():
        raise StatusStoreCorruptError(f"{where} has no readable schema version")
    if int(version) > SCHEMA_VERSION:
        raise StatusStoreVersionError(
            f"{where} has schema version {version}; this staffvc reads up to {SCHEMA_VERSION}"
        )
    if int(version) < SCHEMA_VERSION:  # pragma: no cover - no older schema exists yet
        raise StatusStoreVersionError(f"{where} has an old schema version {version}")
