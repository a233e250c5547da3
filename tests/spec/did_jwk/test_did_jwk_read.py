"""did:jwk method specification: document shape, `use` handling, refusal of private keys."""

from __future__ import annotations

import json

import pytest

from staffvc.did import DidJwkMethod, Relationship, Resolver, did_jwk
from staffvc.errors import DidError
from staffvc.keys import KeyPair, KeyType, b64url_encode

# the did:jwk spec's P-256 example
SPEC_DID = (
    "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6"
    "OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
)


def test_spec_example_resolves_to_json_web_key_2020() -> None:
    doc = DidJwkMethod().document(SPEC_DID)
    assert doc["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/suites/jws-2020/v1",
    ]
    (vm,) = doc["verificationMethod"]
    assert vm["id"] == SPEC_DID + "#0"
    assert vm["type"] == "JsonWebKey2020"
    assert vm["publicKeyJwk"]["crv"] == "P-256"
    for rel in (
        "assertionMethod",
        "authentication",
        "capabilityInvocation",
        "capabilityDelegation",
        "keyAgreement",
    ):
        assert doc[rel] == [SPEC_DID + "#0"]


@pytest.mark.parametrize(
    "key_type", [KeyType.ED25519, KeyType.P256, KeyType.P384, KeyType.SECP256K1], ids=str
)
def test_round_trip_through_the_resolver(key_type: KeyType) -> None:
    key = KeyPair.generate(key_type).public_key
    vm = Resolver().dereference(did_jwk(key) + "#0", relationship=Relationship.ASSERTION_METHOD)
    assert vm.public_key == key


def _did(jwk: dict[str, object]) -> str:
    return "did:jwk:" + b64url_encode(json.dumps(jwk).encode())


def test_use_enc_gives_key_agreement_only() -> None:
    jwk = {**KeyPair.generate(KeyType.P256).public_key.to_jwk(), "use": "enc"}
    doc = DidJwkMethod().document(_did(jwk))
    assert "assertionMethod" not in doc
    assert doc["keyAgreement"] == [_did(jwk) + "#0"]


def test_use_sig_gives_no_key_agreement() -> None:
    jwk = {**KeyPair.generate(KeyType.P256).public_key.to_jwk(), "use": "sig"}
    assert "keyAgreement" not in DidJwkMethod().document(_did(jwk))


@pytest.mark.parametrize(
    ("did", "code"),
    [
        ("did:jwk:!!!", "invalidDid"),
        ("did:jwk:" + b64url_encode(b"not json"), "invalidDid"),
        ("did:jwk:" + b64url_encode(b"[1,2]"), "invalidDid"),
        (_did({"kty": "RSA", "n": "AQAB", "e": "AQAB"}), "unsupportedPublicKeyType"),
        (_did({"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}), "invalidPublicKeyLength"),
        (_did({**KeyPair.generate().public_key.to_jwk(), "use": "other"}), "invalidPublicKey"),
        (_did(KeyPair.generate().private_jwk()), "invalidPublicKey"),
        ("did:jwk:" + b64url_encode(b'{"kty":"OKP","kty":"EC"}'), "invalidDid"),
        ("did:jwk:" + b64url_encode(b'{"a":' * 20 + b"1" + b"}" * 20), "invalidDid"),
    ],
    ids=[
        "not-base64",
        "not-json",
        "not-object",
        "rsa",
        "short",
        "bad-use",
        "private",
        "duplicate",
        "deep",
    ],
)
def test_bad_did_jwk_values_have_coded_errors(did: str, code: str) -> None:
    with pytest.raises(DidError) as info:
        DidJwkMethod().document(did)
    assert info.value.code == code
