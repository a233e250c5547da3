"""VC-JOSE-COSE §3.1.2 (securing presentations with JOSE) and JC-04: ``vp+jwt``, holder's
key under authentication, credentials only as ``EnvelopedVerifiableCredential``, and the
verifier's challenge/domain bound through the ``nonce``/``aud`` claims."""

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
    presentation,
    resolver_with,
    verify_jwt,
    verify_vp,
)
from staffvc.keys import KeyType
from staffvc.proofs.jose import (
    JoseSigningError,
    decode_compact,
    envelope,
    issue_vc_cose,
    issue_vc_jwt,
    issue_vp_jwt,
    sign_compact,
    unenvelope,
)
from staffvc.results import Code, Outcome


def _vp(**kw: Any) -> tuple[str, str]:
    issuer, issuer_did = did_key_signer(KeyType.P256)
    holder, holder_did = did_key_signer(KeyType.ED25519)
    vc = issue_vc_jwt(credential(issuer_did), signer=issuer)
    document = presentation(holder_did, [envelope(vc, "application/vc+jwt")])
    return issue_vp_jwt(document, signer=holder, **kw), vc


def test_presentation_round_trip_with_nonce_and_aud() -> None:
    token, vc = _vp(nonce="c-123", audience="https://verifier.nhs.example")
    decoded = decode_compact(token)
    assert decoded.header["typ"] == "vp+jwt"
    assert decoded.header["cty"] == "vp"
    claims = json.loads(decoded.payload)
    assert claims["nonce"] == "c-123"
    assert claims["aud"] == "https://verifier.nhs.example"
    result = verify_vp(token, challenge="c-123", domain="https://verifier.nhs.example")
    assert_valid(result)
    assert outcome(result, "jose.nonce") is Outcome.PASSED
    assert outcome(result, "jose.aud") is Outcome.PASSED
    # the enveloped credential comes out whole, and verifies on its own
    media_type, inner = unenvelope(claims["verifiableCredential"][0])
    assert (media_type, inner) == ("application/vc+jwt", vc)
    assert_valid(verify_jwt(inner))


def test_aud_list_containing_the_domain() -> None:
    token, _ = _vp(nonce="c-123", audience=["https://a.example", "https://b.example"])
    assert_valid(verify_vp(token, domain="https://b.example"))
    assert_fails(
        verify_vp(token, domain="https://c.example"), "jose.aud", Code.INVALID_DOMAIN_ERROR
    )


@pytest.mark.parametrize(("nonce", "challenge"), [("c-123", "c-124"), (None, "c-123"), ("", "x")])
def test_nonce_must_be_the_challenge(nonce: str | None, challenge: str) -> None:
    token, _ = _vp(nonce=nonce)
    assert_fails(verify_vp(token, challenge=challenge), "jose.nonce", Code.INVALID_CHALLENGE_ERROR)


def test_no_domain_requested_records_no_aud_check() -> None:
    token, _ = _vp(nonce="c-123", audience="https://x.example")
    result = verify_vp(token)
    assert_valid(result)
    assert outcome(result, "jose.aud") is None


def test_verifier_arguments_are_checked() -> None:
    token, _ = _vp(nonce="c-123")
    with pytest.raises(ValueError):
        verify_vp(token, challenge="")
    with pytest.raises(ValueError):
        verify_vp(token, domain="")


def test_holder_key_must_be_under_authentication() -> None:
    holder_did = "did:web:wallet.example"
    key = key_pair(KeyType.P256)
    document = did_document(holder_did, {"k": key}, authentication=[])
    payload = presentation(holder_did, []) | {"nonce": "c-123"}
    token = sign_compact(
        {"typ": "vp+jwt", "kid": f"{holder_did}#k"}, json.dumps(payload).encode(), signer=key
    )
    result = verify_vp(token, resolver=resolver_with(document))
    assert_fails(result, "jose.kid", Code.INVALID_RELATIONSHIP_FOR_VERIFICATION_METHOD)
    ok = did_document(holder_did, {"k": key}, assertion=[])
    assert_valid(verify_vp(token, resolver=resolver_with(ok)))


