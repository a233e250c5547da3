"""The issuer's status registry: status entries for new credentials, status changes, and the
signed status list credentials a verifier fetches (W3C Bitstring Status List v1.0).

At NHS scale (about 1.5 million staff, each with several credentials) a registry holds many
lists of 131,072 entries. Each credential gets one entry per purpose (revocation, and
suspension for credentials that can be put on hold), at a random free index of the
purpose's open list, so that nothing about a credential (when it was issued, who was issued
next) can be read from its index. The registry is a thin, stateless layer over a durable
:class:`~staffvc.status.store.StatusStore`; several registries (processes, machines) may
share one store.

Signing is the caller's: :meth:`StatusRegistry.publish` builds the unsigned list credential
and hands it to ``sign``, so any proof format (Data Integrity, VC-JOSE) and any key store
(HSM, KMS) can secure it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from staffvc.clock import Clock
from staffvc.errors import (
    StatusListLengthError,
    StatusRegistryConfigError,
    UnknownCredentialError,
)
from staffvc.safejson import JsonObject
from staffvc.status import _store_core as core
from staffvc.status.bitstring import MIN_LIST_LENGTH
from staffvc.status.entry import build_status_entry
from staffvc.status.list_credential import build_status_list_credential
from staffvc.status.store import (
    REVOCATION,
    SUSPENSION,
    Allocation,
    ListShape,
    StatusChange,
    StatusListInfo,
    StatusStore,
)

__all__ = [
    "DEFAULT_PURPOSES",
    "MAX_LIST_LENGTH",
    "CredentialStatus",
    "RandomBytes",
    "SignListCredential",
    "StatusRegistry",
    "randbelow_from",
]

RandomBytes = Callable[[int], bytes]
"""``random_bytes(n)``: n bytes from a cryptographically secure source (``os.urandom``)."""
SignListCredential = Callable[[JsonObject], "JsonObject | str"]
"""Secures an unsigned status list credential: a Data Integrity document or a JOSE token."""

DEFAULT_PURPOSES = (REVOCATION, SUSPENSION)
MAX_LIST_LENGTH = core.MAX_LIST_LENGTH
_SUPPORTED_PURPOSES = frozenset(DEFAULT_PURPOSES)
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_LIST_ID_BYTES = 10


@dataclass(frozen=True, slots=True)
class CredentialStatus:
    """What the registry holds for one credential: its entries and their current values.

    ``revoked`` / ``suspended`` are None when the credential has no entry of that purpose.
    """

    credential_id: str
    allocations: tuple[Allocation, ...]

    def _value(self, purpose: str) -> bool | None:
        for allocation in self.allocations:
            if allocation.purpose == purpose:
                return allocation.status != 0
        return None

    @property
    def revoked(self) -> bool | None:
        return self._value(REVOCATION)

    @property
    def suspended(self) -> bool | None:
        return self._value(SUSPENSION)


@dataclass(frozen=True, slots=True)
class _Config:
    base_url: str
    issuer: str
    random_bytes: RandomBytes
    clock: Clock
    list_length: int
    purposes: tuple[str, ...]

    @classmethod
    def checked(
        cls,
        base_url: str,
        issuer: str,
        random_bytes: RandomBytes,
        clock: Clock,
        list_length: int,
        purposes: Sequence[str],
    ) -> _Config:
        """The registry's arguments, checked before any store is opened or created."""
        if not isinstance(issuer, str) or ":" not in issuer or len(issuer) > core.MAX_ID_LENGTH:
            raise StatusRegistryConfigError("issuer must be a DID or URL")
        if not callable(random_bytes):
            raise StatusRegistryConfigError("random_bytes must be a function n -> bytes")
        if not isinstance(clock, Clock):
            raise StatusRegistryConfigError("clock must be a staffvc.clock.Clock")
        if isinstance(list_length, bool) or not isinstance(list_length, int):
            raise StatusRegistryConfigError("list_length must be an int")
        if list_length < MIN_LIST_LENGTH:
            raise StatusListLengthError(
                f"a status list needs at least {MIN_LIST_LENGTH} entries (herd privacy)"
            )
        if list_length > MAX_LIST_LENGTH or list_length % 8:
            raise StatusRegistryConfigError(
                f"list_length must be a multiple of 8 no larger than {MAX_LIST_LENGTH}"
            )
        chosen = (purposes,) if isinstance(purposes, str) else tuple(purposes)
        if not chosen or len(set(chosen)) != len(chosen) or not set(chosen) <= _SUPPORTED_PURPOSES:
            raise StatusRegistryConfigError(
                "purposes must be 'revocation' and/or 'suspension', each at most once"
            )
        return cls(_check_base_url(base_url), issuer, random_bytes, clock, list_length, chosen)

    def registry(self, store: StatusStore) -> StatusRegistry:
        return StatusRegistry(
            store,
            base_url=self.base_url,
            issuer=self.issuer,
            random_bytes=self.random_bytes,
            clock=self.clock,
            list_length=self.list_length,
            purposes=self.purposes,
        )


