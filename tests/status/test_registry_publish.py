"""Publishing status lists (Bitstring Status List v1.0 §2.2 list credentials, §3.1 and §3.3
generation), on both stores."""

from __future__ import annotations

import hashlib
import json
import random
from datetime import timedelta

import pytest

from staffvc.clock import FixedClock
from staffvc.did import did_key, vm_id_of
from staffvc.errors import (
    StatusListLengthError,
    StatusRegistryConfigError,
    UnknownStatusListError,
)
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import add_proof
from staffvc.safejson import JsonObject
from staffvc.status.bitstring import MIN_LIST_LENGTH, Bitstring
from staffvc.status.list_credential import read_status_list
from staffvc.status.registry import StatusRegistry
from staffvc.status.store import REVOCATION, SUSPENSION, ListShape, StatusStore
from staffvc.verifier import Verifier
from status.postgres import BASE_URL, ISSUER


def _unsigned(credential: JsonObject) -> JsonObject:
    return credential


def _decoded(credential: JsonObject) -> Bitstring:
    view = read_status_list(credential)
    return Bitstring.decode(view.encoded_list)


def test_published_bits_match_the_registry(
    registry: StatusRegistry, store: StatusStore, clock: FixedClock
) -> None:
    ids = [f"urn:cred:{i}" for i in range(40)]
    entries = {cid: registry.allocate(cid) for cid in ids}
    revoked, suspended = set(ids[::3]), set(ids[1::4])
    for cid in suspended:  # before revoking: a revoked credential's status is final
        registry.suspend(cid)
    for cid in revoked:
        registry.revoke(cid)
    published = registry.publish_all(sign=_unsigned, valid_for=timedelta(hours=6), ttl_ms=300_000)
    assert set(published) == {info.list_id for info in registry.lists()}
    by_url = {info.url: published[info.list_id] for info in registry.lists()}
    for cid in ids:
        for entry in entries[cid]:
            credential = by_url[entry["statusListCredential"]]
            assert isinstance(credential, dict)
            view = read_status_list(credential)
            assert view.purposes == (entry["statusPurpose"],)
            bit = _decoded(credential).get(int(entry["statusListIndex"]))
            wanted = cid in (revoked if entry["statusPurpose"] == REVOCATION else suspended)
            assert bit == int(wanted)
    # and no other bit is set anywhere
    for info in registry.lists():
        credential = published[info.list_id]
        assert isinstance(credential, dict)
        set_bits = {i for i, _ in _decoded(credential).nonzero()}
        owners = revoked if info.purpose == REVOCATION else suspended
        assert len(set_bits) == len(owners)
    # BSL §2.2 members
    credential = published[registry.lists(purpose=REVOCATION)[0].list_id]
    assert isinstance(credential, dict)
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["issuer"] == ISSUER
    assert credential["id"] == registry.lists(purpose=REVOCATION)[0].url
    view = read_status_list(credential)
    assert view.valid_from == clock.now()
    assert view.valid_until == clock.now() + timedelta(hours=6)
    assert view.ttl_ms == 300_000
    assert _decoded(credential).length == MIN_LIST_LENGTH


def test_publication_is_recorded_and_staleness_tracked(
    registry: StatusRegistry, clock: FixedClock
) -> None:
    registry.allocate("urn:cred:a")
    revocation = registry.lists(purpose=REVOCATION)[0]
    assert revocation.stale
    assert revocation.published_version is None
    signed = registry.publish(revocation.list_id, sign=_unsigned)
    after = registry.lists(purpose=REVOCATION)[0]
    assert not after.stale
    assert after.published_at == clock.now()
    body = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert after.etag == '"' + hashlib.sha256(body.encode()).hexdigest() + '"'
    # a status change makes it stale again; publish_all(stale_only=True) picks just it
    registry.revoke("urn:cred:a")
    assert registry.lists(purpose=REVOCATION)[0].stale
    assert registry.lists(purpose=SUSPENSION)[0].stale  # never published yet
    registry.publish(registry.lists(purpose=SUSPENSION)[0].list_id, sign=_unsigned)
    republished = registry.publish_all(sign=_unsigned, stale_only=True)
    assert list(republished) == [revocation.list_id]
    assert registry.publish_all(sign=_unsigned, stale_only=True) == {}


