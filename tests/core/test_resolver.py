"""The resolver: method composition, caching on the injected clock, dereferencing rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from staffvc.clock import FixedClock
from staffvc.did import DidDocument, Relationship, Resolver, did_key, vm_id_of
from staffvc.errors import (
    DidError,
    DidNotFoundError,
    InvalidDidUrlError,
    InvalidRelationshipError,
    InvalidVerificationMethodError,
)
from staffvc.keys import KeyPair


class CountingMethod:
    """A fake did:example method serving documents from a dict, counting calls."""

    method = "example"

    def __init__(self) -> None:
        self.calls = 0
        self.documents: dict[str, dict[str, object]] = {}

    def resolve(self, did: str) -> DidDocument:
        self.calls += 1
        if did not in self.documents:
            raise DidNotFoundError(did)
        return DidDocument(self.documents[did])  # type: ignore[arg-type]


def _doc(did: str, key: KeyPair, *, relationship: str = "assertionMethod") -> dict[str, object]:
    return {
        "id": did,
        "verificationMethod": [
            {
                "id": "#k1",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_key.to_multikey(),
            }
        ],
        relationship: ["#k1"],
    }


def test_documents_expire_on_the_injected_clock() -> None:
    clock = FixedClock(datetime(2026, 11, 21, tzinfo=UTC))
    method = CountingMethod()
    method.documents["did:example:a"] = _doc("did:example:a", KeyPair.generate())
    resolver = Resolver([method], cache_ttl=timedelta(minutes=5), clock=clock)
    resolver.resolve("did:example:a")
    resolver.resolve("did:example:a")
    assert method.calls == 1
    clock.advance(timedelta(minutes=6))
    resolver.resolve("did:example:a")
    assert method.calls == 2


def test_errors_are_not_cached() -> None:
    method = CountingMethod()
    resolver = Resolver([method])
    for _ in range(2):
        with pytest.raises(DidNotFoundError):
            resolver.resolve("did:example:missing")
    assert method.calls == 2


def test_relative_ids_and_relationships() -> None:
    key = KeyPair.generate()
    method = CountingMethod()
    method.documents["did:example:a"] = _doc("did:example:a", key, relationship="authentication")
    resolver = Resolver([method])
    vm = resolver.dereference("did:example:a#k1", relationship=Relationship.AUTHENTICATION)
    assert vm.public_key == key.public_key
    assert vm.controller == "did:example:a"
    with pytest.raises(InvalidRelationshipError):
        resolver.dereference("did:example:a#k1", relationship=Relationship.ASSERTION_METHOD)
    with pytest.raises(InvalidVerificationMethodError):
        resolver.dereference("did:example:a#k2", relationship=None)


@pytest.mark.parametrize(
    "url",
    [
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",  # no fragment
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/path#x",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK?q=1#x",
        "https://example.com/key#1",
    ],
)
def test_bad_verification_method_urls(url: str) -> None:
    with pytest.raises(DidError) as info:
        Resolver().dereference(url, relationship=None)
    assert info.value.code in ("invalidDidUrl", "invalidDid")
    assert isinstance(info.value, InvalidDidUrlError)


def test_resolution_errors_pass_through_dereferencing() -> None:
    with pytest.raises(DidError) as info:
        Resolver().dereference("did:key:zzz#zzz", relationship=None)
    assert info.value.code in ("invalidPublicKey", "unsupportedPublicKeyType")


def test_verification_method_key_must_fit_its_type() -> None:
    p256 = KeyPair.generate("P-256")
    method = CountingMethod()
    doc = _doc("did:example:b", p256)
    doc["verificationMethod"][0]["type"] = "Ed25519VerificationKey2020"  # type: ignore[index]
    method.documents["did:example:b"] = doc
    with pytest.raises(InvalidVerificationMethodError, match="cannot hold"):
        Resolver([method]).dereference(
            "did:example:b#k1", relationship=Relationship.ASSERTION_METHOD
        )


@pytest.mark.parametrize(
    "doc",
    [
        {"verificationMethod": []},
        {"id": "not a did"},
        {"id": "did:example:c", "verificationMethod": {}},
        {"id": "did:example:c", "verificationMethod": [{"id": "#a", "type": "Multikey"}]},
        {"id": "did:example:c", "assertionMethod": [5]},
        {
            "id": "did:example:c",
            "verificationMethod": [
                {
                    "id": "#a",
                    "type": "Multikey",
                    "controller": "did:example:c",
                    "publicKeyMultibase": "z1",
                },
                {
                    "id": "#a",
                    "type": "Multikey",
                    "controller": "did:example:c",
                    "publicKeyMultibase": "z2",
                },
            ],
        },
    ],
    ids=["no-id", "bad-id", "vm-not-list", "vm-no-controller", "rel-not-id", "duplicate-vm-id"],
)
def test_malformed_documents_are_refused(doc: dict[str, object]) -> None:
    with pytest.raises(DidError) as info:
        DidDocument(doc)  # type: ignore[arg-type]
    assert info.value.code == "INVALID_CONTROLLED_IDENTIFIER_DOCUMENT"


def test_document_view_is_not_mutable_through_copies() -> None:
    key = KeyPair.generate()
    doc = Resolver().resolve(did_key(key.public_key))
    copy = doc.to_json()
    copy["id"] = "did:example:evil"
    assert doc.to_json()["id"] == did_key(key.public_key)
    assert doc.verification_method(vm_id_of(key.public_key)) is doc.verification_method(
        vm_id_of(key.public_key)
    )


def test_two_methods_with_one_name_are_refused() -> None:
    with pytest.raises(ValueError, match="two resolvers"):
        Resolver([CountingMethod(), CountingMethod()])
