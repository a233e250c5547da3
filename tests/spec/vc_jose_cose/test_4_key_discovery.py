"""VC-JOSE-COSE §4 (key discovery) and JC-07/JC-08: ``kid`` is a DID URL under the issuer's
DID, resolved to a method the issuer controls and authorises for assertionMethod; the
algorithm is pinned from that key; embedded keys are never trusted on their own."""

from __future__ import annotations

import json
from typing import Any

import pytest

from spec.vc_jose_cose.jose_fixtures import (
    assert_fails,
    assert_valid,
    credential,
    did_document,
    did_key_signer,
    key_pair,
    outcome,
    resolver_with,
    verify_jwt,
)
from staffvc.keys import KeyPair, KeyType, b64url_decode, b64url_encode
from staffvc.proofs.jose import issue_vc_jwt, sign_compact
from staffvc.results import Code, Outcome, Verdict

ISSUER = "did:web:trust.nhs.example"
KEY = key_pair(KeyType.P256)
OTHER = key_pair(KeyType.ED25519)


def _issue(kid: str, *, key: KeyPair = KEY, issuer: str = ISSUER) -> str:
    payload = json.dumps(credential(issuer)).encode()
    return sign_compact({"typ": "vc+jwt", "kid": kid}, payload, signer=key)


def test_kid_under_assertion_method_verifies() -> None:
    resolver = resolver_with(did_document(ISSUER, {"key-1": KEY}))
    result = verify_jwt(_issue(f"{ISSUER}#key-1"), resolver=resolver)
    assert_valid(result)


def test_relative_kid_is_read_against_the_issuer() -> None:
    resolver = resolver_with(did_document(ISSUER, {"key-1": KEY}))
    assert_valid(verify_jwt(_issue("#key-1"), resolver=resolver))


def test_kid_not_in_the_issuers_did_document() -> None:
    resolver = resolver_with(did_document(ISSUER, {"key-1": KEY}))
    result = verify_jwt(_issue(f"{ISSUER}#key-2"), resolver=resolver)
    assert_fails(result, "jose.kid", Code.INVALID_VERIFICATION_METHOD)
    assert outcome(result, "jose.signature") is Outcome.SKIPPED


def test_kid_not_under_assertion_method() -> None:
    document = did_document(ISSUER, {"key-1": KEY}, assertion=[], authentication=["key-1"])
    result = verify_jwt(_issue(f"{ISSUER}#key-1"), resolver=resolver_with(document))
    assert_fails(result, "jose.kid", Code.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD)


def test_kid_of_another_did_than_the_issuer() -> None:
    signer, other_did = did_key_signer(KeyType.ED25519)
    resolver = resolver_with(did_document(ISSUER, {"key-1": KEY}))
    token = _issue(str(signer.key_id), key=signer)
    assert_fails(verify_jwt(token, resolver=resolver), "jose.kid", Code.CONTROLLER_MISMATCH)
    # and the issuance API refuses to make one
    with pytest.raises(Exception) as caught:
        issue_vc_jwt(credential(ISSUER), signer=signer)
    assert getattr(caught.value, "code", None) == "PROOF_GENERATION_ERROR"
    assert other_did != ISSUER


def test_method_controlled_by_another_did() -> None:
    document = did_document(ISSUER, {"key-1": KEY}, controller="did:web:elsewhere.example")
    result = verify_jwt(_issue(f"{ISSUER}#key-1"), resolver=resolver_with(document))
    assert_fails(result, "jose.kid", Code.CONTROLLER_MISMATCH)


def test_iss_names_the_controller_when_the_issuer_object_is_missing_it() -> None:
    payload = credential(ISSUER)
    payload["issuer"] = {"name": "no id"}
    payload["iss"] = ISSUER
    token = sign_compact(
        {"typ": "vc+jwt", "kid": f"{ISSUER}#key-1"}, json.dumps(payload).encode(), signer=KEY
    )
    result = verify_jwt(token, resolver=resolver_with(did_document(ISSUER, {"key-1": KEY})))
    assert outcome(result, "jose.kid") is Outcome.PASSED
    assert outcome(result, "jose.signature") is Outcome.PASSED


@pytest.mark.parametrize(
    ("kid", "code"),
    [
        (None, Code.INVALID_VERIFICATION_METHOD_URL),
        (7, Code.INVALID_VERIFICATION_METHOD_URL),
        ("did:web:trust.nhs.example", Code.INVALID_VERIFICATION_METHOD_URL),  # no fragment
        ("did:web:trust.nhs.example/path#key-1", Code.INVALID_VERIFICATION_METHOD_URL),
        ("did:web:trust.nhs.example?q=1#key-1", Code.INVALID_VERIFICATION_METHOD_URL),
        ("did:web:trust.nhs.example#", Code.INVALID_VERIFICATION_METHOD_URL),
        ("did:::#x", Code.CONTROLLER_MISMATCH),  # not under the issuer: never resolved
    ],
)
def test_malformed_kid(kid: object, code: Code) -> None:
    header = {"typ": "vc+jwt"} if kid is None else {"typ": "vc+jwt", "kid": kid}
    token = sign_compact(header, json.dumps(credential(ISSUER)).encode(), signer=KEY)
    result = verify_jwt(token, resolver=resolver_with(did_document(ISSUER, {"key-1": KEY})))
    assert_fails(result, "jose.kid", code)