class StatusRegistry:
    """Allocates status entries, changes statuses, and publishes status lists.

    ``base_url`` is where the lists will be served (``{base_url}/{list_id}``; https, or
    http on a loopback host for local tests); ``issuer`` is the DID or URL that signs them.
    ``random_bytes`` (e.g. ``os.urandom``) picks indexes and list ids; ``clock`` stamps
    changes and publications. Lists shorter than 131,072 entries are refused (BSL §3.2: a
    shorter list gives each credential a smaller crowd to hide in).
    """

    def __init__(
        self,
        store: StatusStore,
        *,
        base_url: str,
        issuer: str,
        random_bytes: RandomBytes,
        clock: Clock,
        list_length: int = MIN_LIST_LENGTH,
        purposes: Sequence[str] = DEFAULT_PURPOSES,
    ) -> None:
        config = _Config.checked(base_url, issuer, random_bytes, clock, list_length, purposes)
        self._store = store
        self._base_url = config.base_url
        self._issuer = config.issuer
        self._random_bytes = config.random_bytes
        self._clock = config.clock
        self._purposes = config.purposes
        self._shapes = tuple(
            ListShape(purpose=p, length=config.list_length) for p in config.purposes
        )

    @classmethod
    def sqlite(
        cls,
        path: str | os.PathLike[str],
        *,
        base_url: str,
        issuer: str,
        random_bytes: RandomBytes,
        clock: Clock,
        list_length: int = MIN_LIST_LENGTH,
        purposes: Sequence[str] = DEFAULT_PURPOSES,
        create: bool = True,
    ) -> StatusRegistry:
        """A registry in the SQLite file at ``path`` (created when missing, if ``create``)."""
        from staffvc.status.sqlite_store import SqliteStatusStore

        config = _Config.checked(base_url, issuer, random_bytes, clock, list_length, purposes)
        return config.registry(SqliteStatusStore(path, create=create))

    @classmethod
    def postgres(
        cls,
        dsn: str,
        *,
        base_url: str,
        issuer: str,
        random_bytes: RandomBytes,
        clock: Clock,
        list_length: int = MIN_LIST_LENGTH,
        purposes: Sequence[str] = DEFAULT_PURPOSES,
    ) -> StatusRegistry:
        """A registry in the PostgreSQL database at ``dsn`` (needs ``staffvc[postgres]``)."""
        from staffvc.status.postgres_store import PostgresStatusStore

        config = _Config.checked(base_url, issuer, random_bytes, clock, list_length, purposes)
        return config.registry(PostgresStatusStore(dsn))

    @property
    def store(self) -> StatusStore:
        return self._store

    @property
    def purposes(self) -> tuple[str, ...]:
        return self._purposes

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> StatusRegistry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- issuance ------------------------------------------------------------------------------

    def allocate(self, credential_id: str) -> list[JsonObject]:
        """The ``credentialStatus`` entries for a new credential, one per purpose.

        Idempotent: the same credential id always gets the same entries (an issuer that
        retries after a crash does not use up a second index).
        """
        allocations = self._store.allocate(
            credential_id,
            shapes=self._shapes,
            randbelow=randbelow_from(self._random_bytes),
            name_list=self._name_list,
            now=self._clock.now(),
        )
        return [_entry(a) for a in allocations]

    def entries(self, credential_id: str) -> list[JsonObject]:
        """The entries already allocated to ``credential_id`` (UnknownCredentialError if none)."""
        return [_entry(a) for a in self._held(credential_id)]

    # --- status changes ----------------------------------------------------------------------

    def revoke(self, credential_id: str) -> StatusChange:
        """Revoke for good; revoking a revoked credential changes nothing."""
        return self._set(credential_id, REVOCATION, 1)

    def suspend(self, credential_id: str) -> StatusChange:
        """Put on hold (reversible with :meth:`reinstate`); refused once revoked."""
        return self._set(credential_id, SUSPENSION, 1)

    def reinstate(self, credential_id: str) -> StatusChange:
        """Lift a suspension; refused (StatusTransitionError) once revoked."""
        return self._set(credential_id, SUSPENSION, 0)

    def status_of(self, credential_id: str) -> CredentialStatus:
        """The credential's entries and current values (UnknownCredentialError if none)."""
        return CredentialStatus(credential_id, tuple(self._held(credential_id)))

    def _set(self, credential_id: str, purpose: str, value: int) -> StatusChange:
        return self._store.set_status(
            credential_id, purpose=purpose, value=value, now=self._clock.now()
        )

    def _held(self, credential_id: str) -> list[Allocation]:
        held = self._store.allocations(credential_id)
        if not held:
            raise UnknownCredentialError(f"no status entries for credential {credential_id!r}")
        return held

    # --- publication ---------------------------------------------------------------------------

    def lists(self, *, purpose: str | None = None) -> list[StatusListInfo]:
        """Every status list of the registry (of ``purpose``, if given), oldest first."""
        return self._store.lists(purpose=purpose)

    def publish(
        self,
        list_id: str,
        *,
        sign: SignListCredential,
        valid_for: timedelta | None = None,
        ttl_ms: int | None = None,
    ) -> JsonObject | str:
        """The list's current statuses as a status list credential, secured by ``sign``.

        ``valid_for`` sets ``validUntil`` (verifiers should not trust the list after it, BSL
        §7.2), ``ttl_ms`` the advised cache time. The published version and an ETag of the
        signed result are recorded in the store, so stale lists can be found.
        """
        if valid_for is not None and valid_for <= timedelta(0):
            raise StatusRegistryConfigError("valid_for must be a positive duration")
        snapshot = self._store.read_list(list_id)
        if snapshot.info.length < MIN_LIST_LENGTH:
            raise StatusListLengthError(
                f"list {list_id!r} has fewer than {MIN_LIST_LENGTH} entries; not published"
            )
        now = self._clock.now()
        unsigned = build_status_list_credential(
            list_url=snapshot.info.url,
            issuer=self._issuer,
            status_purpose=snapshot.info.purpose,
            bitstring=snapshot.bits,
            valid_from=now,
            valid_until=None if valid_for is None else now + valid_for,
            ttl_ms=ttl_ms,
        )
        signed = sign(unsigned)
        if isinstance(signed, dict):
            body = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        elif isinstance(signed, str):
            body = signed
        else:
            raise StatusRegistryConfigError("sign must return a JSON object or a string")
        etag = '"' + hashlib.sha256(body.encode("utf-8")).hexdigest() + '"'
        self._store.record_publication(list_id, version=snapshot.info.version, etag=etag, now=now)
        return signed

    def publish_all(
        self,
        *,
        sign: SignListCredential,
        valid_for: timedelta | None = None,
        ttl_ms: int | None = None,
        stale_only: bool = False,
    ) -> dict[str, JsonObject | str]:
        """:meth:`publish` every list (or only those changed since their last publication),
        keyed by list id."""
        return {
            info.list_id: self.publish(info.list_id, sign=sign, valid_for=valid_for, ttl_ms=ttl_ms)
            for info in self._store.lists()
            if info.stale or not stale_only
        }

    # --- helpers -------------------------------------------------------------------------------

    def _name_list(self, purpose: str) -> tuple[str, str]:
        raw = self._random_bytes(_LIST_ID_BYTES)
        if not isinstance(raw, bytes) or len(raw) != _LIST_ID_BYTES:
            raise StatusRegistryConfigError("random_bytes(n) must return n bytes")
        list_id = base64.b32encode(raw).decode("ascii").lower()
        return list_id, f"{self._base_url}/{list_id}"


