"""Revoke, suspend, reinstate (Bitstring Status List v1.0 §2.1: revocation is permanent,
suspension reversible), on both stores."""

from __future__ import annotations

import random

import pytest

from staffvc.clock import FixedClock
from staffvc.errors import (
    StatusPurposeError,
    StatusTransitionError,
    UnknownCredentialError,
)
from staffvc.status.registry import StatusRegistry
from staffvc.status.store import REVOCATION, SUSPENSION, StatusStore
from status.postgres import BASE_URL, ISSUER

CRED = "urn:uuid:0a6c1f0e-0000-4000-8000-00000000c0de"


def _bits(store: StatusStore, registry: StatusRegistry, credential_id: str) -> dict[str, int]:
    """The credential's status values as the published bitstrings hold them."""
    out = {}
    for allocation in registry.status_of(credential_id).allocations:
        snapshot = store.read_list(allocation.list_id)
        out[allocation.purpose] = snapshot.bits.get(allocation.index)
    return out


def test_a_new_credential_is_neither_revoked_nor_suspended(
    registry: StatusRegistry, store: StatusStore
) -> None:
    registry.allocate(CRED)
    status = registry.status_of(CRED)
    assert (status.revoked, status.suspended) == (False, False)
    assert _bits(store, registry, CRED) == {REVOCATION: 0, SUSPENSION: 0}


def test_revoke_sets_the_bit_and_is_idempotent(
    registry: StatusRegistry, store: StatusStore
) -> None:
    registry.allocate(CRED)
    registry.allocate("urn:cred:bystander")
    first = registry.revoke(CRED)
    assert first.changed
    assert first.previous == 0
    assert first.allocation.status == 1
    version = registry.lists(purpose=REVOCATION)[0].version
    again = registry.revoke(CRED)
    assert not again.changed
    assert registry.lists(purpose=REVOCATION)[0].version == version  # nothing to republish
    assert registry.status_of(CRED).revoked is True
    assert _bits(store, registry, CRED) == {REVOCATION: 1, SUSPENSION: 0}
    assert _bits(store, registry, "urn:cred:bystander") == {REVOCATION: 0, SUSPENSION: 0}


def test_suspend_and_reinstate_are_reversible(registry: StatusRegistry, store: StatusStore) -> None:
    registry.allocate(CRED)
    assert registry.suspend(CRED).changed
    assert not registry.suspend(CRED).changed
    assert registry.status_of(CRED).suspended is True
    assert _bits(store, registry, CRED) == {REVOCATION: 0, SUSPENSION: 1}
    assert registry.reinstate(CRED).changed
    assert not registry.reinstate(CRED).changed
    assert registry.status_of(CRED).suspended is False
    assert _bits(store, registry, CRED) == {REVOCATION: 0, SUSPENSION: 0}
    assert registry.lists(purpose=SUSPENSION)[0].version == 2


@pytest.mark.parametrize("suspended_first", [False, True])
def test_revocation_is_final(
    registry: StatusRegistry, store: StatusStore, suspended_first: bool
) -> None:
    registry.allocate(CRED)
    if suspended_first:
        registry.suspend(CRED)
    registry.revoke(CRED)
    before = _bits(store, registry, CRED)
    for change in (registry.reinstate, registry.suspend):
        with pytest.raises(StatusTransitionError) as caught:
            change(CRED)
        assert caught.value.code == "STATUS_TRANSITION_REFUSED"
    assert _bits(store, registry, CRED) == before
    assert not registry.revoke(CRED).changed  # revoking again is still fine


def test_revoked_bit_cannot_be_cleared_through_the_store(
    registry: StatusRegistry, store: StatusStore, clock: FixedClock
) -> None:
    registry.allocate(CRED)
    registry.revoke(CRED)
    with pytest.raises(StatusTransitionError):
        store.set_status(CRED, purpose=REVOCATION, value=0, now=clock.now())
    with pytest.raises(StatusTransitionError):
        store.set_status(CRED, purpose=SUSPENSION, value=2, now=clock.now())
    assert registry.status_of(CRED).revoked is True


@pytest.mark.parametrize("operation", ["revoke", "suspend", "reinstate", "status_of", "entries"])
def test_unknown_credentials_are_an_error(registry: StatusRegistry, operation: str) -> None:
    registry.allocate("urn:cred:known")
    with pytest.raises(UnknownCredentialError) as caught:
        getattr(registry, operation)("urn:cred:unknown")
    assert caught.value.code == "STATUS_UNKNOWN_CREDENTIAL"


def test_a_purpose_the_credential_lacks_is_an_error(store: StatusStore, clock: FixedClock) -> None:
    registry = StatusRegistry(
        store,
        base_url=BASE_URL,
        issuer=ISSUER,
        random_bytes=random.Random(1).randbytes,
        clock=clock,
        purposes=(REVOCATION,),
    )
    [entry] = registry.allocate(CRED)
    assert entry["statusPurpose"] == REVOCATION
    with pytest.raises(StatusPurposeError) as caught:
        registry.suspend(CRED)
    assert caught.value.code == "STATUS_PURPOSE_UNAVAILABLE"
    status = registry.status_of(CRED)
    assert (status.revoked, status.suspended) == (False, None)
    assert registry.revoke(CRED).changed


def test_status_changes_are_recorded_with_the_clock(
    registry: StatusRegistry, store_spec: tuple[str, str], clock: FixedClock
) -> None:
    """Every change leaves an audit row (who can tell when a credential was revoked)."""
    registry.allocate(CRED)
    registry.suspend(CRED)
    registry.reinstate(CRED)
    registry.revoke(CRED)
    registry.revoke(CRED)  # no change, no row
    rows = _events(store_spec)
    assert rows == [
        (CRED, SUSPENSION, 0, 1),
        (CRED, SUSPENSION, 1, 0),
        (CRED, REVOCATION, 0, 1),
    ]


def _events(spec: tuple[str, str]) -> list[tuple[object, ...]]:
    sql = (
        "SELECT credential_id, purpose, old_status, new_status "
        "FROM staffvc_status_events ORDER BY seq"
    )
    kind, where = spec
    if kind == "sqlite":
        import sqlite3
        from contextlib import closing

        with closing(sqlite3.connect(where)) as conn:
            return [tuple(r) for r in conn.execute(sql)]
    import psycopg

    with psycopg.connect(where) as conn:
        return [tuple(r) for r in conn.execute(sql)]