def test_an_older_version_never_replaces_a_newer_publication_record(
    registry: StatusRegistry, store: StatusStore, clock: FixedClock
) -> None:
    registry.allocate("urn:cred:a")
    registry.revoke("urn:cred:a")
    list_id = registry.lists(purpose=REVOCATION)[0].list_id
    store.record_publication(list_id, version=1, etag='"new"', now=clock.now())
    kept = store.record_publication(list_id, version=0, etag='"old"', now=clock.now())
    assert (kept.published_version, kept.etag) == (1, '"new"')


def test_sign_may_return_a_token(registry: StatusRegistry) -> None:
    registry.allocate("urn:cred:a")
    list_id = registry.lists()[0].list_id
    token = registry.publish(list_id, sign=lambda credential: "eyJhbGciOi.fake.token")
    assert token == "eyJhbGciOi.fake.token"
    expected = '"' + hashlib.sha256(b"eyJhbGciOi.fake.token").hexdigest() + '"'
    assert registry.lists()[0].etag == expected


def test_a_signed_list_verifies(store: StatusStore, clock: FixedClock) -> None:
    """The registry's list credential, signed with Data Integrity by the issuer's did:key,
    verifies as a credential (VC Data Model 2.0 + eddsa-rdfc-2022)."""
    key = KeyPair.from_private_bytes("Ed25519", bytes(range(32)))
    issuer = str(did_key(key.public_key))
    registry = StatusRegistry(
        store,
        base_url=BASE_URL,
        issuer=issuer,
        random_bytes=random.Random(9).randbytes,
        clock=clock,
        purposes=(REVOCATION,),
    )
    registry.allocate("urn:cred:a")
    registry.revoke("urn:cred:a")

    def sign(credential: JsonObject) -> JsonObject:
        return add_proof(
            credential,
            key.with_key_id(vm_id_of(key.public_key)),
            suite="eddsa-rdfc-2022",
            purpose=AssertionPurpose(),
            created=clock.now(),
            loader=BundledLoader(),
        )

    signed = registry.publish(registry.lists()[0].list_id, sign=sign, valid_for=timedelta(days=1))
    assert isinstance(signed, dict)
    result = Verifier(clock=clock).verify_credential(signed, now=clock.now())
    assert result.ok, result.explain()


def test_publish_refuses_bad_arguments(registry: StatusRegistry) -> None:
    registry.allocate("urn:cred:a")
    list_id = registry.lists()[0].list_id
    with pytest.raises(UnknownStatusListError) as unknown:
        registry.publish("no-such-list", sign=_unsigned)
    assert unknown.value.code == "STATUS_UNKNOWN_LIST"
    with pytest.raises(StatusRegistryConfigError):
        registry.publish(list_id, sign=_unsigned, valid_for=timedelta(0))
    with pytest.raises(StatusRegistryConfigError):
        registry.publish(list_id, sign=lambda c: 42)  # type: ignore[arg-type,return-value]
    assert registry.lists()[0].published_version is None


def test_a_list_shorter_than_the_minimum_is_never_published(
    registry: StatusRegistry, store: StatusStore, clock: FixedClock
) -> None:
    short = ListShape(purpose=REVOCATION, length=1024)
    store.create_list(list_id="short", url=f"{BASE_URL}/short", shape=short, now=clock.now())
    with pytest.raises(StatusListLengthError) as caught:
        registry.publish("short", sign=_unsigned)
    assert caught.value.code == "STATUS_LIST_LENGTH_ERROR"
