"""The durable side of the status registry: what a store must do, and the records it keeps.

A :class:`StatusStore` holds the issuer's status lists, which credential owns which index,
and each index's status value. Every operation is one transaction: when a call returns the
change is durable, and when it raises nothing changed. Two stores ship with staffvc:
:class:`~staffvc.status.sqlite_store.SqliteStatusStore` (one file, the embedded default) and
:class:`~staffvc.status.postgres_store.PostgresStatusStore` (several issuer instances sharing
one registry). Both enforce the same rules, so the registry above them can trust that

- an index is never given to two credentials (``UNIQUE(list_id, index)``), and a credential
  holds at most one index per purpose (``UNIQUE(credential_id, purpose)``);
- indexes are drawn uniformly at random from a list's free indexes with the caller's random
  source (Bitstring Status List §6.5: sequential indexes would tell a verifier roughly when,
  and next to whom, a credential was issued);
- revocation is final: a revoked credential's status never changes again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from staffvc.status.bitstring import Bitstring

__all__ = [
    "REVOCATION",
    "SUSPENSION",
    "Allocation",
    "ListName",
    "ListShape",
    "ListSnapshot",
    "RandBelow",
    "StatusChange",
    "StatusListInfo",
    "StatusStore",
]

REVOCATION = "revocation"
"""The Bitstring Status List purpose whose status is permanent (BSL §2.1)."""
SUSPENSION = "suspension"
"""The Bitstring Status List purpose whose status is reversible (BSL §2.1)."""

RandBelow = Callable[[int], int]
"""``randbelow(n)``: a uniformly random integer in ``[0, n)``, from the caller's random source."""

ListName = Callable[[str], tuple[str, str]]
"""``name(purpose) -> (list_id, list_url)`` for a list the store is about to open."""


@dataclass(frozen=True, slots=True)
class ListShape:
    """What kind of list a purpose's credentials go into: its length and bits per entry."""

    purpose: str
    length: int
    status_size: int = 1


@dataclass(frozen=True, slots=True)
class StatusListInfo:
    """One status list as the store records it.

    ``version`` counts status changes on the list (allocations do not change any bit);
    ``published_version`` is the version the last published list credential showed, so
    ``version != published_version`` means the published list is out of date.
    """

    list_id: str
    url: str
    purpose: str
    length: int
    status_size: int
    allocated: int
    created_at: datetime
    version: int
    published_version: int | None
    published_at: datetime | None
    etag: str | None

    @property
    def full(self) -> bool:
        return self.allocated >= self.length

    @property
    def stale(self) -> bool:
        """True when statuses changed since the list was last published (or never was)."""
        return self.published_version != self.version


@dataclass(frozen=True, slots=True)
class Allocation:
    """The index a credential holds in one list for one purpose, and its current status."""

    credential_id: str
    purpose: str
    list_id: str
    list_url: str
    index: int
    status_size: int = 1
    status: int = 0


@dataclass(frozen=True, slots=True)
class StatusChange:
    """The result of setting a status: the allocation after the call and what it was before."""

    allocation: Allocation
    previous: int

    @property
    def changed(self) -> bool:
        return self.allocation.status != self.previous


@dataclass(frozen=True, slots=True)
class ListSnapshot:
    """A list's statuses as of one committed version, read in one transaction."""

    info: StatusListInfo
    bits: Bitstring


@runtime_checkable
class StatusStore(Protocol):
    """The durable operations of a status registry; each call is one transaction.

    Errors are :class:`staffvc.errors.StatusStoreError` subclasses (a corrupt, foreign or
    unreachable store) and :class:`staffvc.errors.StatusRegistryError` subclasses (an
    unknown credential or list, a refused status change).
    """

    def create_list(
        self, *, list_id: str, url: str, shape: ListShape, now: datetime
    ) -> StatusListInfo:
        """Open an empty list (all statuses 0)."""
        ...

    def allocate(
        self,
        credential_id: str,
        *,
        shapes: Sequence[ListShape],
        randbelow: RandBelow,
        name_list: ListName,
        now: datetime,
    ) -> list[Allocation]:
        """The credential's allocation for each shape's purpose, in ``shapes`` order.

        Existing allocations are returned unchanged (issuing the same credential id twice
        gives the same entries); missing ones get a uniformly random free index in the
        oldest open list of the purpose, and a new list (named by ``name_list``) is opened
        when none has room. All purposes are allocated in one transaction.
        """
        ...

    def allocations(self, credential_id: str) -> list[Allocation]:
        """The credential's allocations (sorted by purpose); empty when it has none."""
        ...

    def set_status(
        self, credential_id: str, *, purpose: str, value: int, now: datetime
    ) -> StatusChange:
        """Set the credential's status for ``purpose``; a no-op when it already has ``value``.

        Once the credential is revoked every call but revoking it again is refused
        (StatusTransitionError): revocation is final.
        """
        ...

    def read_list(self, list_id: str) -> ListSnapshot:
        """The list's record and all its statuses as a Bitstring, from one snapshot."""
        ...

    def lists(self, *, purpose: str | None = None) -> list[StatusListInfo]:
        """Every list (of ``purpose``, if given), oldest first."""
        ...

    def record_publication(
        self, list_id: str, *, version: int, etag: str, now: datetime
    ) -> StatusListInfo:
        """Remember that ``version`` of the list was published as ``etag``.

        An older version never replaces a newer one's record (publishers may race).
        """
        ...

    def import_allocations(self, allocations: Iterable[Allocation], *, now: datetime) -> int:
        """Bulk-load allocations into existing lists in one transaction (migrations, tests).

        Every allocation must name an existing list of its purpose and status size, an index
        inside it, and a status value that fits; duplicates of existing rows are refused.
        Returns the number of rows loaded.
        """
        ...

    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""
        ...
