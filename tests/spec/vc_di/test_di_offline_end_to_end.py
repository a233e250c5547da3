"""Issue and verify in every suite with pyld's process-global document loader replaced by
one that fails, and with sockets refused: nothing reaches for the global or the network."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import NoReturn

import pytest
from pyld import jsonld

from staffvc.did import did_key, vm_id_of
from staffvc.jsonld import BundledLoader
from staffvc.keys import KeyPair, KeyType
from staffvc.proofs import AssertionPurpose
from staffvc.proofs.data_integrity import EcdsaSd2023, add_proof, derive_proof
from staffvc.results import Verdict
from staffvc.verifier import Verifier

SUITES = [
    ("eddsa-rdfc-2022", KeyType.ED25519),
    ("eddsa-jcs-2022", KeyType.ED25519),
    ("ecdsa-rdfc-2019", KeyType.P384),
    ("ecdsa-jcs-2019", KeyType.P256),
    ("Ed25519Signature2020", KeyType.ED25519),
    ("ecdsa-sd-2023", KeyType.P256),
]


@pytest.fixture
def hostile_globals(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> NoReturn:
        raise AssertionError("the process-global loader or the network was used")

    previous = jsonld.get_document_loader()
    jsonld.set_document_loader(refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    yield
    jsonld.set_document_loader(previous)


@pytest.mark.usefixtures("hostile_globals")
@pytest.mark.parametrize(("suite", "key_type"), SUITES)
def test_issue_and_verify_use_only_the_given_loader(suite: str, key_type: KeyType) -> None:
    key = KeyPair.generate(key_type)
    key = key.with_key_id(vm_id_of(key.public_key))
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential"],
        "issuer": did_key(key.public_key),
        "credentialSubject": {"id": "did:example:staff-1", "name": "Moving and Handling"},
    }
    loader = BundledLoader()
    sd = suite == "ecdsa-sd-2023"
    chosen = EcdsaSd2023(mandatory_pointers=["/issuer", "/credentialSubject/id"]) if sd else suite
    signed = add_proof(
        credential,
        key,
        suite=chosen,
        purpose=AssertionPurpose(),
        created=datetime.now(UTC),
        loader=loader,
    )
    if sd:
        signed = derive_proof(signed, ["/credentialSubject/name"], loader=loader)
    result = Verifier(loader=loader).verify_credential(signed, now=None)
    assert result.verdict is Verdict.VALID, result.explain()
