"""VC Data Model 1.1 §6.3.1 (JWT encoding): §6.3.1.1 claims from the credential
(iss/sub/nbf/exp/jti, vc), §6.3.1.2 decoding back (tolerant of the variants in the wild,
strict on conflicts), and verification as a coded result. Never mixed with VC-JOSE-COSE."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from spec.vc_jose_cose.jose_fixtures import (
    KEY_TYPES,
    NOW,
    V1,
    assert_fails,
    assert_valid,
    credential,
    credential_v11,
    did_key_signer,
    outcome,
    verify_jwt,
    verify_v11,
    verify_vp_v11,
)
from staffvc.keys import KeyType
from staffvc.proofs.jose import (
    JoseClaimError,
    JoseError,
    JoseMalformedError,
    JoseSigningError,
    decode_compact,
    decode_jwt_vc_v11,
    decode_jwt_vp_v11,
    issue_jwt_vc_v11,
    issue_jwt_vp_v11,
    issue_vc_jwt,
    sign_compact,
)
from staffvc.results import Code, Outcome

ISSUED = 1748768400  # 2025-06-01T09:00:00Z
EXPIRES = 1811840400  # 2027-06-01T09:00:00Z


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_issue_maps_the_claims_and_verifies(key_type: KeyType) -> None:
    signer, did = did_key_signer(key_type)
    document = credential_v11(did)
    token = issue_jwt_vc_v11(document, signer=signer)
    decoded = decode_compact(token)
    assert decoded.header == {"alg": signer.algorithm.value, "kid": signer.key_id, "typ": "JWT"}
    claims = json.loads(decoded.payload)
    assert claims == {
        "iss": did,
        "sub": "did:example:staff-7",
        "jti": "http://example.nhs.uk/credentials/3732",
        "nbf": ISSUED,
        "iat": ISSUED,
        "exp": EXPIRES,
        "vc": document,
    }
    assert decode_jwt_vc_v11(claims) == document
    result = verify_v11(token)
    assert_valid(result)
    assert [c.name for c in result.checks] == [
        "jwt.decode",
        "jwt.typ",
        "jwt.claims",
        "jwt.kid",
        "jwt.signature",
        "jwt.exp",
        "jwt.nbf",
        "jwt.iat",
    ]


def test_typ_may_be_absent() -> None:
    signer, did = did_key_signer()
    token = issue_jwt_vc_v11(credential_v11(did), signer=signer, typ=None)
    assert "typ" not in decode_compact(token).header
    result = verify_v11(token)
    assert_valid(result)
    assert outcome(result, "jwt.typ") is None


def test_verify_returns_the_reconstructed_credential() -> None:
    from spec.vc_jose_cose.jose_fixtures import LEEWAY, new_recorder
    from staffvc.did import Resolver
    from staffvc.proofs.jose import verify_jwt_vc_v11

    signer, did = did_key_signer()
    vc = {k: v for k, v in credential_v11(did).items() if k not in ("issuer", "issuanceDate")}
    claims = {"iss": did, "nbf": ISSUED, "vc": vc}
    token = sign_compact({"typ": "JWT"}, json.dumps(claims).encode(), signer=signer)
    recorder = new_recorder()
    got = verify_jwt_vc_v11(
        token, recorder, resolver=Resolver(), now=NOW, leeway=LEEWAY, expected_typ=["JWT"]
    )
    assert recorder.result().ok
    assert got == credential_v11(did)


# --- §6.3.1.2 decoding ------------------------------------------------------------------------


def _vc(**drop_or_set: Any) -> dict[str, Any]:
    document = credential_v11("did:example:issuer")
    for name, value in drop_or_set.items():
        if value is None:
            document.pop(name, None)
        else:
            document[name] = value
    return document


@pytest.mark.parametrize(
    ("claims", "member", "expected"),
    [
        ({"iss": "did:example:issuer"}, "issuer", "did:example:issuer"),
        ({"jti": "urn:uuid:1"}, "id", "urn:uuid:1"),
        ({"nbf": ISSUED}, "issuanceDate", "2025-06-01T09:00:00Z"),
        ({"iat": ISSUED}, "issuanceDate", "2025-06-01T09:00:00Z"),  # no nbf: from iat
        ({"nbf": ISSUED, "iat": ISSUED + 99}, "issuanceDate", "2025-06-01T09:00:00Z"),
        ({"nbf": ISSUED + 0.25}, "issuanceDate", "2025-06-01T09:00:00.250000Z"),
        ({"exp": EXPIRES}, "expirationDate", "2027-06-01T09:00:00Z"),
        ({}, "@context", [V1]),
    ],
)
def test_members_are_filled_from_claims(claims: dict[str, Any], member: str, expected: Any) -> None:
    vc = _vc(issuer=None, id=None, issuanceDate=None, expirationDate=None, **{"@context": None})
    assert decode_jwt_vc_v11({**claims, "vc": vc})[member] == expected


def test_subject_id_is_filled_from_sub() -> None:
    vc = _vc(credentialSubject={"name": "A"})
    assert decode_jwt_vc_v11({"sub": "did:example:s", "vc": vc})["credentialSubject"] == {
        "id": "did:example:s",
        "name": "A",
    }
    vc = _vc(credentialSubject=[{"name": "A"}])
    got = decode_jwt_vc_v11({"sub": "did:example:s", "vc": vc})["credentialSubject"]
    assert got == [{"id": "did:example:s", "name": "A"}]
    many = [{"id": "did:example:a"}, {"id": "did:example:s"}]
    assert decode_jwt_vc_v11({"sub": "did:example:s", "vc": _vc(credentialSubject=many)})
    anonymous = [{"name": "A"}, {"name": "B"}]  # ambiguous: left as it is
    decoded = decode_jwt_vc_v11({"sub": "did:example:s", "vc": _vc(credentialSubject=anonymous)})
    assert decoded["credentialSubject"] == anonymous


def test_decoding_does_not_change_the_claims() -> None:
    vc = _vc(issuer=None)
    claims = {"iss": "did:example:issuer", "vc": vc}
    decode_jwt_vc_v11(claims)
    assert "issuer" not in vc


@pytest.mark.parametrize(
    "claims",
    [
        {"iss": "did:example:other"},
        {"jti": "urn:uuid:other"},
        {"sub": "did:example:other"},
        {"nbf": ISSUED + 1},
        {"exp": EXPIRES - 1},
    ],
)
def test_a_claim_that_contradicts_its_member(claims: dict[str, Any]) -> None:
    with pytest.raises(JoseClaimError) as caught:
        decode_jwt_vc_v11({**claims, "vc": _vc()})
    assert caught.value.code == "CLAIM_MISMATCH"


def test_sub_against_several_subjects() -> None:
    many = [{"id": "did:example:a"}, {"id": "did:example:b"}]
    with pytest.raises(JoseClaimError):
        decode_jwt_vc_v11({"sub": "did:example:c", "vc": _vc(credentialSubject=many)})


def test_iat_is_the_signing_time_and_may_differ_from_issuance() -> None:
    assert decode_jwt_vc_v11({"iat": ISSUED + 3600, "vc": _vc()})["issuanceDate"] == (
        "2025-06-01T09:00:00Z"
    )


def test_sub_second_differences_are_not_conflicts() -> None:
    vc = _vc(issuanceDate="2025-06-01T09:00:00.700Z")
    assert decode_jwt_vc_v11({"nbf": ISSUED, "vc": vc})["issuanceDate"].endswith(".700Z")


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"vc": "a string"},
        {"vc": [1]},
        {"vc": {}, "vp": {}},
        {"vc": {}, "iss": 7},
        {"vc": {}, "sub": ["a"]},
        {"vc": {}, "exp": "2027-01-01"},
        {"vc": {}, "nbf": True},
        {"vc": {}, "exp": 1e300},
        {"vc": {}, "exp": float("nan")},
        {"vc": {"issuanceDate": "yesterday"}, "nbf": ISSUED},
    ],
)
def test_malformed_claims(claims: dict[str, Any]) -> None:
    with pytest.raises(JoseMalformedError) as caught:
        decode_jwt_vc_v11(claims)
    assert caught.value.code == "PARSING_ERROR"


# --- verification -----------------------------------------------------------------------------


def _token(claims: dict[str, Any], header: dict[str, Any] | None = None) -> str:
    signer, _ = did_key_signer()
    return sign_compact(header or {"typ": "JWT"}, json.dumps(claims).encode(), signer=signer)


def _did() -> str:
    return did_key_signer()[1]


def test_conflicts_are_claim_mismatch_checks() -> None:
    did = _did()
    token = _token({"iss": did, "jti": "urn:other", "vc": credential_v11(did)})
    result = verify_v11(token)
    assert_fails(result, "jwt.claims", Code.CLAIM_MISMATCH)
    assert outcome(result, "jwt.signature") is Outcome.SKIPPED


def test_expired_and_not_yet_valid() -> None:
    did = _did()
    t = int(NOW.timestamp())
    vc = _vc(issuer=did, issuanceDate=None, expirationDate=None)
    assert_fails(verify_v11(_token({"exp": t - 120, "vc": vc})), "jwt.exp", Code.CREDENTIAL_EXPIRED)
    result = verify_v11(_token({"nbf": t + 3600, "vc": vc}))
    assert_fails(result, "jwt.nbf", Code.CREDENTIAL_NOT_YET_VALID)
    assert_valid(verify_v11(_token({"nbf": t + 30, "vc": vc})))  # leeway
    token = issue_jwt_vc_v11(credential_v11(did), signer=did_key_signer()[0])
    assert_fails(
        verify_v11(token, now=NOW + timedelta(days=3650)), "jwt.exp", Code.CREDENTIAL_EXPIRED
    )


def test_the_issuer_must_control_the_key() -> None:
    token = _token({"vc": credential_v11("did:example:someone-else")})
    assert_fails(verify_v11(token), "jwt.kid", Code.CONTROLLER_MISMATCH)
    token = _token({"vc": _vc(issuer=None)})
    assert_fails(verify_v11(token), "jwt.kid", Code.MALFORMED_VALUE_ERROR)


def test_profiles_are_not_mixed() -> None:
    signer, did = did_key_signer()
    jose_token = issue_vc_jwt(credential(did), signer=signer)
    assert_fails(verify_v11(jose_token), "jwt.typ", Code.MEDIA_TYPE_MISMATCH)
    untyped = sign_compact({}, json.dumps(credential(did)).encode(), signer=signer)
    assert_fails(verify_v11(untyped), "jwt.claims", Code.PARSING_ERROR)
    v11 = issue_jwt_vc_v11(credential_v11(did), signer=signer, typ="vc+jwt")
    assert_fails(verify_jwt(v11), "jose.payload", Code.MALFORMED_VALUE_ERROR)


@pytest.mark.parametrize(
    ("token", "name", "code"),
    [
        ("not a token", "jwt.decode", Code.PARSING_ERROR),
        ("eyJhbGciOiJub25lIn0.eyJ2YyI6e319.", "jwt.decode", Code.UNSUPPORTED_ALGORITHM),
        (b"\x00" * 10, "jwt.decode", Code.PARSING_ERROR),
    ],
)
def test_bad_tokens(token: str | bytes, name: str, code: Code) -> None:
    result = verify_v11(token)
    assert_fails(result, name, code)
    assert not any(c.outcome is Outcome.PASSED for c in result.checks)


def test_tampered_v11_token() -> None:
    signer, did = did_key_signer(KeyType.SECP256K1)
    token = issue_jwt_vc_v11(credential_v11(did), signer=signer)
    head, body, sig = token.split(".")
    forged = f"{head}.{body}.{sig[:-2]}{'A' if sig[-2] != 'A' else 'Q'}{sig[-1]}"
    assert_fails(verify_v11(forged), "jwt.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)


# --- presentations ----------------------------------------------------------------------------


def test_presentation_round_trip() -> None:
    issuer, issuer_did = did_key_signer(KeyType.P256)
    holder, holder_did = did_key_signer(KeyType.ED25519)
    vc_jwt = issue_jwt_vc_v11(credential_v11(issuer_did), signer=issuer)
    vp = {
        "@context": [V1],
        "type": ["VerifiablePresentation"],
        "holder": holder_did,
        "verifiableCredential": [vc_jwt],
    }
    token = issue_jwt_vp_v11(
        vp,
        signer=holder,
        nonce="c-123",
        audience="https://verifier.example",
        issued_at=NOW,
        expires_at=NOW + timedelta(minutes=5),
    )
    claims = json.loads(decode_compact(token).payload)
    assert claims["iss"] == holder_did
    assert claims["nonce"] == "c-123"
    assert claims["aud"] == "https://verifier.example"
    assert decode_jwt_vp_v11(claims) == vp
    assert_valid(verify_vp_v11(token, domain="https://verifier.example"))
    assert_fails(verify_vp_v11(token, challenge="c-999"), "jwt.nonce", Code.INVALID_CHALLENGE_ERROR)
    assert_fails(
        verify_vp_v11(token, domain="https://x.example"), "jwt.aud", Code.INVALID_DOMAIN_ERROR
    )
    later = NOW + timedelta(hours=1)
    assert_fails(verify_vp_v11(token, now=later), "jwt.exp", Code.CREDENTIAL_EXPIRED)
    assert_valid(verify_v11(vc_jwt))


def test_presentation_without_holder_gets_iss_from_the_key() -> None:
    holder, holder_did = did_key_signer(KeyType.ED25519)
    vp = {"type": "VerifiablePresentation", "verifiableCredential": []}
    token = issue_jwt_vp_v11(vp, signer=holder, nonce="c-123", audience=["a", "b"])
    claims = json.loads(decode_compact(token).payload)
    assert claims["iss"] == holder_did
    assert claims["aud"] == ["a", "b"]
    assert decode_jwt_vp_v11(claims)["holder"] == holder_did
    assert_valid(verify_vp_v11(token))


def test_vp_decoding_errors() -> None:
    for claims in ({}, {"vp": 1}, {"vp": {}, "vc": {}}, {"vp": {"holder": "a"}, "iss": "b"}):
        with pytest.raises(JoseError):
            decode_jwt_vp_v11(claims)


def test_issue_refusals() -> None:
    signer, did = did_key_signer()
    changes: list[dict[str, Any]] = [
        {"issuer": None},
        {"issuanceDate": None},
        {"issuanceDate": "soon"},
        {"issuanceDate": 5},
        {"expirationDate": 7},
        {"expirationDate": "later"},
    ]
    for change in changes:
        document = credential_v11(did)
        for name, value in change.items():
            if value is None:
                del document[name]
            else:
                document[name] = value
        with pytest.raises(JoseSigningError):
            issue_jwt_vc_v11(document, signer=signer)
    with pytest.raises(JoseSigningError):
        issue_jwt_vc_v11(credential_v11("did:example:other"), signer=signer)
    with pytest.raises(JoseSigningError):
        issue_jwt_vc_v11(credential_v11(did), signer=signer.with_key_id(None))
    with pytest.raises(JoseSigningError):
        issue_jwt_vc_v11(credential_v11(did), signer=signer, extra_header={"typ": "x"})
    with pytest.raises(JoseSigningError):
        issue_jwt_vc_v11({"type": ["Other"]}, signer=signer)
    with pytest.raises(JoseSigningError):
        issue_jwt_vp_v11(credential_v11(did), signer=signer)
    with pytest.raises(JoseSigningError):
        issue_jwt_vp_v11(
            {"type": "VerifiablePresentation", "holder": "did:example:x"}, signer=signer
        )
