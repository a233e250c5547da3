"""Properties of the JOSE/COSE formats: any single-byte change to a signed token or message
never leaves the signature check PASSED (nor the result VALID); sign → verify round trips
for arbitrary credential content; the hot-path base64url agrees with the strict one."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spec.vc_jose_cose.jose_fixtures import (
    credential,
    credential_v11,
    did_key_signer,
    outcome,
    verify_cose,
    verify_jwt,
    verify_v11,
)
from staffvc.keys import KeyType, b64url_decode, b64url_encode
from staffvc.proofs.jose import (
    JoseMalformedError,
    decode_compact,
    issue_jwt_vc_v11,
    issue_vc_cose,
    issue_vc_jwt,
)
from staffvc.results import Outcome, Stage

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ED, ED_DID = did_key_signer(KeyType.ED25519)
P256, P256_DID = did_key_signer(KeyType.P256)
JWT_ED = issue_vc_jwt(credential(ED_DID), signer=ED).encode()
JWT_P256 = issue_vc_jwt(credential(P256_DID), signer=P256).encode()
V11_ED = issue_jwt_vc_v11(credential_v11(ED_DID), signer=ED).encode()
COSE_ED = issue_vc_cose(credential(ED_DID), signer=ED)


def _mutate(data: bytes, index: int, value: int) -> bytes:
    index %= len(data)
    if data[index] == value:
        value = (value + 1) % 256
    return data[:index] + bytes([value]) + data[index + 1 :]


def _no_proof_passed(result: Any, name: str) -> None:
    assert not result.ok, result.explain()
    assert outcome(result, name) is not Outcome.PASSED, result.explain()
    assert not any(c.stage is Stage.PROOF and c.outcome is Outcome.PASSED for c in result.checks)


@SETTINGS
@given(index=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_any_byte_change_to_a_vc_jwt_fails_the_proof(index: int, value: int) -> None:
    for token in (JWT_ED, JWT_P256):
        _no_proof_passed(verify_jwt(_mutate(token, index, value)), "jose.signature")


@SETTINGS
@given(index=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_any_byte_change_to_a_jwt_vc_v11_fails_the_proof(index: int, value: int) -> None:
    _no_proof_passed(verify_v11(_mutate(V11_ED, index, value)), "jwt.signature")


@SETTINGS
@given(index=st.integers(min_value=0), value=st.integers(min_value=0, max_value=255))
def test_any_byte_change_to_a_vc_cose_fails_the_proof(index: int, value: int) -> None:
    _no_proof_passed(verify_cose(_mutate(COSE_ED, index, value)), "cose.signature")


JSON_LEAF = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text(max_size=20)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@SETTINGS
@given(extra=st.dictionaries(st.text(min_size=1, max_size=10), JSON_VALUE, max_size=5))
def test_sign_verify_round_trip_for_any_content(extra: dict[str, Any]) -> None:
    reserved = {"@context", "type", "issuer", "vc", "vp", "iss", "jti", "sub", "exp", "nbf", "iat"}
    subject = {"id": "did:example:staff-7", **{k: v for k, v in extra.items() if k not in reserved}}
    document = credential(ED_DID, credentialSubject=subject)
    token = issue_vc_jwt(document, signer=ED)
    assert json.loads(decode_compact(token).payload) == document
    assert verify_jwt(token).ok
    assert verify_cose(issue_vc_cose(document, signer=ED)).ok


@SETTINGS
@given(
    text=st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_+/= .é",
        max_size=12,
    )
)
def test_hot_path_base64url_agrees_with_the_strict_decoder(text: str) -> None:
    try:
        expected: bytes | None = b64url_decode(text)
    except ValueError:
        expected = None
    token = f"eyJhbGciOiJFZERTQSJ9.{text}.{b64url_encode(b'sig')}"
    try:
        got: bytes | None = decode_compact(token).payload
    except JoseMalformedError:
        got = None
    if "." in text:  # a dot changes the number of parts: never a payload
        assert got is None
    else:
        assert got == expected