def randbelow_from(random_bytes: RandomBytes) -> Callable[[int], int]:
    """``randbelow(n)``, uniform over ``[0, n)``, drawn from ``random_bytes`` by rejection."""

    def randbelow(n: int) -> int:
        if n <= 1:
            if n == 1:
                return 0
            raise StatusRegistryConfigError("randbelow needs n >= 1")
        bits = (n - 1).bit_length()
        size, mask = (bits + 7) // 8, (1 << bits) - 1
        for _ in range(128):  # each draw is accepted with probability > 1/2
            raw = random_bytes(size)
            if not isinstance(raw, bytes) or len(raw) != size:
                raise StatusRegistryConfigError("random_bytes(n) must return n bytes")
            value = int.from_bytes(raw, "big") & mask
            if value < n:
                return value
        raise StatusRegistryConfigError("the random source does not look random")

    return randbelow


def _entry(allocation: Allocation) -> JsonObject:
    return build_status_entry(
        list_url=allocation.list_url,
        index=allocation.index,
        status_purpose=allocation.purpose,
        status_size=allocation.status_size,
        entry_id=f"{allocation.list_url}#{allocation.index}",
    )


def _check_base_url(base_url: str) -> str:
    if not isinstance(base_url, str) or len(base_url) > 1024:
        raise StatusRegistryConfigError("base_url must be a URL")
    parts = urlsplit(base_url)
    host = (parts.hostname or "").lower()
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in _LOOPBACK)
    if (
        not secure
        or not host
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
        or any(c.isspace() for c in base_url)
    ):
        raise StatusRegistryConfigError(
            "base_url must be an https URL (http only on a loopback host) without query, "
            "fragment or credentials"
        )
    return base_url.rstrip("/")