def test_relative_kid_without_a_did_issuer() -> None:
    token = _issue("#key-1", issuer="https://trust.nhs.example/issuer")
    assert_fails(verify_jwt(token), "jose.kid", Code.INVALID_VERIFICATION_METHOD_URL)


def test_kid_that_is_not_a_did_url_cannot_be_decided() -> None:
    issuer = "https://trust.nhs.example/issuer"
    result = verify_jwt(_issue(f"{issuer}#key-1", issuer=issuer))
    assert outcome(result, "jose.kid") is Outcome.ERROR
    assert result.verdict is Verdict.INDETERMINATE
    assert Code.DID_RESOLUTION_ERROR in result.codes()


def test_unresolvable_did_is_indeterminate() -> None:
    result = verify_jwt(_issue(f"{ISSUER}#key-1"), resolver=resolver_with())
    assert outcome(result, "jose.kid") is Outcome.ERROR
    assert result.verdict is Verdict.INDETERMINATE
    did_ion = "did:ion:abc"
    result = verify_jwt(_issue(f"{did_ion}#key-1", issuer=did_ion))
    assert result.verdict is Verdict.INDETERMINATE


@pytest.mark.parametrize(
    ("header_alg", "signing_key", "resolved_key"),
    [
        ("ES256", KeyType.P256, KeyType.ED25519),  # ES256 header, Ed25519 key in the DID
        ("EdDSA", KeyType.ED25519, KeyType.P256),
        ("ES256K", KeyType.SECP256K1, KeyType.P256),
        ("ES384", KeyType.P384, KeyType.P256),
    ],
)
def test_alg_must_match_the_resolved_key(
    header_alg: str, signing_key: KeyType, resolved_key: KeyType
) -> None:
    signer = key_pair(signing_key)
    assert signer.algorithm.value == header_alg
    resolver = resolver_with(did_document(ISSUER, {"key-1": key_pair(resolved_key)}))
    result = verify_jwt(_issue(f"{ISSUER}#key-1", key=signer), resolver=resolver)
    assert_fails(result, "jose.signature", Code.UNSUPPORTED_ALGORITHM)


def test_embedded_jwk_other_than_the_resolved_key_is_refused() -> None:
    attacker = KeyPair.generate(KeyType.P256)
    payload = json.dumps(credential(ISSUER)).encode()
    header = {"typ": "vc+jwt", "kid": f"{ISSUER}#key-1", "jwk": attacker.public_key.to_jwk()}
    token = sign_compact(header, payload, signer=attacker)
    resolver = resolver_with(did_document(ISSUER, {"key-1": KEY}))
    assert_fails(verify_jwt(token, resolver=resolver), "jose.signature", Code.UNSUPPORTED_HEADER)
    header["jwk"] = KEY.public_key.to_jwk()
    assert_valid(verify_jwt(sign_compact(header, payload, signer=KEY), resolver=resolver))


def test_signature_by_a_key_other_than_kid() -> None:
    resolver = resolver_with(did_document(ISSUER, {"key-1": KEY, "key-2": OTHER}))
    token = _issue(f"{ISSUER}#key-1", key=KeyPair.generate(KeyType.P256))
    assert_fails(
        verify_jwt(token, resolver=resolver), "jose.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR
    )


def test_kid_swapped_to_another_key_of_the_issuer() -> None:
    resolver = resolver_with(did_document(ISSUER, {"key-1": KEY, "key-2": OTHER}))
    token = _issue(f"{ISSUER}#key-1")
    head, body, sig = token.split(".")
    header = json.loads(b64url_decode(head)) | {"kid": f"{ISSUER}#key-2"}
    swapped = f"{b64url_encode(json.dumps(header).encode())}.{body}.{sig}"
    result = verify_jwt(swapped, resolver=resolver)
    assert result.verdict is Verdict.INVALID
    assert outcome(result, "jose.signature") is Outcome.FAILED


def test_a_foreign_kid_is_never_resolved() -> None:
    """The binding is checked first: a token cannot make the verifier fetch a DID of the
    attacker's choosing (did:web would be a request to the attacker's server)."""
    from spec.vc_jose_cose.jose_fixtures import StaticMethod
    from staffvc.did import DidKeyMethod, Resolver

    asked: list[str] = []

    class Recording(StaticMethod):
        def resolve(self, did: str) -> Any:
            asked.append(did)
            return super().resolve(did)

    resolver = Resolver(
        [DidKeyMethod(), Recording("web", {ISSUER: did_document(ISSUER, {"k": KEY})})]
    )
    token = _issue("did:web:attacker.example#k")
    assert_fails(verify_jwt(token, resolver=resolver), "jose.kid", Code.CONTROLLER_MISMATCH)
    assert asked == []
    assert_valid(verify_jwt(_issue(f"{ISSUER}#k"), resolver=resolver))
    assert asked == [ISSUER]
