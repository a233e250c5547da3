"""Interop with panva's jose (npm 6.2.17, interop/node/jose.mjs), both directions, for
vc+jwt (EdDSA, ES256, ES384, ES256K) and jwt-vc-1.1, with a rejection each way. All cases run
in one Node process. (jose 6 has no ES256K; the harness does that one with node:crypto.)"""

from __future__ import annotations

import json
from typing import Any

import pytest

from interop.jose_harness import run_batch, sign_request, verify_request
from spec.vc_jose_cose.jose_fixtures import (
    KEY_TYPES,
    NOW,
    assert_fails,
    assert_valid,
    credential,
    credential_v11,
    did_key_signer,
    verify_jwt,
    verify_v11,
)
from staffvc.keys import KeyType, b64url_decode, b64url_encode
from staffvc.proofs.jose import issue_jwt_vc_v11, issue_vc_jwt
from staffvc.results import Code

NOW_TEXT = NOW.strftime("%Y-%m-%dT%H:%M:%SZ")


def _flip_signature(token: str) -> str:
    head, body, sig = token.split(".")
    raw = b64url_decode(sig)
    return f"{head}.{body}.{b64url_encode(bytes([raw[0] ^ 0x80]) + raw[1:])}"


@pytest.fixture(scope="module")
def exchange() -> dict[str, Any]:
    """Every token staffvc made for jose, and every answer jose gave, from one Node run."""
    ours: dict[str, str] = {}
    requests: list[dict[str, Any]] = []
    keys: dict[str, Any] = {}
    for key_type in KEY_TYPES:
        signer, did = did_key_signer(key_type)
        alg = signer.algorithm.value
        keys[alg] = (signer, did)
        ours[f"vc+jwt {alg}"] = issue_vc_jwt(credential(did), signer=signer)
        requests.append(verify_request(signer.public_key.to_jwk(), alg, ours[f"vc+jwt {alg}"]))
        header = {"typ": "vc+jwt", "cty": "vc", "kid": signer.key_id}
        requests.append(
            sign_request(signer.private_jwk(), alg, header, json.dumps(credential(did)))
        )
    for alg in ("EdDSA", "ES256K"):
        signer, did = keys[alg]
        ours[f"v11 {alg}"] = issue_jwt_vc_v11(credential_v11(did), signer=signer)
        requests.append(
            verify_request(
                signer.public_key.to_jwk(), alg, ours[f"v11 {alg}"], jwt=True, now=NOW_TEXT
            )
        )
        claims = {
            "iss": did,
            "sub": "did:example:staff-7",
            "nbf": 1748768400,
            "vc": credential_v11(did),
        }
        requests.append(
            sign_request(
                signer.private_jwk(), alg, {"typ": "JWT", "kid": signer.key_id}, json.dumps(claims)
            )
        )
    for alg in ("EdDSA", "ES256", "ES256K"):
        signer, _ = keys[alg]
        requests.append(
            verify_request(signer.public_key.to_jwk(), alg, _flip_signature(ours[f"vc+jwt {alg}"]))
        )
    signer, did = keys["EdDSA"]
    expired = issue_jwt_vc_v11(
        credential_v11(did, expirationDate="2025-12-01T00:00:00Z"), signer=signer
    )
    requests.append(
        verify_request(signer.public_key.to_jwk(), "EdDSA", expired, jwt=True, now=NOW_TEXT)
    )
    return {"ours": ours, "keys": keys, "answers": run_batch(requests)}


def _answers(exchange: dict[str, Any]) -> list[dict[str, Any]]:
    return list(exchange["answers"])


@pytest.mark.parametrize("index", range(len(KEY_TYPES)))
def test_jose_verifies_our_vc_jwt(exchange: dict[str, Any], index: int) -> None:
    alg = list(exchange["keys"])[index]
    answer = _answers(exchange)[2 * index]
    assert answer["ok"] is True, answer
    assert answer["header"]["alg"] == alg
    assert answer["header"]["typ"] == "vc+jwt"
    _, did = exchange["keys"][alg]
    assert json.loads(answer["payload"]) == credential(did)


@pytest.mark.parametrize("index", range(len(KEY_TYPES)))
def test_we_verify_jose_vc_jwt(exchange: dict[str, Any], index: int) -> None:
    answer = _answers(exchange)[2 * index + 1]
    assert answer["ok"] is True, answer
    assert_valid(verify_jwt(answer["token"]))
    assert_fails(
        verify_jwt(_flip_signature(answer["token"])),
        "jose.signature",
        Code.CRYPTOGRAPHIC_SECURITY_ERROR,
    )


@pytest.mark.parametrize(("offset", "alg"), [(0, "EdDSA"), (2, "ES256K")])
def test_jwt_vc_v11_both_ways(exchange: dict[str, Any], offset: int, alg: str) -> None:
    base = 2 * len(KEY_TYPES) + offset
    theirs_verified, theirs_signed = _answers(exchange)[base], _answers(exchange)[base + 1]
    assert theirs_verified["ok"] is True, theirs_verified
    _, did = exchange["keys"][alg]
    assert json.loads(theirs_verified["payload"])["vc"] == credential_v11(did)
    assert theirs_signed["ok"] is True, theirs_signed
    assert_valid(verify_v11(theirs_signed["token"]))


def test_jose_rejects_our_tampered_tokens(exchange: dict[str, Any]) -> None:
    base = 2 * len(KEY_TYPES) + 4
    for answer in _answers(exchange)[base : base + 3]:
        assert answer["ok"] is False
        assert answer["error"] == "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"


def test_jose_rejects_our_expired_v11_token_as_we_do(exchange: dict[str, Any]) -> None:
    answer = _answers(exchange)[-1]
    assert answer["ok"] is False
    assert answer["error"] == "ERR_JWT_EXPIRED"
    signer, did = exchange["keys"]["EdDSA"]
    expired = issue_jwt_vc_v11(
        credential_v11(did, expirationDate="2025-12-01T00:00:00Z"), signer=signer
    )
    assert_fails(verify_v11(expired), "jwt.exp", Code.CREDENTIAL_EXPIRED)


def test_key_types_cover_every_algorithm() -> None:
    assert [did_key_signer(k)[0].algorithm.value for k in KEY_TYPES] == [
        "EdDSA",
        "ES256",
        "ES384",
        "ES256K",
    ]
    assert KeyType.ED25519 in KEY_TYPES