def test_holder_must_control_the_key() -> None:
    holder, _ = did_key_signer(KeyType.ED25519)
    payload = presentation("did:example:someone-else", []) | {"nonce": "c-123"}
    token = sign_compact({"typ": "vp+jwt"}, json.dumps(payload).encode(), signer=holder)
    assert_fails(verify_vp(token), "jose.kid", Code.CONTROLLER_MISMATCH)


def test_a_presentation_without_holder_binds_the_key_to_no_one() -> None:
    holder, _ = did_key_signer(KeyType.ED25519)
    payload = presentation("x", []) | {"nonce": "c-123"}
    del payload["holder"]
    token = sign_compact({"typ": "vp+jwt"}, json.dumps(payload).encode(), signer=holder)
    assert_valid(verify_vp(token))


@pytest.mark.parametrize(
    "item",
    [
        {"type": "VerifiableCredential", "issuer": "did:example:1"},  # not enveloped
        "eyJhbGciOiJFZERTQSJ9.e30.AA",
        {"type": "EnvelopedVerifiableCredential", "id": "https://example.com/vc"},
    ],
)
def test_credentials_must_be_enveloped(item: Any) -> None:
    holder, holder_did = did_key_signer(KeyType.ED25519)
    payload = presentation(holder_did, [item]) | {"nonce": "c-123"}
    token = sign_compact({"typ": "vp+jwt"}, json.dumps(payload).encode(), signer=holder)
    result = verify_vp(token)
    assert outcome(result, "jose.payload") is Outcome.FAILED
    assert not result.ok
    with pytest.raises(JoseSigningError):
        issue_vp_jwt(presentation(holder_did, [item]), signer=holder)


def test_an_enveloped_presentation_inside_a_presentation_is_refused() -> None:
    holder, holder_did = did_key_signer(KeyType.ED25519)
    inner = envelope("eyJhbGciOiJFZERTQSJ9.e30.AA", "application/vp+jwt")
    inner["type"] = "EnvelopedVerifiableCredential"
    payload = presentation(holder_did, [inner]) | {"nonce": "c-123"}
    token = sign_compact({"typ": "vp+jwt"}, json.dumps(payload).encode(), signer=holder)
    assert_fails(verify_vp(token), "jose.payload", Code.MEDIA_TYPE_MISMATCH)


def test_cose_credentials_may_be_enveloped() -> None:
    issuer, issuer_did = did_key_signer(KeyType.ED25519)
    holder, holder_did = did_key_signer(KeyType.P384)
    cose = issue_vc_cose(credential(issuer_did), signer=issuer)
    document = presentation(holder_did, [envelope(cose, "application/vc+cose")])
    assert_valid(verify_vp(issue_vp_jwt(document, signer=holder, nonce="c-123")))


def test_vp_and_vc_verifiers_do_not_accept_each_other() -> None:
    token, vc = _vp(nonce="c-123")
    assert_fails(verify_jwt(token), "jose.typ", Code.MEDIA_TYPE_MISMATCH)
    assert_fails(verify_vp(vc), "jose.typ", Code.MEDIA_TYPE_MISMATCH)
    result = verify_jwt(token, expected_typ=("vc+jwt", "vp+jwt"))
    assert_fails(result, "jose.payload", Code.MEDIA_TYPE_MISMATCH)


def test_issue_vp_refusals() -> None:
    holder, holder_did = did_key_signer(KeyType.ED25519)
    with pytest.raises(JoseSigningError):
        issue_vp_jwt(presentation(holder_did, [], nonce="a"), signer=holder, nonce="b")
    with pytest.raises(JoseSigningError):
        issue_vp_jwt(presentation(holder_did, []), signer=holder, audience=[])
    with pytest.raises(JoseSigningError):
        issue_vp_jwt(credential(holder_did), signer=holder)
    with pytest.raises(JoseSigningError):
        issue_vp_jwt(presentation("did:example:other", []), signer=holder)
    same = issue_vp_jwt(presentation(holder_did, [], nonce="a"), signer=holder, nonce="a")
    assert json.loads(decode_compact(same).payload)["nonce"] == "a"
