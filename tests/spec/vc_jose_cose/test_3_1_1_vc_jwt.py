"""VC-JOSE-COSE §3.1.1 (securing credentials with JOSE): the payload is the credential
unchanged, headers typ/cty/kid, no vc/vp claims, iss/jti/sub consistency, iat/exp/nbf, and a
coded result (never VALID, never a traceback) for every bad token."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from spec.vc_jose_cose.jose_fixtures import (
    KEY_TYPES,
    NOW,
    assert_fails,
    assert_valid,
    credential,
    did_key_signer,
    outcome,
    presentation,
    verify_jwt,
)
from staffvc.keys import KeyPair, KeyType, b64url_decode, b64url_encode
from staffvc.proofs.jose import (
    JoseLimits,
    JoseSigningError,
    decode_compact,
    issue_vc_jwt,
    sign_compact,
)
from staffvc.results import Code, Outcome, Stage, Verdict


def _parts(token: str) -> list[str]:
    return token.split(".")


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_issue_and_verify_each_algorithm(key_type: KeyType) -> None:
    signer, did = did_key_signer(key_type)
    document = credential(did)
    token = issue_vc_jwt(document, signer=signer)
    decoded = decode_compact(token)
    assert decoded.header == {
        "alg": signer.algorithm.value,
        "kid": signer.key_id,
        "typ": "vc+jwt",
        "cty": "vc",
    }
    assert json.loads(decoded.payload) == document  # JC-01: the payload is the credential
    result = verify_jwt(token)
    assert_valid(result)
    names = [c.name for c in result.checks]
    assert names[:5] == ["jose.decode", "jose.typ", "jose.payload", "jose.kid", "jose.signature"]
    assert {c.stage for c in result.checks} >= {Stage.PARSE, Stage.PURPOSE, Stage.PROOF}


def test_verify_returns_the_payload_for_the_data_model_checks() -> None:
    signer, did = did_key_signer()
    document = credential({"id": did, "name": "NHS Trust"})
    token = issue_vc_jwt(document, signer=signer)
    from spec.vc_jose_cose.jose_fixtures import LEEWAY, new_recorder
    from staffvc.did import Resolver
    from staffvc.proofs.jose import verify_vc_jose

    recorder = new_recorder()
    got = verify_vc_jose(
        token, recorder, resolver=Resolver(), now=NOW, leeway=LEEWAY, expected_typ=["vc+jwt"]
    )
    assert got == document
    assert recorder.result().ok


# --- typ and cty (JC-02) ----------------------------------------------------------------------


@pytest.mark.parametrize("typ", ["vc+jwt", "VC+JWT", "application/vc+jwt"])
def test_typ_compares_as_a_media_type(typ: str) -> None:
    signer, did = did_key_signer()
    assert_valid(verify_jwt(issue_vc_jwt(credential(did), signer=signer, typ=typ)))


@pytest.mark.parametrize("header", [{"typ": "JWT"}, {"typ": "vp+jwt"}, {}, {"typ": 7}])
def test_wrong_or_missing_typ(header: dict[str, Any]) -> None:
    signer, did = did_key_signer()
    payload = json.dumps(credential(did)).encode()
    token = sign_compact(header, payload, signer=signer)
    assert_fails(verify_jwt(token), "jose.typ", Code.MEDIA_TYPE_MISMATCH)


def test_expected_typ_is_the_callers_choice() -> None:
    signer, did = did_key_signer()
    token = issue_vc_jwt(credential(did), signer=signer, typ="nhs-staff+jwt")
    assert_fails(verify_jwt(token), "jose.typ", Code.MEDIA_TYPE_MISMATCH)
    assert_valid(verify_jwt(token, expected_typ=("nhs-staff+jwt", "vc+jwt")))


@pytest.mark.parametrize("cty", ["vp", "json", 1])
def test_wrong_cty(cty: Any) -> None:
    signer, did = did_key_signer()
    payload = json.dumps(credential(did)).encode()
    token = sign_compact({"typ": "vc+jwt", "cty": cty}, payload, signer=signer)
    assert_fails(verify_jwt(token), "jose.typ", Code.MEDIA_TYPE_MISMATCH)


def test_cty_is_optional_and_may_carry_application() -> None:
    signer, did = did_key_signer()
    payload = json.dumps(credential(did)).encode()
    for header in ({"typ": "vc+jwt"}, {"typ": "vc+jwt", "cty": "application/vc"}):
        assert_valid(verify_jwt(sign_compact(header, payload, signer=signer)))


# --- payload (JC-01) --------------------------------------------------------------------------


@pytest.mark.parametrize("claim", ["vc", "vp"])
def test_vc_and_vp_claims_are_refused(claim: str) -> None:
    signer, did = did_key_signer()
    payload = json.dumps({**credential(did), claim: {}}).encode()
    token = sign_compact({"typ": "vc+jwt"}, payload, signer=signer)
    result = verify_jwt(token)
    assert_fails(result, "jose.payload", Code.MALFORMED_VALUE_ERROR)
    assert outcome(result, "jose.signature") is Outcome.SKIPPED


def test_a_presentation_is_not_a_credential() -> None:
    signer, did = did_key_signer()
    payload = json.dumps(presentation(did, [])).encode()
    token = sign_compact({"typ": "vc+jwt"}, payload, signer=signer)
    assert_fails(verify_jwt(token), "jose.payload", Code.MEDIA_TYPE_MISMATCH)


def test_an_object_without_credential_type() -> None:
    signer, did = did_key_signer()
    payload = json.dumps({**credential(did), "type": ["Other"]}).encode()
    token = sign_compact({"typ": "vc+jwt"}, payload, signer=signer)
    assert_fails(verify_jwt(token), "jose.payload", Code.MALFORMED_VALUE_ERROR)


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[1,2,3]", b'"a string"', b'{"a":1,"a":2}', b'{"n":NaN}', b"\xff"],
)
def test_payload_that_is_not_one_strict_json_object(payload: bytes) -> None:
    signer, _ = did_key_signer()
    token = sign_compact({"typ": "vc+jwt"}, payload, signer=signer)
    result = verify_jwt(token)
    assert_fails(result, "jose.payload", Code.PARSING_ERROR)
    assert outcome(result, "jose.kid") is Outcome.SKIPPED
    assert outcome(result, "jose.signature") is Outcome.SKIPPED
    assert result.verdict is Verdict.INVALID


# --- the token itself -------------------------------------------------------------------------


def _signed_vc(**extra: Any) -> tuple[str, str, KeyPair]:
    signer, did = did_key_signer()
    return issue_vc_jwt(credential(did, **extra), signer=signer), did, signer


def test_alg_none_is_refused_before_anything_else() -> None:
    token, _, _ = _signed_vc()
    head, body, _ = _parts(token)
    header = json.loads(b64url_decode(head))
    header["alg"] = "none"
    forged = f"{b64url_encode(json.dumps(header).encode())}.{body}."
    result = verify_jwt(forged)
    assert_fails(result, "jose.decode", Code.UNSUPPORTED_ALGORITHM)
    assert [c.outcome for c in result.checks[1:]] == [Outcome.SKIPPED] * 3
    assert not any(c.outcome is Outcome.PASSED for c in result.checks)


def test_hs256_signed_with_the_public_key_is_refused() -> None:
    import hashlib
    import hmac

    token, _, signer = _signed_vc()
    head, body, _ = _parts(token)
    header = json.loads(b64url_decode(head)) | {"alg": "HS256"}
    head = b64url_encode(json.dumps(header).encode())
    for secret in (signer.public_key.raw, json.dumps(signer.public_key.to_jwk()).encode()):
        mac = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
        result = verify_jwt(f"{head}.{body}.{b64url_encode(mac)}")
        assert_fails(result, "jose.decode", Code.UNSUPPORTED_ALGORITHM)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda h, b, s: f"{h}.{b}.",  # signature stripped
        lambda h, b, s: f"{h}.{b}.{b64url_encode(b64url_decode(s)[:-3])}",  # truncated
        lambda h, b, s: (
            f"{h}.{b}.{b64url_encode(bytes([b64url_decode(s)[0] ^ 1]) + b64url_decode(s)[1:])}"
        ),
        lambda h, b, s: f"{h}.{b64url_encode(b64url_decode(b).replace(b'Nurse', b'Nursf'))}.{s}",
    ],
)
def test_tampered_signatures_fail_the_signature_check(tamper: Any) -> None:
    token, _, _ = _signed_vc()
    result = verify_jwt(tamper(*_parts(token)))
    assert_fails(result, "jose.signature", Code.CRYPTOGRAPHIC_SECURITY_ERROR)


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[: len(t) // 2],  # truncated mid-token
        lambda t: t + ".x",
        lambda t: t.replace(".", "=.", 1),  # padding
        lambda t: t.replace("-", "+").replace("_", "/") + "+/",
        lambda t: "é" + t,
        lambda t: t + "\n",
    ],
)
def test_malformed_tokens_are_parsing_errors(mangle: Any) -> None:
    token, _, _ = _signed_vc()
    result = verify_jwt(mangle(token))
    assert_fails(result, "jose.decode", Code.PARSING_ERROR)
    assert result.verdict is Verdict.INVALID


def test_oversized_token() -> None:
    token, _, _ = _signed_vc(padding="x" * 5000)
    limits = JoseLimits(max_token_bytes=4096)
    assert_fails(verify_jwt(token, limits=limits), "jose.decode", Code.LIMIT_EXCEEDED)


def test_crit_not_understood() -> None:
    signer, did = did_key_signer()
    payload = json.dumps(credential(did)).encode()
    token = sign_compact({"typ": "vc+jwt", "crit": ["nhs"], "nhs": 1}, payload, signer=signer)
    assert_fails(verify_jwt(token), "jose.decode", Code.UNSUPPORTED_HEADER)


def test_non_string_tokens_do_not_raise() -> None:
    for bad in (None, 42, ["a"], {"a": 1}):
        result = verify_jwt(bad)  # type: ignore[arg-type]
        assert_fails(result, "jose.decode", Code.PARSING_ERROR)


# --- iss / jti / sub (JC-03, JC-08) -----------------------------------------------------------


def test_iss_must_equal_the_issuer() -> None:
    token, did, _ = _signed_vc(iss="did:example:someone-else")
    assert_fails(verify_jwt(token), "jose.iss", Code.CLAIM_MISMATCH)
    signer, did = did_key_signer()
    ok = issue_vc_jwt(credential(did, iss=did), signer=signer)
    result = verify_jwt(ok)
    assert_valid(result)
    assert outcome(result, "jose.iss") is Outcome.PASSED


def test_iss_is_compared_with_an_issuer_object_id() -> None:
    signer, did = did_key_signer()
    token = issue_vc_jwt(credential({"id": did}, iss=did), signer=signer)
    assert_valid(verify_jwt(token))


def test_jti_and_sub_must_not_contradict() -> None:
    token, _, _ = _signed_vc(jti="urn:uuid:other")
    assert_fails(verify_jwt(token), "jose.jti", Code.CLAIM_MISMATCH)
    token, _, _ = _signed_vc(sub="did:example:not-the-subject")
    assert_fails(verify_jwt(token), "jose.sub", Code.CLAIM_MISMATCH)
    two = [{"id": "did:example:a"}, {"id": "did:example:b"}]
    token, _, _ = _signed_vc(sub="did:example:b", credentialSubject=two)
    result = verify_jwt(token)
    assert_valid(result)
    assert outcome(result, "jose.sub") is Outcome.PASSED


def test_absent_claims_record_no_check() -> None:
    token, _, _ = _signed_vc()
    names = {c.name for c in verify_jwt(token).checks}
    assert not names & {"jose.iss", "jose.jti", "jose.sub", "jose.exp", "jose.nbf", "jose.iat"}


# --- iat / exp / nbf (JC-03, RFC 7519 §4.1) ---------------------------------------------------

T = int(NOW.timestamp())


@pytest.mark.parametrize(
    ("claims", "name", "code"),
    [
        ({"exp": T - 3600}, "jose.exp", Code.CREDENTIAL_EXPIRED),
        ({"exp": T - 61}, "jose.exp", Code.CREDENTIAL_EXPIRED),
        ({"nbf": T + 3600}, "jose.nbf", Code.CREDENTIAL_NOT_YET_VALID),
        ({"iat": T + 3600}, "jose.iat", Code.CREDENTIAL_NOT_YET_VALID),
        ({"exp": "tomorrow"}, "jose.exp", Code.MALFORMED_VALUE_ERROR),
        ({"exp": True}, "jose.exp", Code.MALFORMED_VALUE_ERROR),
        ({"nbf": None}, "jose.nbf", Code.MALFORMED_VALUE_ERROR),
        ({"iat": [1]}, "jose.iat", Code.MALFORMED_VALUE_ERROR),
    ],
)
def test_time_claims(claims: dict[str, Any], name: str, code: Code) -> None:
    token, _, _ = _signed_vc(**claims)
    result = verify_jwt(token)
    assert_fails(result, name, code)
    assert outcome(result, "jose.signature") is Outcome.PASSED


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": T - 30, "iat": T + 30, "nbf": T + 30},  # inside the leeway
        {"exp": T + 3600.5, "iat": T - 3600, "nbf": T},
    ],
)
def test_time_claims_within_leeway(claims: dict[str, Any]) -> None:
    token, _, _ = _signed_vc(**claims)
    result = verify_jwt(token)
    assert_valid(result)
    assert all(outcome(result, f"jose.{n}") is Outcome.PASSED for n in claims)


def test_the_clock_is_injected() -> None:
    token, _, _ = _signed_vc(exp=T + 10)
    assert_valid(verify_jwt(token))
    assert_fails(
        verify_jwt(token, now=NOW + timedelta(hours=1)), "jose.exp", Code.CREDENTIAL_EXPIRED
    )


# --- issuing refuses what verifying would refuse ----------------------------------------------


def test_issue_refusals() -> None:
    signer, did = did_key_signer()
    with pytest.raises(JoseSigningError):
        issue_vc_jwt({**credential(did), "vc": {}}, signer=signer)
    with pytest.raises(JoseSigningError):
        issue_vc_jwt(presentation(did, []), signer=signer)
    with pytest.raises(JoseSigningError):
        issue_vc_jwt(credential(did), signer=signer.with_key_id(None))
    with pytest.raises(JoseSigningError):
        issue_vc_jwt(credential(did), signer=signer.with_key_id("https://example.com/key"))
    with pytest.raises(JoseSigningError):
        issue_vc_jwt(credential("did:example:other-issuer"), signer=signer)
    for name in ("alg", "kid", "typ", "cty"):
        with pytest.raises(JoseSigningError):
            issue_vc_jwt(credential(did), signer=signer, extra_header={name: "x"})
    with pytest.raises(JoseSigningError):
        issue_vc_jwt(credential(did, bad=float("inf")), signer=signer)
    with pytest.raises(JoseSigningError):
        issue_vc_jwt("not a dict", signer=signer)  # type: ignore[arg-type]
    token = issue_vc_jwt(credential(did), signer=signer, extra_header={"x-nhs": 1})
    assert decode_compact(token).header["x-nhs"] == 1


def test_a_credential_without_issuer_cannot_pass_the_key_check() -> None:
    signer, did = did_key_signer()
    document = credential(did)
    del document["issuer"]
    token = sign_compact({"typ": "vc+jwt"}, json.dumps(document).encode(), signer=signer)
    result = verify_jwt(token)
    assert_fails(result, "jose.kid", Code.MALFORMED_VALUE_ERROR)
    assert outcome(result, "jose.signature") is Outcome.SKIPPED
